// Landscape analysis on the GPU: the many-start damped Newton kernel against
// its CPU reference, and escape times from the double well recorded on the
// GPU particle engine against the reference stepper and the Kramers law.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { requireScenario } from '../../src/model/scenario';
import { findSurface } from '../../src/model/surfaces';
import { stepConfig } from '../../src/sim/particles/step-config';
import {
  basinExit, criticalSearchSetup, escapeStatistics, escapeTimesCpu, findCriticalPoints, kramersTime, manyStartNewton,
  meanFirstPassage1d, NEWTON_STATUS, type CriticalReport, type NewtonOptions, type NewtonResult, type NewtonStatus,
} from '../../src/sim/analysis';

const lab = useLabPage();

function decode(results: Float32Array, info: Uint32Array): NewtonResult[] {
  return Array.from(info, (w, i) => ({
    at: [results[4 * i], results[4 * i + 1]], gradientNorm: results[4 * i + 2], mu: results[4 * i + 3],
    status: (w & 0xff) as NewtonStatus, iterations: w >>> 8,
  }));
}

describe('many-start damped Newton kernel', () => {
  const cases: { name: string; params: Record<string, number> }[] = [
    { name: 'himmelblau', params: {} },
    { name: 'muller-brown', params: {} },
    { name: 'six-hump-camel', params: {} },
    { name: 'ring-valley', params: { R: 1.2 } },
    { name: 'deep-linear', params: { samples: 32 } },
  ];
  it.each(cases)('$name: GPU starts agree with the CPU reference; the same critical points after the CPU polish', async ({ name, params }) => {
    const surface = findSurface(name)!.create(params, 7);
    const { seeds, options } = criticalSearchSetup(surface, surface.domain, { seedsPerAxis: 24 });
    // the GPU reads float32 starts and options: the reference starts from the same numbers
    const starts = Array.from(Float32Array.from(seeds));
    const opts: NewtonOptions = { ...options, gtol: Math.fround(options.gtol) };
    const gpu = await lab.call<{ results: Float32Array; info: Uint32Array; ms: number }>('analysis', 'newtonStarts', name, params, 7, starts, opts);
    const g = decode(gpu.results, gpu.info);
    const c = manyStartNewton(surface, starts, opts);
    expect(g.every((r) => r.status <= NEWTON_STATUS.outside), 'every start written').toBe(true);
    const width = Math.max(surface.domain.x[1] - surface.domain.x[0], surface.domain.y[1] - surface.domain.y[0]);
    let same = 0, bothConverged = 0, close = 0;
    g.forEach((r, i) => {
      if (r.status === c[i].status) same++;
      if (r.status === NEWTON_STATUS.converged && c[i].status === NEWTON_STATUS.converged) {
        bothConverged++;
        if (Math.hypot(r.at[0] - c[i].at[0], r.at[1] - c[i].at[1]) <= 1e-3 * width) close++;
      }
    });
    console.log(`[newton] ${name}: ${g.length} starts in ${gpu.ms.toFixed(1)} ms; status agrees ${same}, both converged ${bothConverged}, of which within 1e-3 of the domain ${close}`);
    expect(g.every((r) => Number.isFinite(r.at[0]) || r.status === NEWTON_STATUS.outside)).toBe(true);
    // float32 and float64 iterates part ways only for starts on a boundary between basins of attraction
    // (and where float32 overflows: the Müller–Brown corners, whose starts converge nowhere)
    const eitherConverged = g.filter((r, i) => r.status === NEWTON_STATUS.converged || c[i].status === NEWTON_STATUS.converged).length;
    expect(bothConverged / eitherConverged).toBeGreaterThan(0.97);
    expect(bothConverged / g.length).toBeGreaterThan(0.3);
    expect(close / bothConverged).toBeGreaterThan(0.97);
    if (name !== 'muller-brown') expect(same / g.length).toBeGreaterThan(0.97);
    // after the float64 polish the GPU starts give the CPU's critical points
    const fromGpu = findCriticalPoints(surface, surface.domain, { seedsPerAxis: 24, starts: g });
    const fromCpu = findCriticalPoints(surface, surface.domain, { seedsPerAxis: 24 });
    expect(fromGpu.points.map((p) => p.kind)).toEqual(fromCpu.points.map((p) => p.kind));
    fromGpu.points.forEach((p, k) => expect(Math.hypot(p.at[0] - fromCpu.points[k].at[0], p.at[1] - fromCpu.points[k].at[1])).toBeLessThan(1e-8 * width));
    expect(fromGpu.manifolds.map((m) => m.kind)).toEqual(fromCpu.manifolds.map((m) => m.kind));
  });
});

describe('findCriticalPointsGpu', () => {
  it('Müller–Brown from the GPU kernel: the three minima and two saddles', async () => {
    const r = await lab.call<CriticalReport>('analysis', 'criticalGpu', 'muller-brown', {}, 7, 32);
    expect(r.points.map((p) => p.kind)).toEqual(['minimum', 'minimum', 'minimum', 'saddle', 'saddle']);
    expect(r.points[0].value).toBeCloseTo(-146.699517, 5);
    expect(r.points[4].value).toBeCloseTo(-40.664844, 5);
  });
});

function doubleWell(T: number, count: number, seed: number) {
  return {
    seed, surface: { name: 'double-well', params: { h: 1 } },
    particles: { count, init: { kind: 'point', at: [-1, 0] } },
    panels: [{ optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: T } }],
  };
}

