// The loss convolved with the step's noise kernel: SGD's iterate is gradient
// descent on f~(x) = E_u[f(x + u)], u the noise displacement of one step
// (Kleinberg, Li & Yuan, ICML 2018, "An alternative view: when does SGD
// escape local minima?"). Computed on a grid with tensor-product Gauss–Hermite
// quadrature; minima of the raw loss that the smoothing removes are marked.
//
// Kernels (covariance of the displacement u = -lr_eff * noise in one step,
// lr_eff = lr / (1 - momentum), the overdamped heavy-ball step):
//   gaussian  { batchSize B, gradientStd s }: lr_eff^2 s^2 / B * I (= 2 lr T I for plain SGD);
//   langevin  { temperature T, diffusion M }: lr_eff^2 (2 T / lr) M (= 2 lr T M for plain SGD);
//   minibatch { batchSize B }: lr_eff^2 Sigma(x) / B, Sigma(x) the per-sample gradient
//       covariance at the point being smoothed (a Gaussian with the local covariance,
//       not the exact law of a minibatch mean);
//   none: no smoothing. Adam has no fixed kernel (its step is normalised per coordinate).
import type { Domain, Hessian3, Surface, Vec2 } from '../../model/surface-types';
import type { PanelSpec } from '../../model/scenario-schema';
import { eigen2 } from './hessian';
import { gaussHermite } from './gauss-hermite';

export type SmoothingKernel =
  | { kind: 'gaussian'; /** displacement covariance (c_xx, c_xy, c_yy), length^2 */ covariance: Hessian3 }
  | { kind: 'gradient-covariance'; /** covariance = scale * Sigma(x) (scale = lr_eff^2 / B) */ scale: number }
  | { kind: 'none' };

/** The one-step noise kernel of a panel (see the header for each noise kind). */
export function stepNoiseKernel(panel: PanelSpec): SmoothingKernel {
  const o = panel.optimizer;
  if (o.kind !== 'sgd') throw new Error(`stepNoiseKernel: optimizer '${o.kind}' has no fixed noise kernel (its step is rescaled per coordinate); use an 'sgd' panel`);
  const lrEff = o.lr / (1 - o.momentum);
  const n = panel.noise;
  switch (n.kind) {
    case 'none':
      return { kind: 'none' };
    case 'gaussian': {
      const c = (lrEff * lrEff * n.gradientStd ** 2) / n.batchSize;
      return { kind: 'gaussian', covariance: [c, 0, c] };
    }
    case 'langevin': {
      const c = (lrEff * lrEff * 2 * n.temperature) / o.lr;
      const m = n.diffusion ?? [[1, 0], [0, 1]];
      return { kind: 'gaussian', covariance: [c * m[0][0], c * m[0][1], c * m[1][1]] };
    }
    case 'minibatch':
      return { kind: 'gradient-covariance', scale: (lrEff * lrEff) / n.batchSize };
  }
}

/** What smoothing needs of a surface (a finite sum for the gradient-covariance kernel). */
export type SmoothableSurface = Pick<Surface, 'value'> & Partial<Pick<Surface, 'finiteSum'>>;

export interface SmoothedMinimum {
  /** the raw loss's minimum */
  at: Vec2;
  value: number;
  /** smoothed loss at the same point */
  smoothedValue: number;
  /** where steepest descent on the smoothed grid from this minimum ends */
  smoothedAt: Vec2;
  smoothedMinimumValue: number;
  /** false when the smoothed loss has no minimum of its own here: the minimum vanished */
  survives: boolean;
}

export interface SmoothedLoss {
  grid: number;
  domain: Domain;
  /** loss at the cell centres, index iy * grid + ix (as the density dumps) */
  raw: Float64Array;
  smoothed: Float64Array;
  kernel: SmoothingKernel;
  /** Gauss–Hermite points per axis */
  order: number;
  minima: SmoothedMinimum[];
}

export interface SmoothingOptions {
  /** Gauss–Hermite points per axis (default DEFAULT_SMOOTHING_ORDER; see quadratureOrder) */
  order?: number;
  /** the raw minima to test (default: the grid's strict local minima of the raw loss) */
  minima?: Vec2[];
}

