// Critical points of a small network's training loss and their index (issue
// 15, item 6; Dauphin et al. 2014, "Identifying and attacking the saddle point
// problem in high-dimensional non-convex optimization", Fig. 1), in float64 on
// the CPU; the GPU searches from many starts at once in float32
// (critical-search.ts) and polishCriticalPoints finishes its points here. Starts are taken along gradient-descent trajectories from several
// initialisations (so they sit at many loss levels); from each, the gradient
// g(theta) = 0 is solved by Levenberg–Marquardt on the residual g with its
// Jacobian H: (H^2 + mu I) delta = -H g, which, unlike descent, is attracted to
// saddles as well as minima. A converged point's index is the fraction of the
// Hessian's eigenvalues that are negative. Dauphin et al. found the index
// growing with the loss: low-loss critical points are minima, high-loss ones
// saddles with many descent directions.
import type { LossProblem } from '../../model/network/hvp';
import { symmetricEigenvalues } from '../../model/network/symmetric-eigen';
import { choleskySolve, symmetricPart } from '../../model/network/dense-linear';
import type { NetworkLayout } from '../../model/network/spec';
import { initialNetworkParams, weightMask } from './reference';
import { exactHessian } from './sharpness-reference';
import { fullGradient } from './stationary-covariance';

export interface CriticalPoint {
  params: Float64Array;
  /** full training loss with weight decay (nats) */
  loss: number;
  /** |grad| at the point (loss units per parameter unit) */
  gradientNorm: number;
  /** Hessian eigenvalues, ascending */
  eigenvalues: Float64Array;
  /** negative eigenvalues (below -tolerance) over D */
  index: number;
  /** the start it came from: initialisation seed and gradient-descent steps before the search */
  start: { seed: number; steps: number };
}

/**
 * The Hessian by central differences of the gradient, column d = (g(x + h e_d) - g(x - h e_d)) / 2h
 * with h = 1e-5: truncation ~ h^2 |g'''| ~ 1e-10 and rounding ~ 1e-16 |g| / h ~ 1e-11, ample for the
 * solver's Jacobian (4x cheaper here than the exact R-operator columns, which classify the points).
 */
function differenceHessian(problem: LossProblem, x: Float64Array, mask: Uint8Array): Float64Array {
  const D = x.length, h = 1e-5;
  const H = new Float64Array(D * D), up = new Float64Array(D), down = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    const keep = x[d];
    x[d] = keep + h;
    fullGradient(problem, x, up, mask);
    x[d] = keep - h;
    fullGradient(problem, x, down, mask);
    x[d] = keep;
    for (let i = 0; i < D; i++) H[i * D + d] = (up[i] - down[i]) / (2 * h);
  }
  return H;
}

const norm = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
};

/**
 * Solves grad L = 0 from `start` by Levenberg–Marquardt on the gradient
 * (a step is kept when it lowers |grad|). Returns the point when |grad| <
 * `tolerance`, null when it stalls (a minimum of |grad| that is not a critical
 * point) or runs out of iterations.
 */
