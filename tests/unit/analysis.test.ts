// Landscape analysis against the literature and exact results: critical points
// of Himmelblau, six-hump camel and Müller–Brown at their published places;
// valleys of degenerate minima as one manifold; the nudged elastic band's
// saddles and barriers; the smoothed loss; escape times on the CPU reference.
import { describe, expect, it } from 'vitest';
import { findSurface } from '../../src/model/surfaces';
import { newtonCritical } from '../../src/model/surfaces/critical';
import { requireScenario } from '../../src/model/scenario';
import type { Surface, Vec2 } from '../../src/model/surface-types';
import { stepConfig } from '../../src/sim/particles/step-config';
import {
  basinExit, escapeStatistics, escapeTimesCpu, findCriticalPoints, gaussHermite, kramersTime, meanFirstPassage1d,
  minimumEnergyPath, NOT_ESCAPED, quadratureOrder, smoothedLoss, smoothedValue, stepNoiseKernel, type CriticalReport, type PointKind,
} from '../../src/sim/analysis';
import { eigen2 } from '../../src/sim/analysis/hessian';

const surface = (name: string, params: Record<string, number> = {}, seed = 7): Surface => findSurface(name)!.create(params, seed);

interface Published { kind: PointKind; at: Vec2; value: number }

/** The found point nearest to `at` of the given kind. */
function nearest(r: CriticalReport, kind: PointKind, at: Vec2) {
  const pts = r.points.filter((p) => p.kind === kind);
  return pts.reduce((a, b) => (Math.hypot(b.at[0] - at[0], b.at[1] - at[1]) < Math.hypot(a.at[0] - at[0], a.at[1] - at[1]) ? b : a));
}

function expectPublished(r: CriticalReport, published: Published[], posTol: number, valueTol: number) {
  for (const p of published) {
    const f = nearest(r, p.kind, p.at);
    expect(Math.abs(f.at[0] - p.at[0]), `${p.kind} at ${p.at}: x`).toBeLessThanOrEqual(posTol);
    expect(Math.abs(f.at[1] - p.at[1]), `${p.kind} at ${p.at}: y`).toBeLessThanOrEqual(posTol);
    expect(Math.abs(f.value - p.value), `${p.kind} at ${p.at}: loss`).toBeLessThanOrEqual(valueTol);
    expect(f.index).toBe(p.kind === 'minimum' ? 0 : p.kind === 'saddle' ? 1 : 2);
    expect(f.degenerate).toBe(false);
  }
}