/** Symmetric square root of a PSD 2 x 2 covariance, as (l00, l01, l10, l11). */
export function sqrtm(c: Hessian3): [number, number, number, number] {
  const { values, vectors } = eigen2(c);
  const s0 = Math.sqrt(Math.max(values[0], 0)), s1 = Math.sqrt(Math.max(values[1], 0));
  const [a, b] = vectors;
  return [s0 * a[0] * a[0] + s1 * b[0] * b[0], s0 * a[0] * a[1] + s1 * b[0] * b[1], s0 * a[1] * a[0] + s1 * b[1] * b[0], s0 * a[1] * a[1] + s1 * b[1] * b[1]];
}

/** The kernel's covariance at (x, y). */
export function kernelCovariance(s: SmoothableSurface, kernel: SmoothingKernel, x: number, y: number): Hessian3 {
  switch (kernel.kind) {
    case 'none': return [0, 0, 0];
    case 'gaussian': return kernel.covariance;
    case 'gradient-covariance': {
      if (!s.finiteSum) throw new Error('smoothedLoss: the gradient-covariance (minibatch) kernel needs a finite-sum surface');
      const [a, b, c] = s.finiteSum.gradientCovariance(x, y);
      return [kernel.scale * a, kernel.scale * b, kernel.scale * c];
    }
  }
}

/** Gauss–Hermite points per axis used unless asked otherwise (exact for polynomials of degree <= 19). */
export const DEFAULT_SMOOTHING_ORDER = 10;
/** the most points per axis quadratureOrder picks (order^2 loss evaluations per grid point) */
export const MAX_SMOOTHING_ORDER = 32;

/**
 * Gauss–Hermite points per axis for smoothing on a grid of cells `cell` wide
 * (length units). Near the centre the n nodes of N(0, sigma^2) lie about
 * sigma pi / sqrt(2n) apart; a loss with features down to the grid's scale
 * (wavelength >= 2 cells) is aliased unless that spacing is at most ~2 cells,
 * so n >= (pi sigma / (2 cell))^2 / 2, between the default and
 * MAX_SMOOTHING_ORDER. sigma is the kernel's widest standard deviation; the
 * state-dependent minibatch kernel keeps the default.
 */
export function quadratureOrder(kernel: SmoothingKernel, cell: number): number {
  if (kernel.kind !== 'gaussian') return DEFAULT_SMOOTHING_ORDER;
  const sigma = Math.sqrt(Math.max(...eigen2(kernel.covariance).values, 0));
  const n = Math.ceil(((Math.PI * sigma) / (2 * cell)) ** 2 / 2);
  return Math.min(MAX_SMOOTHING_ORDER, Math.max(DEFAULT_SMOOTHING_ORDER, n));
}

/** f~(x, y) = E[f(x + u, y + v)] with (u, v) ~ N(0, covariance) by Gauss–Hermite quadrature. */
export function smoothedValue(s: SmoothableSurface, cov: Hessian3, x: number, y: number, order = DEFAULT_SMOOTHING_ORDER): number {
  if (cov[0] === 0 && cov[1] === 0 && cov[2] === 0) return s.value(x, y);
  const { nodes, weights } = gaussHermite(order);
  const [l00, l01, l10, l11] = sqrtm(cov);
  let sum = 0;
  for (let i = 0; i < order; i++) {
    for (let j = 0; j < order; j++) {
      const zi = nodes[i], zj = nodes[j];
      sum += weights[i] * weights[j] * s.value(x + l00 * zi + l01 * zj, y + l10 * zi + l11 * zj);
    }
  }
  return sum;
}

/** The raw and smoothed loss on a grid x grid of cell centres, and which raw minima survive. */
export function smoothedLoss(s: SmoothableSurface, domain: Domain, grid: number, kernel: SmoothingKernel, opts: SmoothingOptions = {}): SmoothedLoss {
  if (!Number.isInteger(grid) || grid < 3) throw new Error(`smoothedLoss: grid ${grid} must be a whole number >= 3`);
  const order = opts.order ?? DEFAULT_SMOOTHING_ORDER;
  const dx = (domain.x[1] - domain.x[0]) / grid, dy = (domain.y[1] - domain.y[0]) / grid;
  const cx = (i: number) => domain.x[0] + (i + 0.5) * dx;
  const cy = (j: number) => domain.y[0] + (j + 0.5) * dy;
  const raw = new Float64Array(grid * grid), smoothed = new Float64Array(grid * grid);
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      const x = cx(i), y = cy(j);
      raw[j * grid + i] = s.value(x, y);
      smoothed[j * grid + i] = smoothedValue(s, kernelCovariance(s, kernel, x, y), x, y, order);
    }
  }
  return smoothedLossFromGrids(s, domain, grid, kernel, order, raw, smoothed, opts.minima);
}

