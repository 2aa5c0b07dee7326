// The Fokker–Planck CPU reference (float64) against the PDE's laws: exact
// discrete Gibbs equilibrium, conservation, positivity, H-theorem, the
// Ornstein–Uhlenbeck solution, the Lyapunov covariance of anisotropic noise,
// non-equilibrium steady states with currents, and the metric definitions.
import { describe, expect, it } from 'vitest';
import {
  FokkerPlanckReference, P_FLOOR, bernoulli, chooseDt, faceCurrents, gibbs, gibbsLog, initialDensity, metrics, moments,
  prepare, rates, type ReferenceOptions,
} from '../../src/sim/fokker-planck/reference';
import { relaxToStationary } from '../../src/sim/fokker-planck/relax';
import { erf, erfc } from '../../src/sim/fokker-planck/init';
import { FP_METRICS_SUMS, MetricsStage } from '../../src/sim/fokker-planck/metrics-stage';
import { composeShader } from '../../src/gpu/shader-compose';
import { SHADER_SOURCES } from '../../src/gpu/shader-sources';
import { structView, UNIFORM_SLOT_BYTES } from '../../src/gpu/uniforms';
import { sampleAtCentres, gridGeometry, type Domain, type InitSpec } from '../../src/sim/fokker-planck/types';
import { findSurface } from '../../src/model/surfaces/index';
import { formatNumber } from '../../src/model/format';

const SQUARE: Domain = { x: [-2, 2], y: [-2, 2] };
const doubleWell = (x: number, y: number) => (x * x - 1) ** 2 + 0.5 * y * y;
const quadratic = (a: number, b: number) => (x: number, y: number) => 0.5 * (a * x * x + b * y * y);
const pot = (fn: (x: number, y: number) => number, n: number, domain = SQUARE) => sampleAtCentres(gridGeometry(n, domain), fn);

/** D(x) = T R(th) diag(1, ratio) R(th)^T with th = angle + twist x: anisotropic, rotating across the domain. */
function rotatingField(n: number, domain: Domain, T: number, ratio: number, angle: number, twist: number) {
  const g = gridGeometry(n, domain);
  const th = (x: number) => angle + twist * x;
  return {
    kind: 'field' as const,
    temperature: T,
    dxx: sampleAtCentres(g, (x) => T * (Math.cos(th(x)) ** 2 + ratio * Math.sin(th(x)) ** 2)),
    dxy: sampleAtCentres(g, (x) => T * (1 - ratio) * Math.sin(th(x)) * Math.cos(th(x))),
    dyy: sampleAtCentres(g, (x) => T * (Math.sin(th(x)) ** 2 + ratio * Math.cos(th(x)) ** 2)),
  };
}

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};
const min = (a: ArrayLike<number>) => {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]);
  return m;
};

