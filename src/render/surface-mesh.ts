// The loss surface as three.js objects: a lit 3-D mesh (heights from the
// SurfaceField's display scale), a flat plane for the top view, both textured
// with the colour-mapped loss and its contours, and the mesh heights as a
// storage buffer that particle shaders interpolate to sit on the surface.
import {
  BufferAttribute, BufferGeometry, CanvasTexture, DoubleSide, LinearFilter, LinearMipmapLinearFilter, Mesh,
  MeshBasicNodeMaterial, MeshStandardNodeMaterial, PlaneGeometry, StorageBufferAttribute,
} from 'three/webgpu';
import { paintSurfaceImage } from './surface-image';
import type { SurfaceField } from './surface-field';
import type { WorldFrame } from './world';

/** Mesh cells per side (the field's grid is a multiple of this). */
export const MESH_CELLS = 128;

export class SurfaceMesh {
  /** the 3-D mesh (scene3d) */
  readonly mesh: Mesh;
  /** the top-view plane (map scene: XY plane, domain units) */
  readonly plane: Mesh;
  /** display heights t in [0, 1] at the mesh vertices, (MESH_CELLS + 1)^2, index j * (MESH_CELLS + 1) + i */
  readonly heights: StorageBufferAttribute;
  readonly texture: CanvasTexture;
  private readonly geometry: BufferGeometry;
  private readonly planeGeometry: PlaneGeometry;
  private readonly material: MeshStandardNodeMaterial;
  private readonly planeMaterial: MeshBasicNodeMaterial;

  /** `image`: the colours to drape instead of the loss image (a canvas, row 0 at the domain's y maximum) */
  constructor(readonly field: SurfaceField, readonly world: WorldFrame, image?: HTMLCanvasElement) {
    const cells = MESH_CELLS, m = cells + 1;
    const t = field.heights(cells);
    const { domain } = field;
    const pos = new Float32Array(m * m * 3);
    const uv = new Float32Array(m * m * 2);
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < m; i++) {
        const x = domain.x[0] + ((domain.x[1] - domain.x[0]) * i) / cells;
        const y = domain.y[0] + ((domain.y[1] - domain.y[0]) * j) / cells;
        const [X, Z] = world.toWorld(x, y);
        const v = j * m + i;
        pos.set([X, t[v] * world.height, Z], 3 * v);
        uv.set([i / cells, j / cells], 2 * v);
      }
    }
    const index = new Uint32Array(cells * cells * 6);
    let o = 0;
    for (let j = 0; j < cells; j++) {
      for (let i = 0; i < cells; i++) {
        const a = j * m + i, b = a + 1, c = a + m, d = c + 1;
        // counter-clockwise seen from +Y (Z grows towards the viewer as y falls)
        index.set([a, b, d, a, d, c], o);
        o += 6;
      }
    }
    this.geometry = new BufferGeometry();
    this.geometry.setAttribute('position', new BufferAttribute(pos, 3));
    this.geometry.setAttribute('uv', new BufferAttribute(uv, 2));
    this.geometry.setIndex(new BufferAttribute(index, 1));
    this.geometry.computeVertexNormals();
    this.geometry.computeBoundingSphere();

    this.texture = new CanvasTexture(image ?? paintSurfaceImage(field, { size: 1024 }));
    this.texture.minFilter = LinearMipmapLinearFilter;
    this.texture.magFilter = LinearFilter;
    this.texture.anisotropy = 4;

    this.material = new MeshStandardNodeMaterial({ map: this.texture, roughness: 0.85, metalness: 0, side: DoubleSide });
    this.mesh = new Mesh(this.geometry, this.material);
    this.mesh.name = 'SurfaceMesh.mesh';

    const [w, d] = world.size;
    this.planeGeometry = new PlaneGeometry(w, d);
    this.planeMaterial = new MeshBasicNodeMaterial({ map: this.texture });
    this.plane = new Mesh(this.planeGeometry, this.planeMaterial);
    this.plane.name = 'SurfaceMesh.plane';

    this.heights = new StorageBufferAttribute(t, 1);
  }

  /** Domain point under world point (X, Z) on the mesh. */
  domainAt(X: number, Z: number): [number, number] {
    return this.world.fromWorld(X, Z);
  }

  destroy(): void {
    this.geometry.dispose();
    this.planeGeometry.dispose();
    this.material.dispose();
    this.planeMaterial.dispose();
    this.texture.dispose();
  }
}
