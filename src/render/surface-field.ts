// The loss sampled on a regular grid over the domain (CPU, once per surface
// change), and the display scale that turns a loss into a colour index and a
// mesh height. The 3-D mesh, the particle heights, the heatmap and the
// contour lines all use this one field, so they agree.
import type { Domain, Surface } from '../model/surface-types';

/** What a field samples: a catalogue or formula surface, or values on a grid (cell-surface.ts). */
export type SampledSurface = Pick<Surface, 'value' | 'criticalPoints'>;

/** Cells per side of the loss field the page and the recorded videos sample (257 x 257 vertices). */
export const LOSS_FIELD_GRID = 256;

/** How losses map to [0, 1]: linear, or log for landscapes with walls far above the interesting range. */
export type LossScaleMode = 'linear' | 'log';

export class SurfaceField {
  /** f at vertex (i, j), i along x from x min, j along y from y min: index j * (n + 1) + i (loss units) */
  readonly values: Float64Array;
  /** lowest and highest finite loss sampled (loss units) */
  readonly min: number;
  readonly max: number;
  /** losses at or above `cap` show as the top colour and the top height (loss units) */
  readonly cap: number;
  readonly mode: LossScaleMode;
  /** log-scale knee (loss units): t = ln(1 + (f - min)/knee) / ln(1 + (cap - min)/knee) */
  private readonly knee: number;

  /**
   * `n` cells per side (n + 1 vertices); `mode` 'auto' picks log when most of the range is a steep wall;
   * `scaleOf`: use that field's display scale (a smoothed loss drawn in the raw loss's colours).
   */
  constructor(readonly surface: SampledSurface, readonly domain: Domain, readonly n: number, mode: LossScaleMode | 'auto' = 'auto', scaleOf?: SurfaceField) {
    const m = n + 1;
    this.values = new Float64Array(m * m);
    const finite: number[] = [];
    for (let j = 0; j < m; j++) {
      const y = domain.y[0] + ((domain.y[1] - domain.y[0]) * j) / n;
      for (let i = 0; i < m; i++) {
        const x = domain.x[0] + ((domain.x[1] - domain.x[0]) * i) / n;
        const f = surface.value(x, y);
        this.values[j * m + i] = f;
        if (Number.isFinite(f)) finite.push(f);
      }
    }
    finite.sort((a, b) => a - b);
    const q = (p: number) => (finite.length ? finite[Math.min(finite.length - 1, Math.floor(p * finite.length))] : 0);
    this.min = finite.length ? finite[0] : 0;
    this.max = finite.length ? finite[finite.length - 1] : 1;
    for (const c of surface.criticalPoints) {
      const f = c.value ?? surface.value(c.at[0], c.at[1]);
      if (Number.isFinite(f) && c.kind === 'minimum') this.min = Math.min(this.min, f);
    }
    // cap at the 90% quantile: the outer walls of a domain are rarely where the dynamics is
    this.cap = Math.max(q(0.9), this.min + 1e-9);
    const median = q(0.5);
    this.mode = mode === 'auto' ? ((median - this.min) / (this.cap - this.min) < 0.12 ? 'log' : 'linear') : mode;
    this.knee = Math.max((this.cap - this.min) / 200, 1e-12);
    if (scaleOf) {
      this.min = scaleOf.min;
      this.cap = scaleOf.cap;
      this.mode = scaleOf.mode;
      this.knee = scaleOf.knee;
    }
  }

  /** Display coordinate t in [0, 1] of a loss (1 for non-finite losses). */
  scale(f: number): number {
    if (!Number.isFinite(f)) return 1;
    const d = Math.max(0, f - this.min);
    const span = this.cap - this.min;
    const t = this.mode === 'linear' ? d / span : Math.log1p(d / this.knee) / Math.log1p(span / this.knee);
    return Math.min(1, t);
  }

  /** The loss whose display coordinate is t (inverse of `scale` on [0, 1]). */
  unscale(t: number): number {
    const span = this.cap - this.min;
    return this.mode === 'linear' ? this.min + t * span : this.min + this.knee * Math.expm1(t * Math.log1p(span / this.knee));
  }

  /** Contour levels (loss units), evenly spaced in the display scale. */
  levels(count = 14): number[] {
    return Array.from({ length: count }, (_, k) => this.unscale((k + 1) / (count + 1)));
  }

  /** Display heights t on a coarser vertex grid of `cells` cells per side (cells must divide n). */
  heights(cells: number): Float32Array<ArrayBuffer> {
    const stride = this.n / cells;
    if (!Number.isInteger(stride)) throw new Error(`SurfaceField: mesh grid ${cells} does not divide the field grid ${this.n}`);
    const m = cells + 1, big = this.n + 1;
    const out = new Float32Array(m * m);
    for (let j = 0; j < m; j++) for (let i = 0; i < m; i++) out[j * m + i] = this.scale(this.values[j * stride * big + i * stride]);
    return out;
  }

  /** Bilinear loss at (x, y) from the samples (loss units). */
  sample(x: number, y: number): number {
    const { domain, n } = this;
    const gx = Math.min(n, Math.max(0, ((x - domain.x[0]) / (domain.x[1] - domain.x[0])) * n));
    const gy = Math.min(n, Math.max(0, ((y - domain.y[0]) / (domain.y[1] - domain.y[0])) * n));
    const i = Math.min(n - 1, Math.floor(gx)), j = Math.min(n - 1, Math.floor(gy));
    const fx = gx - i, fy = gy - j, m = n + 1, v = this.values;
    const a = v[j * m + i], b = v[j * m + i + 1], c = v[(j + 1) * m + i], d = v[(j + 1) * m + i + 1];
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
  }
}
