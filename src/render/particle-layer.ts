// One panel's particles in the 3-D view, drawn straight from the simulation's
// position buffer: each frame the positions are copied GPU-to-GPU into this
// layer's storage buffer (never through the CPU), and the vertex shader lifts
// each particle to the surface's display height by bilinear interpolation of
// the mesh heights. Dots of 1 px are point primitives (one vertex per
// particle instance, cheap even on a CPU-emulated GPU); larger dots are instanced
// round sprites.
import {
  AdditiveBlending, BufferAttribute, BufferGeometry, Color, Group, NormalBlending, Points, PointsNodeMaterial, Sprite, StorageBufferAttribute, Vector2, Vector3,
} from 'three/webgpu';
import { Fn, float, instanceIndex, int, length, mix, select, smoothstep, storage, uniform, uv, vec3 } from 'three/tsl';
import type { SurfaceMesh } from './surface-mesh';
import { MESH_CELLS } from './surface-mesh';

/** Reaches the GPUBuffer three.js made for a storage attribute (undefined until first use). */
export type BufferLookup = (attribute: StorageBufferAttribute) => GPUBuffer | undefined;

export interface ParticleStyle {
  /** dot diameter in CSS pixels; 1 draws point primitives */
  size: number;
  /** per-dot opacity in [0, 1] */
  opacity: number;
  color: Color;
  additive: boolean;
}

/** Dots at most this wide (CSS px) are drawn as 1-px point primitives. */
const POINT_SIZE_MAX = 1.25;

export class ParticleLayer {
  /** what the renderer adds to its scene and shows for one panel */
  readonly object = new Group();
  /** x, y per particle (domain units): the copy target of the simulation's `position` buffer */
  readonly positions: StorageBufferAttribute;
  private readonly points: Points;
  private readonly sprite: Sprite;
  private readonly pointMaterial: PointsNodeMaterial;
  private readonly spriteMaterial: PointsNodeMaterial;
  /** one vertex; the particles are instances */
  private readonly pointGeometry = new BufferGeometry();
  private readonly uSize = uniform(2.5);
  private readonly uOpacity = uniform(0.55);
  private readonly uColor = uniform(new Color(1, 0.55, 0.18));

  constructor(readonly source: GPUBuffer, readonly count: number, surface: SurfaceMesh) {
    // filled with a far-away point so that particles show nothing until the first copy lands
    this.positions = new StorageBufferAttribute(new Float32Array(2 * count).fill(1e30), 2);
    const pos = storage(this.positions, 'vec2', count).toReadOnly();
    const heights = storage(surface.heights, 'float', (MESH_CELLS + 1) * (MESH_CELLS + 1)).toReadOnly();
    const { domain } = surface.field;
    const world = surface.world;
    const lo = uniform(new Vector2(domain.x[0], domain.y[0]));
    const span = uniform(new Vector2(domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]));
    // world = ((x - cx) k, t * height + lift, -(y - cy) k)
    const frame = uniform(new Vector3(world.cx, world.cy, world.k));
    const height = uniform(world.height);
    const cells = MESH_CELLS;

    /** centre of particle `index` in world space, and whether it lies inside the domain */
    const place = (index: typeof instanceIndex) => {
      const p = pos.element(index);
      const g = p.sub(lo).div(span).mul(cells);
      const inside = g.x.greaterThanEqual(0).and(g.y.greaterThanEqual(0)).and(g.x.lessThanEqual(cells)).and(g.y.lessThanEqual(cells));
      const centre = Fn(() => {
        const gc = g.clamp(0, cells - 1e-4).toVar();
        const cell = gc.floor();
        const f = gc.sub(cell);
        const i00 = int(cell.y).mul(cells + 1).add(int(cell.x));
        const h00 = heights.element(i00), h10 = heights.element(i00.add(1));
        const h01 = heights.element(i00.add(cells + 1)), h11 = heights.element(i00.add(cells + 2));
        const t = mix(mix(h00, h10, f.x), mix(h01, h11, f.x), f.y);
        const X = p.x.sub(frame.x).mul(frame.z);
        const Z = p.y.sub(frame.y).mul(frame.z).negate();
        // lifted a little so that dots are not cut by the mesh's flat triangles
        return vec3(X, t.mul(height).add(0.012), Z);
      })();
      return { inside, centre };
    };

    // point primitives: one single-vertex instance per particle; outside the domain they go beyond the far plane
    const pt = place(instanceIndex);
    this.pointMaterial = new PointsNodeMaterial({ transparent: true, depthWrite: false });
    this.pointMaterial.positionNode = select(pt.inside, pt.centre, vec3(0, 1e6, 0));
    this.pointMaterial.colorNode = this.uColor;
    this.pointMaterial.opacityNode = this.uOpacity;
    this.pointGeometry.setAttribute('position', new BufferAttribute(new Float32Array(3), 3));
    this.points = new Points(this.pointGeometry, this.pointMaterial);
    // three.js draws `count` instances of an object that has one (RenderObject.getDrawParameters)
    (this.points as Points & { count: number }).count = count;
    this.points.frustumCulled = false;
    this.points.renderOrder = 2;
    this.points.name = 'ParticleLayer.points';

    // round sprites, one instance per particle; zero-sized (culled) outside the domain
    const sp = place(instanceIndex);
    this.spriteMaterial = new PointsNodeMaterial({ transparent: true, depthWrite: false, sizeAttenuation: false });
    this.spriteMaterial.positionNode = sp.centre;
    this.spriteMaterial.sizeNode = select(sp.inside, this.uSize, float(0));
    this.spriteMaterial.colorNode = this.uColor;
    this.spriteMaterial.opacityNode = smoothstep(0.5, 0.3, length(uv().sub(0.5))).mul(this.uOpacity);
    this.sprite = new Sprite(this.spriteMaterial);
    this.sprite.count = count;
    this.sprite.frustumCulled = false;
    this.sprite.renderOrder = 2;
    this.sprite.name = 'ParticleLayer.sprite';

    this.object.name = 'ParticleLayer';
    this.object.add(this.sprite);
  }

  setStyle(style: Partial<ParticleStyle>): void {
    if (style.size !== undefined) {
      this.uSize.value = style.size;
      const usePoints = style.size <= POINT_SIZE_MAX;
      this.object.remove(usePoints ? this.sprite : this.points);
      this.object.add(usePoints ? this.points : this.sprite);
    }
    if (style.opacity !== undefined) this.uOpacity.value = style.opacity;
    if (style.color) this.uColor.value.copy(style.color);
    if (style.additive !== undefined) {
      for (const m of [this.pointMaterial, this.spriteMaterial]) {
        m.blending = style.additive ? AdditiveBlending : NormalBlending;
        m.needsUpdate = true;
      }
    }
  }

  /** Copies the simulation's positions into this layer (GPU to GPU); false before three.js made its buffer. */
  encodeCopy(encoder: GPUCommandEncoder, lookup: BufferLookup): boolean {
    const target = lookup(this.positions);
    if (!target) return false;
    encoder.copyBufferToBuffer(this.source, 0, target, 0, 8 * this.count);
    return true;
  }

  destroy(): void {
    this.pointMaterial.dispose();
    this.spriteMaterial.dispose();
    this.pointGeometry.dispose();
    this.positions.dispose();
  }
}
