// The laws a panel's record can be held against, where theory gives a number
// (issue 16, item 5): measured beside predicted, for the page's law table and
// summary.json's `laws`. On the `quadratic` surface (f = x^T H x / 2) SGD with
// constant noise is a linear Gaussian recursion in (x, m): its stationary
// covariance solves the discrete Lyapunov equation exactly, the SDE limit the
// continuous one; the mean loss and the angular momentum follow from it.
// On any surface with listed minima and T > 0: basin shares against Gibbs.
import type { PanelSpec } from '../../model/scenario-schema';
import type { Surface } from '../../model/surface-types';
import { panelTemperature } from '../../model/panel-quantities';
import type { ParticleRecord } from './record';
import { continuousLyapunov2, discreteLyapunov, matmul, type Matrix } from './linear-lyapunov';

export interface Law {
  /** what is compared, e.g. 'cov_xx' (the metrics.csv name where there is one) */
  name: string;
  /** the law the prediction comes from */
  law: string;
  measured: number | null;
  predicted: number;
  unit: string;
  /** standard error of `measured` where the estimator gives one (same unit) */
  se?: number;
}

/** Per-step covariance of the gradient noise n in g = grad f + n (constant noise only), or null. */
function gradientNoiseCovariance(spec: PanelSpec): Matrix | null {
  const o = spec.optimizer, n = spec.noise;
  if (o.kind !== 'sgd') return null;
  if (n.kind === 'langevin') {
    // g = grad + sqrt(2T/lr) L xi: covariance (2T/lr) M, M = L L^T (I without a matrix)
    const M = n.diffusion ?? [[1, 0], [0, 1]];
    const k = (2 * n.temperature) / o.lr;
    return M.map((row) => row.map((v) => k * v));
  }
  if (n.kind === 'gaussian') {
    const v = n.gradientStd ** 2 / n.batchSize;
    return [[v, 0], [0, v]];
  }
  return null;
}

/**
 * The linear recursion of SGD on f = x^T H x / 2 in z = (x, m):
 * heavy ball m' = b m + g, x' = x - lr m'; Nesterov x' = x - lr (g + b m').
 * Returns F, the noise's loading on z, and U with u = U z the expected step per unit PDE time.
 */
function linearSgd(H: Matrix, spec: Extract<PanelSpec['optimizer'], { kind: 'sgd' }>) {
  const lr = spec.lr, b = spec.momentum;
  const nest = spec.nesterov === true;
  // x' = (I - lr c H) x - lr e m - lr c n ; m' = H x + b m + n, with c = 1 + b (Nesterov) or 1, e = b^2 or b
  const c = nest ? 1 + b : 1, e = nest ? b * b : b;
  const F: Matrix = [
    [1 - lr * c * H[0][0], -lr * c * H[0][1], -lr * e, 0],
    [-lr * c * H[1][0], 1 - lr * c * H[1][1], 0, -lr * e],
    [H[0][0], H[0][1], b, 0],
    [H[1][0], H[1][1], 0, b],
  ];
  const load = [-lr * c, 1];
  // u = E[x' - x] / lr_eff = -(1 - b)(c H x + e m)
  const U: Matrix = [
    [-(1 - b) * c * H[0][0], -(1 - b) * c * H[0][1], -(1 - b) * e, 0],
    [-(1 - b) * c * H[1][0], -(1 - b) * c * H[1][1], 0, -(1 - b) * e],
  ];
  return { F, load, U };
}

