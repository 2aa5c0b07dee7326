// Types shared by the Fokker–Planck CPU reference (reference.ts) and the GPU
// stage (grid.ts).
//
// The PDE, for the probability density rho(x, t) over the panel's domain:
//   d rho / dt = div(rho grad f) + sum_ij d_i d_j (D_ij rho)        (Ito form)
// with no-flux walls. PDE time t is the particles' time: t = steps * lr.
//   D = T I                     Langevin / Gaussian gradient noise, T = lr s^2 / (2B)
//   D = T M                     constant diffusion matrix M (Langevin with "diffusion")
//   D(x) = lr / (2B) Sigma(x)   minibatch SGD, Sigma = per-sample gradient covariance
//
// Grid conventions (the lab's density contract): n x n cells over
// [x0, x1] x [y0, y1]; cell (ix, iy) at index iy*n + ix, ix from x0 to x1, iy
// from y0 to y1; cell widths hx = (x1 - x0)/n, hy = (y1 - y0)/n (cells are
// rectangles when the domain is). The stored quantity p is the probability in
// a cell (sums to 1); the density is rho = p / (hx hy).
import type { Domain, Hessian3, Surface, Vec2 } from '../../model/surface-types';

export type { Domain };

/** Initial density, as a scenario's particle init describes it. */
export type InitSpec =
  | { kind: 'gaussian'; mean: Vec2; std: number }
  | { kind: 'uniform' }
  | { kind: 'point'; at: Vec2 };

/** Diffusion tensor D of the PDE (units: loss units, i.e. length^2 per unit PDE time times |grad f|). */
export type DiffusionSpec =
  /** D = T I; `temperature` T = lr s^2 / (2B) for Gaussian gradient noise */
  | { kind: 'isotropic'; temperature: number }
  /** D = T M with M symmetric positive semi-definite ([[mxx, mxy], [mxy, myy]]) */
  | { kind: 'constant'; temperature: number; matrix: [[number, number], [number, number]] }
  /**
   * D(x) given per cell centre (n*n values each, same layout as the density).
   * `temperature` is the scalar used for the free energy F = E[f] - T H and for
   * the Gibbs reference exp(-f/T); default: the mean of trace(D)/2 over cells.
   */
  | { kind: 'field'; dxx: ArrayLike<number>; dxy: ArrayLike<number>; dyy: ArrayLike<number>; temperature?: number }
  /**
   * Minibatch SGD: D(x) = lr / (2 B) Sigma(x), Sigma sampled once at the cell
   * centres from `covariance` or, when the potential is a finite-sum Surface,
   * from its finiteSum.gradientCovariance. `temperature` as for 'field'.
   */
  | { kind: 'minibatch'; lr: number; batchSize: number; covariance?: (x: number, y: number) => Hessian3; temperature?: number };

/**
 * How the off-diagonal part Dxy of D is discretised (coefficients.ts has the details):
 *  'limited'  (default) Scharfetter–Gummel on the axis faces with the full Dxx,
 *             Dyy and a central flux for the cross term, limited per face so
 *             that no cell can go negative: conservative, positive, second
 *             order where the limiter is idle (it acts only where the density
 *             changes by a large factor between neighbours, e.g. far tails).
 *  'central'  the same without the limiter: linear and second order, but the
 *             density can dip below zero where D is strongly correlated.
 *  'monotone' a linear, positivity-preserving split into axis and diagonal-
 *             neighbour exchanges; where D is not diagonally dominant on the
 *             grid (|Dxy| > min(Dxx hy/hx, Dyy hx/hy)) it raises Dxx and Dyy
 *             just enough (reported as `addedDiffusion`), and the drift on an
 *             axis with little remaining diffusion is upwinded: first order.
 * Without an off-diagonal part the three coincide.
 */
export type OffDiagonalScheme = 'limited' | 'central' | 'monotone';

/**
 * Time integrator. 'euler': explicit Euler substeps up to the positivity
 * limit (positivity, H-theorem, second order in space and first in time;
 * compensated float32 updates on the GPU). 'adi': implicit line sweeps
 * (adi.ts), any step, positive, exact Gibbs equilibrium and H-theorem for
 * D = T I, first order in time; diagonal D only.
 */
