// One panel's current arrows: the Fokker–Planck probability velocity J/rho on
// the arrow lattice (arrow-lattice.ts), drawn flat on the 3-D surface and over
// the top-view maps. Each frame the arrow kernel (current-arrows-kernel.ts)
// runs on the grid's density and current, and its output is copied
// GPU-to-GPU into this layer's storage buffer (never through the CPU).
//   direction: v = J/rho;
//   length: 0.9 lattice spacings times min(1, |v| / |grad f|), the velocity as
//     a fraction of the drift speed in the block (0 at equilibrium, where J = 0;
//     about 1 when the probability circulates as fast as it drifts);
//   colour and opacity: |J| on a log scale over the two decades below the
//     panel's largest shown |J| (dim teal to bright cyan).
// Hidden where the block's density is below arrowRhoMin (a decade below uniform).
import { Color, DoubleSide, Mesh, MeshBasicNodeMaterial, StorageBufferAttribute } from 'three/webgpu';
import { float, log, max, min, mix, select, storage, uniform, vec2, vertexIndex } from 'three/tsl';
import type { BufferLookup } from './particle-layer';
import type { SurfaceMesh } from './surface-mesh';
import { surfacePlacer, type DomainPoint, type Placed } from './surface-lift';
import { mapPlacer } from './map-placer';
import { shaderGeometry, disposeShaderGeometry } from './shader-geometry';
import { ARROW_FLOATS, blockDrift, type ArrowLattice } from './arrow-lattice';
import type { CurrentArrowsKernel } from './current-arrows-kernel';

/** vertices per arrow: a shaft of two triangles and a head */
const ARROW_VERTICES = 9;
/** decades of |J| below the peak that the colour scale spans */
const J_DECADES = 2;

export class CurrentArrowLayer {
  /** in the 3-D scene */
  readonly object3d: Mesh;
  /** in the map scene */
  readonly objectMap: Mesh;
  /** the copy target: the peak |J| (vec4, .x), then ARROW_FLOATS per arrow */
  readonly data: StorageBufferAttribute;
  private readonly drift: StorageBufferAttribute;
  private readonly materials: MeshBasicNodeMaterial[] = [];
  private readonly geometry;

  /** `f`: the grid's loss at cell centres (for the drift speed per block) */
  constructor(readonly kernel: CurrentArrowsKernel, lattice: ArrowLattice, f: ArrayLike<number>, surface: SurfaceMesh) {
    const count = kernel.count;
    this.data = new StorageBufferAttribute(new Float32Array(4 + ARROW_FLOATS * count), 4);
    this.drift = new StorageBufferAttribute(blockDrift(lattice, f), 1);
    const data = storage(this.data, 'vec4', 1 + 2 * count).toReadOnly();
    const drift = storage(this.drift, 'float', count).toReadOnly();
    const { x, y } = lattice.domain;
    // lattice spacing (domain units)
    const spacing = Math.min(x[1] - x[0], y[1] - y[0]) / lattice.a;

    const arrow = vertexIndex.div(ARROW_VERTICES);
    const k = vertexIndex.mod(ARROW_VERTICES);
    const head = data.element(arrow.mul(2).add(1));
    const more = data.element(arrow.mul(2).add(2));
    const at = head.xy, v = head.zw;
    const speed = v.length();
    const len = select(more.z.greaterThan(0.5), min(speed.div(max(drift.element(arrow), 1e-12)), 1).mul(0.9 * spacing), float(0));
    const u = v.div(max(speed, 1e-30));
    const hl = min(len.mul(0.45), 0.4 * spacing);
    // along the arrow: tail, head's base, tip; across: shaft and head half-widths
    const along = select(k.equal(0).or(k.equal(3)).or(k.equal(5)), len.mul(-0.5), select(k.equal(7), len.mul(0.5), len.mul(0.5).sub(hl)));
    const side = select(k.equal(7), float(0), select(k.equal(0).or(k.equal(1)).or(k.equal(3)).or(k.equal(6)), float(-1), float(1)));
    const across = side.mul(select(k.greaterThanEqual(6), hl.mul(0.7), hl.mul(0.3)));
    const point: DomainPoint = at.add(u.mul(along)).add(vec2(u.y.negate(), u.x).mul(across));
    // |J| relative to the panel's peak, on a log scale over J_DECADES
    const t = log(max(more.y.div(max(data.element(0).x, 1e-30)), 1e-30)).div(Math.LN10 * J_DECADES).add(1).clamp(0, 1);
    const colour = mix(uniform(new Color(0.1, 0.45, 0.6)), uniform(new Color(0.55, 1, 1)), t);
    const opacity = t.mul(0.5).add(0.45);

    this.geometry = shaderGeometry(ARROW_VERTICES * count);
    const mesh = (place: (p: DomainPoint) => Placed, overlay: boolean, name: string) => {
      const m = new MeshBasicNodeMaterial({ transparent: true, depthWrite: false, depthTest: !overlay, side: DoubleSide });
      m.positionNode = place(point).centre;
      m.colorNode = colour;
      m.opacityNode = opacity;
      this.materials.push(m);
      const o = new Mesh(this.geometry, m);
      o.frustumCulled = false;
      o.renderOrder = 3;
      o.name = name;
      return o;
    };
    this.object3d = mesh(surfacePlacer(surface, 0.02), false, 'CurrentArrowLayer.3d');
    this.objectMap = mesh(mapPlacer(surface, 0.01), true, 'CurrentArrowLayer.map');
  }

  /** Runs the kernel and copies its output into the layer (GPU to GPU); false before three.js made its buffer. */
  encode(encoder: GPUCommandEncoder, lookup: BufferLookup): boolean {
    const target = lookup(this.data);
    if (!target) return false;
    this.kernel.encode(encoder);
    encoder.copyBufferToBuffer(this.kernel.peak, 0, target, 0, 16);
    encoder.copyBufferToBuffer(this.kernel.arrows, 0, target, 16, 4 * ARROW_FLOATS * this.kernel.count);
    return true;
  }

  destroy(): void {
    for (const m of this.materials) m.dispose();
    disposeShaderGeometry(this.geometry);
    this.data.dispose();
    this.drift.dispose();
    this.kernel.destroy();
  }
}
