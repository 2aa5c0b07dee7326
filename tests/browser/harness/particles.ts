// Page side of the particle-engine tests: run a scenario's panel on the GPU
// in given chunks of steps, return the final state.
import { requireScenario } from '../../../src/model/scenario';
import { ParticleSystem } from '../../../src/sim/particles/particle-system';
import { initConfig, stepConfig } from '../../../src/sim/particles/step-config';
import { createSurfaceLayout } from '../../../src/sim/surface-layout';
import { readBuffer, createBuffer } from '../../../src/gpu/buffers';
import { gpuTest } from './gpu';

export function runPanel(scenarioJson: unknown, panel: number, chunks: number[], perDispatch?: number) {
  return gpuTest('runPanel', async (device, track) => {
    const { scenario, surface } = requireScenario(scenarioJson);
    const params = track(createBuffer(device, 'test.surfaceParams', 64, GPUBufferUsage.UNIFORM, surface.packedParams));
    const dataset = surface.finiteSum ? track(createBuffer(device, 'test.dataset', surface.finiteSum.dataset.byteLength, GPUBufferUsage.STORAGE, surface.finiteSum.dataset)) : undefined;
    const layout = createSurfaceLayout(device, !!surface.finiteSum);
    const sys = track(
      await ParticleSystem.create({
        device, surface, count: scenario.particles.count, seed: scenario.seed, stream: panel,
        step: stepConfig(scenario.panels[panel], scenario.domain),
        init: initConfig(scenario.particles.init, scenario.domain),
        surfaceLayout: layout,
        surfaceBindGroup: (l) => device.createBindGroup({ layout: l, entries: [{ binding: 0, resource: { buffer: params } }, ...(dataset ? [{ binding: 1, resource: { buffer: dataset } }] : [])] }),
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