describe('critical points from many starts', () => {
  it('Himmelblau: the four minima (value 0) and the local maximum of Himmelblau (1972), four saddles', () => {
    const s = surface('himmelblau');
    const r = findCriticalPoints(s, s.domain);
    // D. M. Himmelblau, Applied Nonlinear Programming (McGraw-Hill, 1972): 6 decimals, the maximum's value to 3
    expectPublished(r, [
      { kind: 'minimum', at: [3, 2], value: 0 },
      { kind: 'minimum', at: [-2.805118, 3.131312], value: 0 },
      { kind: 'minimum', at: [-3.779310, -3.283186], value: 0 },
      { kind: 'minimum', at: [3.584428, -1.848126], value: 0 },
    ], 1e-6, 1e-9);
    expectPublished(r, [{ kind: 'maximum', at: [-0.270845, -0.923039], value: 181.617 }], 1e-6, 1e-3);
    expect(r.points.map((p) => p.kind).sort()).toEqual([...Array(1).fill('maximum'), ...Array(4).fill('minimum'), ...Array(4).fill('saddle')]);
    expect(r.manifolds).toEqual([]);
  });

  it('six-hump camel: the global minima ±(0.0898, -0.7126), value -1.0316 (Dixon & Szegő 1978; Molga & Smutnicki 2005), 6 minima, 7 saddles, 2 maxima', () => {
    const s = surface('six-hump-camel');
    const r = findCriticalPoints(s, s.domain);
    expectPublished(r, [
      { kind: 'minimum', at: [0.0898, -0.7126], value: -1.0316 },
      { kind: 'minimum', at: [-0.0898, 0.7126], value: -1.0316 },
    ], 1e-4, 1e-4);
    const count = (k: PointKind) => r.points.filter((p) => p.kind === k).length;
    expect([count('minimum'), count('saddle'), count('maximum')]).toEqual([6, 7, 2]);
    // the two global minima are the lowest points found
    expect(r.points[0].value).toBeCloseTo(-1.0316284535, 9);
    expect(r.points[1].value).toBeCloseTo(-1.0316284535, 9);
  });

  it('Müller–Brown: three minima and two saddles of Müller & Brown (1979), table 1', () => {
    const s = surface('muller-brown');
    const r = findCriticalPoints(s, s.domain);
    // K. Müller, L. D. Brown, Theor. Chim. Acta 53, 75 (1979): 3 decimals, energies to 2
    expectPublished(r, MULLER_BROWN_PUBLISHED, 5e-4 + 1e-6, 5e-3 + 1e-6);
    expect(r.points.length).toBe(5);
  });

  it('ring valley: the circle of minima is one closed minimum manifold with a flat direction; the maximum is isolated', () => {
    const s = surface('ring-valley', { R: 1.2, height: 2 });
    const r = findCriticalPoints(s, s.domain);
    expect(r.manifolds.length).toBe(1);
    const m = r.manifolds[0];
    expect(m.kind).toBe('minimum-manifold');
    expect(m.closed).toBe(true);
    expect(m.points.length).toBeGreaterThan(20);
    for (const [x, y] of m.points) {
      expect(Math.abs(Math.hypot(x, y) - 1.2)).toBeLessThan(1e-8);
      const [lo, hi] = eigen2(s.hessian(x, y)).values;
      expect(Math.abs(lo)).toBeLessThan(1e-6 * hi);
    }
    expect(Math.abs(m.length / (2 * Math.PI * 1.2) - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.value)).toBeLessThan(1e-12);
    expect(m.starts).toBeGreaterThan(1000);
    expect(r.points.filter((p) => p.kind === 'minimum')).toEqual([]);
    expect(r.points.map((p) => p.kind)).toEqual(['maximum']);
    expect(Math.hypot(...r.points[0].at)).toBeLessThan(1e-12);
  });

  it('deep linear network: the hyperbola w1 w2 = <u t>/<u^2> is a minimum manifold (one per branch), the origin a saddle', () => {
    const s = surface('deep-linear');
    const fs = s.finiteSum!;
    let ut = 0, uu = 0;
    for (let i = 0; i < fs.sampleCount; i++) {
      const u = fs.dataset[4 * i], t = 1 * u + 0.1 * fs.dataset[4 * i + 1];
      ut += u * t; uu += u * u;
    }
    const c = ut / uu;
    const r = findCriticalPoints(s, s.domain);
    // both branches (w1, w2 > 0 and < 0) cross the domain [-2, 2]^2
    expect(r.manifolds.length).toBe(2);
    for (const m of r.manifolds) {
      expect(m.kind).toBe('minimum-manifold');
      expect(m.closed).toBe(false);
      expect(m.points.length).toBeGreaterThan(15);
      for (const [x, y] of m.points) expect(Math.abs(x * y - c)).toBeLessThan(1e-8);
    }
    expect(Math.sign(r.manifolds[0].points[0][0])).not.toBe(Math.sign(r.manifolds[1].points[0][0]));
    expect(r.points.filter((p) => p.kind === 'minimum')).toEqual([]);
    const saddle = r.points.find((p) => p.kind === 'saddle')!;
    expect(Math.hypot(...saddle.at)).toBeLessThan(1e-9);
  });

  it('monkey saddle: the degenerate critical point (Hessian 0) is one degenerate saddle, not hundreds of nearby points', () => {
    const s = surface('monkey-saddle');
    const r = findCriticalPoints(s, s.domain);
    const deg = r.points.filter((p) => p.degenerate);
    expect(deg.length).toBe(1);
    expect(deg[0].kind).toBe('saddle');
    expect(Math.hypot(...deg[0].at)).toBeLessThan(1e-4);
  });
});