/** Laws of SGD with constant noise on the quadratic surface: stationary covariance (discrete and continuous time), mean loss, angular momentum. */
export function quadraticLaws(surface: Surface, spec: PanelSpec, rec: ParticleRecord): Law[] {
  if (surface.name !== 'quadratic' || spec.optimizer.kind !== 'sgd') return [];
  const Sn = gradientNoiseCovariance(spec);
  if (!Sn) return [];
  const [hxx, hxy, hyy] = surface.hessian(0, 0);
  const H: Matrix = [[hxx, hxy], [hxy, hyy]];
  const { F, load, U } = linearSgd(H, spec.optimizer);
  // noise covariance on z: load_a load_b Sn in block (a, b)
  const Q: Matrix = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => load[i >> 1] * load[j >> 1] * Sn[i & 1][j & 1]));
  const S = discreteLyapunov(F, Q);
  if (!S) return [];
  const laws: Law[] = [];
  const cov = rec.cov;
  const names = [['cov_xx', 0, 0], ['cov_xy', 0, 1], ['cov_yy', 1, 1]] as const;
  for (const [name, i, j] of names) laws.push({ name, law: 'discrete-time Lyapunov S = F S Fᵀ + Q', measured: cov ? cov[names.findIndex((n) => n[0] === name)] : null, predicted: S[i][j], unit: 'length²' });
  const T = panelTemperature(spec);
  const noise = spec.noise;
  const M: Matrix = noise.kind === 'langevin' && noise.diffusion ? noise.diffusion : [[1, 0], [0, 1]];
  const Sc = T && T > 0 ? continuousLyapunov2(H, M.map((row) => row.map((v) => T * v))) : null;
  if (Sc) for (const [name, i, j] of names) laws.push({ name, law: 'continuous-time Lyapunov H S + S H = 2 T M', measured: cov ? cov[names.findIndex((n) => n[0] === name)] : null, predicted: Sc[i][j], unit: 'length²' });
  // E[f] - f_min = tr(H S_xx) / 2 (f_min = 0 at the origin)
  const hs = matmul(H, [[S[0][0], S[0][1]], [S[1][0], S[1][1]]]);
  laws.push({ name: 'mean_loss', law: 'tr(H S)/2, S discrete-time', measured: rec.meanLoss, predicted: (hs[0][0] + hs[1][1]) / 2, unit: 'loss units' });
  // <x × u> = sum_k U_1k S_0k - U_0k S_1k (mean 0 at stationarity)
  let ang = 0;
  for (let k = 0; k < 4; k++) ang += U[1][k] * S[0][k] - U[0][k] * S[1][k];
  laws.push({ name: 'angular_momentum', law: '⟨x × u⟩ from the discrete-time covariance', measured: rec.angularMomentum, predicted: ang, unit: 'length²/time' });
  return laws;
}

/** KL(N(0, A) ‖ N(0, B)) in nats, for 2 x 2 covariances. */
export function gaussianKl(a: Matrix, b: Matrix): number {
  const det = (m: Matrix) => m[0][0] * m[1][1] - m[0][1] * m[1][0];
  const db = det(b);
  const bi: Matrix = [[b[1][1] / db, -b[0][1] / db], [-b[1][0] / db, b[0][0] / db]];
  const p = matmul(bi, a);
  return 0.5 * (p[0][0] + p[1][1] - 2 + Math.log(db / det(a)));
}

/**
 * The Fokker–Planck grid's steady state on the quadratic surface with constant noise:
 * d rho/dt = div(rho H x) + div(T M grad rho) has the Gaussian N(0, S_c), H S_c + S_c H = 2 T M,
 * and Gibbs is N(0, T H^-1): KL(ρ_ss ‖ Gibbs) in closed form (0 for M = I).
 */
export function quadraticPdeLaws(surface: Surface, spec: PanelSpec, klSsGibbs: number | null): Law[] {
  if (surface.name !== 'quadratic' || spec.noise.kind !== 'langevin' || !spec.noise.diffusion) return [];
  const T = panelTemperature(spec);
  if (!T || T <= 0) return [];
  const [hxx, hxy, hyy] = surface.hessian(0, 0);
  const H: Matrix = [[hxx, hxy], [hxy, hyy]];
  const Sc = continuousLyapunov2(H, spec.noise.diffusion.map((row) => row.map((v) => T * v)));
  const dh = hxx * hyy - hxy * hxy;
  if (!Sc || dh <= 0) return [];
  const gibbs: Matrix = [[(T * hyy) / dh, (-T * hxy) / dh], [(-T * hxy) / dh, (T * hxx) / dh]];
  return [{ name: 'kl_ss_gibbs', law: 'KL(N(0, S_c) ‖ N(0, T H⁻¹)), H S_c + S_c H = 2 T M', measured: klSsGibbs, predicted: gaussianKl(Sc, gibbs), unit: 'nats' }];
}

/** Basin shares against the Gibbs density's (where the panel has T > 0 and the surface listed minima). */
export function basinLaws(rec: ParticleRecord, gibbsBasins: number[] | null | undefined): Law[] {
  if (!gibbsBasins) return [];
  return gibbsBasins.map((p, k) => ({ name: `basin_${k}`, law: 'Gibbs share exp(−F_k/T)/Σ exp(−F_j/T)', measured: rec.basinFractions[k] ?? null, predicted: p, unit: 'of particles' }));
}

/** Every law this panel's record can be held against. */
export function panelLaws(surface: Surface, spec: PanelSpec, rec: ParticleRecord, gibbsBasins?: number[] | null, klSsGibbs?: number | null): Law[] {
  const pde = klSsGibbs === undefined ? [] : quadraticPdeLaws(surface, spec, klSsGibbs);
  return [...quadraticLaws(surface, spec, rec), ...pde, ...basinLaws(rec, gibbsBasins)];
}
