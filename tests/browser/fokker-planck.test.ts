// FokkerPlanckGrid on the GPU (headless Chromium, SwiftShader) against its
// float64 CPU reference and the PDE's laws. Every GPU call runs inside
// validation/OOM error scopes (harness gpuTest), the grid's output buffers are
// pre-filled with a NaN sentinel (a skipped element would survive as NaN and
// fail the finiteness checks), and every buffer is destroyed afterwards.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { caseOptions, finiteSumAvailable, type FpCase, type FpRun } from './harness/fokker-planck';
import { FokkerPlanckReference, gibbs, moments } from '../../src/sim/fokker-planck/reference';
import type { FokkerPlanckMetrics } from '../../src/sim/fokker-planck/types';

const lab = useLabPage();

const run = (c: FpCase, plan: Parameters<typeof import('./harness/fokker-planck').runCase>[1]) => lab.call<FpRun>('fokker-planck', 'runCase', c, plan);
const T = 0.1;
const doubleWell = (grid: number, initial: FpCase['initial'], extra: Partial<FpCase> = {}): FpCase => ({
  grid, potential: { kind: 'double-well' }, diffusion: { kind: 'isotropic', temperature: T }, initial, ...extra,
});
const rotating = { kind: 'rotating', temperature: 0.15, ratio: 0.1, angle: 0.4, twist: 1.5 } as const;

function expectClean(r: FpRun) {
  for (const rec of r.records) {
    expect(rec.nonFinite).toBe(0);
    expect(rec.minDensity).toBeGreaterThanOrEqual(0);
  }
}
const sum = (a: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; };
const l1 = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]); return s; };
const maxAbs = (a: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i])); return m; };