export type Integrator = 'euler' | 'adi';

/**
 * What defines one Fokker–Planck problem and its integrator: the options of
 * the CPU reference (FokkerPlanckReference) and, with GPU extras, of the GPU
 * grid (FokkerPlanckGridOptions).
 */
export interface FokkerPlanckOptions {
  /** cells per side (64..2048 in the lab; any n >= 2 works) */
  grid: number;
  domain: Domain;
  /** loss at cell centres (n*n, density layout) or a Surface, sampled at cell centres with its TS `value` */
  potential: ArrayLike<number> | Surface;
  diffusion: DiffusionSpec;
  /** initial probabilities per cell (n*n) or a particle init */
  initial: ArrayLike<number> | InitSpec;
  /**
   * step in PDE time: the Euler substep (default 0.9 of the stable limit,
   * refused above it) or the ADI step (default DEFAULT_ADI_LIMITS = 25 Euler
   * limits; any size)
   */
  dt?: number;
  /** 'euler' (default) or 'adi' (implicit line sweeps, diagonal D only; see adi.ts) */
  integrator?: Integrator;
  offDiagonal?: OffDiagonalScheme;
}

export interface GridGeometry {
  /** cells per side */
  n: number;
  domain: Domain;
  /** cell widths (length units) */
  hx: number;
  hy: number;
}

export function gridGeometry(n: number, domain: Domain): GridGeometry {
  if (!Number.isInteger(n) || n < 2) throw new Error(`FokkerPlanckGrid: grid ${n} is not an integer >= 2; use 64..2048 cells per side`);
  const [x0, x1] = domain.x;
  const [y0, y1] = domain.y;
  if (!(x1 > x0) || !(y1 > y0) || ![x0, x1, y0, y1].every(Number.isFinite)) {
    throw new Error(`FokkerPlanckGrid: domain x [${x0}, ${x1}] y [${y0}, ${y1}] is empty or not finite; give min < max on both axes`);
  }
  return { n, domain, hx: (x1 - x0) / n, hy: (y1 - y0) / n };
}

/** x of cell column ix's centre */
export function cellX(g: GridGeometry, ix: number): number {
  return g.domain.x[0] + (ix + 0.5) * g.hx;
}

/** y of cell row iy's centre */
export function cellY(g: GridGeometry, iy: number): number {
  return g.domain.y[0] + (iy + 0.5) * g.hy;
}

/** Samples a function at every cell centre (float64, density layout). */
export function sampleAtCentres(g: GridGeometry, fn: (x: number, y: number) => number): Float64Array {
  const { n } = g;
  const out = new Float64Array(n * n);
  for (let iy = 0; iy < n; iy++) {
    const y = cellY(g, iy);
    for (let ix = 0; ix < n; ix++) out[iy * n + ix] = fn(cellX(g, ix), y);
  }
  return out;
}

/**
 * Metrics of one density (see reference.ts `metrics` for the definitions).
 * Units: PDE time t, loss units for f, probability for p.
 */
export interface FokkerPlanckMetrics {
  /** sum of p (1 when mass is conserved) */
  mass: number;
  /** E_p[f] = sum p f */
  meanLoss: number;
  /** differential entropy H = -sum p log(p / cellArea) */
  entropy: number;
  /** F = E_p[f] - T H, T the grid's temperature */
  freeEnergy: number;
  /** KL(p || stationary) = sum p log(p / s) (nats) */
  klStationary: number;
  /** KL(histogram || p) with the empty-cell rule of reference.ts; NaN without a histogram */
  klHistogram: number;
  /** particles counted in the histogram (0 without one) */
  histogramCount: number;
  /** sum over interior grid vertices of |curl J| * hx * hy (probability per unit time) */
  circulation: number;
  /** integral of |J| over the domain, sum over faces |J_face| hx hy (probability * length / time) */
  currentL1: number;
  /** probability in each listed minimum's basin of attraction (empty without a basin map) */
  basinMasses: number[];
}