describe('special functions', () => {
  it('erf and erfc match tabulated values to 1e-13 relative', () => {
    const table: [number, number][] = [[0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [2.4, 0.999311486103355]];
    for (const [x, v] of table) {
      expect(Math.abs(erf(x) - v)).toBeLessThan(1e-14);
      expect(Math.abs(erf(-x) + v)).toBeLessThan(1e-14);
    }
    const tails: [number, number][] = [[2.5, 4.069520174449590e-4], [3, 2.209049699858544e-5], [5, 1.537459794428035e-12], [8, 1.122429717298293e-29]];
    for (const [x, v] of tails) expect(Math.abs(erfc(x) / v - 1)).toBeLessThan(1e-12);
  });

  it('Bernoulli B(z) = z/(e^z - 1): B(0) = 1, B(-z) = B(z) + z, smooth across the series switch', () => {
    expect(bernoulli(0)).toBe(1);
    for (const z of [1e-9, 1e-4, 9.99e-4, 1.001e-3, 0.3, 2, 17, 300, 800]) {
      expect(Math.abs(bernoulli(-z) - (bernoulli(z) + z))).toBeLessThan(1e-13 * Math.max(1, z));
    }
    expect(Math.abs(bernoulli(0.999e-3) - bernoulli(1.001e-3))).toBeLessThan(1.1e-6);
    expect(bernoulli(800)).toBeGreaterThanOrEqual(0);
    expect(bernoulli(-800)).toBe(800);
  });
});

describe('initialDensity', () => {
  it('uniform: 1/n^2 in every cell', () => {
    const p = initialDensity({ kind: 'uniform' }, SQUARE, 32);
    expect(p.every((v) => v === 1 / 1024)).toBe(true);
  });

  it('gaussian: the Gaussian integrated over cells (mean exact, variance std^2 + h^2/12)', () => {
    const domain: Domain = { x: [-2, 2], y: [-1, 3] };
    const n = 64, std = 0.2; // walls >= 9 std away: truncation below 1e-18
    const p = initialDensity({ kind: 'gaussian', mean: [0.1, 1.0], std }, domain, n);
    expect(Math.abs(sum(p) - 1)).toBeLessThan(1e-13);
    const m = moments(p, n, domain);
    const h = 4 / n;
    expect(Math.abs(m.mean[0] - 0.1)).toBeLessThan(1e-12);
    expect(Math.abs(m.mean[1] - 1.0)).toBeLessThan(1e-12);
    // Sheppard's correction, exact up to terms of order exp(-2 pi^2 std^2 / h^2)
    expect(Math.abs(m.cov[0] - (std * std + (h * h) / 12))).toBeLessThan(1e-12);
    expect(Math.abs(m.cov[2] - (std * std + (h * h) / 12))).toBeLessThan(1e-12);
    expect(Math.abs(m.cov[1])).toBeLessThan(1e-14);
  });

  it('point: cloud-in-cell, the grid mean equals the point; outside the domain is refused', () => {
    const p = initialDensity({ kind: 'point', at: [0.123, -0.77] }, SQUARE, 64);
    expect(Math.abs(sum(p) - 1)).toBeLessThan(1e-15);
    expect(p.filter((v) => v > 0).length).toBe(4);
    const m = moments(p, 64, SQUARE);
    expect(Math.abs(m.mean[0] - 0.123)).toBeLessThan(1e-14);
    expect(Math.abs(m.mean[1] + 0.77)).toBeLessThan(1e-14);
    expect(() => initialDensity({ kind: 'point', at: [3, 0] }, SQUARE, 64)).toThrow(/outside the domain/);
    expect(() => initialDensity({ kind: 'gaussian', mean: [0, 0], std: 0 }, SQUARE, 64)).toThrow(/std > 0/);
  });
});

describe('Scharfetter–Gummel scheme', () => {
  it('the discrete Gibbs density exp(-f/T)/Z is an exact zero-flux equilibrium (square and rectangular cells)', () => {
    for (const [domain, T] of [[SQUARE, 0.1], [{ x: [-2, 2], y: [-1, 0.5] } as Domain, 0.5], [SQUARE, 0.02]] as const) {
      const n = 48;
      const { coefficients, f } = prepare(n, domain, pot(doubleWell, n, domain), { kind: 'isotropic', temperature: T });
      expect(coefficients.exactGibbs).toBe(true);
      expect(coefficients.geometry.hx === coefficients.geometry.hy).toBe(domain === SQUARE);
      const g = gibbs(f, T);
      const dp = rates(coefficients, g);
      let worst = 0, scale = 0;
      for (let c = 0; c < g.length; c++) {
        worst = Math.max(worst, Math.abs(dp[c]));
        scale = Math.max(scale, (coefficients.axis[4 * c] + coefficients.axis[4 * c + 1]) * g[c]);
      }
      expect(worst).toBeLessThan(1e-13 * scale);
      const J = faceCurrents(coefficients, g);
      expect(Math.max(...J.map(Math.abs))).toBeLessThan(1e-12 * scale);
    }
  });

  it('diagonal constant D with separable f: exp(-g(x)/Dxx - h(y)/Dyy) is the exact equilibrium', () => {
    const n = 40;
    const gx = (x: number) => (x * x - 1) ** 2, hy = (y: number) => 0.5 * y * y + 0.3 * y;
    const { coefficients, f } = prepare(n, SQUARE, pot((x, y) => gx(x) + hy(y), n), { kind: 'constant', temperature: 0.2, matrix: [[1, 0], [0, 2.5]] });
    expect(coefficients.exactGibbs).toBe(false);
    const eq = pot((x, y) => Math.exp(-gx(x) / 0.2 - hy(y) / 0.5), n);
    const z = sum(eq);
    const dp = rates(coefficients, eq.map((v) => v / z));
    expect(Math.max(...dp.map(Math.abs))).toBeLessThan(1e-12);
    // and Gibbs at T is not stationary for it
    expect(Math.max(...rates(coefficients, gibbs(f, 0.2)).map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('refuses a dt above the stable limit with a message that gives the limit', () => {
    const opts: ReferenceOptions = { grid: 64, domain: SQUARE, potential: pot(doubleWell, 64), diffusion: { kind: 'isotropic', temperature: 0.1 }, initial: { kind: 'uniform' } };
    const ref = new FokkerPlanckReference(opts);
    const limit = ref.coefficients.dtLimit;
    expect(ref.dt).toBeCloseTo(0.9 * limit, 15);
    expect(() => new FokkerPlanckReference({ ...opts, dt: 0.01 })).toThrow(
      `FokkerPlanckGrid: dt 0.01 exceeds the stable limit ${formatNumber(limit)} for this grid; lower dt or coarsen the grid`,
    );
    expect(() => chooseDt(limit, -1)).toThrow(/not a positive number/);
    expect(new FokkerPlanckReference({ ...opts, dt: limit }).dt).toBe(limit);
  });

  it('advance(t) keeps PDE time in step: ceil(t/dt) equal substeps', () => {
    const ref = new FokkerPlanckReference({ grid: 32, domain: SQUARE, potential: pot(doubleWell, 32), diffusion: { kind: 'isotropic', temperature: 0.1 }, initial: { kind: 'uniform' } });
    const k = ref.advance(0.1);
    expect(k).toBe(Math.ceil(0.1 / ref.dt));
    expect(ref.time).toBeCloseTo(0.1, 14);
  });
});

describe('conservation, positivity and the H-theorem', () => {
  const cases: [string, Partial<ReferenceOptions>][] = [
    ['isotropic', { diffusion: { kind: 'isotropic', temperature: 0.1 } }],
    ['rotating tensor, limited', { diffusion: rotatingField(32, SQUARE, 0.1, 0.05, 0.6, 1.2), offDiagonal: 'limited' }],
    ['rotating tensor, monotone', { diffusion: rotatingField(32, SQUARE, 0.1, 0.05, 0.6, 1.2), offDiagonal: 'monotone' }],
  ];
  it.each(cases)('%s: mass conserved to 1e-12 and p >= 0 over 5000 substeps', (_name, extra) => {
    const ref = new FokkerPlanckReference({ grid: 32, domain: SQUARE, potential: pot(doubleWell, 32), initial: { kind: 'gaussian', mean: [-1.2, 0.5], std: 0.1 }, ...extra } as ReferenceOptions);
    expect(ref.coefficients.positive).toBe(true);
    for (let r = 0; r < 10; r++) {
      ref.step(500);
      expect(Math.abs(sum(ref.p) - 1)).toBeLessThan(1e-12);
      expect(min(ref.p)).toBeGreaterThanOrEqual(0);
    }
  });

  it("'central' (no limiter) can go negative where D is strongly correlated; 'limited' cannot", () => {
    const opts = { grid: 32, domain: SQUARE, potential: pot(quadratic(1, 2), 32), diffusion: { kind: 'constant', temperature: 0.1, matrix: [[1, 0.95], [0.95, 1]] }, initial: { kind: 'point', at: [0.3, 0.2] } } as ReferenceOptions;
    const central = new FokkerPlanckReference({ ...opts, offDiagonal: 'central' });
    const limited = new FokkerPlanckReference({ ...opts, offDiagonal: 'limited' });
    expect(central.coefficients.positive).toBe(false);
    let worstCentral = 0, worstLimited = 0;
    for (let r = 0; r < 20; r++) {
      central.step(20);
      limited.step(20);
      worstCentral = Math.min(worstCentral, min(central.p));
      worstLimited = Math.min(worstLimited, min(limited.p));
    }
    expect(worstCentral).toBeLessThan(-1e-4);
    expect(worstLimited).toBeGreaterThanOrEqual(0);
    expect(Math.abs(sum(central.p) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(sum(limited.p) - 1)).toBeLessThan(1e-12);
  });

  it('isotropic: KL(p || Gibbs) and F never increase (every substep, allowance 1e-13), F - F_eq = T KL', () => {
    const inits: InitSpec[] = [{ kind: 'uniform' }, { kind: 'gaussian', mean: [1.5, -1], std: 0.05 }];
    for (const initial of inits) {
      const ref = new FokkerPlanckReference({ grid: 32, domain: SQUARE, potential: pot(doubleWell, 32), diffusion: { kind: 'isotropic', temperature: 0.1 }, initial });
      const gEq = new FokkerPlanckReference({ grid: 32, domain: SQUARE, potential: pot(doubleWell, 32), diffusion: { kind: 'isotropic', temperature: 0.1 }, initial: gibbs(ref.f, 0.1) });
      const Feq = gEq.metrics().freeEnergy;
      let prev = ref.metrics();
      for (let s = 0; s < 3000; s++) {
        ref.step(1);
        const m = ref.metrics();
        expect(m.klStationary).toBeLessThanOrEqual(prev.klStationary + 1e-13);
        expect(m.freeEnergy).toBeLessThanOrEqual(prev.freeEnergy + 1e-13);
        prev = m;
      }
      expect(Math.abs(prev.freeEnergy - Feq - 0.1 * prev.klStationary)).toBeLessThan(1e-12);
    }
  });

  it("'monotone' anisotropic scheme: KL to its own stationary state never increases (a positive linear conservative step)", () => {
    const diffusion = rotatingField(24, SQUARE, 0.15, 0.2, 0.3, 1);
    const base = { grid: 24, domain: SQUARE, potential: pot(quadratic(1, 2), 24), diffusion, offDiagonal: 'monotone' } as const;
    const stat = relaxToStationary(new FokkerPlanckReference({ ...base, initial: { kind: 'uniform' } }).coefficients, initialDensity({ kind: 'uniform' }, SQUARE, 24), { tol: 1e-11, maxTime: 200 });
    expect(stat.converged).toBe(true);
    const ref = new FokkerPlanckReference({ ...base, initial: { kind: 'gaussian', mean: [1, 1], std: 0.2 } });
    ref.logStationary = stat.p.map(Math.log);
    let prev = ref.metrics().klStationary;
    for (let s = 0; s < 1500; s++) {
      ref.step(1);
      const kl = ref.metrics().klStationary;
      expect(kl).toBeLessThanOrEqual(prev + 1e-13);
      prev = kl;
    }
    expect(prev).toBeLessThan(0.05);
  });
});

describe('Ornstein–Uhlenbeck: f = (a x^2 + b y^2)/2, D = T I', () => {
  // exact: mean m0 e^{-a t}, variance T/a + (v0 - T/a) e^{-2 a t} per axis
  const a = 1, b = 2.5, T = 0.1, m0: [number, number] = [0.5, -0.4], s0 = 0.15;
  const exact = (t: number) => ({
    mean: [m0[0] * Math.exp(-a * t), m0[1] * Math.exp(-b * t)],
    v: [T / a + (s0 * s0 - T / a) * Math.exp(-2 * a * t), T / b + (s0 * s0 - T / b) * Math.exp(-2 * b * t)],
  });
  function maxError(n: number): number {
    const ref = new FokkerPlanckReference({ grid: n, domain: SQUARE, potential: pot(quadratic(a, b), n), diffusion: { kind: 'isotropic', temperature: T }, initial: { kind: 'gaussian', mean: m0, std: s0 } });
    let err = 0;
    for (const t of [0.1, 0.25, 0.5, 1]) {
      ref.advance(t - ref.time);
      const m = moments(ref.p, n, SQUARE);
      const e = exact(t);
      err = Math.max(err, Math.abs(m.mean[0] - e.mean[0]), Math.abs(m.mean[1] - e.mean[1]), Math.abs(m.cov[0] - e.v[0]), Math.abs(m.cov[2] - e.v[1]), Math.abs(m.cov[1]));
    }
    return err;
  }

  it('mean and variance follow the exact solution; the error shrinks ~h^2 with refinement (32 -> 64 -> 128)', () => {
    const errs = [32, 64, 128].map(maxError);
    console.log(`[OU CPU] max |moment error| at n = 32, 64, 128: ${errs.map((e) => e.toExponential(2)).join(', ')}`);
    expect(errs[2]).toBeLessThan(1e-3);
    expect(errs[0] / errs[1]).toBeGreaterThan(3);
    expect(errs[1] / errs[2]).toBeGreaterThan(3);
  });
});

describe('anisotropic and state-dependent noise: non-equilibrium steady states', () => {
  it('constant correlated D on a quadratic: stationary covariance solves A S + S A = 2 D (Lyapunov), error shrinks with refinement', () => {
    // A = diag(a, b), so S_xx = Dxx/a, S_yy = Dyy/b, S_xy = 2 Dxy/(a + b)
    const a = 1, b = 2, T = 0.1, M: [[number, number], [number, number]] = [[1, 0.7], [0.7, 0.6]];
    const D = [T * M[0][0], T * M[0][1], T * M[1][1]];
    const S = [D[0] / a, (2 * D[1]) / (a + b), D[2] / b];
    const domain: Domain = { x: [-1.6, 1.6], y: [-1.6, 1.6] };
    const errs: number[] = [];
    for (const n of [32, 64]) {
      const ref = new FokkerPlanckReference({ grid: n, domain, potential: pot(quadratic(a, b), n, domain), diffusion: { kind: 'constant', temperature: T, matrix: M }, initial: { kind: 'gaussian', mean: [0, 0], std: 0.3 } });
      expect(ref.coefficients.limited).toBe(true);
      const st = relaxToStationary(ref.coefficients, ref.p, { tol: 1e-9, maxTime: 100 });
      expect(st.converged).toBe(true);
      const { cov } = moments(st.p, n, domain);
      errs.push(Math.max(...cov.map((c, k) => Math.abs(c - S[k]) / Math.abs(S[k]))));
      // not the Gibbs density at T, and a nonzero current
      const m = metrics(ref.coefficients, ref.f, st.p, gibbsLog(ref.f, T));
      expect(m.klStationary).toBeGreaterThan(0.05);
      expect(m.circulation).toBeGreaterThan(0.1);
    }
    console.log(`[Lyapunov CPU] max relative covariance error at n = 32, 64: ${errs.map((e) => e.toExponential(2)).join(', ')}`);
    expect(errs[1]).toBeLessThan(0.02);
    expect(errs[0] / errs[1]).toBeGreaterThan(2);
  });

  it('rotating state-dependent tensor: steady state differs from Gibbs and carries circulation; isotropic: both vanish', () => {
    const n = 32;
    const base = { grid: n, domain: SQUARE, potential: pot(quadratic(1, 1.5), n), initial: { kind: 'uniform' } } as const;
    const iso = new FokkerPlanckReference({ ...base, diffusion: { kind: 'isotropic', temperature: 0.15 } });
    const isoSt = relaxToStationary(iso.coefficients, iso.p, { tol: 1e-11, maxTime: 200 });
    const isoM = metrics(iso.coefficients, iso.f, isoSt.p, gibbsLog(iso.f, 0.15));
    expect(isoM.klStationary).toBeLessThan(1e-12);
    expect(isoM.circulation).toBeLessThan(1e-10);
    const rot = new FokkerPlanckReference({ ...base, diffusion: rotatingField(n, SQUARE, 0.15, 0.1, 0.4, 1.5) });
    const rotSt = relaxToStationary(rot.coefficients, rot.p, { tol: 1e-11, maxTime: 200 });
    expect(rotSt.converged).toBe(true);
    const rotM = metrics(rot.coefficients, rot.f, rotSt.p, gibbsLog(rot.f, 0.15));
    console.log(`[non-equilibrium CPU] KL(steady || Gibbs) ${rotM.klStationary.toExponential(3)}, circulation ${rotM.circulation.toExponential(3)} (isotropic: ${isoM.klStationary.toExponential(1)}, ${isoM.circulation.toExponential(1)})`);
    expect(rotM.klStationary).toBeGreaterThan(0.01);
    expect(rotM.circulation).toBeGreaterThan(1e3 * Math.max(isoM.circulation, 1e-12));
    expect(rotM.circulation).toBeGreaterThan(0.01);
  });

  const logistic = findSurface('logistic-2d');
  it.runIf(logistic?.finiteSum)('minibatch SGD on logistic-2d (true gradient covariance): non-Gibbs steady state with circulation', () => {
    const surface = logistic!.create({}, 3);
    const domain: Domain = { x: [-1, 3], y: [-1, 3] };
    const n = 32;
    const ref = new FokkerPlanckReference({ grid: n, domain, potential: surface, diffusion: { kind: 'minibatch', lr: 0.5, batchSize: 1 }, initial: { kind: 'uniform' } });
    const st = relaxToStationary(ref.coefficients, ref.p, { tol: 1e-9, maxTime: 400 });
    expect(st.converged).toBe(true);
    const m = metrics(ref.coefficients, ref.f, st.p, gibbsLog(ref.f, ref.coefficients.temperature));
    console.log(`[logistic-2d CPU] T_eff ${ref.coefficients.temperature.toExponential(3)}, KL(steady || Gibbs at T_eff) ${m.klStationary.toExponential(3)}, circulation ${m.circulation.toExponential(3)}`);
    expect(m.klStationary).toBeGreaterThan(1e-3);
    expect(m.circulation).toBeGreaterThan(1e-3);
  });
});

describe('ADI option (implicit line sweeps)', () => {
  const base = { grid: 48, domain: { x: [-2, 2], y: [-1.5, 1.5] } as Domain, diffusion: { kind: 'isotropic', temperature: 0.1 } } as const;
  const potential = pot(doubleWell, 48, base.domain);

  it('keeps exp(-f/T)/Z exactly, conserves mass, stays positive, and KL never increases, for any step', () => {
    const g = gibbs(potential, 0.1);
    const still = new FokkerPlanckReference({ ...base, potential, initial: g, integrator: 'adi', dt: 1 });
    still.step(10);
    expect(Math.max(...still.p.map((v, k) => Math.abs(v - g[k])))).toBeLessThan(1e-15);
    for (const dt of [0.01, 0.2, 5]) {
      const ref = new FokkerPlanckReference({ ...base, potential, initial: { kind: 'gaussian', mean: [1.5, 1], std: 0.1 }, integrator: 'adi', dt });
      let prev = ref.metrics().klStationary;
      for (let k = 0; k < 40; k++) {
        ref.step(1);
        expect(Math.abs(sum(ref.p) - 1)).toBeLessThan(1e-12);
        expect(min(ref.p)).toBeGreaterThanOrEqual(0);
        const kl = ref.metrics().klStationary;
        expect(kl).toBeLessThanOrEqual(prev + 1e-13);
        prev = kl;
      }
    }
  });

  it('reaches KL < 1e-4 from uniform in ~70 steps of 0.05 (256^2 double well needs ~9000 Euler substeps)', () => {
    const ref = new FokkerPlanckReference({ ...base, potential, initial: { kind: 'uniform' }, integrator: 'adi', dt: 0.05 });
    let k = 0;
    while (ref.metrics().klStationary >= 1e-4 && k < 200) { ref.step(1); k++; }
    expect(k).toBeLessThan(80);
  });

  it('is first order in time: the OU mean error halves with the step (down to the spatial error)', () => {
    const n = 64, a = 1, b = 2.5, m0: [number, number] = [0.5, -0.4];
    const errAt = (integrator: 'euler' | 'adi', dt?: number) => {
      const ref = new FokkerPlanckReference({ grid: n, domain: SQUARE, potential: pot(quadratic(a, b), n), diffusion: { kind: 'isotropic', temperature: 0.1 }, initial: { kind: 'gaussian', mean: m0, std: 0.15 }, integrator, dt });
      ref.advance(1);
      return moments(ref.p, n, SQUARE).mean[0] - m0[0] * Math.exp(-a);
    };
    const euler = errAt('euler');
    const e1 = errAt('adi', 0.1) - euler, e2 = errAt('adi', 0.05) - euler, e3 = errAt('adi', 0.025) - euler;
    // ratio 2 for a first-order method (second-order terms still show at the larger steps)
    for (const ratio of [e1 / e2, e2 / e3]) {
      expect(ratio).toBeGreaterThan(1.6);
      expect(ratio).toBeLessThan(2.4);
    }
  });

  it('is refused for correlated noise (no Dxy support), with a message', () => {
    expect(() => new FokkerPlanckReference({ ...base, potential, initial: { kind: 'uniform' }, integrator: 'adi', diffusion: { kind: 'constant', temperature: 0.1, matrix: [[1, 0.3], [0.3, 1]] } })).toThrow(
      "FokkerPlanckGrid: integrator 'adi' needs a diagonal diffusion tensor (no Dxy); use 'euler' for correlated noise",
    );
  });
});

describe('metrics and currents', () => {
  it('face currents: div J = -dp/dt on every cell, for every scheme', () => {
    const n = 20;
    for (const offDiagonal of ['limited', 'central', 'monotone'] as const) {
      const { coefficients } = prepare(n, SQUARE, pot(doubleWell, n), rotatingField(n, SQUARE, 0.2, 0.1, 0.5, 1), offDiagonal);
      const p = initialDensity({ kind: 'gaussian', mean: [0.2, -0.3], std: 0.5 }, SQUARE, n);
      const dp = rates(coefficients, p);
      const J = faceCurrents(coefficients, p);
      const { hx, hy } = coefficients.geometry;
      let worst = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const c = j * n + i;
          const out = J[2 * c] * hy - (i > 0 ? J[2 * (c - 1)] * hy : 0) + J[2 * c + 1] * hx - (j > 0 ? J[2 * (c - n) + 1] * hx : 0);
          worst = Math.max(worst, Math.abs(out + dp[c]));
        }
      }
      expect(worst).toBeLessThan(1e-12);
    }
  });

  it('KL(histogram || p): cells without particles add 0; particles where p = 0 count as p = P_FLOOR', () => {
    const n = 4;
    const { coefficients, f } = prepare(n, SQUARE, pot(doubleWell, n), { kind: 'isotropic', temperature: 1 });
    const p = new Float64Array(16);
    p[5] = 0.5; p[6] = 0.3; p[9] = 0.2; // p[0] = 0
    const hist = new Uint32Array(16);
    hist[5] = 6; hist[6] = 2; hist[0] = 2; // cell 9 has mass but no particles; cell 0 has particles but no mass
    const m = metrics(coefficients, f, p, gibbsLog(f, 1), hist);
    const q = (h: number) => h / 10;
    const expected = q(6) * Math.log(q(6) / 0.5) + q(2) * Math.log(q(2) / 0.3) + q(2) * Math.log(q(2) / P_FLOOR);
    expect(m.klHistogram).toBeCloseTo(expected, 12);
    expect(m.histogramCount).toBe(10);
    expect(Number.isNaN(metrics(coefficients, f, p, gibbsLog(f, 1)).klHistogram)).toBe(true);
    // a histogram that follows p exactly gives 0
    const exact = new Uint32Array(16);
    exact[5] = 5; exact[6] = 3; exact[9] = 2;
    expect(Math.abs(metrics(coefficients, f, p, gibbsLog(f, 1), exact).klHistogram)).toBeLessThan(1e-15);
  });

  it('free energy F = E[f] - T H with H the differential entropy; uniform p has H = log(area)', () => {
    const n = 16;
    const ref = new FokkerPlanckReference({ grid: n, domain: SQUARE, potential: pot(doubleWell, n), diffusion: { kind: 'isotropic', temperature: 0.3 }, initial: { kind: 'uniform' } });
    const m = ref.metrics();
    expect(m.entropy).toBeCloseTo(Math.log(16), 12);
    expect(m.freeEnergy).toBeCloseTo(m.meanLoss - 0.3 * m.entropy, 14);
    expect(m.mass).toBeCloseTo(1, 14);
  });
});

describe('WGSL struct layouts', () => {
  // webgpu-utils' reflection names shader stages by the WebGPU constants, which Node lacks
  (globalThis as { GPUShaderStage?: object }).GPUShaderStage ??= { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 };
  const code = (entry: string) => composeShader(entry, SHADER_SOURCES).code;

  it('both Euler kernels read FpStep from the shared preamble: dt (f32) where the grid packs it, within one uniform slot', () => {
    for (const kernel of ['fokker_planck_step.wgsl', 'fokker_planck_step_fast.wgsl']) {
      expect(code(kernel)).toContain(SHADER_SOURCES['lib/fokker_planck_step_common.wgsl']);
      const view = structView(code(kernel), 'step');
      const dt = (view.views as Record<string, Float32Array>).dt;
      expect(dt).toBeInstanceOf(Float32Array);
      expect([dt.byteOffset, dt.length]).toEqual([0, 1]);
      expect(view.arrayBuffer.byteLength).toBeLessThanOrEqual(UNIFORM_SLOT_BYTES);
      // what EulerStage writes for a substep: dt, then zero padding
      view.set({ dt: 0.125 });
      expect(Array.from(new Float32Array(view.arrayBuffer))).toEqual([0.125, 0, 0, 0]);
    }
  });

  it('FpMetricsParams has the has_hist flag (u32) the metrics stage sets; the metrics block holds the 12 sums parseMetrics reads', () => {
    const params = structView(code('fokker_planck_reduce.wgsl'), 'params');
    const hasHist = (params.views as Record<string, Uint32Array>).has_hist;
    expect(hasHist).toBeInstanceOf(Uint32Array);
    params.set({ has_hist: 1 });
    expect(Array.from(new Uint32Array(params.arrayBuffer))).toEqual([1, 0, 0, 0]);
    const block = structView(code('fokker_planck_reduce_final.wgsl'), 'totals');
    expect(block.arrayBuffer.byteLength).toBe(4 * FP_METRICS_SUMS);
    const sums = Float32Array.from({ length: FP_METRICS_SUMS }, (_, k) => k + 1);
    // sums 1..12: mass 1, E[f] 2, sum p log(p/area) 3, KL 4 + 5, hist S 6 / N 7, circulation 8, |J| 9
    const m = MetricsStage.parse(sums, 0.5);
    expect([m.mass, m.meanLoss, m.entropy, m.freeEnergy, m.klStationary, m.histogramCount, m.circulation, m.currentL1]).toEqual([1, 2, -3, 2 + 0.5 * 3, 9, 7, 8, 9]);
    expect(m.klHistogram).toBeCloseTo(6 / 7 - Math.log(7), 6);
  });
});