describe('FokkerPlanckGrid: GPU substeps against the float64 CPU reference', () => {
  // Tolerance: densities and coefficients are float32 (relative rounding
  // 2^-24 = 6e-8). One Euler substep p + dt * sum(A p_nb - B p) adds about
  // ten roundings of terms each at most p_max (dt * rate <= 1 at the limit),
  // and the positive conservative step does not amplify old errors, so after
  // k substeps |p_gpu - p_cpu| <= k * 10 * 6e-8 * p_max: 6e-5 p_max for
  // k = 100. An ADI step is two stochastic-matrix solves whose float32
  // factors and sweeps round ~4n times along a line, but with weights that
  // sum to 1: a few 1e-6 relative per step, far inside the same bound.
  // (Observed errors are ~1e-7: roundings do not all align.)
  const TOL = 6e-5;
  const gaussian: FpCase['initial'] = { kind: 'gaussian', mean: [-1, 0.3], std: 0.2 };
  const cases: [string, FpCase, number[]][] = [
    ['isotropic, vectorised kernel, 64^2 (100 substeps, then 101: the odd count ends with a copy)', doubleWell(64, gaussian), [100, 101]],
    ['isotropic, generic kernel (n % 4 != 0), rectangular cells', doubleWell(62, { kind: 'gaussian', mean: [0.5, 0.1], std: 0.3 }, { domain: { x: [-2, 2], y: [-1.5, 1.5] } }), [100]],
    ['rotating tensor, limited cross flux', { grid: 64, potential: { kind: 'quadratic', a: 1, b: 1.5 }, diffusion: rotating, initial: { kind: 'gaussian', mean: [0.3, -0.2], std: 0.25 } }, [100]],
    ['rotating tensor, monotone diagonal exchanges', { grid: 64, potential: { kind: 'quadratic', a: 1, b: 1.5 }, diffusion: rotating, initial: { kind: 'gaussian', mean: [0.3, -0.2], std: 0.25 }, offDiagonal: 'monotone' }, [100]],
    ['ADI line sweeps, rectangular cells, steps of 0.05', doubleWell(62, gaussian, { domain: { x: [-2, 2], y: [-1.5, 1.5] }, integrator: 'adi', dt: 0.05 }), [1, 6]],
  ];
  it.each(cases)('%s', async (name, c, records) => {
    const r = await run(c, { records, density: true, metrics: true, current: true });
    expectClean(r);
    const ref = new FokkerPlanckReference(caseOptions(c));
    // the GPU's dt comes from the float32 coefficients' limit and is stored as float32
    expect(Math.abs(r.dt / ref.dt - 1)).toBeLessThan(1e-6);
    let done = 0;
    for (const rec of r.records) {
      ref.step(rec.substeps - done, c.integrator === 'adi' ? ref.dt : Math.fround(r.dt));
      done = rec.substeps;
      const p = rec.density!;
      const pmax = maxAbs(ref.p);
      const err = maxAbs(p.map((v, k) => v - ref.p[k]));
      console.log(`[GPU vs CPU] ${name}, ${rec.substeps} steps: max |dp| / p_max = ${(err / pmax).toExponential(2)} (tolerance ${TOL})`);
      expect(err).toBeLessThan(TOL * pmax);
      // face currents and metrics of the same density
      const J = ref.currents();
      const jmax = maxAbs(J);
      expect(maxAbs(rec.current!.map((v, k) => v - J[k]))).toBeLessThan(TOL * jmax);
      const m = ref.metrics();
      const g = rec.metrics!;
      expect(Math.abs(g.mass - 1)).toBeLessThan(1e-5);
      expect(Math.abs(g.meanLoss - m.meanLoss)).toBeLessThan(1e-5 * Math.abs(m.meanLoss) + 1e-6);
      expect(Math.abs(g.entropy - m.entropy)).toBeLessThan(1e-4 * Math.abs(m.entropy) + 1e-5);
      expect(Math.abs(g.klStationary - m.klStationary)).toBeLessThan(1e-4 * m.klStationary + 1e-5);
      expect(Math.abs(g.freeEnergy - m.freeEnergy)).toBeLessThan(1e-4 * Math.abs(m.freeEnergy) + 1e-5);
      expect(Math.abs(g.circulation - m.circulation)).toBeLessThan(1e-3 * m.circulation + 1e-5);
      expect(Math.abs(g.currentL1 - m.currentL1)).toBeLessThan(1e-3 * m.currentL1 + 1e-6);
    }
  });

  it('metrics with a histogram: GPU equals CPU, including cells with particles but no mass', async () => {
    const c = doubleWell(64, { kind: 'point', at: [0.51, -0.27] });
    const hist = new Array(64 * 64).fill(0);
    hist[40 * 64 + 40] = 700; hist[40 * 64 + 41] = 200; hist[41 * 64 + 40] = 90; // near the point
    hist[3] = 10; // far away: p = 0 there, counted with p = P_FLOOR
    const r = await run(c, { records: [0, 7], metrics: true, density: true, histogram: hist });
    expectClean(r);
    const ref = new FokkerPlanckReference(caseOptions(c));
    let done = 0;
    for (const rec of r.records) {
      ref.step(rec.substeps - done, Math.fround(r.dt));
      done = rec.substeps;
      const m = ref.metrics(hist);
      const g = rec.metrics!;
      expect(g.histogramCount).toBe(1000);
      expect(Math.abs(g.klHistogram - m.klHistogram)).toBeLessThan(2e-5 * Math.abs(m.klHistogram));
      expect(Math.abs(g.klStationary - m.klStationary)).toBeLessThan(1e-5 * m.klStationary);
    }
    expect(r.records[0].metrics!.klHistogram).toBeGreaterThan(0.01 * Math.log(1e12)); // the far cell's floor term dominates
  });

  it('every output element is written (NaN sentinel) and a dt above the limit is refused', async () => {
    const raw = await lab.call<Float32Array>('fokker-planck', 'rawMetrics', doubleWell(64, { kind: 'uniform' }));
    expect(Array.from(raw).every(Number.isFinite)).toBe(true);
    const msg = await lab.call<string>('fokker-planck', 'creationError', doubleWell(64, { kind: 'uniform' }, { dt: 0.01 }));
    expect(msg).toMatch(/^FokkerPlanckGrid: dt 0\.01 exceeds the stable limit \d\.\d+(e-\d+)? for this grid; lower dt or coarsen the grid$/);
  });
});

