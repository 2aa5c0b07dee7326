// Gradient noise against curvature at one network (issue 15, item 4), in
// float64 on the CPU: the covariance Sigma of one training sample's gradient
// (population, 1/N) and the Hessian H of the full loss (weight decay
// included), their top eigenpairs by subspace iteration with Rayleigh–Ritz
// (operators only: Sigma v from the stored per-sample gradients, H v by
// R-operator products, hvp.ts), the noise along each top curvature direction,
// u_k^T Sigma u_k, and how much the two top-k subspaces overlap. Near a
// minimum of a well-specified model Sigma ~ H (the Fisher information equals
// the Hessian), the "noise aligns with curvature" picture; the effective
// temperature of minibatch SGD is T_eff = lr tr(Sigma) / (2 B D).
import { lossGradient } from '../../model/network/mlp';
import { hessianVector, type LossProblem } from '../../model/network/hvp';
import { symmetricEigen } from '../../model/network/symmetric-eigen';
import { streamBits, uniformOpen } from '../../rng/philox';

/** Per-sample gradients of the cross-entropy at x: N x D (row s = sample s of the training split), and their mean. */
export function perSampleGradients(problem: LossProblem, x: ArrayLike<number>): { G: Float64Array; mean: Float64Array } {
  const D = problem.layout.params, N = problem.n;
  const G = new Float64Array(N * D), mean = new Float64Array(D), g = new Float64Array(D);
  for (let s = 0; s < N; s++) {
    lossGradient(problem.layout, problem.activation, x, 0, problem.inputs, problem.labels, [s], g);
    G.set(g, s * D);
    for (let d = 0; d < D; d++) mean[d] += g[d] / N;
  }
  return { G, mean };
}

/** out = Sigma v = (1/N) sum_s (g_s - mean)((g_s - mean) . v). */
export function covarianceApply(G: Float64Array, mean: Float64Array, v: ArrayLike<number>, out: Float64Array): void {
  const D = mean.length, N = G.length / D;
  out.fill(0);
  let mv = 0;
  for (let d = 0; d < D; d++) mv += mean[d] * v[d];
  for (let s = 0; s < N; s++) {
    let c = -mv;
    for (let d = 0; d < D; d++) c += G[s * D + d] * v[d];
    c /= N;
    for (let d = 0; d < D; d++) out[d] += c * (G[s * D + d] - mean[d]);
  }
}

/** tr Sigma = (1/N) sum_s |g_s - mean|^2. */
export function covarianceTrace(G: Float64Array, mean: Float64Array): number {
  const D = mean.length, N = G.length / D;
  let t = 0;
  for (let s = 0; s < N; s++) for (let d = 0; d < D; d++) t += (G[s * D + d] - mean[d]) ** 2;
  return t / N;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Orthonormalises the vectors in place (modified Gram–Schmidt, twice); a vector that vanishes is replaced by a fresh random one. */
function orthonormalise(V: Float64Array[], seed: number): void {
  for (let i = 0; i < V.length; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        const c = dot(V[i], V[j]);
        for (let d = 0; d < V[i].length; d++) V[i][d] -= c * V[j][d];
      }
    }
    const n = Math.sqrt(dot(V[i], V[i]));
    if (!(n > 1e-300)) {
      V[i] = randomVector(V[i].length, seed + 1000 + i);
      i--;
      continue;
    }
    for (let d = 0; d < V[i].length; d++) V[i][d] /= n;
  }
}

function randomVector(D: number, k: number): Float64Array {
  return Float64Array.from({ length: D }, (_, d) => uniformOpen(streamBits(0x4e4f4953, 0, k, d)[0]) - 0.5);
}

export interface TopEigen {
  /** the k eigenvalues of largest magnitude, sorted descending by value */
  values: Float64Array;
  vectors: Float64Array[];
  /** max over the pairs of |A u - lambda u| (the Ritz residual) */
  residual: number;
}

/**
 * The top k eigenpairs of a symmetric operator (D x D, applied as `apply`) by
 * subspace iteration on a block of k + 4 vectors with Rayleigh–Ritz, for
 * `iterations` rounds. Converges to the eigenvalues of largest magnitude; for
 * a positive semi-definite operator those are the largest.
 */
