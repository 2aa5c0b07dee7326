// How far the sharpness kernel's float32 results (shaders/network_hvp.wgsl) may
// lie from their float64 reference, derived from hessianVector's per-component
// rounding bound b(v) on |fl32(H v) - H v| (src/model/network/hvp.ts), u = 2^-24:
// - lambda = v.w / v.v with w = H v - shift v, for the GPU's own v: |v|.b + gamma_D (|v|.|w| + |lambda| v.v)
//   + 2u |shift| v.v (the shift's product and add), over v.v, + 2u |lambda| (division, shift added back);
// - the residual |w - lambda v|: |b| + |d lambda| |v| + gamma_D |w| + 2u |shift|;
// - a Hutchinson probe q_j = z.H z (|z_d| = 1): sum_d b_d(z) + gamma_D sum_d |(H z)_d|; the running mean
//   (Welford, M updates) adds at most 3 M u max_j |q_j|; the standard error, a norm of deviations
//   over sqrt(M (M - 1)), moves by at most 2 |dq|_2 / sqrt(M (M - 1)), plus 3 M u of itself and the
//   mean's share;
// - a whole power iteration run: its direction differs from float64's by the per-product relative
//   error eps = |b| / |H v| at most 2P times, each carried at most 1/cos(angle to the top eigenvector)
//   ~ sqrt(D) times for a random start (a perturbation's components shrink by |lambda_i / lambda_1|
//   per step relative to the top one), so dv <= 2 P eps sqrt(D), which moves a Rayleigh quotient
//   with residual r by at most 2 r dv + 2 |lambda| dv^2.
import { F32_UNIT_ROUNDOFF as U, hessianVector, type LossProblem } from '../../model/network/hvp';
import { dot, hutchinson, rademacherProbe, type SharpnessEstimate } from './sharpness-reference';

const gamma = (m: number) => (m * U) / (1 - m * U);
const absDot = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]); return s; };
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));

/** The float64 Rayleigh quotient and residual of a (GPU) vector v, and how far the kernel's float32 values of both may lie from them. */
export function rayleighBound(problem: LossProblem, params: ArrayLike<number>, offset: number, v: ArrayLike<number>, shift: number) {
  const D = problem.layout.params;
  const hv = new Float64Array(D), b = new Float64Array(D);
  hessianVector(problem, params, offset, v, hv, b);
  const w = hv.map((x, d) => x - shift * v[d]);
  const vv = dot(v, v);
  const mu = dot(v, w) / vv;
  const rho = mu + shift;
  const residual = Math.sqrt(w.reduce((a, x, d) => a + (x - mu * v[d]) ** 2, 0));
  const lambdaTol = (absDot(v, b) + gamma(D) * (absDot(v, w) + Math.abs(mu) * vv) + 2 * U * Math.abs(shift) * vv) / vv + 2 * U * Math.abs(rho);
  const residualTol = norm(b) + lambdaTol * Math.sqrt(vv) + gamma(D) * norm(w) + 2 * U * Math.abs(shift);
  return { rho, residual, lambdaTol, residualTol };
}

/** Hutchinson's float64 estimate with the kernel's probes, and how far the kernel's trace and standard error may lie from it. */
export function hutchinsonBound(problem: LossProblem, params: ArrayLike<number>, offset: number, seed: number, panel: number, p: number, probes: number) {
  const D = problem.layout.params;
  const probe = (j: number) => rademacherProbe(seed, panel, p, j, D);
  const ref = hutchinson((z, out) => hessianVector(problem, params, offset, z, out), D, probe, probes);
  const hz = new Float64Array(D), b = new Float64Array(D);
  let err2 = 0, meanErr = 0, qMax = 0;
  for (let j = 0; j < probes; j++) {
    hessianVector(problem, params, offset, probe(j), hz, b);
    const e = b.reduce((a, x) => a + x, 0) + gamma(D) * hz.reduce((a, x) => a + Math.abs(x), 0);
    err2 += e * e;
    meanErr += e / probes;
    qMax = Math.max(qMax, Math.abs(ref.values[j]));
  }
  const welford = 3 * probes * U * qMax;
  const traceTol = meanErr + welford;
  const seTol = (2 * Math.sqrt(err2)) / Math.sqrt(probes * (probes - 1)) + 3 * probes * U * ref.traceSE + welford / Math.sqrt(probes);
  return { trace: ref.trace, traceSE: ref.traceSE, traceTol, seTol };
}

/** How far a float32 power iteration with `iterations` steps per phase may end from the float64 `estimate` (see the file's head). */
export function powerPathBound(problem: LossProblem, params: ArrayLike<number>, offset: number, estimate: SharpnessEstimate, iterations: number): number {
  const D = problem.layout.params;
  const hv = new Float64Array(D), b = new Float64Array(D);
  hessianVector(problem, params, offset, estimate.vector, hv, b);
  const eps = norm(b) / norm(hv);
  const dv = 2 * iterations * eps * Math.sqrt(D);
  const lambda = Math.abs(estimate.lambdaMax);
  return 2 * estimate.residual * dv + 2 * Math.max(lambda, Math.abs(estimate.dominant)) * dv * dv + rayleighBound(problem, params, offset, estimate.vector, 0).lambdaTol;
}
