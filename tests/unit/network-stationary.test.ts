// The stationary-covariance predictions (src/sim/network/stationary-covariance.ts)
// against the equations they solve: the discrete Lyapunov equation's residual,
// its closed form for isotropic noise, the minimum's gradient, and the
// variance estimator's standard error for Gaussian samples.
import { describe, expect, it } from 'vitest';
import { createNetworkModel } from '../../src/model/network/model';
import { networkSpecSchema } from '../../src/model/network/spec';
import { symmetricEigenvalues } from '../../src/model/network/symmetric-eigen';
import { boxMuller, streamBits, uniformOpen } from '../../src/rng/philox';
import { exactHessian, lossProblem } from '../../src/sim/network/sharpness-reference';
import { initialNetworkParams } from '../../src/sim/network/reference';
import { cloudVariances, networkMinimum, sampleGradientCovariance, stationaryPrediction } from '../../src/sim/network/stationary-covariance';

/** A random symmetric positive definite n x n matrix M M^T / n + shift I (deterministic). */
function spd(n: number, seed: number, shift: number): Float64Array {
  const M = Float64Array.from({ length: n * n }, (_, k) => uniformOpen(streamBits(seed, 9, k, 0)[0]) - 0.5);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
    A[i * n + j] = s / n + (i === j ? shift : 0);
  }
  return A;
}

const matmul = (A: Float64Array, B: Float64Array, n: number) => {
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) C[i * n + j] += A[i * n + k] * B[k * n + j];
  return C;
};

describe('stationary covariance of minibatch SGD', () => {
  const n = 7, lr = 0.4, B = 8;
  const H = spd(n, 1, 0.05), Sigma = spd(n, 2, 0.01);

  it('solves S = (I − lr H) S (I − lr H) + lr² Σ/B (residual at rounding, 1e-12 of |S|)', () => {
    const p = stationaryPrediction(H, Sigma, n, lr, B);
    // S in the original basis: U S~ U^T
    const U = new Float64Array(n * n);
    p.directions.forEach((u, k) => u.forEach((x, i) => { U[i * n + k] = x; }));
    const Ut = Float64Array.from({ length: n * n }, (_, k) => U[(k % n) * n + Math.floor(k / n)]);
    const S = matmul(matmul(U, p.covariance, n), Ut, n);
    const A = Float64Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0) - lr * H[k]);
    const ASA = matmul(matmul(A, S, n), A, n);
    let err = 0, size = 0;
    for (let k = 0; k < n * n; k++) {
      err = Math.max(err, Math.abs(S[k] - ASA[k] - (lr * lr * Sigma[k]) / B));
      size = Math.max(size, Math.abs(S[k]));
    }
    expect(err).toBeLessThan(1e-12 * size);
    // the Hessian's eigenvalues, descending
    const ascending = symmetricEigenvalues(H, n);
    p.curvatures.forEach((h, k) => expect(Math.abs(h - ascending[n - 1 - k])).toBeLessThan(1e-12));
  });

  it('isotropic noise Σ = σ² I: S = T_eff H⁻¹ (I − lr H/2)⁻¹ along every direction, T_eff = lr σ²/(2B)', () => {
    const sigma2 = 0.3;
    const iso = Float64Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? sigma2 : 0));
    const p = stationaryPrediction(H, iso, n, lr, B);
    expect(p.temperature).toBeCloseTo((lr * sigma2) / (2 * B), 15);
    p.curvatures.forEach((h, k) => {
      expect(p.lyapunov[k] / (p.temperature / h / (1 - (lr * h) / 2))).toBeCloseTo(1, 12);
      expect(p.gibbs[k]).toBeCloseTo(p.temperature / h, 15);
    });
  });

  it('refuses a step size without a stationary state (lr h >= 2)', () => {
    expect(() => stationaryPrediction(H, Sigma, n, 100, B)).toThrow(/0 < lr h < 2/);
  });

  it('finds an isolated minimum of an L2-regularised network: |grad| < 1e-10, every Hessian eigenvalue > 0; Σ is symmetric positive semi-definite', () => {
    const model = createNetworkModel(networkSpecSchema.parse({ dataset: { kind: 'xor', samples: 128, noise: 0.1, labelNoise: 0.1, testFraction: 0 }, hidden: [3], activation: 'tanh', weightDecay: 0.01 }), 3);
    const problem = lossProblem(model);
    const m = networkMinimum(problem, initialNetworkParams(model.layout, 'tanh', { kind: 'fan-in' }, 3, 0));
    expect(m.gradientNorm).toBeLessThan(1e-10);
    const D = model.layout.params;
    expect(symmetricEigenvalues(exactHessian(problem, m.params, 0), D)[0]).toBeGreaterThan(0);
    const S = sampleGradientCovariance(problem, m.params);
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) expect(S[i * D + j]).toBeCloseTo(S[j * D + i], 14);
    expect(symmetricEigenvalues(S, D)[0]).toBeGreaterThan(-1e-12);
  });

  it('the variance estimator: Gaussian samples of variance 4 give ~4 ± 4·sqrt(2/n), and the standard error it reports is that', () => {
    const count = 20000, D = 2;
    const x = new Float64Array(count * D);
    for (let p = 0; p < count; p++) {
      const b = streamBits(11, 3, p, 0);
      const [z0, z1] = boxMuller(uniformOpen(b[0]), uniformOpen(b[1]));
      x[p * D] = 2 * z0;
      x[p * D + 1] = 0.5 * z1;
    }
    const r = cloudVariances(x, count, D, [[1, 0], [0, 1]]);
    const se = [4, 0.25].map((v) => v * Math.sqrt(2 / count));
    r.variance.forEach((v, k) => expect(Math.abs(v - [4, 0.25][k])).toBeLessThan(4 * se[k]));
    // the fourth-moment standard error is the Gaussian one up to its own sampling error: for Gaussian samples
    // sqrt((m4 - m2²)/n) has relative error ~ sqrt(6/n) = 1.7%; toBeCloseTo(1, 1) allows 5% (3 of those)
    r.standardError.forEach((s, k) => expect(s / se[k]).toBeCloseTo(1, 1));
  });
});
