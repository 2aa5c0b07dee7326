// A density on the panel's grid drawn over the top-view heatmap: the particle
// histogram (u32 counts) or the Fokker–Planck density (f32 probability per
// cell). Both show as the probability density rho (per unit area) on a log
// colour scale shared with the legend. The GPU buffer is copied GPU-to-GPU
// into this layer's storage buffer each frame.
import { DataTexture, LinearFilter, Mesh, MeshBasicNodeMaterial, PlaneGeometry, RGBAFormat, StorageBufferAttribute } from 'three/webgpu';
import { float, int, log, max, smoothstep, storage, texture, uniform, uv, vec2 } from 'three/tsl';
import { colormapTable } from './colormap';
import type { BufferLookup } from './particle-layer';
import type { WorldFrame } from './world';

export type DensityKind = 'counts' | 'probability';

/** log10 rho range of the density colour scale, relative to the uniform density 1/area. */
export const DENSITY_DECADES_BELOW = 1;
export const DENSITY_DECADES_ABOVE = 3.5;

export function densityRange(area: number): { lo: number; hi: number } {
  const uniformLog = Math.log10(1 / area);
  return { lo: uniformLog - DENSITY_DECADES_BELOW, hi: uniformLog + DENSITY_DECADES_ABOVE };
}

/** The density colour map as a 256 x 1 texture (one per renderer, shared by its layers). */
export function densityLut(): DataTexture {
  const lut = new DataTexture(colormapTable('inferno'), 256, 1, RGBAFormat);
  lut.magFilter = LinearFilter;
  lut.minFilter = LinearFilter;
  lut.needsUpdate = true;
  return lut;
}

export class DensityLayer {
  readonly mesh: Mesh;
  /** the copy target: one u32 count or f32 probability per cell, cell (ix, iy) at iy * grid + ix */
  readonly cells: StorageBufferAttribute;
  private readonly geometry: PlaneGeometry;
  private readonly material: MeshBasicNodeMaterial;
  /** multiplies a cell's value into rho: 1/(N * cell area) for counts, 1/(cell area) for probabilities */
  private readonly uNorm = uniform(1);

  /** `particles`: the panel's particle count (normalises counts); `lut` from densityLut() */
  constructor(readonly source: GPUBuffer, readonly grid: number, readonly kind: DensityKind, world: WorldFrame, particles: number, lut: DataTexture) {
    const n = grid * grid;
    this.cells = new StorageBufferAttribute(kind === 'counts' ? new Uint32Array(n) : new Float32Array(n), 1);
    const values = kind === 'counts' ? storage(this.cells, 'uint', n).toReadOnly() : storage(this.cells, 'float', n).toReadOnly();
    const { domain } = world;
    const area = (domain.x[1] - domain.x[0]) * (domain.y[1] - domain.y[0]);
    const cellArea = area / n;
    this.uNorm.value = kind === 'counts' ? 1 / (Math.max(1, particles) * cellArea) : 1 / cellArea;
    const { lo, hi } = densityRange(area);

    const c = uv().mul(grid).floor().clamp(0, grid - 1);
    const idx = int(c.y).mul(grid).add(int(c.x));
    const rho = float(values.element(idx)).mul(this.uNorm);
    // t in [0, 1] over [lo, hi] decades of rho
    const t = log(max(rho, 1e-30)).div(Math.LN10).sub(lo).div(hi - lo);
    this.material = new MeshBasicNodeMaterial({ transparent: true, depthWrite: false, depthTest: false });
    this.material.colorNode = texture(lut, vec2(t.clamp(0.02, 0.98), 0.5)).rgb;
    // sparse cells (a few particles) stay faint so the loss map shows through; dense cells are opaque
    this.material.opacityNode = smoothstep(0.1, 0.55, t).mul(0.95);
    const [w, d] = world.size;
    this.geometry = new PlaneGeometry(w, d);
    this.mesh = new Mesh(this.geometry, this.material);
    this.mesh.renderOrder = 1;
    this.mesh.name = `DensityLayer.${kind}`;
  }

  encodeCopy(encoder: GPUCommandEncoder, lookup: BufferLookup): boolean {
    const target = lookup(this.cells);
    if (!target) return false;
    encoder.copyBufferToBuffer(this.source, 0, target, 0, 4 * this.grid * this.grid);
    return true;
  }

  destroy(): void {
    this.geometry.dispose();
    this.material.dispose();
    this.cells.dispose();
  }
}