describe('FokkerPlanckGrid: laws on the GPU', () => {
  it('exact discrete equilibrium: exp(-f/T)/Z does not move (L1 change < 1e-6 after 1000 substeps; ADI: 100 steps of 0.1)', async () => {
    const runs: [string, FpCase, number][] = [
      ['Euler 64^2', doubleWell(64, { kind: 'gibbs' }), 1000],
      ['Euler 62^2 (generic kernel)', doubleWell(62, { kind: 'gibbs' }), 1000],
      ['ADI 64^2', doubleWell(64, { kind: 'gibbs' }, { integrator: 'adi', dt: 0.1 }), 100],
    ];
    for (const [name, c, steps] of runs) {
      const r = await run(c, { records: [steps], density: true });
      expectClean(r);
      const change = l1(r.records[0].density!, r.initial);
      console.log(`[equilibrium] ${name}: L1 change after ${steps} steps ${change.toExponential(2)}`);
      expect(change).toBeLessThan(1e-6);
    }
  });

  it('from uniform the density converges to exp(-f/T)/Z (L1 < 1e-4 on 128^2)', async () => {
    const c = doubleWell(128, { kind: 'uniform' });
    const r = await run(c, { records: [6], byTime: true, density: true, chunk: 4000 });
    expectClean(r);
    const g = gibbs(new FokkerPlanckReference(caseOptions(c)).f, T);
    const dist = l1(r.records[0].density!, g);
    console.log(`[equilibrium] 128^2 from uniform, t = 6 (${r.records[0].substeps} substeps): L1 to Gibbs ${dist.toExponential(2)}`);
    expect(dist).toBeLessThan(1e-4);
  });

  it('mass conserved to 1e-5 relative over 1e5 substeps (64^2), density never negative', async () => {
    const records = Array.from({ length: 10 }, (_, k) => (k + 1) * 10_000);
    const r = await run(doubleWell(64, { kind: 'gaussian', mean: [-1, 0.5], std: 0.1 }), { records, density: true, chunk: 5000 });
    expectClean(r);
    for (const rec of r.records) expect(Math.abs(sum(rec.density!) - 1)).toBeLessThan(1e-5);
    console.log(`[mass] after 1e5 substeps: |sum p - 1| = ${Math.abs(sum(r.records[9].density!) - 1).toExponential(2)}, ${r.ms.toFixed(0)} ms`);
  });

  it('H-theorem: KL(p || Gibbs) and the free energy never increase (float32 allowance)', async () => {
    // Allowance: the GPU sums are float32; KL is summed as s phi(p/s - 1) +
    // (p - s), accurate to ~1e-6 relative plus the float32 mass error of
    // sum(p - s) (~1e-7); F is accurate to ~1e-6 relative (log and the
    // products p f round at 2^-24, summed over 4096 cells).
    const records = Array.from({ length: 40 }, (_, k) => (k + 1) * 100);
    const r = await run(doubleWell(64, { kind: 'gaussian', mean: [0.2, 1], std: 0.15 }), { records, metrics: true });
    expectClean(r);
    const ms = r.records.map((x) => x.metrics!);
    for (let k = 1; k < ms.length; k++) {
      expect(ms[k].klStationary).toBeLessThanOrEqual(ms[k - 1].klStationary + 2e-6 * ms[k - 1].klStationary + 2e-7);
      expect(ms[k].freeEnergy).toBeLessThanOrEqual(ms[k - 1].freeEnergy + 2e-6 * Math.abs(ms[k - 1].freeEnergy) + 2e-7);
    }
    expect(ms[ms.length - 1].klStationary).toBeLessThan(0.1 * ms[0].klStationary);
    // ADI: every step is a stochastic matrix fixing the Gibbs density too
    const adi = await run(doubleWell(64, { kind: 'uniform' }, { integrator: 'adi', dt: 0.1 }), { records: Array.from({ length: 40 }, (_, k) => k + 1), metrics: true });
    expectClean(adi);
    const ma = adi.records.map((x) => x.metrics!);
    for (let k = 1; k < ma.length; k++) {
      expect(ma[k].klStationary).toBeLessThanOrEqual(ma[k - 1].klStationary + 2e-6 * ma[k - 1].klStationary + 2e-7);
      expect(ma[k].freeEnergy).toBeLessThanOrEqual(ma[k - 1].freeEnergy + 2e-6 * Math.abs(ma[k - 1].freeEnergy) + 2e-7);
    }
    expect(ma[ma.length - 1].klStationary).toBeLessThan(1e-4);
  });

  it('Ornstein–Uhlenbeck: mean and variance follow the exact solution; the error shrinks 64 -> 128 -> 256', async () => {
    const a = 1, b = 2.5, m0: [number, number] = [0.5, -0.4], s0 = 0.15;
    const times = [0.1, 0.25, 0.5];
    const errs: number[] = [];
    for (const grid of [64, 128, 256]) {
      const c: FpCase = { grid, potential: { kind: 'quadratic', a, b }, diffusion: { kind: 'isotropic', temperature: T }, initial: { kind: 'gaussian', mean: m0, std: s0 } };
      const r = await run(c, { records: times, byTime: true, density: true, chunk: 4000 });
      expectClean(r);
      let err = 0;
      r.records.forEach((rec, k) => {
        const t = times[k];
        expect(rec.time).toBeCloseTo(t, 9);
        const m = moments(rec.density!, grid, { x: [-2, 2], y: [-2, 2] });
        const mean = [m0[0] * Math.exp(-a * t), m0[1] * Math.exp(-b * t)];
        const v = [T / a + (s0 * s0 - T / a) * Math.exp(-2 * a * t), T / b + (s0 * s0 - T / b) * Math.exp(-2 * b * t)];
        err = Math.max(err, Math.abs(m.mean[0] - mean[0]), Math.abs(m.mean[1] - mean[1]), Math.abs(m.cov[0] - v[0]), Math.abs(m.cov[2] - v[1]), Math.abs(m.cov[1]));
      });
      errs.push(err);
    }
    console.log(`[OU GPU] max |moment error| at 64, 128, 256: ${errs.map((e) => e.toExponential(2)).join(', ')}`);
    expect(errs[2]).toBeLessThan(1e-4);
    expect(errs[0] / errs[1]).toBeGreaterThan(3);
    expect(errs[1] / errs[2]).toBeGreaterThan(2.5);
  });
});