/** Müller & Brown (1979), table 1: minima A, B, C and saddles S1 (A-C), S2 (C-B). */
const MULLER_BROWN_PUBLISHED: Published[] = [
  { kind: 'minimum', at: [-0.558, 1.442], value: -146.70 },
  { kind: 'minimum', at: [0.623, 0.028], value: -108.17 },
  { kind: 'minimum', at: [-0.050, 0.467], value: -80.77 },
  { kind: 'saddle', at: [-0.822, 0.624], value: -40.66 },
  { kind: 'saddle', at: [0.212, 0.293], value: -72.25 },
];

describe('minimum-energy paths (nudged elastic band)', () => {
  it('Müller–Brown: the path between the two deepest minima passes the intermediate minimum; the climbing images reproduce both saddles', () => {
    const s = surface('muller-brown');
    const p = minimumEnergyPath(s, [-0.558, 1.442], [0.623, 0.028]);
    expect(p.converged).toBe(true);
    expect(p.intermediateMinima.length).toBe(1);
    expect(Math.hypot(p.intermediateMinima[0].at[0] + 0.050, p.intermediateMinima[0].at[1] - 0.467)).toBeLessThan(1e-3);
    expect(p.saddles.length).toBe(2);
    const published = MULLER_BROWN_PUBLISHED.filter((q) => q.kind === 'saddle');
    p.saddles.forEach((sd, k) => {
      // the exact saddle: Newton from the published point (independent of the band)
      const exact = newtonCritical(s, published[k].at)!;
      const eValue = s.value(exact[0], exact[1]);
      const c = sd.climb;
      console.log(`[neb] Müller–Brown saddle ${k + 1}: climbing image (${c.at[0].toFixed(6)}, ${c.at[1].toFixed(6)}) loss ${c.loss.toFixed(6)}; exact (${exact[0].toFixed(6)}, ${exact[1].toFixed(6)}) ${eValue.toFixed(6)}; published ${published[k].at} ${published[k].value}`);
      expect(Math.hypot(c.at[0] - exact[0], c.at[1] - exact[1]) / Math.hypot(...exact)).toBeLessThan(1e-3);
      expect(Math.abs(c.loss - eValue) / Math.abs(eValue)).toBeLessThan(1e-3);
      // and the published table, to its 3 decimals (energies 2)
      expect(Math.abs(c.at[0] - published[k].at[0])).toBeLessThan(5e-4 + 1e-5);
      expect(Math.abs(c.at[1] - published[k].at[1])).toBeLessThan(5e-4 + 1e-5);
      expect(Math.abs(c.loss - published[k].value)).toBeLessThan(5e-3 + 1e-4);
      expect(sd.index).toBe(1);
    });
    // barrier: the higher saddle S1 above the higher endpoint B
    expect(p.barrier).toBeCloseTo(-40.6648435 + 108.1667241, 5);
    expect(p.straightBarrier).toBeGreaterThan(p.barrier + 50);
    // the pivots run in order from A to B, the saddles and the minimum among them
    expect(p.pivots[0].loss).toBeCloseTo(-146.6995, 3);
    expect(p.pivots[p.pivots.length - 1].loss).toBeCloseTo(-108.1667, 3);
    expect(p.pivots.filter((q) => q.climbing).length).toBe(2);
    expect(p.pivots.filter((q) => q.minimum).length).toBe(1);
  });

  // On a valley of minima the band lies on the valley floor. A converged band leaves each pivot a
  // perpendicular force <= ftol, so it sits within ftol / lambda_n of the floor (lambda_n: the
  // curvature across the valley) and its loss exceeds the floor's by at most ftol^2 / (2 lambda_n).
  // The test allows 10 times that bound; the straight line between the same minima rises by O(1).
  const flatCases = [
    { name: 'ring-valley', from: [1, 0] as Vec2, to: [-0.5, 0.8660254] as Vec2, straight: 0.5625 },
    { name: 'ring-valley', from: [1, 0] as Vec2, to: [-1, 0] as Vec2, straight: 1 },
    { name: 'deep-linear', from: [0.6, 1.6] as Vec2, to: [1.6, 0.6] as Vec2, straight: undefined },
  ];
  it.each(flatCases)('$name from $from to $to: barrier ~0 along the valley, positive on the straight line', (c) => {
    const s = surface(c.name);
    const p = minimumEnergyPath(s, c.from, c.to);
    expect(p.converged).toBe(true);
    const lambdaN = Math.min(...p.pivots.map((q) => eigen2(s.hessian(q.x, q.y)).values[1]));
    const bound = (10 * p.forceTolerance ** 2) / (2 * lambdaN);
    console.log(`[neb] ${c.name}: barrier ${p.barrier.toExponential(2)} (bound ${bound.toExponential(2)}), straight line ${p.straightBarrier.toFixed(4)}, ${p.pivots.length} pivots`);
    expect(p.barrier).toBeLessThan(bound);
    expect(p.saddle).toBeNull();
    if (c.straight !== undefined) expect(p.straightBarrier).toBeCloseTo(c.straight, 4);
    else expect(p.straightBarrier).toBeGreaterThan(0.01);
    // every pivot is a minimum of the valley: on the circle / hyperbola
    for (const q of p.pivots) expect(q.loss - Math.max(p.from.loss, p.to.loss)).toBeLessThan(bound);
  });

  it('double well: one saddle at the origin, barrier h', () => {
    const s = surface('double-well', { h: 2 });
    const p = minimumEnergyPath(s, [-1, 0], [1, 0]);
    expect(p.saddle!.index).toBe(1);
    expect(Math.hypot(...p.saddle!.climb.at)).toBeLessThan(1e-5);
    expect(p.barrier).toBeCloseTo(2, 8);
  });

  it('rejects endpoints in one basin', () => {
    const s = surface('double-well');
    expect(() => minimumEnergyPath(s, [-1, 0], [-0.9, 0.1])).toThrow(/same minimum/);
  });
});

