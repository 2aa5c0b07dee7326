// SGD's stationary cloud in weight space near an isolated minimum (issue 15,
// item 5), in float64 on the CPU. Linearised at the minimum theta* of an
// L2-regularised training loss, one minibatch-SGD step moves the deviation
// delta = theta - theta* by
//   delta' = (I - lr H) delta - lr xi,   Cov(xi) = Sigma / B,
// H the Hessian of the full loss (weight decay included), Sigma the covariance
// of one sample's gradient over the training split (population, 1/N: minibatch
// samples are drawn with replacement), B the batch. Its stationary covariance
// solves the discrete Lyapunov equation
//   S = (I - lr H) S (I - lr H) + lr^2 Sigma / B,
// which in H's eigenbasis (H = U diag(h) U^T) is, entry by entry,
//   S~_ij = lr^2 Sigma~_ij / (B (1 - (1 - lr h_i)(1 - lr h_j))).
// The Gibbs density exp(-L/T) would have covariance T H^-1 near the minimum;
// the temperature that matches SGD's total noise power is
//   T_eff = lr tr(Sigma) / (2 B D)
// (isotropic Sigma = sigma^2 I gives S = T_eff H^-1 (I - lr H/2)^-1 exactly,
// -> T_eff H^-1 as lr -> 0). Where Sigma is not proportional to the identity
// the two differ direction by direction: the cloud is not Gibbs.
import { lossGradient } from '../../model/network/mlp';
import type { LossProblem } from '../../model/network/hvp';
import { symmetricEigen } from '../../model/network/symmetric-eigen';
import { choleskySolve, symmetricPart } from '../../model/network/dense-linear';
import { exactHessian } from './sharpness-reference';
import { weightMask } from './reference';
import { perSampleGradients } from './noise-curvature';

/** 0 .. n-1 as sample indices (the whole training split), made once per n: gradient descent asks thousands of times. */
const ranges = new Map<number, Uint32Array>();
const range = (n: number) => {
  let r = ranges.get(n);
  if (!r) ranges.set(n, (r = Uint32Array.from({ length: n }, (_, i) => i)));
  return r;
};

/** The full training loss (mean BCE + lambda/2 |W|^2) and its gradient at x. */
export function fullGradient(problem: LossProblem, x: ArrayLike<number>, grad: Float64Array, mask = weightMask(problem.layout)): number {
  let loss = lossGradient(problem.layout, problem.activation, x, 0, problem.inputs, problem.labels, range(problem.n), grad);
  for (let d = 0; d < grad.length; d++) {
    if (!mask[d]) continue;
    grad[d] += problem.weightDecay * x[d];
    loss += 0.5 * problem.weightDecay * x[d] * x[d];
  }
  return loss;
}

export interface MinimumResult {
  params: Float64Array;
  loss: number;
  /** |grad L| at the end (loss units per parameter unit) */
  gradientNorm: number;
  newtonSteps: number;
}

/**
 * The minimum of the full training loss nearest `start`: `descentSteps` of
 * full-batch gradient descent (step `lr`), then damped Newton steps with the
 * exact Hessian (Levenberg–Marquardt: H + mu I, mu shrunk when the loss falls)
 * until |grad| < `tolerance`. Throws when it does not get there (no isolated
 * minimum: weight decay 0, or too far).
 */
export function networkMinimum(problem: LossProblem, start: ArrayLike<number>, options: { descentSteps?: number; lr?: number; tolerance?: number; maxNewton?: number } = {}): MinimumResult {
  const D = problem.layout.params;
  const { descentSteps = 3000, lr = 0.5, tolerance = 1e-10, maxNewton = 100 } = options;
  const mask = weightMask(problem.layout);
  const x = Float64Array.from(start);
  const g = new Float64Array(D);
  for (let k = 0; k < descentSteps; k++) {
    fullGradient(problem, x, g, mask);
    for (let d = 0; d < D; d++) x[d] -= lr * g[d];
  }
  let loss = fullGradient(problem, x, g, mask);
  let mu = 1e-3;
  const trial = new Float64Array(D), gt = new Float64Array(D);
  for (let it = 0; it < maxNewton; it++) {
    const norm = Math.hypot(...g);
    if (norm < tolerance) return { params: x, loss, gradientNorm: norm, newtonSteps: it };
    const H = exactHessian(problem, x, 0);
    for (let tries = 0; tries < 40; tries++) {
      const A = Float64Array.from(H);
      for (let d = 0; d < D; d++) A[d * D + d] += mu;
      const step = choleskySolve(A, g, D);
      if (step) {
        for (let d = 0; d < D; d++) trial[d] = x[d] - step[d];
        const lt = fullGradient(problem, trial, gt, mask);
        if (lt <= loss + 1e-15 * Math.abs(loss)) {
          x.set(trial);
          g.set(gt);
          loss = lt;
          mu = Math.max(mu / 10, 1e-12);
          break;
        }
      }
      mu *= 10;
    }
  }
  const norm = Math.hypot(...g);
  if (norm < tolerance) return { params: x, loss, gradientNorm: norm, newtonSteps: maxNewton };
  throw new Error(`networkMinimum: |grad| is still ${norm.toExponential(2)} after ${maxNewton} Newton steps; the loss may have no isolated minimum here (weight decay > 0 makes one)`);
}

