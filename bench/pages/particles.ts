// Page side of the particle benchmark: particle-steps per second of one
// panel's step kernel, timed over whole batches with onSubmittedWorkDone.
import { GpuContext } from '../../src/gpu/device';
import { requireScenario } from '../../src/model/scenario';
import { Simulation } from '../../src/scheduler/simulation';
import { normalsCeiling } from './ceilings';

let ctx: Promise<GpuContext> | undefined;

export interface ParticleBenchResult {
  particleStepsPerSecond: number;
  seconds: number;
  steps: number;
  adapter: string;
}

/** Runs `scenario`'s first panel for batches of `stepsPerBatch` until `minSeconds` of GPU work are timed. */
export async function benchParticles(scenarioJson: unknown, stepsPerBatch: number, minSeconds: number): Promise<ParticleBenchResult> {
  ctx ??= GpuContext.create();
  const gpu = await ctx;
  const { device } = gpu;
  const { scenario, surface } = requireScenario(scenarioJson);
  const sim = await Simulation.create(device, { ...scenario, panels: [scenario.panels[0]] }, surface);
  try {
    const batch = () => {
      const enc = device.createCommandEncoder();
      sim.encodeSteps(enc, stepsPerBatch);
      device.queue.submit([enc.finish()]);
      return device.queue.onSubmittedWorkDone();
    };
    const init = device.createCommandEncoder();
    sim.encodeInit(init);
    device.queue.submit([init.finish()]);
    await batch(); // warm-up: pipeline and memory first use
    let steps = 0;
    const t0 = performance.now();
    while ((performance.now() - t0) / 1000 < minSeconds) {
      await batch();
      steps += stepsPerBatch;
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      particleStepsPerSecond: (steps * scenario.particles.count) / seconds,
      seconds, steps,
      adapter: `${gpu.adapterSummary.vendor} ${gpu.adapterSummary.architecture}`,
    };
  } finally {
    sim.destroy();
  }
}

/** The random-number ceiling on this page's device: normals-only particle-steps/s (bench/pages/ceilings.ts). */
export async function benchNormalsCeiling(count: number, stepsPerBatch: number, minSeconds: number): Promise<number> {
  ctx ??= GpuContext.create();
  return normalsCeiling((await ctx).device, count, stepsPerBatch, minSeconds);
}
