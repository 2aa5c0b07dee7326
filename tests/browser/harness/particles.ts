// Page side of the particle-engine tests: run a scenario's panel on the GPU
// in given chunks of steps, return the final state.
import { requireScenario } from '../../../src/model/scenario';
import { ParticleSystem } from '../../../src/sim/particles/particle-system';
import { initConfig, stepConfig } from '../../../src/sim/particles/step-config';
import { SurfaceBinding } from '../../../src/sim/surface-binding';
import { readBuffer } from '../../../src/gpu/buffers';
import { ParticleMetrics } from '../../../src/sim/metrics/particle-metrics';
import { basinMap } from '../../../src/sim/metrics/loss-range';
import { gpuTest } from './gpu';

export function runPanel(scenarioJson: unknown, panel: number, chunks: number[], perDispatch?: number) {
  return gpuTest('runPanel', async (device, track) => {
    const { scenario, surface } = requireScenario(scenarioJson);
    const binding = track(new SurfaceBinding(device, surface));
    const sys = track(
      await ParticleSystem.create({
        device, binding, count: scenario.particles.count, seed: scenario.seed, stream: panel,
        step: stepConfig(scenario.panels[panel], scenario.domain),
        init: initConfig(scenario.particles.init, scenario.domain),
      }),
    );
    const enc0 = device.createCommandEncoder();
    sys.encodeInit(enc0);
    device.queue.submit([enc0.finish()]);
    for (const c of chunks) {
      const enc = device.createCommandEncoder();
      sys.encodeSteps(enc, c, perDispatch);
      device.queue.submit([enc.finish()]);
    }
    return {
      position: new Float32Array(await readBuffer(device, sys.position)),
      status: new Uint32Array(await readBuffer(device, sys.status)),
      stepsEncoded: sys.stepsEncoded,
    };
  });
}

/** Runs a panel, then reduces it on the GPU; returns positions, status, the GPU record and histogram. */
export function runPanelMetrics(scenarioJson: unknown, panel: number, steps: number, grid: number) {
  return gpuTest('runPanelMetrics', async (device, track) => {
    const { scenario, surface } = requireScenario(scenarioJson);
    const binding = track(new SurfaceBinding(device, surface));
    const sys = track(await ParticleSystem.create({
      device, binding, count: scenario.particles.count, seed: scenario.seed, stream: panel,
      step: stepConfig(scenario.panels[panel], scenario.domain), init: initConfig(scenario.particles.init, scenario.domain),
    }));
    const metrics = track(await ParticleMetrics.create({ device, system: sys, binding, domain: scenario.domain, grid }));
    const enc = device.createCommandEncoder();
    sys.encodeInit(enc);
    sys.encodeSteps(enc, steps);
    metrics.encode(enc);
    device.queue.submit([enc.finish()]);
    return {
      position: new Float32Array(await readBuffer(device, sys.position)),
      status: new Uint32Array(await readBuffer(device, sys.status)),
      moment1: new Float32Array(await readBuffer(device, sys.moment1)),
      record: metrics.parse(await readBuffer(device, metrics.record), steps),
      histogram: new Uint32Array(await readBuffer(device, metrics.histogram)),
      basins: basinMap(surface, scenario.domain, grid),
      loss: metrics.loss,
    };
  });
}