/**
 * Sigma: the covariance over the training split of one sample's gradient of the
 * cross-entropy at x (D x D row-major, population normalisation 1/N; the weight
 * decay is the same for every sample and adds nothing).
 */
export function sampleGradientCovariance(problem: LossProblem, x: ArrayLike<number>): Float64Array {
  const D = problem.layout.params, N = problem.n;
  const { G, mean } = perSampleGradients(problem, x);
  const out = new Float64Array(D * D);
  for (let s = 0; s < N; s++) {
    for (let i = 0; i < D; i++) {
      const gi = G[s * D + i] / N;
      for (let j = 0; j < D; j++) out[i * D + j] += gi * G[s * D + j];
    }
  }
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[i * D + j] -= mean[i] * mean[j];
  return out;
}

export interface StationaryPrediction {
  /** Hessian eigenvalues h_k, descending (loss units per weight^2) */
  curvatures: Float64Array;
  /** unit eigenvectors u_k of H (D floats each) */
  directions: Float64Array[];
  /** u_k^T Sigma u_k: the gradient noise along each direction (per sample) */
  noise: Float64Array;
  /** u_k^T S u_k: the stationary variance along each direction from the discrete Lyapunov equation (weight units^2) */
  lyapunov: Float64Array;
  /** T_eff / h_k: the Gibbs variance along each direction */
  gibbs: Float64Array;
  /** T_eff = lr tr(Sigma) / (2 B D) */
  temperature: number;
  /** the whole S in H's eigenbasis (D x D row-major) */
  covariance: Float64Array;
}

/**
 * The stationary covariance of minibatch SGD (step lr, batch B) linearised at a
 * minimum with Hessian H and per-sample gradient covariance Sigma (both D x D),
 * and the Gibbs covariance at the matched temperature, along H's eigenvectors.
 * Throws when lr h is outside (0, 2) for some curvature (no stationary state:
 * the linearised iteration is unstable or, for h <= 0, not at a minimum).
 */
export function stationaryPrediction(H: ArrayLike<number>, Sigma: ArrayLike<number>, D: number, lr: number, batch: number): StationaryPrediction {
  const Hs = symmetricPart(H, D);
  const { values: h, vectors: U } = symmetricEigen(Hs, D);
  for (const hk of h) {
    if (!(lr * hk > 0 && lr * hk < 2)) throw new Error(`stationaryPrediction: lr h = ${(lr * hk).toPrecision(3)} for a Hessian eigenvalue ${hk.toPrecision(3)}; a stationary cloud needs 0 < lr h < 2 for every one`);
  }
  let trace = 0;
  for (let i = 0; i < D; i++) trace += Sigma[i * D + i];
  const temperature = (lr * trace) / (2 * batch * D);
  // Sigma in H's eigenbasis, U^T Sigma U: Sigma u_j once per j (O(D^3) in all, not O(D^4))
  const SigmaU = U.map((u) => {
    const out = new Float64Array(D);
    for (let i = 0; i < D; i++) {
      let r = 0;
      for (let k = 0; k < D; k++) r += Sigma[i * D + k] * u[k];
      out[i] = r;
    }
    return out;
  });
  const dot = (x: Float64Array, y: Float64Array) => {
    let r = 0;
    for (let k = 0; k < D; k++) r += x[k] * y[k];
    return r;
  };
  const covariance = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      covariance[i * D + j] = (lr * lr * dot(U[i], SigmaU[j])) / (batch * (1 - (1 - lr * h[i]) * (1 - lr * h[j])));
    }
  }
  return {
    curvatures: h,
    directions: U,
    noise: Float64Array.from(U, (u, k) => dot(u, SigmaU[k])),
    lyapunov: Float64Array.from({ length: D }, (_, k) => covariance[k * D + k]),
    gibbs: Float64Array.from(h, (hk) => temperature / hk),
    temperature,
    covariance,
  };
}

/**
 * The cloud's variance along each direction: (1/(n-1)) sum_p (u . (x_p - mean))^2
 * over `count` networks of D parameters (x particle-major), and its standard
 * error from the projections' own fourth moment, sqrt((m4 - v^2)/n) (the
 * sampling error of a variance for any distribution with a fourth moment;
 * v sqrt(2/n) for a Gaussian).
 */
export function cloudVariances(params: ArrayLike<number>, count: number, D: number, directions: ArrayLike<number>[]): { variance: Float64Array; standardError: Float64Array } {
  const mean = new Float64Array(D);
  for (let p = 0; p < count; p++) for (let d = 0; d < D; d++) mean[d] += params[p * D + d] / count;
  const variance = new Float64Array(directions.length), standardError = new Float64Array(directions.length);
  directions.forEach((u, k) => {
    let s2 = 0, s4 = 0;
    for (let p = 0; p < count; p++) {
      let c = 0;
      for (let d = 0; d < D; d++) c += u[d] * (params[p * D + d] - mean[d]);
      s2 += c * c;
      s4 += c ** 4;
    }
    variance[k] = s2 / (count - 1);
    const m2 = s2 / count, m4 = s4 / count;
    standardError[k] = Math.sqrt(Math.max(0, m4 - m2 * m2) / count);
  });
  return { variance, standardError };
}
