// The sharpness references in float64: the R-operator's Hessian-vector products
// (src/model/network/hvp.ts) against central differences of the gradient, the
// Jacobi eigen-solver, and the science check of issue 15: for networks of
// <= 100 parameters the power iteration's top eigenvalue against the exact
// Hessian's (built column by column and solved by Jacobi), a negative dominant
// eigenvalue handled by the shift, Hutchinson's trace against the exact trace.
import { describe, expect, it } from 'vitest';
import { hessianVector, type LossProblem } from '../../src/model/network/hvp';
import { lossGradient } from '../../src/model/network/mlp';
import { createNetworkModel } from '../../src/model/network/model';
import { networkSpecSchema, type Activation } from '../../src/model/network/spec';
import { symmetricEigenvalues } from '../../src/model/network/symmetric-eigen';
import { exactHessian, hutchinson, lossProblem, powerIteration, rademacherProbe, sharpnessReference } from '../../src/sim/network/sharpness-reference';
import { initialNetworkParams, initialNetworkState, stepNetwork } from '../../src/sim/network/reference';
import { normals4 } from '../../src/rng/philox';

function model(hidden: number[], activation: Activation = 'tanh', weightDecay = 0.01, samples = 96) {
  const spec = networkSpecSchema.parse({ dataset: { kind: 'two-moons', samples, noise: 0.15, labelNoise: 0.1, testFraction: 0.25 }, hidden, activation, weightDecay });
  return createNetworkModel(spec, 5);
}

/** Gradient of the full loss (mean BCE + lambda/2 |W|^2) at w. */
function fullGradient(problem: LossProblem, w: Float64Array): Float64Array {
  const g = new Float64Array(w.length);
  const all = Uint32Array.from({ length: problem.n }, (_, i) => i);
  lossGradient(problem.layout, problem.activation, w, 0, problem.inputs, problem.labels, all, g);
  for (const { fanIn, fanOut, weightOffset } of problem.layout.layers) {
    for (let d = weightOffset; d < weightOffset + fanIn * fanOut; d++) g[d] += problem.weightDecay * w[d];
  }
  return g;
}

function centralDifference(problem: LossProblem, w: Float64Array, v: Float64Array, eps: number): Float64Array {
  const plus = fullGradient(problem, w.map((x, d) => x + eps * v[d]));
  const minus = fullGradient(problem, w.map((x, d) => x - eps * v[d]));
  return plus.map((g, d) => (g - minus[d]) / (2 * eps));
}

const gaussian = (n: number, seed: number) => Float64Array.from({ length: n }, (_, d) => normals4(seed, 77, d, 0)[0]);

/** A few hundred full-batch steps from the fan-in start: a network near a minimum (weight decay makes it isolated). */
function trained(m: ReturnType<typeof model>, count: number, steps: number): Float64Array {
  const state = initialNetworkState(m, { kind: 'fan-in' }, 9, count);
  const cfg = { optimizer: 0, lr: 0.5, momentum: 0.9, beta1: 0, beta2: 0, eps: 0, estimator: 'full', batch: 1, noiseScale: 0, weightDecay: m.spec.weightDecay } as const;
  for (let p = 0; p < count; p++) stepNetwork(state, m, cfg, 9, 0, p, 0, steps);
  return state.params;
}

