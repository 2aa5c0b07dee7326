// Page side of the network benchmark (issue 14): training particle-steps per
// second of one panel of MLPs, timed over whole batches with
// onSubmittedWorkDone; the seconds a weight-space landscape takes; and the
// seconds of one sharpness estimate (issue 15) of a panel's networks.
import { GpuContext } from '../../src/gpu/device';
import { parseNetworkScenario } from '../../src/model/network/scenario';
import { NetworkSimulation } from '../../src/scheduler/network-simulation';
import { bytesPerNetwork, maxNetworks } from '../../src/sim/network/network-system';
import { PlaneLandscape } from '../../src/sim/network/plane-landscape';
import { garipovPlane } from '../../src/sim/network/plane';
import { readBuffer } from '../../src/gpu/buffers';
import { NetworkSharpness } from '../../src/sim/network/sharpness';
import type { SharpnessSettings } from '../../src/sim/network/sharpness-reference';

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

export interface SharpnessBenchResult {
  /** wall seconds of one estimate of every network (submit to done; pipelines built before) */
  seconds: number;
  /** Hessian-vector products per network: P + M, and P more for the networks that needed the shifted phase */
  products: number;
  /** networks whose eigenvalue of largest magnitude was negative (the shifted phase ran) */
  shifted: number;
  count: number;
  params: number;
  weights: number;
  nTrain: number;
  /** mean lambda_max over the networks (so a run can be compared with the peer's on the same work) */
  lambdaMean: number;
  adapter: string;
}

/** One sharpness estimate (power iteration + Hutchinson) of the scenario's first panel at its initialisation, timed from submit to done. */
export async function benchSharpness(json: unknown, settings: SharpnessSettings): Promise<SharpnessBenchResult> {
  ctx ??= GpuContext.create();
  const gpu = await ctx;
  const { device } = gpu;
  const { scenario, network } = parse(json);
  const sim = await NetworkSimulation.create(device, { ...scenario, panels: [scenario.panels[0]] }, network);
  const count = scenario.particles.count;
  const { system } = sim.panels[0];
  const sharp = await NetworkSharpness.create({
    device, model: network, data: sim.data, params: system.params, status: system.status, count,
    seed: scenario.seed, panel: 0, weightDecay: network.spec.weightDecay, settings, label: 'bench.sharpness',
  });
  try {
    const init = device.createCommandEncoder();
    sim.encodeInit(init);
    device.queue.submit([init.finish()]);
    const estimate = async () => {
      const enc = device.createCommandEncoder();
      sharp.encode(enc);
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    };
    // no warm-up estimate: the pipeline is compiled in create(), and one estimate at the
    // issue's size takes minutes on a CPU driver
    const t0 = performance.now();
    await estimate();
    const seconds = (performance.now() - t0) / 1000;
    const rows = new Float32Array(await readBuffer(device, sharp.perParticle));
    const state = new Float32Array(await readBuffer(device, sharp.state));
    let sum = 0, shifted = 0;
    for (let p = 0; p < count; p++) {
      sum += rows[4 * p];
      if (state[8 * p + 1] !== 0) shifted++; // SharpState.shift
    }
    const { layout } = network;
    return {
      seconds, products: settings.iterations + settings.probes, shifted, count, params: layout.params, weights: layout.weights, nTrain: network.dataset.nTrain,
      lambdaMean: sum / count, adapter: `${gpu.adapterSummary.vendor} ${gpu.adapterSummary.architecture}`,
    };
  } finally {
    sharp.destroy();
    sim.destroy();
  }
}