describe('escape times on the GPU particle engine', () => {
  // committed to the right well once half way from the saddle (0, 0) to the minimum (1, 0)
  const surface = findSurface('double-well')!.create({ h: 1 }, 0);
  const exit = basinExit(surface, [-1, 0], [0, 0], { beyond: [1, 0] });

  it('exit check inside the step kernel (every 10 steps, encoded 7 steps at a time): first-passage steps match the CPU reference particle by particle', async () => {
    const json = doubleWell(0.5, 256, 3);
    // 7-step chunks: checks fall inside dispatches, not at their ends, so a check tied to the chunk would show
    const gpu = await lab.call<{ first: Uint32Array; status: Uint32Array }>('analysis', 'escapeSteps', json, exit, 3000, 10, 7);
    const { scenario, surface: s } = requireScenario(json);
    const cpu = escapeTimesCpu(s, stepConfig(scenario.panels[0], scenario.domain), scenario.seed, 0, [-1, 0], 256, exit, 3000, 10);
    let same = 0;
    gpu.first.forEach((t, i) => { if (t === cpu[i]) same++; });
    console.log(`[escape] in-kernel check vs CPU first passage: ${same}/256 identical, ${gpu.first.filter((t) => t > 0).length} escaped`);
    expect(gpu.status.every((v) => v === 0)).toBe(true);
    // every record is a check's step (a multiple of 10): none from a chunk's end
    expect(gpu.first.every((t) => t % 10 === 0)).toBe(true);
    // float32 and float64 paths differ only for a particle at the exit line at a check
    expect(same).toBeGreaterThanOrEqual(250);
  });

  it('EscapeRun (fused steps, exit checked every step): first-passage steps match the CPU reference particle by particle', async () => {
    const json = doubleWell(0.5, 256, 5);
    const gpu = await lab.call<{ first: Uint32Array; status: Uint32Array }>('analysis', 'escapeRun', json, exit, [-1, 0], 3000);
    const { scenario, surface: s } = requireScenario(json);
    const cpu = escapeTimesCpu(s, stepConfig(scenario.panels[0], scenario.domain), scenario.seed, 0, [-1, 0], 256, exit, 3000, 1);
    let same = 0;
    gpu.first.forEach((t, i) => { if (t === cpu[i]) same++; });
    console.log(`[escape] run vs CPU first passage: ${same}/256 identical, ${gpu.first.filter((t) => t > 0).length} escaped`);
    expect(gpu.status.every((v) => v === 0)).toBe(true);
    expect(same).toBeGreaterThanOrEqual(250);
  });

  it('mean escape times at T = 1/3 and 1/4 follow the Kramers law exp(dF (1/T2 - 1/T1)) within the statistical error', async () => {
    const n = 4096, lr = 0.01;
    const temps = [1 / 3, 1 / 4];
    const stats = [];
    for (const [k, T] of temps.entries()) {
      const tau = kramersTime(surface, [-1, 0], [0, 0], T).tau / lr;
      // up to 7 Kramers times (the run stops when all have left); the few left inside enter the censored mean
      const maxSteps = Math.ceil(7 * tau);
      const r = await lab.call<{ first: Uint32Array; steps: number; ms: number }>('analysis', 'escapeRun', doubleWell(T, n, 100 + k), exit, [-1, 0], maxSteps);
      const st = escapeStatistics(r.first, r.steps, lr);
      const exact = meanFirstPassage1d((x) => (x * x - 1) ** 2, -1, 0.5, T, -3);
      console.log(`[escape] T=${T.toFixed(4)}: ${st.escaped}/${n} escaped in ${r.steps} steps (${(r.ms / 1000).toFixed(1)} s), mean ${st.meanTime.toFixed(3)} ± ${(st.meanTime * st.relativeError).toFixed(3)} (PDE time), exact 1-D ${exact.toFixed(3)}, Kramers ${(tau * lr).toFixed(3)}`);
      // each mean against the exact mean first-passage time: 4 standard errors plus 3% for the Euler step lr = 0.01
      expect(Math.abs(st.meanTime / exact - 1)).toBeLessThan(4 * st.relativeError + 0.03);
      stats.push(st);
    }
    const dF = 1;
    const predicted = Math.exp(dF * (1 / temps[1] - 1 / temps[0]));
    const measured = stats[1].meanTime / stats[0].meanTime;
    // the log of a ratio of two means of n exponential times: standard error sqrt(1/n1 + 1/n2)
    const se = Math.sqrt(1 / stats[0].escaped + 1 / stats[1].escaped);
    // the exact 1-D ratio: how far the Kramers asymptotics itself is off at these temperatures
    const V = (x: number) => (x * x - 1) ** 2;
    const exactRatio = meanFirstPassage1d(V, -1, 0.5, temps[1], -3) / meanFirstPassage1d(V, -1, 0.5, temps[0], -3);
    console.log(`[escape] ratio tau(1/4)/tau(1/3): measured ${measured.toFixed(4)}, Kramers exp(dF (1/T2 - 1/T1)) ${predicted.toFixed(4)}: ln(measured/predicted) ${(Math.log(measured / predicted)).toFixed(4)} ± ${se.toFixed(4)}; exact 1-D ${exactRatio.toFixed(4)}`);
    expect(Math.abs(Math.log(exactRatio / predicted))).toBeLessThan(se / 2);
    expect(Math.abs(Math.log(measured / predicted))).toBeLessThan(4 * se);
  });
});
