// The landscape tools' computations as cancellable jobs for the lab page:
// critical points on the GPU (many-start Newton, CPU polish), the smoothed
// loss on the GPU (Gauss–Hermite quadrature per grid vertex), and the nudged
// elastic band in a web worker (analysis-worker.ts).
import type { Scenario } from '../model/scenario';
import type { Domain, Surface, Vec2 } from '../model/surface-types';
import type { CriticalReport } from '../sim/analysis/critical-points';
import { minimize } from '../sim/analysis/minimize';
import type { MinimumEnergyPath } from '../sim/analysis/neb';
import { gridMinima, quadratureOrder, stepNoiseKernel, type SmoothedLoss } from '../sim/analysis/smoothing';
import { smoothedLossGpu } from '../sim/analysis/smoothing-gpu';
import { findCriticalPointsGpu } from '../sim/analysis/newton-gpu';
import { SurfaceBinding } from '../sim/surface-binding';
import type { WorkerReply, WorkerRequest } from './analysis-worker';
import { CRITICAL_SEEDS, JobCancelled, SMOOTHING_GRID, type Job } from './analysis-job';

export { CRITICAL_SEEDS, SMOOTHING_GRID };

export { JobCancelled, type Job } from './analysis-job';

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
 * a SMOOTHING_GRID field (the GPU's quadrature at the cell centres of the
 * domain grown by half a cell), with the raw minima (refined in float64) that
 * vanish under it. `onProgress` sees the fraction of the grid done.
 */
export function smoothingJob(device: GPUDevice, surface: Surface, scenario: Scenario, panel: number, onProgress: (fraction: number) => void): Job<{ smoothed: SmoothedLoss; seconds: number }> {
  let cancelled = false;
  const t0 = performance.now();
  const spec = scenario.panels[panel];
  const run = async () => {
    if (!spec) throw new Error(`analysis.smoothing.panel ${panel} names no panel`);
    const kernel = stepNoiseKernel(spec);
    const d = scenario.domain, n = SMOOTHING_GRID;
    const hx = (d.x[1] - d.x[0]) / n, hy = (d.y[1] - d.y[0]) / n;
    const grown: Domain = { x: [d.x[0] - hx / 2, d.x[1] + hx / 2], y: [d.y[0] - hy / 2, d.y[1] + hy / 2] };
    const minima = refinedGridMinima(surface, grown, n + 1);
    const binding = new SurfaceBinding(device, surface);
    try {
      const order = quadratureOrder(kernel, Math.min(hx, hy));
      const smoothed = await smoothedLossGpu(device, binding, grown, n + 1, kernel, { order, minima, onProgress: (f) => { if (!cancelled) onProgress(f); } });
      if (cancelled) throw new JobCancelled();
      return { smoothed, seconds: (performance.now() - t0) / 1000 };
    } finally {
      binding.destroy();
    }
  };
  return { promise: run(), cancel: () => { cancelled = true; } };
}

/**
 * The raw loss's strict local minima on the grid's cell centres, each refined
 * by a local minimisation when that stays within two cells (deduplicated).
 */
function refinedGridMinima(surface: Surface, domain: Domain, grid: number): Vec2[] {
  const dx = (domain.x[1] - domain.x[0]) / grid, dy = (domain.y[1] - domain.y[0]) / grid;
  const raw = new Float64Array(grid * grid);
  let lo = Infinity, hi = -Infinity;
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      const v = surface.value(domain.x[0] + (i + 0.5) * dx, domain.y[0] + (j + 0.5) * dy);
      raw[j * grid + i] = v;
      if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  // gradient scale: the loss range over the domain's diagonal (loss units per length)
  const gScale = Math.max(hi - lo, 1e-12) / Math.hypot(domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]);
  const cell = Math.hypot(dx, dy);
  const out: Vec2[] = [];
  for (const [i, j] of gridMinima(raw, grid)) {
    const p: Vec2 = [domain.x[0] + (i + 0.5) * dx, domain.y[0] + (j + 0.5) * dy];
    const m = minimize(surface, p, { gtol: 1e-9 * gScale, maxStep: cell, iterations: 200 });
    const at = Math.hypot(m.at[0] - p[0], m.at[1] - p[1]) <= 2 * cell && m.value <= raw[j * grid + i] ? m.at : p;
    if (!out.some((q) => Math.hypot(q[0] - at[0], q[1] - at[1]) < 0.5 * cell)) out.push(at);
  }
  return out;
}
