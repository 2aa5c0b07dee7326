// Geometry for objects whose vertex shader builds every vertex from the
// vertex index and storage buffers: three.js sizes a draw by the 'position'
// attribute, so it gets a shared placeholder of that many (unread) vertices.
import { Box3, BufferGeometry, Sphere, Vector3 } from 'three/webgpu';
import { placeholderVertices, releasePlaceholder } from './particle-layer';

export function shaderGeometry(vertices: number): BufferGeometry {
  const g = new BufferGeometry();
  g.setAttribute('position', placeholderVertices(vertices));
  g.setDrawRange(0, vertices);
  // bounds over the placeholder would be NaN: what is drawn stays within the surface's unit-sized world box
  g.boundingSphere = new Sphere(new Vector3(), 4);
  g.boundingBox = new Box3(new Vector3(-2, -2, -2), new Vector3(2, 2, 2));
  return g;
}

export function disposeShaderGeometry(g: BufferGeometry): void {
  const p = g.getAttribute('position');
  g.dispose();
  if (p && 'array' in p) releasePlaceholder(p as Parameters<typeof releasePlaceholder>[0]);
}