describe('smoothed loss', () => {
  it('Gauss–Hermite moments of N(0, 1) are exact', () => {
    const { nodes, weights } = gaussHermite(10);
    const m = (k: number) => nodes.reduce((s, z, i) => s + weights[i] * z ** k, 0);
    expect(m(0)).toBeCloseTo(1, 14);
    expect(m(2)).toBeCloseTo(1, 14);
    expect(m(4)).toBeCloseTo(3, 13);
    expect(m(6)).toBeCloseTo(15, 12);
    expect(m(18)).toBeCloseTo(34459425, 0);
  });

  it('a quadratic smoothed by a Gaussian is the quadratic plus (1/2) tr(H Sigma), exactly', () => {
    const s = surface('quadratic', { a: 3, b: 0.5, angle: 0.7 });
    const [a, b, c] = s.hessian(0, 0);
    for (const cov of [[0.04, 0.01, 0.02], [0.3, -0.1, 0.05]] as [number, number, number][]) {
      const shift = 0.5 * (a * cov[0] + 2 * b * cov[1] + c * cov[2]);
      const r = smoothedLoss(s, s.domain, 16, { kind: 'gaussian', covariance: cov }, { order: 4 });
      let worst = 0;
      for (let k = 0; k < r.raw.length; k++) worst = Math.max(worst, Math.abs(r.smoothed[k] - r.raw[k] - shift));
      expect(worst).toBeLessThan(1e-13 * (1 + Math.max(...r.raw)));
    }
  });

  it('the double well smoothed isotropically is h[(x^2 - 1 + s^2)^2 + 4 x^2 s^2 + 2 s^4] + (y^2 + s^2)/2 + tilt x (exact)', () => {
    const h = 1.5, tilt = 0.3, s2 = 0.07;
    const s = surface('double-well', { h, tilt });
    for (const [x, y] of [[0.3, -0.2], [-1.2, 0.7], [1.9, 1.9]]) {
      const exact = h * ((x * x - 1 + s2) ** 2 + 4 * x * x * s2 + 2 * s2 * s2) + 0.5 * (y * y + s2) + tilt * x;
      expect(smoothedValue(s, [s2, 0, s2], x, y, 3)).toBeCloseTo(exact, 12);
    }
  });

  it('quadratureOrder resolves Rastrigin under wide kernels: the closed form 2A + sum(t^2 + s^2 - A e^(-2 pi^2 s^2) cos 2 pi t) to 1e-6 of A', () => {
    const A = 3;
    const s = surface('rastrigin', { A });
    const cell = (s.domain.x[1] - s.domain.x[0]) / 128;
    const exact = (x: number, y: number, s2: number) =>
      2 * A + [x, y].reduce((sum, t) => sum + t * t + s2 - A * Math.exp(-2 * Math.PI ** 2 * s2) * Math.cos(2 * Math.PI * t), 0);
    const points: Vec2[] = [[0.13, -0.41], [1.5, 2.25], [-3.3, 0.9]];
    for (const sigma of [0.05, 0.3, 0.6]) {
      const kernel = { kind: 'gaussian' as const, covariance: [sigma ** 2, 0, sigma ** 2] as [number, number, number] };
      const order = quadratureOrder(kernel, cell);
      // the quadrature's own error, not float64 rounding (~1e-14 A), is what is bounded here
      for (const [x, y] of points) expect(Math.abs(smoothedValue(s, kernel.covariance, x, y, order) - exact(x, y, sigma ** 2))).toBeLessThan(1e-6 * A);
    }
    // the default order alone aliases the ripples at sigma = 0.6: the rule is needed
    const wide: [number, number, number] = [0.36, 0, 0.36];
    expect(Math.max(...points.map(([x, y]) => Math.abs(smoothedValue(s, wide, x, y) - exact(x, y, 0.36))))).toBeGreaterThan(1e-2 * A);
    expect(quadratureOrder({ kind: 'gaussian', covariance: [1e-4, 0, 1e-4] }, cell)).toBe(10);
  });

  it('the shallow minimum of a tilted double well vanishes under wide smoothing; the deep one survives; narrow smoothing keeps both', () => {
    const s = surface('double-well', { tilt: 0.5 });
    // smoothed in x: x^4 + 2 (3 s^2 - 1) x^2 + tilt x + const, one well once s^2 > 1/3
    const wide = smoothedLoss(s, s.domain, 64, { kind: 'gaussian', covariance: [0.4, 0, 0.4] });
    expect(wide.minima.length).toBe(2);
    const [deep, shallow] = [...wide.minima].sort((p, q) => p.value - q.value);
    expect(deep.at[0]).toBeLessThan(0);
    expect(deep.survives).toBe(true);
    expect(shallow.at[0]).toBeGreaterThan(0);
    expect(shallow.survives).toBe(false);
    const narrow = smoothedLoss(s, s.domain, 64, { kind: 'gaussian', covariance: [0.01, 0, 0.01] });
    expect(narrow.minima.map((m) => m.survives)).toEqual([true, true]);
  });

  it('the step kernel follows the scenario: gaussian lr^2 s^2 / B, langevin 2 lr T M, minibatch lr^2 Sigma(x) / B', () => {
    const { scenario } = requireScenario({
      surface: { name: 'deep-linear' }, particles: { count: 1 },
      panels: [
        { optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'gaussian', batchSize: 4, gradientStd: 2 } },
        { optimizer: { kind: 'sgd', lr: 0.05 }, noise: { kind: 'langevin', temperature: 0.2, diffusion: [[1, 0.5], [0.5, 2]] } },
        { optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'minibatch', batchSize: 8 } },
        { optimizer: { kind: 'adam', lr: 0.1 } },
      ],
    });
    const k = scenario.panels.slice(0, 3).map(stepNoiseKernel);
    expect(k[0]).toEqual({ kind: 'gaussian', covariance: [0.1 ** 2 * 4 / 4, 0, 0.1 ** 2 * 4 / 4] });
    const l = 2 * 0.05 * 0.2;
    expect(k[1].kind).toBe('gaussian');
    if (k[1].kind === 'gaussian') k[1].covariance.forEach((v, i) => expect(v).toBeCloseTo([l, 0.5 * l, 2 * l][i], 15));
    expect(k[2].kind).toBe('gradient-covariance');
    if (k[2].kind === 'gradient-covariance') expect(k[2].scale).toBeCloseTo(0.1 ** 2 / 8, 15);
    expect(() => stepNoiseKernel(scenario.panels[3])).toThrow(/adam/);
    // the minibatch kernel smooths a finite sum with its own gradient covariance
    const s = surface('deep-linear');
    const r = smoothedLoss(s, s.domain, 8, k[2], { order: 4 });
    expect(r.smoothed.every(Number.isFinite)).toBe(true);
  });
});

