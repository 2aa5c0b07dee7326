// Instanced marker sets for the landscape overlays: one shape, many places,
// a colour per instance. The 3-D views get solid shapes (lit) or flat shapes
// lying on the surface; the top-view maps get flat shapes with a dark outline,
// drawn over the density layers. Capacity grows by rebuilding the instanced
// meshes; positions are world coordinates (render/world.ts).
import {
  BoxGeometry, BufferAttribute, BufferGeometry, CircleGeometry, Color, ConeGeometry, DoubleSide, Group, InstancedMesh, Matrix4,
  MeshBasicNodeMaterial, MeshStandardNodeMaterial, OctahedronGeometry, Quaternion, RingGeometry, SphereGeometry, Vector3, type Material,
} from 'three/webgpu';

/** Solid shapes for the 3-D view; flat shapes (unit radius) for maps and for lying on the 3-D surface. */
export type SolidShape = 'sphere' | 'octahedron' | 'cone' | 'box';
export type FlatShape = 'disc' | 'diamond' | 'triangle' | 'ring' | 'cross';
export type MarkerShape = SolidShape | FlatShape;

export interface MarkerInstance {
  /** world position */
  at: [number, number, number];
  /** world radius */
  size: number;
  color: Color;
}

const FLAT: readonly string[] = ['disc', 'diamond', 'triangle', 'ring', 'cross'];

/** A unit flat shape in the XY plane (map scene). */
function flatGeometry(shape: FlatShape): BufferGeometry {
  switch (shape) {
    case 'disc': return new CircleGeometry(1, 24);
    case 'diamond': return new CircleGeometry(1.15, 4);
    case 'triangle': return new CircleGeometry(1.2, 3, Math.PI / 2);
    case 'ring': return new RingGeometry(0.58, 1, 24);
    case 'cross': {
      // two bars of half-width w at +-45 degrees
      const w = 0.26, r = 1;
      const bar = (a: number) => {
        const c = Math.cos(a), s = Math.sin(a);
        const pts = [[-r, -w], [r, -w], [r, w], [-r, w]].map(([x, y]) => [x * c - y * s, x * s + y * c, 0]);
        return [0, 1, 2, 0, 2, 3].flatMap((k) => pts[k]);
      };
      const g = new BufferGeometry();
      g.setAttribute('position', new BufferAttribute(new Float32Array([...bar(Math.PI / 4), ...bar(-Math.PI / 4)]), 3));
      g.computeVertexNormals();
      return g;
    }
  }
}

function solidGeometry(shape: SolidShape): BufferGeometry {
  switch (shape) {
    case 'sphere': return new SphereGeometry(1, 16, 12);
    case 'octahedron': return new OctahedronGeometry(1.25);
    case 'cone': return new ConeGeometry(1, 1.8, 16).translate(0, 0.5, 0);
    case 'box': return new BoxGeometry(1.4, 1.4, 1.4);
  }
}

export type MarkerView = '3d' | 'map' | 'surface';

export class MarkerSet {
  readonly object = new Group();
  private readonly geometry: BufferGeometry;
  private readonly material: Material;
  private readonly outlineMaterial: Material | null;
  private mesh: InstancedMesh | null = null;
  private outline: InstancedMesh | null = null;
  private capacity = 0;
  private readonly renderOrder: number;

  /**
   * `view` '3d': solid shapes (lit); 'surface': flat shapes lying on the 3-D surface (facing up);
   * 'map': flat shapes facing the map camera, over everything, with a dark outline.
   */
  constructor(readonly shape: MarkerShape, readonly view: MarkerView, renderOrder = 3) {
    const flat = FLAT.includes(shape);
    if (view === '3d' && flat) throw new Error(`MarkerSet: '${shape}' is a flat shape; use view 'surface' or 'map'`);
    if (view !== '3d' && !flat) throw new Error(`MarkerSet: '${shape}' is a solid shape; use view '3d'`);
    this.geometry = flat ? flatGeometry(shape as FlatShape) : solidGeometry(shape as SolidShape);
    if (view === 'surface') this.geometry.rotateX(-Math.PI / 2);
    if (view === '3d') {
      this.material = new MeshStandardNodeMaterial({ roughness: 0.45, metalness: 0 });
      this.outlineMaterial = null;
    } else if (view === 'surface') {
      this.material = new MeshBasicNodeMaterial({ side: DoubleSide });
      this.outlineMaterial = null;
    } else {
      this.material = new MeshBasicNodeMaterial({ depthTest: false, depthWrite: false, transparent: true });
      this.outlineMaterial = new MeshBasicNodeMaterial({ depthTest: false, depthWrite: false, transparent: true, color: new Color(0.02, 0.02, 0.03), opacity: 0.85 });
    }
    this.object.renderOrder = renderOrder;
    this.object.name = `MarkerSet.${shape}.${view}`;
    this.renderOrder = renderOrder;
  }

  /** Replaces the instances. */
  set(instances: MarkerInstance[]): void {
    if (instances.length > this.capacity) this.grow(Math.max(instances.length, 2 * this.capacity, 8));
    const mesh = this.mesh, outline = this.outline;
    if (!mesh) return;
    const m = new Matrix4(), q = new Quaternion(), s = new Vector3(), p = new Vector3();
    instances.forEach((inst, i) => {
      p.set(...inst.at);
      s.setScalar(inst.size);
      mesh.setMatrixAt(i, m.compose(p, q, s));
      mesh.setColorAt(i, inst.color);
      if (outline) {
        // the outline sits just behind the fill (map camera looks along -Z)
        p.z -= 1e-3;
        s.setScalar(inst.size * 1.45);
        outline.setMatrixAt(i, m.compose(p, q, s));
      }
    });
    mesh.count = instances.length;
    mesh.instanceMatrix.needsUpdate = true;
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
    if (outline) {
      outline.count = instances.length;
      outline.instanceMatrix.needsUpdate = true;
    }
    this.object.visible = instances.length > 0;
  }

  private grow(capacity: number): void {
    this.disposeMeshes();
    this.capacity = capacity;
    this.mesh = new InstancedMesh(this.geometry, this.material, capacity);
    // instance colours exist from the start (setColorAt would add them after the pipeline is built)
    this.mesh.setColorAt(0, new Color(1, 1, 1));
    this.mesh.frustumCulled = false;
    this.mesh.renderOrder = this.renderOrder + 1;
    this.mesh.count = 0;
    this.object.add(this.mesh);
    if (this.outlineMaterial) {
      // the outline: the same shape scaled up, dark, behind the fill
      this.outline = new InstancedMesh(this.geometry, this.outlineMaterial, capacity);
      this.outline.frustumCulled = false;
      this.outline.renderOrder = this.renderOrder;
      this.outline.count = 0;
      this.object.add(this.outline);
    }
  }

  private disposeMeshes(): void {
    for (const m of [this.mesh, this.outline]) {
      if (!m) continue;
      this.object.remove(m);
      m.dispose();
    }
    this.mesh = null;
    this.outline = null;
  }

  destroy(): void {
    this.disposeMeshes();
    this.geometry.dispose();
    this.material.dispose();
    this.outlineMaterial?.dispose();
  }
}