describe('FokkerPlanckGrid: non-equilibrium steady states on the GPU', () => {
  const quad = { kind: 'quadratic', a: 1, b: 1.5 } as const;
  const steady = (c: FpCase, maxTime = 60) => lab.call<{ metrics: FokkerPlanckMetrics; converged: boolean; time: number; minDensity: number }>(
    'fokker-planck', 'steadyMetrics', c, { tol: 2e-5, maxTime });

  it('rotating anisotropic D(x): steady state far from exp(-f/T)/Z with circulation; isotropic: neither', async () => {
    const iso = await steady({ grid: 64, potential: quad, diffusion: { kind: 'isotropic', temperature: 0.15 }, initial: { kind: 'uniform' } });
    const rot = await steady({ grid: 64, potential: quad, diffusion: rotating, initial: { kind: 'uniform' } });
    console.log(`[non-equilibrium GPU] KL(steady || Gibbs): rotating ${rot.metrics.klStationary.toExponential(2)}, isotropic ${iso.metrics.klStationary.toExponential(2)}; ` +
      `circulation: rotating ${rot.metrics.circulation.toExponential(2)}, isotropic ${iso.metrics.circulation.toExponential(2)}`);
    for (const r of [iso, rot]) {
      expect(r.converged).toBe(true);
      expect(r.minDensity).toBeGreaterThanOrEqual(0);
    }
    expect(Math.abs(iso.metrics.klStationary)).toBeLessThan(1e-5);
    expect(rot.metrics.klStationary).toBeGreaterThan(0.05);
    expect(rot.metrics.circulation).toBeGreaterThan(0.1);
    expect(iso.metrics.circulation).toBeLessThan(1e-3 * rot.metrics.circulation);
    // the GPU steady state is the CPU reference's (same scheme), here through its KL to Gibbs
    const ref = new FokkerPlanckReference(caseOptions({ grid: 64, potential: quad, diffusion: rotating, initial: { kind: 'uniform' } }));
    const { metrics } = await import('../../src/sim/fokker-planck/reference');
    const { relaxToStationary } = await import('../../src/sim/fokker-planck/relax');
    const st = relaxToStationary(ref.coefficients, ref.p, { tol: 1e-8, maxTime: 60 });
    const cpu = metrics(ref.coefficients, ref.f, st.p, ref.logStationary);
    expect(Math.abs(rot.metrics.klStationary - cpu.klStationary)).toBeLessThan(1e-3 * cpu.klStationary);
    expect(Math.abs(rot.metrics.circulation - cpu.circulation)).toBeLessThan(1e-2 * cpu.circulation);
  });

  it.runIf(finiteSumAvailable('logistic-2d'))('minibatch SGD on logistic-2d (true gradient covariance): non-Gibbs steady state with circulation', async () => {
    const c: FpCase = { grid: 32, domain: { x: [-1, 3], y: [-1, 3] }, potential: { kind: 'surface', name: 'logistic-2d', seed: 3 }, diffusion: { kind: 'minibatch', lr: 0.5, batchSize: 1 }, initial: { kind: 'uniform' } };
    const r = await steady(c, 300);
    console.log(`[logistic-2d GPU] KL(steady || Gibbs at mean trace/2) ${r.metrics.klStationary.toExponential(2)}, circulation ${r.metrics.circulation.toExponential(2)}, relaxed in t = ${r.time.toFixed(1)}`);
    expect(r.converged).toBe(true);
    expect(r.minDensity).toBeGreaterThanOrEqual(0);
    expect(r.metrics.klStationary).toBeGreaterThan(1e-3);
    expect(r.metrics.circulation).toBeGreaterThan(1e-3);
  });
});