describe('escape times (CPU reference)', () => {
  it('the Eyring–Kramers time of the double well is 2 pi / 4 sqrt(4 / 8) exp(h / T)', () => {
    const s = surface('double-well', { h: 1 });
    const k = kramersTime(s, [-1, 0], [0, 0], 0.25);
    expect(k.barrier).toBe(1);
    expect(k.lambdaSaddle).toBe(-4);
    expect(k.tau).toBeCloseTo(((2 * Math.PI) / 4) * Math.sqrt(0.5) * Math.exp(4), 10);
    // the exact 1-D mean first-passage time approaches Kramers as T -> 0
    const V = (x: number) => (x * x - 1) ** 2;
    const ratio = (T: number) => meanFirstPassage1d(V, -1, 0.5, T, -3) / kramersTime(s, [-1, 0], [0, 0], T).tau;
    expect(Math.abs(ratio(0.1) - 1)).toBeLessThan(Math.abs(ratio(0.25) - 1));
    expect(Math.abs(ratio(0.1) - 1)).toBeLessThan(0.05);
  });

  it('censored exponential mean: unbiased on synthetic data', () => {
    // exponential times (mean 100 steps) from a fixed uniform sequence, censored at 300
    const n = 20000, mean = 100, max = 300;
    const times = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const t = Math.ceil(-mean * Math.log((i + 0.5) / n));
      times[i] = t > max ? NOT_ESCAPED : t;
    }
    const st = escapeStatistics(times, max, 0.01);
    expect(st.censored).toBeGreaterThan(0);
    expect(Math.abs(st.meanSteps - (mean + 0.5)) / mean).toBeLessThan(3 * st.relativeError);
    expect(st.histogram.counts.reduce((a, b) => a + b, 0)).toBe(st.escaped);
  });

  it('mean first passage over the double-well saddle at T = 0.5 matches the exact 1-D value', () => {
    const T = 0.5, n = 300, maxSteps = 6000;
    const { scenario, surface: s } = requireScenario({
      seed: 11, surface: { name: 'double-well' }, particles: { count: n, init: { kind: 'point', at: [-1, 0] } },
      panels: [{ optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: T } }],
    });
    const exit = basinExit(s, [-1, 0], [0, 0], { beyond: [1, 0] });
    expect(exit.margin).toBeCloseTo(0.5, 12);
    const times = escapeTimesCpu(s, stepConfig(scenario.panels[0], scenario.domain), scenario.seed, 0, [-1, 0], n, exit, maxSteps, 4);
    const st = escapeStatistics(times, maxSteps, 0.01, { resolution: 4 });
    const exact = meanFirstPassage1d((x) => (x * x - 1) ** 2, -1, 0.5, T, -3);
    console.log(`[escape] CPU T=${T}: mean ${st.meanTime.toFixed(3)} ± ${(st.relativeError * st.meanTime).toFixed(3)} (${st.escaped}/${n} escaped), exact 1-D ${exact.toFixed(3)}, Kramers ${kramersTime(s, [-1, 0], [0, 0], T).tau.toFixed(3)}`);
    // statistics (4 standard errors) plus 3% for the step lr = 0.01 (Euler–Maruyama)
    expect(Math.abs(st.meanTime / exact - 1)).toBeLessThan(4 * st.relativeError + 0.03);
  });
});