export function solveCriticalPoint(
  problem: LossProblem, start: ArrayLike<number>,
  /** hessian: the solver's Jacobian by central differences of the gradient (default), or exact (R-operator columns, as the GPU kernel builds it) */
  /** mu: the first damping (1e-3 from a start far from any critical point; tiny when polishing a point already close) */
  options: { maxIterations?: number; tolerance?: number; hessian?: 'difference' | 'exact'; mu?: number } = {},
): { params: Float64Array; loss: number; gradientNorm: number; iterations: number } | null {
  const D = problem.layout.params;
  const { maxIterations = 60, tolerance = 1e-9, hessian = 'difference', mu: mu0 = 1e-3 } = options;
  const mask = weightMask(problem.layout);
  const x = Float64Array.from(start), g = new Float64Array(D), gt = new Float64Array(D), trial = new Float64Array(D);
  let loss = fullGradient(problem, x, g, mask);
  let gn = norm(g);
  let mu = mu0;
  for (let it = 0; it < maxIterations; it++) {
    if (gn < tolerance) return { params: x, loss, gradientNorm: gn, iterations: it };
    const H = hessian === 'exact' ? exactHessian(problem, x, 0) : differenceHessian(problem, x, mask);
    // A = H^2 + mu I (H symmetrised), b = -H g
    const Hs = symmetricPart(H, D);
    const H2 = new Float64Array(D * D);
    for (let i = 0; i < D; i++) for (let k = 0; k < D; k++) { const h = Hs[i * D + k]; if (h === 0) continue; for (let j = 0; j < D; j++) H2[i * D + j] += h * Hs[k * D + j]; }
    const b = new Float64Array(D);
    for (let i = 0; i < D; i++) { let s = 0; for (let j = 0; j < D; j++) s += Hs[i * D + j] * g[j]; b[i] = -s; }
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const A = Float64Array.from(H2);
      for (let d = 0; d < D; d++) A[d * D + d] += mu;
      const step = choleskySolve(A, b, D);
      if (step) {
        for (let d = 0; d < D; d++) trial[d] = x[d] + step[d];
        const lt = fullGradient(problem, trial, gt, mask);
        const gtn = norm(gt);
        if (Number.isFinite(gtn) && gtn < gn) {
          x.set(trial); g.set(gt); loss = lt; gn = gtn;
          mu = Math.max(mu / 3, 1e-15);
          improved = true;
          break;
        }
      }
      mu *= 4;
    }
    if (!improved) return null;
  }
  return gn < tolerance ? { params: x, loss, gradientNorm: gn, iterations: maxIterations } : null;
}

