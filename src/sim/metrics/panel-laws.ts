// The laws a panel's record can be held against, where theory gives a number
// (issue 16, item 5): measured beside predicted, for the page's law table and
// summary.json's `laws`. On the `quadratic` surface (f = x^T H x / 2) SGD with
// constant noise is a linear Gaussian recursion in (x, m): its stationary
// covariance solves the discrete Lyapunov equation exactly, the SDE limit the
// continuous one; the mean loss and the angular momentum follow from it.
// On any surface with listed minima and T > 0: basin shares against Gibbs.
import type { InitSpec, PanelSpec } from '../../model/scenario-schema';
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

/**
 * Basin shares against the Gibbs density's (where the panel has T > 0 and the
 * surface listed minima): the particles', and the PDE density's (`pdeBasins`)
 * where its noise is isotropic (its stationary state is then the discrete Gibbs density).
 */
export function basinLaws(rec: ParticleRecord, gibbsBasins: number[] | null | undefined, pdeBasins?: number[] | null): Law[] {
  if (!gibbsBasins) return [];
  const law = 'Gibbs share exp(−F_k/T)/Σ exp(−F_j/T)';
  return [
    ...gibbsBasins.map((p, k) => ({ name: `basin_${k}`, law, measured: rec.basinFractions[k] ?? null, predicted: p, unit: 'of particles' })),
    ...(pdeBasins ?? []).map((m, k) => ({ name: `pde_basin_${k}`, law, measured: m, predicted: gibbsBasins[k], unit: 'of the density' })),
  ];
}

/** KL(particles ‖ PDE) against its sampling floor (fokker-planck/kl-floor.ts), where the panel's density was read. */
export function samplingLaws(kl: { measured: number; floor: number } | null | undefined): Law[] {
  if (!kl || !Number.isFinite(kl.floor)) return [];
  return [{ name: 'kl_particles_pde', law: 'sampling floor E[KL(hist ‖ p)] = Σ φ(n p_c)/n if the particles were n draws from the PDE density', measured: Number.isFinite(kl.measured) ? kl.measured : null, predicted: kl.floor, unit: 'nats' }];
}

/** q = x² − y² of a point: the deep-linear valley's balance coordinate (0 where |x| = |y|, the flattest point). */
const balance = (x: number, y: number) => x * x - y * y;

/**
 * Plain SGD on the deep-linear surface (f = mean_i (x y u_i − t_i)², minima on
 * the hyperbola x y = p*). Both weights move by the same factor of the step,
 * x' = x − lr k y, y' = y − lr k x with k the batch's mean of 2 r_i u_i, so
 * the balance q = x² − y² obeys q' = q (1 − lr² k²) exactly: noise drifts the
 * cloud along the valley towards |x| = |y| (where tr H = 2<u²>(x² + y²) is
 * least), and gradient descent (k → 0 on the valley) keeps q. Near the valley
 * k = 2 ū² δ + ξ, δ = xy − p*, ū² the batch's mean of u², ξ the batch's noise
 * (variance s² = <(2 r u)²>/B at p*, sampling with replacement); δ' = (1 − 2 lr m ū²) δ − lr m ξ
 * with m = x² + y² = √(q² + 4p*²) has the stationary E[δ²] = lr m s² / (4 (<u²> − lr m E[ū⁴])),
 * so E[k²] = s² / (1 − lr m E[ū⁴]/<u²>), E[ū⁴] = <u²>² + Var(u²)/B, and
 * E[q_k] follows q_{j+1} = q_j (1 − lr² E[k²]) from the cloud's start. The
 * expansion needs the product's fluctuation far from its own instability:
 * no law where lr m E[ū⁴]/<u²> > 3/4 at the start (e.g. B = 1 at lr 0.05 on
 * the preset, where the cloud drifts ~3x faster than this would say; B = 4
 * there, at 0.6, matches float64 simulation within its sampling error).
 */
