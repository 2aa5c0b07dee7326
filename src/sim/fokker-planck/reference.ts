// CPU reference (float64) of the Fokker–Planck solver: the same finite-volume
// scheme as shaders/fokker_planck_step.wgsl (coefficients.ts explains it),
// the face currents of shaders/fokker_planck_current.wgsl and the metrics of
// shaders/fokker_planck_reduce*.wgsl. Tests check it against the PDE's laws
// and the GPU against it. Relaxation to the stationary density: relax.ts.
import { chooseDt, gibbsLog, prepare, type FloatArray, type FokkerPlanckCoefficients } from './coefficients';
import { initialDensity } from './init';
import { adiFactors, adiStep, type AdiFactors } from './adi';
import type { Domain, FokkerPlanckMetrics, FokkerPlanckOptions, InitSpec, Integrator } from './types';

export { initialDensity } from './init';
export { bernoulli, buildCoefficients, chooseDt, gibbs, gibbsLog, prepare, resolveDiffusion } from './coefficients';
export type { FokkerPlanckCoefficients } from './coefficients';

/**
 * Probabilities below this count as 0 in p log p (float32's smallest normal
 * is 1.18e-38; GPUs may flush smaller values to zero). Negative values, which
 * only the 'split' cross scheme can produce, also count as 0.
 */
export const P_TINY = 1e-37;

/**
 * KL(histogram || p) floors p at this value in cells that hold particles:
 * a cell with hist > 0 where the PDE has (almost) no mass adds
 * q log(q / P_FLOOR) (about q (log q + 27.6)) instead of +infinity. Cells with
 * hist = 0 add nothing (0 log 0 = 0). Note the statistic is biased upwards by
 * about (occupied cells - 1) / (2 N) for N particles, even when the particles
 * follow p exactly.
 */
export const P_FLOOR = 1e-12;

type P = ArrayLike<number>;

/** Clamp of the 'limited' scheme: -(B + s_E) p_E <= phi <= (A + s_P) p_P. */
function limit(phi: number, aP: number, sP: number, pP: number, bE: number, sE: number, pE: number): number {
  return Math.min(Math.max(phi, -(bE + sE) * pE), (aP + sP) * pP);
}

/** Flux (probability per unit time) through the east face of cell (i, j), i < n-1, from (i, j) to (i+1, j). */
export function fluxX(co: FokkerPlanckCoefficients, p: P, i: number, j: number): number {
  const n = co.geometry.n;
  const c = j * n + i;
  const A = co.axis;
  let phi = A[4 * c] * p[c] - A[4 * c + 1] * p[c + 1];
  if (co.cross) {
    const r = co.cross;
    const jm = Math.max(j - 1, 0), jp = Math.min(j + 1, n - 1);
    const up = jp * n + i, dn = jm * n + i;
    phi -= (r[2 * up] * p[up] + r[2 * up + 2] * p[up + 1] - r[2 * dn] * p[dn] - r[2 * dn + 2] * p[dn + 1]) / (2 * (jp - jm));
    if (co.limited) phi = limit(phi, A[4 * c], r[2 * c + 1], p[c], A[4 * c + 1], r[2 * c + 3], p[c + 1]);
  }
  return phi;
}

/** Flux through the north face of cell (i, j), j < n-1, from (i, j) to (i, j+1). */
export function fluxY(co: FokkerPlanckCoefficients, p: P, i: number, j: number): number {
  const n = co.geometry.n;
  const c = j * n + i;
  const A = co.axis;
  let phi = A[4 * c + 2] * p[c] - A[4 * c + 3] * p[c + n];
  if (co.cross) {
    const r = co.cross;
    const im = Math.max(i - 1, 0), ip = Math.min(i + 1, n - 1);
    const rt = j * n + ip, lf = j * n + im;
    phi -= (r[2 * rt] * p[rt] + r[2 * (rt + n)] * p[rt + n] - r[2 * lf] * p[lf] - r[2 * (lf + n)] * p[lf + n]) / (2 * (ip - im));
    if (co.limited) phi = limit(phi, A[4 * c + 2], r[2 * c + 1], p[c], A[4 * c + 3], r[2 * (c + n) + 1], p[c + n]);
  }
  return phi;
}