describe('FokkerPlanckGrid: speed (logged, not asserted)', () => {
  it('256^2 double well, T = 0.1, from uniform to KL(p || Gibbs) < 1e-4', async () => {
    // ADI steps of 0.05: a metrics readback every 4 steps (included in the time)
    const adi = await lab.call<{ ms: number; substeps: number; time: number; kl: number; reached: boolean; dt: number }>('fokker-planck', 'timeToKl', doubleWell(256, { kind: 'uniform' }, { integrator: 'adi', dt: 0.05 }), 1e-4, 4, 400);
    console.log(`[speed] 256^2 to KL < 1e-4 with ADI: ${(adi.ms / 1000).toFixed(2)} s wall, ${adi.substeps} steps of ${adi.dt} (t = ${adi.time.toFixed(2)}), KL ${adi.kl.toExponential(2)}`);
    expect(adi.reached).toBe(true);
    // explicit Euler: its throughput over 600 substeps, and the time its ~9000 substeps would take
    // (bench/fokker-planck.ts measures the full explicit run)
    const eu = await lab.call<{ ms: number; substeps: number; time: number; kl: number; dt: number }>('fokker-planck', 'timeToKl', doubleWell(256, { kind: 'uniform' }), 0, 300, 600);
    const rate = (eu.substeps * 256 * 256) / (eu.ms / 1000);
    const needed = Math.ceil(3.43 / eu.dt);
    console.log(`[speed] explicit Euler 256^2: ${rate.toExponential(2)} cell-updates/s (dt ${eu.dt.toExponential(3)}); the ~${needed} substeps to KL < 1e-4 (t = 3.43) would take ~${((needed * 256 * 256) / rate).toFixed(1)} s`);
  });
});