export function topEigen(apply: (v: Float64Array, out: Float64Array) => void, D: number, k: number, iterations = 80, seed = 1): TopEigen {
  const m = Math.min(D, k + 4);
  let V = Array.from({ length: m }, (_, i) => randomVector(D, seed * 64 + i));
  orthonormalise(V, seed);
  const AV = V.map(() => new Float64Array(D));
  let values = new Float64Array(m);
  for (let it = 0; it <= iterations; it++) {
    V.forEach((v, i) => apply(v, AV[i]));
    // Rayleigh–Ritz: the m x m projection, its eigenvectors rotate the block
    const T = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) T[i * m + j] = 0.5 * (dot(V[i], AV[j]) + dot(V[j], AV[i]));
    const e = symmetricEigen(T, m);
    // order by |value| (subspace iteration keeps the largest-magnitude part)
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => Math.abs(e.values[b]) - Math.abs(e.values[a]));
    values = Float64Array.from(order, (i) => e.values[i]);
    const rot = (src: Float64Array[]) => order.map((i) => {
      const out = new Float64Array(D);
      for (let j = 0; j < m; j++) { const c = e.vectors[i][j]; for (let d = 0; d < D; d++) out[d] += c * src[j][d]; }
      return out;
    });
    const ritz = rot(V), aritz = rot(AV);
    if (it === iterations) {
      let residual = 0;
      for (let i = 0; i < k; i++) {
        let r = 0;
        for (let d = 0; d < D; d++) r += (aritz[i][d] - values[i] * ritz[i][d]) ** 2;
        residual = Math.max(residual, Math.sqrt(r));
      }
      const top = Array.from({ length: k }, (_, i) => i).sort((a, b) => values[b] - values[a]);
      return { values: Float64Array.from(top, (i) => values[i]), vectors: top.map((i) => ritz[i]), residual };
    }
    V = aritz;
    orthonormalise(V, seed + it);
  }
  throw new Error('unreachable');
}

export interface NoiseCurvature {
  /** the Hessian's top k eigenvalues h_k (descending) and unit eigenvectors */
  curvatures: Float64Array;
  curvatureDirections: Float64Array[];
  /** Sigma's top k eigenvalues (descending) and unit eigenvectors */
  noiseEigenvalues: Float64Array;
  noiseDirections: Float64Array[];
  /** u_k^T Sigma u_k along each top Hessian direction */
  noiseAlongCurvature: Float64Array;
  /** |U_H^T U_Sigma|_F^2 / k: 1 when the two top-k subspaces coincide, ~k/D for unrelated ones */
  overlap: number;
  /** tr Sigma (per sample) and the effective temperature lr tr Sigma / (2 B D) */
  traceSigma: number;
  temperature: number;
  /** the subspace iterations' Ritz residuals (operator units) */
  residuals: { hessian: number; noise: number };
}

/** Noise against curvature at network x (D floats) for minibatch SGD with step lr and batch B. */
export function noiseCurvature(problem: LossProblem, x: ArrayLike<number>, lr: number, batch: number, k = 8, iterations = 80): NoiseCurvature {
  const D = problem.layout.params;
  const kk = Math.min(k, D);
  const { G, mean } = perSampleGradients(problem, x);
  const noise = topEigen((v, out) => covarianceApply(G, mean, v, out), D, kk, iterations, 2);
  const hess = topEigen((v, out) => hessianVector(problem, x, 0, v, out), D, kk, iterations, 3);
  const tmp = new Float64Array(D);
  const noiseAlongCurvature = Float64Array.from(hess.vectors, (u) => {
    covarianceApply(G, mean, u, tmp);
    return dot(u, tmp);
  });
  let overlap = 0;
  for (const u of hess.vectors) for (const w of noise.vectors) overlap += dot(u, w) ** 2;
  const traceSigma = covarianceTrace(G, mean);
  return {
    curvatures: hess.values, curvatureDirections: hess.vectors, noiseEigenvalues: noise.values, noiseDirections: noise.vectors, noiseAlongCurvature,
    overlap: overlap / kk, traceSigma, temperature: (lr * traceSigma) / (2 * batch * D),
    residuals: { hessian: hess.residual, noise: noise.residual },
  };
}