describe('Hessian-vector products (R-operator, float64)', () => {
  it.each([['tanh', [5]], ['tanh', [4, 3]], ['tanh', [3, 4, 3]], ['relu', [6, 4]]] as [Activation, number[]][])('%s %j: equal central differences of the gradient', (activation, hidden) => {
    const m = model(hidden, activation);
    const problem = lossProblem(m);
    const D = m.layout.params;
    const w = Float64Array.from(initialNetworkParams(m.layout, activation, { kind: 'fan-in' }, 3, 1), (x, d) => x + 0.2 * gaussian(D, 4)[d]);
    const v = gaussian(D, 8);
    const hv = new Float64Array(D);
    hessianVector(problem, w, 0, v, hv);
    // Central differences err by eps^2/6 |g'''(v,v,v)| (truncation) + ~u |g| / eps (rounding);
    // the truncation part is estimated from two steps (Richardson: D(eps) - D(eps/2) = 3/4 of D(eps)'s),
    // rounding with eps = 1e-4 is ~1e-12. relu's kinks: no pre-activation of these samples lies within
    // eps |v| of 0 for the seeds used (a kink inside the step would show as a large Richardson term).
    const eps = 1e-4;
    const fd = centralDifference(problem, w, v, eps), fd2 = centralDifference(problem, w, v, eps / 2);
    const scale = Math.max(...hv.map(Math.abs));
    for (let d = 0; d < D; d++) {
      const truncation = (4 / 3) * Math.abs(fd[d] - fd2[d]);
      expect(Math.abs(hv[d] - fd2[d]), `component ${d}`).toBeLessThanOrEqual(2 * truncation + 1e-9 * scale);
    }
  });

  it('builds a symmetric Hessian whose columns are H e_d (symmetry is not imposed: it checks the product)', () => {
    const m = model([5, 4]);
    const problem = lossProblem(m);
    const D = m.layout.params;
    const w = trained(m, 1, 50);
    const H = exactHessian(problem, w, 0);
    let worst = 0, big = 0;
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        worst = Math.max(worst, Math.abs(H[i * D + j] - H[j * D + i]));
        big = Math.max(big, Math.abs(H[i * D + j]));
      }
    }
    // float64 rounding of sums over n = 72 samples of a few hundred terms each: well below 1e-12 relative
    expect(worst).toBeLessThanOrEqual(1e-12 * big);
  });
});

describe('symmetric eigenvalues (Jacobi)', () => {
  it('recovers the spectrum of Q diag(lambda) Q^T for a random orthogonal Q', () => {
    const n = 12;
    const lambda = Float64Array.from({ length: n }, (_, i) => (i - 5) * 0.7 + (i === 3 ? 0.01 : 0));
    // Q from Gram-Schmidt of Gaussian columns
    const q: Float64Array[] = [];
    for (let c = 0; c < n; c++) {
      const col = gaussian(n, 100 + c);
      for (const b of q) { const s = col.reduce((a, x, i) => a + x * b[i], 0); for (let i = 0; i < n; i++) col[i] -= s * b[i]; }
      const norm = Math.hypot(...col);
      q.push(col.map((x) => x / norm));
    }
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q[k][i] * lambda[k] * q[k][j];
    const got = symmetricEigenvalues(a, n);
    const want = Float64Array.from(lambda).sort();
    // backward stable: errors of a few ulp of |A| = 3.5 per eigenvalue; 1e-12 is that with room
    for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-12);
  });
});