/** Diagonal exchange (i, j) -> (i+1, j+1); 0 where that neighbour does not exist. */
export function psiPlus(co: FokkerPlanckCoefficients, p: P, i: number, j: number): number {
  const n = co.geometry.n;
  const g = co.diag;
  if (!g || i < 0 || j < 0 || i + 1 >= n || j + 1 >= n) return 0;
  const c = j * n + i, q = c + n + 1;
  return g[2 * c] * p[c] - g[2 * q] * p[q];
}

/** Diagonal exchange (i, j) -> (i+1, j-1); 0 where that neighbour does not exist. */
export function psiMinus(co: FokkerPlanckCoefficients, p: P, i: number, j: number): number {
  const n = co.geometry.n;
  const g = co.diag;
  if (!g || i < 0 || j < 1 || i + 1 >= n || j >= n) return 0;
  const c = j * n + i, q = c - n + 1;
  return g[2 * c + 1] * p[c] - g[2 * q + 1] * p[q];
}

/** dp/dt of every cell (probability per unit time); each face flux is computed once. */
export function rates(co: FokkerPlanckCoefficients, p: P, dp: FloatArray = new Float64Array(p.length)): FloatArray {
  const n = co.geometry.n;
  const A = co.axis;
  dp.fill(0);
  if (!co.cross) {
    // axis faces inline (the common, fast case)
    for (let j = 0; j < n; j++) {
      const row = j * n;
      for (let i = 0; i < n; i++) {
        const c = row + i;
        const pc = p[c];
        if (i + 1 < n) {
          const phi = A[4 * c] * pc - A[4 * c + 1] * p[c + 1];
          dp[c] -= phi;
          dp[c + 1] += phi;
        }
        if (j + 1 < n) {
          const phi = A[4 * c + 2] * pc - A[4 * c + 3] * p[c + n];
          dp[c] -= phi;
          dp[c + n] += phi;
        }
      }
    }
  } else {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const c = j * n + i;
        if (i + 1 < n) { const phi = fluxX(co, p, i, j); dp[c] -= phi; dp[c + 1] += phi; }
        if (j + 1 < n) { const phi = fluxY(co, p, i, j); dp[c] -= phi; dp[c + n] += phi; }
      }
    }
  }
  if (co.diag) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i + 1 < n; i++) {
        const c = j * n + i;
        if (j + 1 < n) { const psi = psiPlus(co, p, i, j); dp[c] -= psi; dp[c + n + 1] += psi; }
        if (j > 0) { const psi = psiMinus(co, p, i, j); dp[c] -= psi; dp[c - n + 1] += psi; }
      }
    }
  }
  return dp;
}

/** One explicit Euler substep p <- p + dt dp/dt (float64), written to `out` (may not alias p). */
export function stepReference(co: FokkerPlanckCoefficients, p: P, dt: number, out: Float64Array = new Float64Array(p.length)): Float64Array {
  rates(co, p, out);
  for (let c = 0; c < out.length; c++) out[c] = p[c] + dt * out[c];
  return out;
}

/**
 * Face currents J (probability per unit time per unit length): per cell
 * [J_x on its east face, J_y on its north face], 0 on walls. A diagonal
 * exchange P -> Q is routed half through each of the two cells next to both,
 * so div J = -dp/dt holds exactly on the faces.
 */
export function faceCurrents(co: FokkerPlanckCoefficients, p: P, out: Float64Array = new Float64Array(2 * p.length)): Float64Array {
  const { n, hx, hy } = co.geometry;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const c = j * n + i;
      let ex = 0, ny = 0;
      if (i + 1 < n) {
        ex = fluxX(co, p, i, j);
        if (co.diag) ex += 0.5 * (psiPlus(co, p, i, j) + psiPlus(co, p, i, j - 1) + psiMinus(co, p, i, j) + psiMinus(co, p, i, j + 1));
      }
      if (j + 1 < n) {
        ny = fluxY(co, p, i, j);
        if (co.diag) ny += 0.5 * (psiPlus(co, p, i, j) + psiPlus(co, p, i - 1, j) - psiMinus(co, p, i, j + 1) - psiMinus(co, p, i - 1, j + 1));
      }
      out[2 * c] = ex / hy;
      out[2 * c + 1] = ny / hx;
    }
  }
  return out;
}

