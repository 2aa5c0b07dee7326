// The particle engine against the laws it must obey (not against itself).
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { requireScenario } from '../../src/model/scenario';
import { basinMap } from '../../src/sim/metrics/loss-range';
import { gibbsBasins } from '../../src/sim/metrics/gibbs-basins';

const lab = useLabPage();

type Run = { position: Float32Array; status: Uint32Array };

/** Sample variances/covariance of (u, v) = positions rotated by -angle, with standard errors from the 4th moments. */
function rotatedMoments(pos: Float32Array, angle: number) {
  const n = pos.length / 2;
  const c = Math.cos(angle), s = Math.sin(angle);
  const u = new Float64Array(n), v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    u[i] = c * pos[2 * i] + s * pos[2 * i + 1];
    v[i] = -s * pos[2 * i] + c * pos[2 * i + 1];
  }
  const mean = (a: Float64Array) => a.reduce((t, x) => t + x, 0) / n;
  const mu = mean(u), mv = mean(v);
  const m = (f: (i: number) => number) => { let t = 0; for (let i = 0; i < n; i++) t += f(i); return t / n; };
  const vu = m((i) => (u[i] - mu) ** 2), vv = m((i) => (v[i] - mv) ** 2), cuv = m((i) => (u[i] - mu) * (v[i] - mv));
  // standard error of a sample second moment: sqrt((E[d^4] - var^2) / n)
  const se = (f: (i: number) => number, second: number) => Math.sqrt((m((i) => f(i) ** 2) - second ** 2) / n);
  return {
    mu, mv, vu, vv, cuv,
    seU: se((i) => (u[i] - mu) ** 2, vu), seV: se((i) => (v[i] - mv) ** 2, vv), seUV: se((i) => (u[i] - mu) * (v[i] - mv), cuv),
  };
}

