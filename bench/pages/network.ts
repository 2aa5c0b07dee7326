// Page side of the network benchmark (issue 14): training particle-steps per
// second of one panel of MLPs, timed over whole batches with
// onSubmittedWorkDone; and the seconds a weight-space landscape takes.
import { GpuContext } from '../../src/gpu/device';
import { parseNetworkScenario } from '../../src/model/network/scenario';
import { NetworkSimulation } from '../../src/scheduler/network-simulation';
import { bytesPerNetwork, maxNetworks } from '../../src/sim/network/network-system';
import { PlaneLandscape } from '../../src/sim/network/plane-landscape';
import { garipovPlane } from '../../src/sim/network/plane';
import { readBuffer } from '../../src/gpu/buffers';

let ctx: Promise<GpuContext> | undefined;

export interface NetworkBenchResult {
  particleStepsPerSecond: number;
  seconds: number;
  steps: number;
  params: number;
  weights: number;
  /** bytes of training state per network on the GPU (network-system.ts bytesPerNetwork: parameters, two moments, status) */
  bytesPerNetwork: number;
  /** the most networks of this shape one panel can hold on this adapter */
  maxNetworks: number;
  /** seconds for the landscape grid (null when not asked) */
  landscapeSeconds: number | null;
  adapter: string;
}

function parse(json: unknown) {
  const r = parseNetworkScenario(json);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r;
}

/** Runs the scenario's first panel in batches of `stepsPerBatch` until `minSeconds` are timed; then, if `grid`, one landscape. */
export async function benchNetwork(json: unknown, stepsPerBatch: number, minSeconds: number, grid: number | null): Promise<NetworkBenchResult> {
  ctx ??= GpuContext.create();
  const gpu = await ctx;
  const { device } = gpu;
  const { scenario, network } = parse(json);
  const sim = await NetworkSimulation.create(device, { ...scenario, panels: [scenario.panels[0]] }, network);
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
    let landscapeSeconds: number | null = null;
    if (grid) {
      const D = network.layout.params;
      const params = new Float32Array(await readBuffer(device, sim.panels[0].system.params, 4 * D * 3));
      const { plane } = garipovPlane(params.subarray(0, D), params.subarray(D, 2 * D), params.subarray(2 * D, 3 * D));
      const landscape = await PlaneLandscape.create({ device, model: network, data: sim.data, label: 'bench.landscape' });
      try {
        const l0 = performance.now();
        await landscape.compute(plane, { a: [-0.5, 1.5], b: [-0.5, 1.5] }, grid);
        landscapeSeconds = (performance.now() - l0) / 1000;
      } finally {
        landscape.destroy();
      }
    }
    const count = scenario.particles.count;
    const { layout } = network;
    return {
      particleStepsPerSecond: (steps * count) / seconds, seconds, steps,
      params: layout.params, weights: layout.weights,
      bytesPerNetwork: bytesPerNetwork(layout),
      maxNetworks: maxNetworks(device, layout),
      landscapeSeconds,
      adapter: `${gpu.adapterSummary.vendor} ${gpu.adapterSummary.architecture}`,
    };
  } finally {
    sim.destroy();
  }
}
