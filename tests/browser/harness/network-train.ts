// Page side of the network-training tests: a panel of MLPs initialised and
// trained on the GPU (NetworkSystem) in given chunks of steps; returns the
// initial parameters, the final state and timings.
import { networkSpecSchema, networkInitSchema } from '../../../src/model/network/spec';
import { createNetworkModel } from '../../../src/model/network/model';
import { NetworkData } from '../../../src/sim/network/network-data';
import { NetworkSystem } from '../../../src/sim/network/network-system';
import type { NetworkStepConfig } from '../../../src/sim/network/step-config';
import { readBuffer, readBuffers } from '../../../src/gpu/buffers';
import { gpuTest } from './gpu';

export interface NetworkRun {
  /** network spec (zod input: defaults filled in the page) */
  spec: unknown;
  step: NetworkStepConfig;
  count: number;
  seed: number;
  stream: number;
  init: unknown;
  /** steps per command encoder (one submit each) */
  chunks: number[];
  /** steps fused per dispatch (default: the system's own) */
  perDispatch?: number;
  /** also return moments (false: only params and status) */
  moments?: boolean;
  /** encode init again after the steps (checks that it resets everything) */
  reinit?: boolean;
  /** D parameters written into every network after init (replicas started at one point, e.g. a minimum) */
  start?: number[];
}

export interface NetworkRunResult {
  initial: Float32Array;
  params: Float32Array;
  moment1?: Float32Array;
  moment2?: Float32Array;
  status: Uint32Array;
  stepsEncoded: number;
  /** ms of the training submits until the queue was done (after init and compilation) */
  trainMs: number;
  /** ms to create the system (pipeline compilation) */
  createMs: number;
}

export function runNetworks(run: NetworkRun): Promise<NetworkRunResult> {
  return gpuTest('runNetworks', async (device, track) => {
    const spec = networkSpecSchema.parse(run.spec);
    const model = createNetworkModel(spec, run.seed);
    const data = track(new NetworkData(device, model.dataset));
    const t0 = performance.now();
    const sys = track(await NetworkSystem.create({
      device, model, data, count: run.count, seed: run.seed, stream: run.stream, step: run.step, init: networkInitSchema.parse(run.init),
    }));
    const createMs = performance.now() - t0;
    const enc0 = device.createCommandEncoder();
    sys.encodeInit(enc0);
    device.queue.submit([enc0.finish()]);
    if (run.start) {
      const D = model.layout.params;
      if (run.start.length !== D) throw new Error(`start has ${run.start.length} parameters, the network ${D}`);
      const tiled = new Float32Array(run.count * D);
      for (let p = 0; p < run.count; p++) tiled.set(run.start, p * D);
      device.queue.writeBuffer(sys.params, 0, tiled);
    }
    const initial = new Float32Array(await readBuffer(device, sys.params));
    const t1 = performance.now();
    for (const c of run.chunks) {
      const enc = device.createCommandEncoder();
      sys.encodeSteps(enc, c, run.perDispatch);
      device.queue.submit([enc.finish()]);
    }
    await device.queue.onSubmittedWorkDone();
    const trainMs = performance.now() - t1;
    if (run.reinit) {
      const enc = device.createCommandEncoder();
      sys.encodeInit(enc);
      device.queue.submit([enc.finish()]);
    }
    const [params, moment1, moment2, status] = await readBuffers(device, [sys.params, sys.moment1, sys.moment2, sys.status]);
    return {
      initial, params: new Float32Array(params), status: new Uint32Array(status), stepsEncoded: sys.stepsEncoded, trainMs, createMs,
      ...(run.moments ? { moment1: new Float32Array(moment1), moment2: new Float32Array(moment2) } : {}),
    };
  });
}