/**
 * The SmoothedLoss record from the raw and smoothed grids (however computed,
 * e.g. on the GPU by smoothing-gpu.ts): which raw minima survive the smoothing.
 */
export function smoothedLossFromGrids(
  s: SmoothableSurface, domain: Domain, grid: number, kernel: SmoothingKernel, order: number,
  raw: Float64Array, smoothed: Float64Array, rawMinima?: Vec2[],
): SmoothedLoss {
  const dx = (domain.x[1] - domain.x[0]) / grid, dy = (domain.y[1] - domain.y[0]) / grid;
  const cx = (i: number) => domain.x[0] + (i + 0.5) * dx;
  const cy = (j: number) => domain.y[0] + (j + 0.5) * dy;
  const cellOf = ([x, y]: Vec2): [number, number] => [
    Math.min(grid - 1, Math.max(0, Math.floor((x - domain.x[0]) / dx))),
    Math.min(grid - 1, Math.max(0, Math.floor((y - domain.y[0]) / dy))),
  ];
  const starts: Vec2[] = rawMinima ?? gridMinima(raw, grid).map(([i, j]) => [cx(i), cy(j)] as Vec2);
  const walks = starts.map((p) => {
    const [i, j] = descend(smoothed, grid, cellOf(p));
    return { p, end: [i, j] as [number, number], at: [cx(i), cy(j)] as Vec2 };
  });
  const minima: SmoothedMinimum[] = walks.map((w) => {
    const cov = kernelCovariance(s, kernel, w.p[0], w.p[1]);
    const std = Math.sqrt(Math.max(eigen2(cov).values[1], 0));
    // a surviving minimum moves by about the kernel's width at most; the walk ends on a grid cell
    const reach = 2 * std + 2 * Math.hypot(dx, dy);
    const d = Math.hypot(w.at[0] - w.p[0], w.at[1] - w.p[1]);
    // several raw minima flowing into one smoothed minimum: only the nearest keeps it
    const nearest = walks.every((o) => o.end[0] !== w.end[0] || o.end[1] !== w.end[1] || Math.hypot(o.at[0] - o.p[0], o.at[1] - o.p[1]) >= d);
    return {
      at: w.p,
      value: s.value(w.p[0], w.p[1]),
      smoothedValue: smoothedValue(s, cov, w.p[0], w.p[1], order),
      smoothedAt: w.at,
      smoothedMinimumValue: smoothed[w.end[1] * grid + w.end[0]],
      survives: d <= reach && nearest,
    };
  });
  return { grid, domain, raw, smoothed, kernel, order, minima };
}

/**
 * Interior cells below their 8 neighbours; of equal neighbours (a minimum
 * between two cell centres on a symmetric grid) the one of lower index counts.
 */
export function gridMinima(f: Float64Array, grid: number): [number, number][] {
  const out: [number, number][] = [];
  for (let j = 1; j < grid - 1; j++) {
    for (let i = 1; i < grid - 1; i++) {
      const k = j * grid + i, v = f[k];
      let min = true;
      for (let b = -1; b <= 1 && min; b++) {
        for (let a = -1; a <= 1; a++) {
          const n = k + b * grid + a;
          if (n !== k && !(v < f[n] || (v === f[n] && k < n))) { min = false; break; }
        }
      }
      if (min) out.push([i, j]);
    }
  }
  return out;
}

/**
 * Steepest descent over grid cells (to the lowest of the 8 neighbours) until no
 * neighbour is lower; equal values rank by index as in gridMinima, so walks
 * into a flat bottom (a minimum between cell centres) all end on the same cell.
 */
function descend(f: Float64Array, grid: number, [i, j]: [number, number]): [number, number] {
  for (;;) {
    let bi = i, bj = j, bk = j * grid + i, best = f[bk];
    for (let b = -1; b <= 1; b++) {
      for (let a = -1; a <= 1; a++) {
        const ii = i + a, jj = j + b, k = jj * grid + ii;
        if (ii < 0 || jj < 0 || ii >= grid || jj >= grid) continue;
        if (f[k] < best || (f[k] === best && k < bk)) { best = f[k]; bk = k; bi = ii; bj = jj; }
      }
    }
    if (bi === i && bj === j) return [i, j];
    i = bi; j = bj;
  }
}