/** Spearman's rank correlation of two equally long samples (average ranks for ties). */
export function spearman(a: number[], b: number[]): number {
  const rank = (v: number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = rank(a), rb = rank(b);
  const n = a.length, ma = ra.reduce((s, x) => s + x, 0) / n, mb = rb.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (ra[i] - ma) * (rb[i] - mb); saa += (ra[i] - ma) ** 2; sbb += (rb[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

export interface CriticalSearch {
  points: CriticalPoint[];
  /** starts tried, and how many ended at a critical point (before removing duplicates) */
  starts: number;
  converged: number;
  /** Spearman's rank correlation of index and loss over the distinct points */
  rankCorrelation: number;
}

/** A start of the search: an initialisation seed's network after `steps` of full-batch gradient descent. */
export interface CriticalStart {
  params: Float64Array;
  seed: number;
  steps: number;
}

/**
 * The starts: for each initialisation seed (fan-in, network 0 of that seed), the
 * network at each checkpoint of full-batch gradient descent with step `lr`, so
 * the starts sit at many loss levels.
 */
export function criticalStarts(problem: LossProblem, layout: NetworkLayout, seeds: number[], checkpoints: number[], lr = 0.5): CriticalStart[] {
  const D = layout.params;
  const mask = weightMask(layout);
  const g = new Float64Array(D);
  const out: CriticalStart[] = [];
  for (const seed of seeds) {
    const x = initialNetworkParams(layout, problem.activation, { kind: 'fan-in' }, seed, 0);
    let done = 0;
    for (const steps of [...checkpoints].sort((p, q) => p - q)) {
      for (; done < steps; done++) {
        fullGradient(problem, x, g, mask);
        for (let d = 0; d < D; d++) x[d] -= lr * g[d];
      }
      out.push({ params: Float64Array.from(x), seed, steps });
    }
  }
  return out;
}

/** A critical point found from a start, before classification. */
export interface FoundPoint {
  params: Float64Array;
  loss: number;
  gradientNorm: number;
  start: { seed: number; steps: number };
}

/**
 * Distinct points with their Hessian's spectrum and index. A point closer than
 * `distinct` (parameter units) to one kept before, or at the same loss to
 * `sameLoss` relative (a copy under the network's symmetries: hidden units
 * permuted or sign-flipped), is dropped.
 */
export function classifyCriticalPoints(problem: LossProblem, found: FoundPoint[], options: { distinct?: number; sameLoss?: number; negativeTolerance?: number } = {}): CriticalPoint[] {
  const D = problem.layout.params;
  const { distinct = 1e-4, sameLoss = 1e-7, negativeTolerance = 1e-9 } = options;
  const points: CriticalPoint[] = [];
  for (const f of found) {
    if (points.some((p) => norm(p.params.map((v, d) => v - f.params[d])) < distinct || Math.abs(p.loss - f.loss) <= sameLoss * Math.abs(f.loss))) continue;
    const eigenvalues = symmetricEigenvalues(exactHessian(problem, f.params, 0), D);
    const scale = Math.max(...Array.from(eigenvalues, Math.abs));
    const negative = Array.from(eigenvalues).filter((e) => e < -negativeTolerance * scale).length;
    points.push({ ...f, eigenvalues, index: negative / D });
  }
  return points;
}

export interface CriticalSearch {
  points: CriticalPoint[];
  /** starts tried, and how many ended at a critical point (before removing duplicates) */
  starts: number;
  converged: number;
  /** Spearman's rank correlation of index and loss over the distinct points */
  rankCorrelation: number;
}

function summarise(points: CriticalPoint[], starts: number, converged: number): CriticalSearch {
  return { points, starts, converged, rankCorrelation: points.length > 2 ? spearman(points.map((p) => p.index), points.map((p) => p.loss)) : NaN };
}

/** Critical points from many starts (criticalStarts), each solved on the CPU in float64, then classified. */
export function findNetworkCriticalPoints(
  problem: LossProblem, layout: NetworkLayout, options: { seeds: number[]; checkpoints: number[]; lr?: number; distinct?: number; sameLoss?: number; negativeTolerance?: number },
): CriticalSearch {
  const starts = criticalStarts(problem, layout, options.seeds, options.checkpoints, options.lr);
  const found: FoundPoint[] = [];
  for (const s of starts) {
    const r = solveCriticalPoint(problem, s.params);
    if (r) found.push({ params: r.params, loss: r.loss, gradientNorm: r.gradientNorm, start: { seed: s.seed, steps: s.steps } });
  }
  return summarise(classifyCriticalPoints(problem, found, options), starts.length, found.length);
}

/** Largest |grad L| of a GPU point that is polished (float32 reaches ~1e-7; farther points are left as not found). */
export const POLISH_FROM_GRADIENT = 1e-4;
/**
 * Float64 LM iterations a GPU point gets to reach |grad L| < 1e-9: 1-2 from a float32 point near a
 * non-degenerate critical point (quadratic convergence), about 9 near a degenerate one (linear).
 */
export const POLISH_ITERATIONS = 16;

/**
 * The GPU search's float32 points finished in float64: each with |grad L| below
 * POLISH_FROM_GRADIENT gets at most POLISH_ITERATIONS Levenberg–Marquardt
 * iterations to |grad L| < 1e-9; `moved` is how far that took it (parameter
 * units), so a caller can see the GPU found the point rather than the polish.
 */
export function polishCriticalPoints(
  problem: LossProblem, starts: CriticalStart[], gpu: { points: ArrayLike<number>; gradientNorm: ArrayLike<number> },
  options: { distinct?: number; sameLoss?: number; negativeTolerance?: number } = {},
): CriticalSearch & { moved: number[] } {
  const D = problem.layout.params;
  const found: FoundPoint[] = [];
  const moved: number[] = [];
  starts.forEach((s, i) => {
    if (!(gpu.gradientNorm[i] < POLISH_FROM_GRADIENT)) return;
    const x = Float64Array.from({ length: D }, (_, d) => gpu.points[i * D + d]);
    // nearly undamped: from a float32 critical point the Gauss–Newton step on g is already the right one
    const r = solveCriticalPoint(problem, x, { maxIterations: POLISH_ITERATIONS, mu: 1e-12 });
    if (!r) return;
    moved.push(norm(r.params.map((v, d) => v - x[d])));
    found.push({ params: r.params, loss: r.loss, gradientNorm: r.gradientNorm, start: { seed: s.seed, steps: s.steps } });
  });
  return { ...summarise(classifyCriticalPoints(problem, found, options), starts.length, found.length), moved };
}