describe('sharpness of networks with <= 100 parameters against the exact Hessian', () => {
  const m = model([6, 4]); // D = 51
  const problem = lossProblem(m);
  const D = m.layout.params;
  const count = 6;
  // three networks at twice their fan-in start (far from a minimum: networks 7 and 11 of this seed have a
  // negative dominant eigenvalue, -2.6 against lambda_max 2.4 and -2.0 against 0.9), three after 300 full-batch steps
  const init = initialNetworkState(m, { kind: 'fan-in' }, 9, 12).params;
  const done = trained(m, 3, 300);
  const nets: Float64Array[] = [0, 7, 11].map((p) => init.slice(p * D, (p + 1) * D).map((x) => 2 * x));
  for (const p of [0, 1, 2]) nets.push(done.subarray(p * D, (p + 1) * D));
  const exact = nets.map((w) => {
    const H = exactHessian(problem, w, 0);
    let trace = 0, offDiagonal2 = 0;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) (i === j ? (trace += H[i * D + i]) : (offDiagonal2 += H[i * D + j] ** 2));
    return { eig: symmetricEigenvalues(H, D), trace, offDiagonal2 };
  });

  it('power iteration (lab defaults) reaches the largest algebraic eigenvalue within its Kato-Temple bound', () => {
    const gaps: string[] = [];
    for (let p = 0; p < count; p++) {
      const est = sharpnessReference(problem, nets[p], 0, 21, 0, p, { iterations: 20, probes: 0 });
      const eig = exact[p].eig;
      const l1 = eig[D - 1], l2 = eig[D - 2];
      // float64 rounding of the products and of Jacobi: 1e-12 of the spectral norm
      const rounding = 1e-12 * Math.max(Math.abs(eig[0]), Math.abs(l1));
      // A Rayleigh quotient never exceeds lambda_1 ...
      expect(est.lambdaMax, `network ${p}`).toBeLessThanOrEqual(l1 + rounding);
      // ... and Kato-Temple: lambda_1 - rho <= r^2 / (rho - lambda_2) once rho > lambda_2
      expect(est.lambdaMax, `network ${p}`).toBeGreaterThan(l2);
      expect(l1 - est.lambdaMax, `network ${p}`).toBeLessThanOrEqual(est.residual ** 2 / (est.lambdaMax - l2) + rounding);
      gaps.push(`${p}: lambda ${l1.toPrecision(4)} (dominant ${est.dominant.toPrecision(3)}, min ${eig[0].toPrecision(3)}), rel. error ${((l1 - est.lambdaMax) / l1).toExponential(1)}, lambda2/lambda1 ${(l2 / l1).toFixed(2)}`);
    }
    console.log(`power iteration, 20 steps, D = ${D}:\n  ${gaps.join('\n  ')}`);
  });

  it('converges to the exact lambda_max to 1e-9 relative given enough iterations, a shifted phase included', () => {
    let shifted = 0;
    for (let p = 0; p < count; p++) {
      const est = sharpnessReference(problem, nets[p], 0, 21, 0, p, { iterations: 400, probes: 0 });
      const { eig } = exact[p];
      const l1 = eig[D - 1];
      expect(Math.abs(est.lambdaMax - l1) / Math.abs(l1), `network ${p}`).toBeLessThanOrEqual(1e-9);
      if (est.dominant < 0) {
        shifted++;
        expect(Math.abs(est.dominant - eig[0]) / Math.abs(eig[0]), `network ${p}: lambda_min`).toBeLessThanOrEqual(1e-9);
      }
    }
    expect(shifted).toBe(2);
  });

  it('a negative dominant eigenvalue: the shifted phase finds the largest algebraic one', () => {
    // H = Q diag(-5, -1, 0.5, 2) Q^T in 4-D (Q: a rotation): lambda_1 = -5 dominates, lambda_max = 2
    const c = Math.cos(0.3), s = Math.sin(0.3);
    const Q = [[c, -s, 0, 0], [s, c, 0, 0], [0, 0, c, s], [0, 0, -s, c]];
    const lam = [-5, -1, 0.5, 2];
    const apply = (v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < 4; i++) { let a = 0; for (let k = 0; k < 4; k++) for (let j = 0; j < 4; j++) a += Q[i][k] * lam[k] * Q[j][k] * v[j]; out[i] = a; }
    };
    const r = powerIteration(apply, 4, (phase) => Float64Array.from([1, phase ? -1 : 1, 1, -1], (x) => x / 2), 200);
    expect(r.dominant).toBeCloseTo(-5, 9);
    expect(r.lambda).toBeCloseTo(2, 9);
  });

  it("Hutchinson's trace is within 4 of its standard errors of the exact trace, the error itself as predicted", () => {
    const M = 64;
    const lines: string[] = [];
    for (let p = 0; p < count; p++) {
      const h = hutchinson((v, out) => hessianVector(problem, nets[p], 0, v, out), D, (j) => rademacherProbe(21, 0, p, j, D), M);
      const { trace, offDiagonal2 } = exact[p];
      // with 64 probes the sample standard error is Student-t with 63 degrees of freedom: |t| > 4 has probability 2e-4
      expect(Math.abs(h.trace - trace), `network ${p}`).toBeLessThanOrEqual(4 * h.traceSE);
      // Rademacher probes: Var(z.Hz) = 2 sum_{i != j} H_ij^2 exactly; the sample SE of 64 probes is within
      // ±40% of its expectation unless the probes are far from Gaussian (chi with 63 dof: ±25% at 3 sigma)
      const predicted = Math.sqrt((2 * offDiagonal2) / M);
      expect(h.traceSE / predicted, `network ${p}`).toBeGreaterThan(0.6);
      expect(h.traceSE / predicted, `network ${p}`).toBeLessThan(1.4);
      lines.push(`${p}: trace ${trace.toPrecision(4)}, estimate ${h.trace.toPrecision(4)} ± ${h.traceSE.toPrecision(2)} (predicted SE ${predicted.toPrecision(2)})`);
    }
    console.log(`Hutchinson, ${M} probes:\n  ${lines.join('\n  ')}`);
  });
});