describe('particle engine vs the laws', () => {
  it('quadratic + Gaussian noise: stationary covariance of the discrete-time iteration, within 5 standard errors', async () => {
    // Along an eigendirection with curvature k, SGD with gradient noise of std sigma = s / sqrt(B) is
    //   u_{t+1} = (1 - lr k) u_t - lr sigma xi_t,
    // an AR(1) process with stationary variance lr^2 sigma^2 / (1 - (1 - lr k)^2) = lr sigma^2 / (k (2 - lr k)).
    // The continuous-time (Ornstein-Uhlenbeck) value T / k with T = lr sigma^2 / 2 is smaller by (2 - lr k) / 2.
    const a = 1, b = 4, angle = 0.5, lr = 0.1, s = 1, B = 2, steps = 300;
    const json = {
      seed: 11, surface: { name: 'quadratic', params: { a, b, angle } }, steps,
      particles: { count: 1 << 16, init: { kind: 'point', at: [0, 0] } },
      panels: [{ optimizer: { kind: 'sgd', lr }, noise: { kind: 'gaussian', batchSize: B, gradientStd: s } }],
    };
    const run = await lab.call<Run>('particles', 'runPanel', json, 0, [steps]);
    const m = rotatedMoments(run.position, angle);
    const sigma2 = (s * s) / B;
    const discrete = (k: number) => (lr * sigma2) / (k * (2 - lr * k));
    const continuous = (k: number) => (lr * sigma2) / (2 * k);
    console.log(`[quadratic] var_u ${m.vu.toFixed(5)} (discrete ${discrete(a).toFixed(5)}, continuous ${continuous(a).toFixed(5)}), var_v ${m.vv.toFixed(5)} (discrete ${discrete(b).toFixed(5)}, continuous ${continuous(b).toFixed(5)})`);
    // the transient (1 - lr k)^(2 steps) <= 0.9^600 is far below the statistical error
    expect(Math.abs(m.vu - discrete(a))).toBeLessThan(5 * m.seU);
    expect(Math.abs(m.vv - discrete(b))).toBeLessThan(5 * m.seV);
    expect(Math.abs(m.cuv)).toBeLessThan(5 * m.seUV);
    // the test can tell the two laws apart: the continuous-time variance along v is rejected
    expect(Math.abs(m.vv - continuous(b))).toBeGreaterThan(5 * m.seV);
  });

  it('minibatch noise: covariance of the stochastic gradient = per-sample gradient covariance / B (with replacement)', async () => {
    // One SGD step with lr = 1 from a point p: x_1 = p - g, so g = p - x_1 for every particle.
    const p: [number, number] = [0.7, -0.4], B = 5;
    const json = {
      seed: 5, surface: { name: 'deep-linear', params: {} }, steps: 1,
      particles: { count: 1 << 17, init: { kind: 'point', at: p } },
      panels: [{ optimizer: { kind: 'sgd', lr: 1 }, noise: { kind: 'minibatch', batchSize: B } }],
    };
    const run = await lab.call<Run>('particles', 'runPanel', json, 0, [1]);
    const g = new Float32Array(run.position.length);
    for (let i = 0; i < g.length; i += 2) { g[i] = p[0] - run.position[i]; g[i + 1] = p[1] - run.position[i + 1]; }
    const m = rotatedMoments(g, 0);
    const { surface } = requireScenario(json);
    const [cxx, cxy, cyy] = surface.finiteSum!.gradientCovariance(p[0], p[1]);
    const [gx, gy] = surface.gradient(p[0], p[1]);
    console.log(`[minibatch] cov (${m.vu.toExponential(3)}, ${m.cuv.toExponential(3)}, ${m.vv.toExponential(3)}) vs Sigma/B (${(cxx / B).toExponential(3)}, ${(cxy / B).toExponential(3)}, ${(cyy / B).toExponential(3)})`);
    // unbiased: the mean is the full gradient (standard error sqrt(var / n))
    const n = g.length / 2;
    expect(Math.abs(m.mu - gx)).toBeLessThan(5 * Math.sqrt(m.vu / n) + 1e-6);
    expect(Math.abs(m.mv - gy)).toBeLessThan(5 * Math.sqrt(m.vv / n) + 1e-6);
    expect(Math.abs(m.vu - cxx / B)).toBeLessThan(5 * m.seU);
    expect(Math.abs(m.vv - cyy / B)).toBeLessThan(5 * m.seV);
    expect(Math.abs(m.cuv - cxy / B)).toBeLessThan(5 * m.seUV);
    // and sampling without dividing by B would be rejected
    expect(Math.abs(m.vu - cxx)).toBeGreaterThan(5 * m.seU);
  });

  it('double well + Langevin noise at small lr: the histogram matches the Gibbs density exp(-f/T)/Z', async () => {
    const T = 0.5, lr = 0.004, steps = 2000, n = 1 << 16, grid = 32;
    const domain = { x: [-2, 2], y: [-2.5, 2.5] };
    const json = {
      seed: 21, surface: { name: 'double-well', params: {} }, domain, steps,
      // uniform start: symmetric in x, so the two wells already hold equal mass (their Gibbs share);
      // within a well the cloud relaxes at rate >= 1 per unit time and t = steps * lr = 8
      particles: { count: n, init: { kind: 'uniform' } },
      panels: [{ optimizer: { kind: 'sgd', lr }, noise: { kind: 'langevin', temperature: T } }],
    };
    const out = await lab.call<{ histogram: Uint32Array; record: { alive: number } }>('particles', 'runPanelMetrics', json, 0, steps, grid);
    const { surface } = requireScenario(json);
    // Gibbs mass of each cell: exp(-f/T) integrated with 8 x 8 midpoint samples, normalised over the domain
    const gibbs = (temp: number) => {
      const g = new Float64Array(grid * grid);
      const hx = (domain.x[1] - domain.x[0]) / grid, hy = (domain.y[1] - domain.y[0]) / grid;
      for (let iy = 0; iy < grid; iy++) for (let ix = 0; ix < grid; ix++) {
        let t = 0;
        for (let sy = 0; sy < 8; sy++) for (let sx = 0; sx < 8; sx++) {
          t += Math.exp(-surface.value(domain.x[0] + (ix + (sx + 0.5) / 8) * hx, domain.y[0] + (iy + (sy + 0.5) / 8) * hy) / temp);
        }
        g[iy * grid + ix] = t;
      }
      const z = g.reduce((a, b) => a + b, 0);
      return g.map((v) => v / z);
    };
    const inside = out.histogram.reduce((a, b) => a + b, 0);
    const kl = (q: Float64Array) => {
      let d = 0;
      out.histogram.forEach((c, i) => { if (c > 0) d += (c / inside) * Math.log(c / inside / q[i]); });
      return d;
    };
    // Sampling noise alone: 2 n KL(hist || p) ~ chi-square with K - 1 degrees of freedom (K cells), so
    // E[KL] = (K - 1) / (2n), sd = sqrt(2 (K - 1)) / (2n). Discretisation (Euler-Maruyama at lr): the
    // stationary variance in a well of curvature k = 8 is off by a factor ~ 1 + lr k / 2 = 1.016, a KL of
    // (lr k / 2)^2 / 4 = 6.4e-5 per direction; we allow 1e-4.
    const K = grid * grid;
    const bound = (K - 1) / (2 * inside) + (5 * Math.sqrt(2 * (K - 1))) / (2 * inside) + 1e-4;
    const measured = kl(gibbs(T));
    const wrongT = kl(gibbs(1.3 * T));
    console.log(`[gibbs] KL(hist || Gibbs T=${T}) = ${measured.toExponential(3)}, bound ${bound.toExponential(3)}; against T=${1.3 * T}: ${wrongT.toExponential(3)}`);
    expect(inside).toBeGreaterThan(0.99 * n);
    expect(measured).toBeLessThan(bound);
    // the bound is tight enough to reject a 30% wrong temperature
    expect(wrongT).toBeGreaterThan(bound);
  });

  it('tilted double well, Langevin noise, escapes frequent: the basin fractions of the particles and of the PDE density reach the Gibbs occupations (gibbs_basin_K)', async () => {
    // barrier about 0.5 - 0.2 = 0.3 above the shallow (right) well at T = 0.5: Kramers rates near
    // 0.2-0.5 per unit time, so t = steps * lr = 25 is over ten relaxation times of the two-well balance
    const T = 0.5, lr = 0.01, steps = 2500, n = 1 << 15, grid = 64;
    const json = {
      seed: 5, surface: { name: 'double-well', params: { h: 0.5, tilt: 0.2 } }, domain: { x: [-2, 2], y: [-2.5, 2.5] }, steps,
      // all start in the shallow well: only escapes can bring the left basin up to its share
      particles: { count: n, init: { kind: 'gaussian', mean: [1, 0], std: 0.05 } },
      fokkerPlanck: { grid },
      panels: [{ optimizer: { kind: 'sgd', lr }, noise: { kind: 'langevin', temperature: T } }],
      record: { every: steps },
    };
    type Rec = { basinFractions: number[]; gibbsBasins?: number[]; alive: number; pde: { basinMasses: number[]; mass: number } };
    const out = await lab.call<{ records: Rec[][]; densities: (Float32Array | null)[][] }>('simulation', 'runRecords', json);
    const first = out.records[0][0], last = out.records[out.records.length - 1][0];
    const predicted = last.gibbsBasins!;
    // the same prediction at a 30% wrong temperature, to show the check can fail
    const { surface, scenario } = requireScenario(json);
    const map = basinMap(surface, scenario.domain, grid);
    const wrong = gibbsBasins(surface, scenario.domain, map, grid, 2, 1.3 * T)!.occupation;
    // tolerance: 5 binomial standard errors sqrt(p (1 - p) / n) (0.013 at n = 2^15), plus 0.008 for the
    // Euler-Maruyama bias at lr = 0.01 (stationary law exp(-f/T) (1 + O(lr f'')), f'' <= 4 in the wells)
    // and the midpoint quadrature
    const sd = Math.sqrt((predicted[0] * (1 - predicted[0])) / n);
    const tol = 5 * sd + 0.008;
    console.log(`[gibbs basins] start ${first.basinFractions.map((f) => f.toFixed(4))}; after t = ${steps * lr}: ${last.basinFractions.map((f) => f.toFixed(4))}; ` +
      `PDE ${first.pde.basinMasses.map((f) => f.toFixed(4))} -> ${last.pde.basinMasses.map((f) => f.toFixed(4))}; ` +
      `Gibbs ${predicted.map((f) => f.toFixed(4))} (at 1.3 T: ${wrong.map((f) => f.toFixed(4))}); tolerance ${tol.toFixed(4)}`);
    expect(first.basinFractions[0]).toBeLessThan(0.01);
    expect(last.alive).toBe(n);
    for (const b of [0, 1]) expect(Math.abs(last.basinFractions[b] - predicted[b])).toBeLessThan(tol);
    expect(Math.abs(last.basinFractions[0] - wrong[0])).toBeGreaterThan(tol);
    // the PDE's own basin masses: the GPU sums equal the density summed over the basin map (float32 sums of
    // 4,096 cells: relative rounding below 1e-5) at the start and the end ...
    for (const [k, rec] of [[0, first], [out.records.length - 1, last]] as const) {
      const d = out.densities[k][0]!;
      const cpu = [0, 1].map((b) => d.reduce((s, v, c) => s + (map[c] === b ? v : 0), 0));
      for (const b of [0, 1]) expect(Math.abs(rec.pde.basinMasses[b] - cpu[b])).toBeLessThan(1e-5 * Math.max(cpu[b], 1e-3));
    }
    expect(first.pde.basinMasses[0]).toBeLessThan(0.01);
    // ... and reach the Gibbs shares on the same grid: the scheme's stationary state is the discrete Gibbs
    // density, and after ten relaxation times e^-10 of the initial imbalance (0.9) is left; allowed 0.005
    for (const b of [0, 1]) expect(Math.abs(last.pde.basinMasses[b] - predicted[b])).toBeLessThan(0.005);
  });
});