/**
 * Metrics of a density p (see FokkerPlanckMetrics):
 *  mass = sum p;  meanLoss = sum p f;  entropy H = -sum p log(p / (hx hy));
 *  freeEnergy = meanLoss - T H;  klStationary = sum p (log p - logS)
 *  (logS the log stationary probabilities, default the discrete Gibbs);
 *  klHistogram = sum_{h>0} q log(q / max(p, P_FLOOR)), q = h / sum h;
 *  circulation = sum over interior vertices |dJy/dx - dJx/dy| hx hy: zero at a
 *  discrete equilibrium (J = 0 on every face) and nonzero for any stationary
 *  non-equilibrium state (a nonzero divergence-free face field with no flux
 *  through the walls is the curl of a stream function, so it has curl);
 *  during a transient toward equilibrium it is generally nonzero too;
 *  currentL1 = sum over faces |J| hx hy;
 *  basinMasses[b] = sum of p over the cells whose basin index is b < count.
 */
export function metrics(
  co: FokkerPlanckCoefficients,
  f: P,
  p: P,
  logStationary: P,
  histogram?: ArrayLike<number>,
  basins?: { map: ArrayLike<number>; count: number },
): FokkerPlanckMetrics {
  const { n, hx, hy } = co.geometry;
  const area = hx * hy;
  let mass = 0, meanLoss = 0, negEnt = 0, kl = 0, hs = 0, hn = 0;
  for (let c = 0; c < n * n; c++) {
    const pc = p[c];
    mass += pc;
    meanLoss += pc * f[c];
    if (pc > P_TINY) {
      const lp = Math.log(pc);
      negEnt += pc * (lp - Math.log(area));
      kl += pc * (lp - logStationary[c]);
    }
    if (histogram && histogram[c] > 0) {
      const h = histogram[c];
      hn += h;
      hs += h * (Math.log(h) - Math.log(Math.max(pc, P_FLOOR)));
    }
  }
  const J = faceCurrents(co, p);
  let circulation = 0, currentL1 = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const c = j * n + i;
      currentL1 += (Math.abs(J[2 * c]) + Math.abs(J[2 * c + 1])) * area;
      if (i + 1 < n && j + 1 < n) {
        const curl = (J[2 * (c + 1) + 1] - J[2 * c + 1]) / hx - (J[2 * (c + n)] - J[2 * c]) / hy;
        circulation += Math.abs(curl) * area;
      }
    }
  }
  const T = co.temperature;
  const basinMasses = new Array<number>(basins?.count ?? 0).fill(0);
  if (basins) for (let c = 0; c < n * n; c++) if (basins.map[c] < basins.count) basinMasses[basins.map[c]] += p[c];
  return {
    basinMasses,
    mass,
    meanLoss,
    entropy: -negEnt,
    freeEnergy: meanLoss + T * negEnt,
    klStationary: kl,
    klHistogram: hn > 0 ? hs / hn - Math.log(hn) : NaN,
    histogramCount: hn,
    circulation,
    currentL1,
  };
}

/** The reference's options: the same as the GPU grid's, without its GPU extras (types.ts). */
export type ReferenceOptions = FokkerPlanckOptions;

/** Default ADI step, in Euler stability limits (accuracy, not stability, bounds it: first order in time). */
export const DEFAULT_ADI_LIMITS = 25;

/**
 * The largest allowed step of an integrator: the Euler positivity limit, or
 * Infinity for ADI (refused where ADI does not apply).
 */
export function integratorLimit(co: FokkerPlanckCoefficients, integrator: Integrator, where = 'FokkerPlanckGrid'): number {
  if (integrator === 'euler') return co.dtLimit;
  if (integrator !== 'adi') throw new Error(`${where}: integrator '${integrator}' is unknown; use 'euler' or 'adi'`);
  if (co.cross || co.diag) {
    throw new Error(`${where}: integrator 'adi' needs a diagonal diffusion tensor (no Dxy); use 'euler' for correlated noise`);
  }
  return Infinity;
}

