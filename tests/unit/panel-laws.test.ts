// The quadratic laws (src/sim/metrics/panel-laws.ts) against an independent
// float64 simulation of SGD with momentum on f = x^T H x / 2: the stationary
// covariance, and the angular momentum measured the way issue 16 defines it,
// <(x_k - x̄) × (x_{k+1} - x_k)> / lr_eff averaged over particles and steps
// (not the expected-step estimator the GPU metrics use), within sampling error.
import { describe, expect, it } from 'vitest';
import { requireScenario } from '../../src/model/scenario';
import { quadraticLaws } from '../../src/sim/metrics/panel-laws';
import { continuousLyapunov2, discreteLyapunov } from '../../src/sim/metrics/linear-lyapunov';
import type { ParticleRecord } from '../../src/sim/metrics/record';

/** mulberry32 uniform in [0, 1) and Box–Muller normals: a test-only stream independent of the lab's RNG */
function normals(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const empty: ParticleRecord = { step: 0, alive: 1, diverged: 0, meanLoss: null, mean: null, cov: null, lossQuantiles: null, basinFractions: [], angularMomentum: null };

function scenario(optimizer: object) {
  return requireScenario({
    surface: { name: 'quadratic', params: { a: 1, b: 4, angle: 0.4 } }, steps: 10,
    particles: { count: 16, init: { kind: 'uniform' } },
    panels: [{ optimizer, noise: { kind: 'langevin', temperature: 0.1, diffusion: [[1, 0.6], [0.6, 1]] } }],
  });
}

describe('quadratic laws', () => {
  it('the doubling solver and the 2x2 Cramer solve agree with their equations', () => {
    const F = [[0.9, 0.1], [-0.05, 0.7]], Q = [[0.3, 0.1], [0.1, 0.2]];
    const S = discreteLyapunov(F, Q)!;
    // S - F S F^T - Q = 0 to float64 rounding (|S| ~ 1)
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      let fsf = 0;
      for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) fsf += F[i][k] * S[k][l] * F[j][l];
      expect(Math.abs(S[i][j] - fsf - Q[i][j])).toBeLessThan(1e-13);
    }
    expect(discreteLyapunov([[1.01, 0], [0, 0.5]], Q)).toBeNull();
    const H = [[1, 0.3], [0.3, 2]], D = [[0.1, 0.05], [0.05, 0.2]];
    const C = continuousLyapunov2(H, D)!;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      let hs = 0;
      for (let k = 0; k < 2; k++) hs += H[i][k] * C[k][j] + C[i][k] * H[j][k];
      expect(Math.abs(hs - 2 * D[i][j])).toBeLessThan(1e-14);
    }
  });

  for (const [name, optimizer] of [['heavy ball β 0.5', { kind: 'sgd', lr: 0.04, momentum: 0.5 }], ['Nesterov β 0.5', { kind: 'sgd', lr: 0.04, momentum: 0.5, nesterov: true }]] as const) {
    it(`${name}: covariance and angular momentum of a simulated cloud match the discrete-time law`, () => {
      const { scenario: sc, surface } = scenario(optimizer);
      const spec = sc.panels[0];
      const laws = quadraticLaws(surface, spec, empty);
      const pred = (n: string) => laws.find((l) => l.name === n && l.law.startsWith('discrete'))!.predicted;
      const angPred = laws.find((l) => l.name === 'angular_momentum')!.predicted;
      const [hxx, hxy, hyy] = surface.hessian(0, 0);
      const o = spec.optimizer as { lr: number; momentum: number; nesterov?: boolean };
      const b = o.momentum, lr = o.lr, lrEff = lr / (1 - b);
      const k = Math.sqrt((2 * 0.1) / lr);
      // L L^T = M = [[1, 0.6], [0.6, 1]]
      const l00 = 1, l10 = 0.6, l11 = Math.sqrt(1 - 0.36);
      const P = 2500, burn = 800, steps = 1200;
      const rnd = normals(7);
      const x = new Float64Array(2 * P), m = new Float64Array(2 * P);
      let sxx = 0, sxy = 0, syy = 0, count = 0, ang = 0, angSq = 0, angN = 0;
      for (let s = 0; s < burn + steps; s++) {
        let stepAng = 0;
        for (let i = 0; i < P; i++) {
          const z0 = rnd(), z1 = rnd();
          const x0 = x[2 * i], x1 = x[2 * i + 1];
          const g0 = hxx * x0 + hxy * x1 + k * l00 * z0, g1 = hxy * x0 + hyy * x1 + k * (l10 * z0 + l11 * z1);
          const m0 = b * m[2 * i] + g0, m1 = b * m[2 * i + 1] + g1;
          const d0 = o.nesterov ? g0 + b * m0 : m0, d1 = o.nesterov ? g1 + b * m1 : m1;
          const n0 = x0 - lr * d0, n1 = x1 - lr * d1;
          // the mean is 0 at stationarity: x × (x' - x) about the origin
          if (s >= burn) stepAng += x0 * (n1 - x1) - x1 * (n0 - x0);
          m[2 * i] = m0; m[2 * i + 1] = m1; x[2 * i] = n0; x[2 * i + 1] = n1;
        }
        if (s >= burn) {
          const a = stepAng / P / lrEff;
          ang += a; angSq += a * a; angN++;
          // covariance from every 50th step (nearly independent snapshots)
          if (s % 50 === 0) for (let i = 0; i < P; i++) { sxx += x[2 * i] ** 2; sxy += x[2 * i] * x[2 * i + 1]; syy += x[2 * i + 1] ** 2; count++; }
        }
      }
      const meas = { cov_xx: sxx / count, cov_xy: sxy / count, cov_yy: syy / count };
      const S = { cov_xx: pred('cov_xx'), cov_xy: pred('cov_xy'), cov_yy: pred('cov_yy') };
      // sample covariance sd (S_ii S_jj + S_ij^2)/n for n = count points; successive snapshots 50 steps
      // apart are correlated at most by the slowest mode's |eigenvalue|^50 (< 0.2 here): 1.5x the sd covers it
      const sd = (a: number, c: number, ab: number) => 1.5 * Math.sqrt((a * c + ab * ab) / count);
      const sds = { cov_xx: sd(S.cov_xx, S.cov_xx, S.cov_xx), cov_xy: sd(S.cov_xx, S.cov_yy, S.cov_xy), cov_yy: sd(S.cov_yy, S.cov_yy, S.cov_yy) };
      console.log(`[laws ${name}] measured`, meas, 'predicted', S, 'sd', sds, 'angular', ang / angN, 'predicted', angPred);
      for (const key of ['cov_xx', 'cov_xy', 'cov_yy'] as const) expect(Math.abs(meas[key] - S[key])).toBeLessThan(4 * sds[key]);
      // angular momentum: mean over steps of per-step means; the per-step values carry the step noise and are
      // correlated over a few steps: sd of the mean from the per-step spread / sqrt(steps), times 3 for the correlation
      const mean = ang / angN, sdStep = Math.sqrt(angSq / angN - mean * mean);
      expect(Math.abs(mean - angPred)).toBeLessThan(4 * 3 * (sdStep / Math.sqrt(angN)));
      expect(Math.abs(angPred)).toBeGreaterThan(4 * 3 * (sdStep / Math.sqrt(angN)));
    });
  }
});
