// The landscape tools' computations as cancellable jobs for the lab page:
// critical points on the GPU (many-start Newton, CPU polish), the nudged
// elastic band and the smoothed loss in a web worker (analysis-worker.ts).
import type { Scenario } from '../model/scenario';
import type { Surface, Vec2 } from '../model/surface-types';
import type { CriticalReport } from '../sim/analysis/critical-points';
import type { MinimumEnergyPath } from '../sim/analysis/neb';
import type { SmoothedLoss } from '../sim/analysis/smoothing';
import { findCriticalPointsGpu } from '../sim/analysis/newton-gpu';
import { SurfaceBinding } from '../sim/surface-binding';
import type { WorkerReply, WorkerRequest } from './analysis-worker';

/** Seed grid of the critical-point search: 48 x 48 starts (2304 GPU threads). */
export const CRITICAL_SEEDS = 48;
/** Cells per side of the smoothed-loss field (its vertices are the quadrature points). */
export const SMOOTHING_GRID = 128;

export interface Job<T> {
  promise: Promise<T>;
  cancel(): void;
}

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Critical points of the scenario's surface in its domain, the many-start phase on the GPU. */
export async function criticalPoints(device: GPUDevice, surface: Surface, scenario: Scenario): Promise<CriticalReport> {
  const binding = new SurfaceBinding(device, surface);
  try {
    return await findCriticalPointsGpu(device, binding, scenario.domain, { seedsPerAxis: CRITICAL_SEEDS });
  } finally {
    binding.destroy();
  }
}

function workerJob<T>(req: WorkerRequest, take: (m: WorkerReply) => T | undefined, onProgress?: (m: WorkerReply & { kind: 'progress' }) => void): Job<T> {
  const worker = new Worker(new URL('./analysis-worker.ts', import.meta.url), { type: 'module', name: `sgd-lab ${req.kind}` });
  let reject: (e: Error) => void = () => {};
  const promise = new Promise<T>((resolve, rej) => {
    reject = rej;
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      if (m.kind === 'progress') { onProgress?.(m); return; }
      worker.terminate();
      if (m.kind === 'error') { rej(new Error(m.message)); return; }
      const v = take(m);
      if (v === undefined) rej(new Error(`analysis worker: unexpected reply '${m.kind}'`));
      else resolve(v);
    };
    worker.onerror = (e) => {
      worker.terminate();
      rej(new Error(`analysis worker failed: ${e.message || 'could not load'}`));
    };
  });
  worker.postMessage(req);
  return {
    promise,
    cancel: () => {
      worker.terminate();
      reject(new JobCancelled());
    },
  };
}

/** The minimum-energy path between the minima nearest `from` and `to`; `onBand` sees the band while it relaxes. */
export function pathJob(scenario: Scenario, from: Vec2, to: Vec2, onBand: (band: Vec2[], iterations: number) => void): Job<{ path: MinimumEnergyPath; seconds: number }> {
  return workerJob({ kind: 'path', scenario, from, to }, (m) => (m.kind === 'path' ? { path: m.path, seconds: m.seconds } : undefined), (m) => onBand(m.band, m.iterations));
}

/**
 * The loss smoothed by panel `panel`'s one-step noise kernel on the vertices of
 * a SMOOTHING_GRID field (CPU, in the worker). Swap this body for the GPU
 * version (smoothedLossGpu) when it lands: the result type is the same.
 */
export function smoothingJob(scenario: Scenario, panel: number): Job<{ smoothed: SmoothedLoss; seconds: number }> {
  return workerJob({ kind: 'smooth', scenario, panel, grid: SMOOTHING_GRID }, (m) => (m.kind === 'smooth' ? { smoothed: m.smoothed, seconds: m.seconds } : undefined));
}
