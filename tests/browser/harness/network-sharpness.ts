// Page side of the sharpness tests: NetworkSharpness (shaders/network_hvp.wgsl)
// run on given parameter vectors, twice (the second time one product per
// dispatch), returning both results, the power-iteration vectors, the kernel's
// state and timings; and a scenario's records through NetworkSimulation.
import { networkSpecSchema } from '../../../src/model/network/spec';
import { createNetworkModel } from '../../../src/model/network/model';
import { NetworkData } from '../../../src/sim/network/network-data';
import { NetworkSharpness } from '../../../src/sim/network/sharpness';
import type { SharpnessSettings } from '../../../src/sim/network/sharpness-reference';
import { readBuffers } from '../../../src/gpu/buffers';
import { gpuTest, testGpu } from './gpu';
import { parseNetworkScenario } from '../../../src/model/network/scenario';
import { NetworkSimulation } from '../../../src/scheduler/network-simulation';
import { RunLoop } from '../../../src/headless/run-loop';
import type { CloudStats } from '../../../src/sim/network/network-record';

export interface SharpnessRun {
  /** network spec (zod input) and the dataset's seed */
  spec: unknown;
  seed: number;
  panel: number;
  /** count x D parameters (float32 values) */
  params: number[];
  /** u32 per network, 0 alive */
  status: number[];
  settings: SharpnessSettings;
  /** false: skip the second run with one product per dispatch (timings only) */
  split?: boolean;
}

export interface SharpnessRunResult {
  /** count x 4: lambda_max, trace, trace SE, residual */
  perParticle: Float32Array;
  /** the same from the run with one product per dispatch */
  perParticleSplit: Float32Array;
  vectors: Float32Array;
  /** count x 8 words of SharpState (word 1: the shift) */
  state: Float32Array;
  dispatches: number;
  /** ms to build (pipeline compilation), and of one estimate (submit to done) */
  createMs: number;
  runMs: number;
}

export function sharpnessOnGpu(run: SharpnessRun): Promise<SharpnessRunResult> {
  return gpuTest('sharpnessOnGpu', async (device, track) => {
    const model = createNetworkModel(networkSpecSchema.parse(run.spec), run.seed);
    const data = track(new NetworkData(device, model.dataset));
    const count = run.status.length;
    const upload = (label: string, bytes: ArrayBuffer) => {
      const b = track(device.createBuffer({ label, size: bytes.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST }));
      device.queue.writeBuffer(b, 0, bytes);
      return b;
    };
    const params = upload('test.params', Float32Array.from(run.params).buffer);
    const status = upload('test.status', Uint32Array.from(run.status).buffer);
    const options = { device, model, data, params, status, count, seed: run.seed, panel: run.panel, weightDecay: model.spec.weightDecay, settings: run.settings };
    const t0 = performance.now();
    const sharp = track(await NetworkSharpness.create(options));
    const createMs = performance.now() - t0;
    const split = track(await NetworkSharpness.create({ ...options, productsPerDispatch: 1, label: 'NetworkSharpness.split' }));
    // fill the outputs with a sentinel: rows the kernel does not write stay 7
    for (const b of [sharp.perParticle, split.perParticle]) device.queue.writeBuffer(b, 0, new Float32Array(4 * count).fill(7));
    await device.queue.onSubmittedWorkDone();
    const t1 = performance.now();
    const enc = device.createCommandEncoder();
    sharp.encode(enc);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    const runMs = performance.now() - t1;
    const enc2 = device.createCommandEncoder();
    if (run.split !== false) split.encode(enc2);
    device.queue.submit([enc2.finish()]);
    const [pp, ps, vectors, state] = await readBuffers(device, [sharp.perParticle, split.perParticle, sharp.vectors, sharp.state]);
    return {
      perParticle: new Float32Array(pp), perParticleSplit: new Float32Array(ps), vectors: new Float32Array(vectors), state: new Float32Array(state),
      dispatches: split.dispatches, createMs, runMs,
    };
  });
}

/** A network scenario run through NetworkSimulation and the runner's RunLoop: every record's sharpness and trace statistics, and the last per-network estimate. */
export async function sharpnessRecords(doc: unknown) {
  const parsed = parseNetworkScenario(doc);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const { device } = await testGpu();
  return gpuTest('sharpnessRecords', async (_device, track) => {
    const sim = track(await NetworkSimulation.create(device, parsed.scenario, parsed.network));
    const records: { step: number; sharpness: CloudStats | null; hessianTrace: CloudStats | null }[][] = [];
    const loop = new RunLoop(device, sim, parsed.scenario.steps, parsed.scenario.record.every,
      (rs) => records.push(rs.map((r) => ({ step: r.step, sharpness: r.sharpness, hessianTrace: r.hessianTrace }))), () => {});
    const init = device.createCommandEncoder();
    sim.encodeInit(init);
    device.queue.submit([init.finish()]);
    await loop.record();
    await loop.advanceTo(parsed.scenario.steps);
    const last = await Promise.all(sim.panels.map((p) => sim.readSharpness(p)));
    const status = await Promise.all(sim.panels.map((p) => sim.readStatus(p)));
    return { records, last, status };
  });
}

/**
 * Each panel of a network scenario run on its own for `steps[i]` steps (so panels
 * with different lr can be compared at equal lr·steps), sharpness at the last
 * step: per panel, the alive networks' lambda_max and the wall milliseconds.
 */
export async function sharpnessPerPanel(doc: Record<string, unknown> & { panels: unknown[] }, steps: number[]) {
  const { device } = await testGpu();
  return gpuTest('sharpnessPerPanel', async (_device, track) => {
    const out: { lambdas: number[]; diverged: number; ms: number }[] = [];
    for (let i = 0; i < doc.panels.length; i++) {
      const t0 = performance.now();
      const parsed = parseNetworkScenario({ ...doc, steps: steps[i], record: { every: steps[i] }, panels: [doc.panels[i]] });
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      const sim = track(await NetworkSimulation.create(device, parsed.scenario, parsed.network));
      const loop = new RunLoop(device, sim, steps[i], steps[i], () => {}, () => {});
      const init = device.createCommandEncoder();
      sim.encodeInit(init);
      device.queue.submit([init.finish()]);
      await loop.advanceTo(steps[i]);
      const [panel] = sim.panels;
      const [sharp, status] = await Promise.all([sim.readSharpness(panel), sim.readStatus(panel)]);
      if (!sharp) throw new Error('no sharpness estimate: the scenario needs a sharpness field');
      const lambdas: number[] = [];
      status.forEach((s, p) => { if (s === 0) lambdas.push(sharp[4 * p]); });
      out.push({ lambdas, diverged: status.length - lambdas.length, ms: performance.now() - t0 });
    }
    return out;
  });
}