export function deepLinearLaws(surface: Surface, spec: PanelSpec, rec: ParticleRecord, init: InitSpec | undefined): Law[] {
  const fs = surface.finiteSum;
  if (surface.name !== 'deep-linear' || !fs || spec.optimizer.kind !== 'sgd' || spec.optimizer.momentum !== 0 || !init || init.kind === 'uniform') return [];
  const noise = spec.noise;
  if (noise.kind !== 'minibatch' && noise.kind !== 'none') return [];
  const lr = spec.optimizer.lr;
  const n = fs.sampleCount, B = noise.kind === 'minibatch' ? noise.batchSize : Infinity;
  // per sample, d(grad_y)/dy at x = 1 is 2 u_s²; the zero of the full gradient along x = 1 is p* = <u t>/<u²>
  let u2 = 0, u4 = 0, g0 = 0;
  for (let i = 0; i < n; i++) {
    const a = fs.sampleGradient(1, 0, i)[1], b = fs.sampleGradient(1, 1, i)[1];
    const us2 = (b - a) / 2;
    u2 += us2 / n; u4 += (us2 * us2) / n; g0 += a / n;
  }
  const pStar = -g0 / 2 / u2;
  // per-sample k_s = 2 r_s u_s at (1, p*): the sample gradient is (k_s p*, k_s)
  let k2 = 0;
  for (let i = 0; i < n; i++) k2 += fs.sampleGradient(1, pStar, i)[1] ** 2 / n;
  const s2 = k2 / B;
  const ubar4 = u2 * u2 + (u4 - u2 * u2) / B;
  const [mx, my] = init.kind === 'gaussian' ? init.mean : init.at;
  // E[x² − y²] at the start: the mean's, as an isotropic spread adds std² to both
  let q = balance(mx, my);
  const stiffness = (qq: number) => (lr * Math.sqrt(qq * qq + 4 * pStar * pStar) * ubar4) / u2;
  if (s2 > 0 && stiffness(q) > 0.75) return [];
  for (let j = 0; j < rec.step; j++) q *= 1 - (lr * lr * s2) / (1 - stiffness(q));
  const measured = rec.mean && rec.cov ? rec.cov[0] + rec.mean[0] ** 2 - rec.cov[2] - rec.mean[1] ** 2 : null;
  return [{ name: 'balance', law: 'E[x² − y²]: q\' = q (1 − lr² E[k²]), E[k²] = <(2ru)²>/B / (1 − lr (x² + y²) E[ū⁴]/<u²>)', measured, predicted: q, unit: 'length²' }];
}

/** What some laws need beside the record: a panel's context in the scenario and what was read for it. */
export interface LawContext {
  /** the Gibbs share of each listed minimum's basin */
  gibbsBasins?: number[] | null;
  /** KL(ρ_ss ‖ Gibbs) of the panel's relaxed stationary density (undefined without a PDE) */
  klSsGibbs?: number | null;
  /** KL(particles ‖ PDE) with its sampling floor from the panel's density */
  klParticlesPde?: { measured: number; floor: number } | null;
  /** how the clouds were placed (laws that follow the cloud from its start) */
  init?: InitSpec;
  /** the PDE density's mass per basin, where its stationary state is Gibbs (isotropic noise) */
  pdeBasins?: number[] | null;
}

/** Every law this panel's record can be held against. */
export function panelLaws(surface: Surface, spec: PanelSpec, rec: ParticleRecord, c: LawContext = {}): Law[] {
  const pde = c.klSsGibbs === undefined ? [] : quadraticPdeLaws(surface, spec, c.klSsGibbs);
  return [...quadraticLaws(surface, spec, rec), ...pde, ...samplingLaws(c.klParticlesPde), ...deepLinearLaws(surface, spec, rec, c.init), ...basinLaws(rec, c.gibbsBasins, c.pdeBasins)];
}
