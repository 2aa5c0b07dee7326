// Page side of the analysis tests: the many-start Newton kernel over a seed
// grid, and first-passage times of a particle panel recorded on the GPU.
import { readBuffer } from '../../../src/gpu/buffers';
import { requireScenario } from '../../../src/model/scenario';
import { findSurface } from '../../../src/model/surfaces';
import { findCriticalPointsGpu, ManyStartNewton } from '../../../src/sim/analysis/newton-gpu';
import { EscapeRun } from '../../../src/sim/analysis/escape-gpu';
import type { Vec2 } from '../../../src/model/surface-types';
import type { BasinExit } from '../../../src/sim/analysis/escape';
import type { NewtonOptions } from '../../../src/sim/analysis/newton-reference';
import { ParticleSystem } from '../../../src/sim/particles/particle-system';
import { initConfig, stepConfig } from '../../../src/sim/particles/step-config';
import { SurfaceBinding } from '../../../src/sim/surface-binding';
import { gpuTest } from './gpu';

const NAN_BITS = 0x7fc00000;

/** K damped-Newton iterations from every start on the GPU: results (x, y, |g|, mu) and info words. */
export function newtonStarts(name: string, params: Record<string, number>, seed: number, starts: number[], options: NewtonOptions) {
  return gpuTest(`analysis.newtonStarts(${name})`, async (device, track) => {
    const surface = findSurface(name)!.create(params, seed);
    const binding = track(new SurfaceBinding(device, surface));
    const newton = track(await ManyStartNewton.create({ device, binding, starts, options }));
    // sentinels: a start the kernel never wrote stays NaN / 0xffffffff
    device.queue.writeBuffer(newton.results, 0, new Uint32Array(4 * newton.count).fill(NAN_BITS));
    device.queue.writeBuffer(newton.info, 0, new Uint32Array(newton.count).fill(0xffffffff));
    const enc = device.createCommandEncoder();
    newton.encode(enc);
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    const ms = performance.now() - t0;
    return {
      results: new Float32Array(await readBuffer(device, newton.results, 16 * newton.count)),
      info: new Uint32Array(await readBuffer(device, newton.info, 4 * newton.count)),
      ms,
    };
  });
}

/**
 * Runs panel 0 of a scenario for maxSteps steps with the step kernel's exit
 * check every `checkEvery` steps, encoding `chunk` steps at a time (as frames
 * of that size would); returns the first-passage steps.
 */
export function escapeSteps(scenarioJson: unknown, exit: BasinExit, maxSteps: number, checkEvery: number, chunk: number) {
  return gpuTest('analysis.escapeSteps', async (device, track) => {
    const { scenario, surface } = requireScenario(scenarioJson);
    const binding = track(new SurfaceBinding(device, surface));
    const system = track(await ParticleSystem.create({
      device, binding, count: scenario.particles.count, seed: scenario.seed, stream: 0,
      step: stepConfig(scenario.panels[0], scenario.domain), init: initConfig(scenario.particles.init, scenario.domain),
    }));
    const check = track(await system.attachExitCheck({ exit, every: checkEvery }));
    // a sentinel the init must clear: a record left from before the cloud was placed would show here
    device.queue.writeBuffer(check.first, 0, new Uint32Array(system.count).fill(0xffffffff));
    const t0 = performance.now();
    let enc = device.createCommandEncoder();
    system.encodeInit(enc);
    let chunks = 0;
    while (system.stepsEncoded < maxSteps) {
      system.encodeSteps(enc, Math.min(chunk, maxSteps - system.stepsEncoded));
      if (++chunks % 120 === 0) {
        device.queue.submit([enc.finish()]);
        enc = device.createCommandEncoder();
      }
    }
    device.queue.submit([enc.finish()]);
    const first = new Uint32Array(await readBuffer(device, check.first, 4 * system.count));
    return { first, status: new Uint32Array(await readBuffer(device, system.status)), ms: performance.now() - t0 };
  });
}

/**
 * First passages of panel 0 (plain SGD) with the fused EscapeRun kernel, from
 * `start`, for up to maxSteps steps; stops early once every particle is out.
 */
export function escapeRun(scenarioJson: unknown, exit: BasinExit, start: Vec2, maxSteps: number) {
  return gpuTest('analysis.escapeRun', async (device, track) => {
    const { scenario, surface } = requireScenario(scenarioJson);
    const binding = track(new SurfaceBinding(device, surface));
    const run = track(await EscapeRun.create({
      device, binding, count: scenario.particles.count, seed: scenario.seed, stream: 0,
      step: stepConfig(scenario.panels[0], scenario.domain), exit, start,
    }));
    const t0 = performance.now();
    let enc = device.createCommandEncoder();
    run.encodeReset(enc);
    while (run.stepsEncoded < maxSteps) {
      run.encodeSteps(enc, Math.min(16 * 256, maxSteps - run.stepsEncoded));
      device.queue.submit([enc.finish()]);
      enc = device.createCommandEncoder();
      const { first, status } = await run.read();
      if (first.every((t, i) => t !== 0 || status[i] !== 0)) break;
    }
    device.queue.submit([enc.finish()]);
    const out = await run.read();
    return { ...out, steps: run.stepsEncoded, ms: performance.now() - t0 };
  });
}

/** findCriticalPointsGpu on a catalogue surface: the report (plain data). */
export function criticalGpu(name: string, params: Record<string, number>, seed: number, seedsPerAxis: number) {
  return gpuTest(`analysis.criticalGpu(${name})`, async (device, track) => {
    const surface = findSurface(name)!.create(params, seed);
    const binding = track(new SurfaceBinding(device, surface));
    return findCriticalPointsGpu(device, binding, surface.domain, { seedsPerAxis });
  });
}