/** The step an integrator uses when none is asked for. */
export function defaultStep(co: FokkerPlanckCoefficients, integrator: Integrator): number {
  return integrator === 'adi' ? DEFAULT_ADI_LIMITS * co.dtLimit : chooseDt(co.dtLimit);
}

/** The CPU twin of FokkerPlanckGrid (float64): same options, same steps, same metrics. */
export class FokkerPlanckReference {
  readonly coefficients: FokkerPlanckCoefficients;
  readonly f: Float64Array;
  /** log of the stationary probabilities used by klStationary (default: discrete Gibbs at the temperature) */
  logStationary: Float64Array;
  readonly dt: number;
  /** largest allowed `dt` for the integrator (Infinity for ADI) */
  readonly stepLimit: number;
  readonly integrator: Integrator;
  p: Float64Array;
  /** PDE time advanced so far */
  time = 0;
  private scratch: Float64Array;
  private factors?: AdiFactors;

  constructor(opts: ReferenceOptions) {
    const { f, coefficients } = prepare(opts.grid, opts.domain, opts.potential, opts.diffusion, opts.offDiagonal ?? 'limited', 'f64');
    this.f = f;
    this.coefficients = coefficients;
    this.integrator = opts.integrator ?? 'euler';
    this.stepLimit = integratorLimit(coefficients, this.integrator);
    this.dt = opts.dt === undefined ? defaultStep(coefficients, this.integrator) : chooseDt(this.stepLimit, opts.dt);
    this.logStationary = gibbsLog(f, coefficients.temperature);
    this.p = isInitSpec(opts.initial) ? initialDensity(opts.initial, opts.domain, opts.grid) : Float64Array.from(opts.initial);
    if (this.p.length !== opts.grid * opts.grid) throw new Error(`FokkerPlanckReference: initial density has ${this.p.length} values; the grid needs ${opts.grid ** 2}`);
    this.scratch = new Float64Array(this.p.length);
  }

  /** `substeps` steps of `dt` (Euler substeps or ADI steps; default this.dt, which must not exceed the limit). */
  step(substeps: number, dt = this.dt): void {
    if (dt !== this.dt) chooseDt(this.stepLimit, dt);
    for (let s = 0; s < substeps; s++) {
      if (this.integrator === 'adi') {
        if (this.factors?.tau !== dt) this.factors = adiFactors(this.coefficients, dt);
        this.p = adiStep(this.coefficients, this.p, this.factors);
      } else {
        stepReference(this.coefficients, this.p, dt, this.scratch);
        [this.p, this.scratch] = [this.scratch, this.p];
      }
      this.time += dt;
    }
  }

  /** Advances the PDE time by t in ceil(t / dt) equal substeps; returns their count. */
  advance(t: number): number {
    const k = Math.ceil(t / this.dt - 1e-9);
    if (k > 0) this.step(k, t / k);
    return k;
  }

  metrics(histogram?: ArrayLike<number>): FokkerPlanckMetrics {
    return metrics(this.coefficients, this.f, this.p, this.logStationary, histogram);
  }

  currents(): Float64Array {
    return faceCurrents(this.coefficients, this.p);
  }
}

export function isInitSpec(x: unknown): x is InitSpec {
  return typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && typeof (x as InitSpec).kind === 'string';
}

/** Mean and covariance of a density on the grid (cell centres). */
export function moments(p: P, n: number, domain: Domain): { mean: [number, number]; cov: [number, number, number] } {
  const hx = (domain.x[1] - domain.x[0]) / n, hy = (domain.y[1] - domain.y[0]) / n;
  let m = 0, mx = 0, my = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    const w = p[j * n + i];
    m += w; mx += w * (domain.x[0] + (i + 0.5) * hx); my += w * (domain.y[0] + (j + 0.5) * hy);
  }
  mx /= m; my /= m;
  let sxx = 0, sxy = 0, syy = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    const w = p[j * n + i];
    const dx = domain.x[0] + (i + 0.5) * hx - mx, dy = domain.y[0] + (j + 0.5) * hy - my;
    sxx += w * dx * dx; sxy += w * dx * dy; syy += w * dy * dy;
  }
  return { mean: [mx, my], cov: [sxx / m, sxy / m, syy / m] };
}
