// Page side of the GPU critical-point search test: NetworkCriticalSearch
// (shaders/network_critical.wgsl) from given starts, with its outcome and timing.
import { networkSpecSchema } from '../../../src/model/network/spec';
import { createNetworkModel } from '../../../src/model/network/model';
import { NetworkData } from '../../../src/sim/network/network-data';
import { NetworkCriticalSearch, type CriticalSearchSettings } from '../../../src/sim/network/critical-search';
import { gpuTest } from './gpu';

export interface CriticalRun {
  /** network spec (zod input) and the dataset's seed */
  spec: unknown;
  seed: number;
  /** count x D start values */
  starts: number[];
  count: number;
  settings?: CriticalSearchSettings;
  /** run only this many iterations (default the settings') */
  iterations?: number;
}

export function criticalOnGpu(run: CriticalRun) {
  return gpuTest('criticalOnGpu', async (device, track) => {
    const model = createNetworkModel(networkSpecSchema.parse(run.spec), run.seed);
    const data = track(new NetworkData(device, model.dataset));
    const t0 = performance.now();
    const search = track(await NetworkCriticalSearch.create({ device, model, data, count: run.count, weightDecay: model.spec.weightDecay, settings: run.settings }));
    const createMs = performance.now() - t0;
    const t1 = performance.now();
    const r = await search.run(run.starts, run.iterations);
    return { ...r, createMs, runMs: performance.now() - t1 };
  });
}
