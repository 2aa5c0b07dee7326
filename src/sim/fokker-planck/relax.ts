// The PDE's own long-time solution, where it is not the Gibbs density
// exp(-f/T)/Z (anisotropic or state-dependent D, whose steady state carries
// a current): run the scheme until the density stops changing, measured as
// the L1 rate of change sum |p' - p| / (PDE time between checks), in 1/time.
// relaxToStationary runs the float64 CPU reference (reference.ts);
// relaxGridToStationary runs a FokkerPlanckGrid on the GPU.
import { chooseDt, gibbsLog, type FokkerPlanckCoefficients } from './coefficients';
import { stepReference } from './reference';
import type { FokkerPlanckGrid } from './grid';

/** L1 rate of change between two densities `time` apart (1/time). */
function l1Rate(p: ArrayLike<number>, before: ArrayLike<number>, time: number): number {
  let d = 0;
  for (let c = 0; c < p.length; c++) d += Math.abs(p[c] - before[c]);
  return d / time;
}

export interface RelaxOptions {
  /** substep (default 0.9 of the limit) */
  dt?: number;
  /** stop when the L1 rate of change sum|p' - p| / (chunk dt) drops below this (1/time); default 1e-7 */
  tol?: number;
  /** PDE time budget; default 1e4 */
  maxTime?: number;
  /** substeps between convergence checks; default 200 */
  chunk?: number;
}

export interface RelaxResult {
  p: Float64Array;
  time: number;
  /** the last L1 rate of change (1/time) */
  residual: number;
  converged: boolean;
}

/** CPU (float64): explicit Euler substeps from `start` until the density stops changing. */
export function relaxToStationary(co: FokkerPlanckCoefficients, start: ArrayLike<number>, opts: RelaxOptions = {}): RelaxResult {
  const dt = chooseDt(co.dtLimit, opts.dt);
  const tol = opts.tol ?? 1e-7;
  const maxTime = opts.maxTime ?? 1e4;
  const chunk = opts.chunk ?? 200;
  let p = Float64Array.from(start);
  let q = new Float64Array(p.length);
  let time = 0, residual = Infinity;
  while (time < maxTime) {
    const before = Float64Array.from(p);
    for (let s = 0; s < chunk; s++) {
      stepReference(co, p, dt, q);
      [p, q] = [q, p];
    }
    time += chunk * dt;
    residual = l1Rate(p, before, chunk * dt);
    if (residual < tol) return { p, time, residual, converged: true };
  }
  return { p, time, residual, converged: false };
}

export interface GpuRelaxOptions {
  /** stop when sum|p' - p| / (PDE time of a chunk) drops below this (1/time); default 1e-5 (float32 noise is ~1e-6) */
  tol?: number;
  /** PDE time budget; default 1000 */
  maxTime?: number;
  /** PDE time between convergence checks; default 1 */
  chunkTime?: number;
  /** start from the current density (default) or the discrete Gibbs density */
  start?: 'current' | 'gibbs';
  /** after each chunk: PDE time relaxed so far and the L1 rate of change (1/time); return false to stop early */
  onChunk?: (time: number, residual: number) => boolean | void;
}

export interface GpuRelaxResult {
  /** log of the stationary probabilities (float64 of the float32 result; -Infinity where p <= 0) */
  logStationary: Float64Array;
  time: number;
  residual: number;
  converged: boolean;
}

/**
 * GPU: steps of the grid's own integrator (its dt) until the density stops
 * changing, reading it back once per chunk; sets the result as the grid's
 * stationary density for klStationary. The density and PDE time are restored after.
 */
export async function relaxGridToStationary(grid: FokkerPlanckGrid, opts: GpuRelaxOptions = {}): Promise<GpuRelaxResult> {
  const tol = opts.tol ?? 1e-5;
  const maxTime = opts.maxTime ?? 1000;
  const chunk = Math.max(1, Math.round((opts.chunkTime ?? 1) / grid.dt));
  const saved = await grid.readDensity();
  const savedTime = grid.time;
  const gibbs = opts.start === 'gibbs' ? Float32Array.from(gibbsLog(grid.f, grid.temperature), Math.exp) : null;
  if (gibbs) grid.writeDensity(gibbs);
  let prev = gibbs ?? saved;
  let time = 0, residual = Infinity, converged = false;
  while (time < maxTime) {
    const encoder = grid.device.createCommandEncoder({ label: `${grid.label}.relax` });
    grid.encode(encoder, chunk);
    grid.device.queue.submit([encoder.finish()]);
    const p = await grid.readDensity();
    time += chunk * grid.dt;
    residual = l1Rate(p, prev, chunk * grid.dt);
    prev = p;
    if (residual < tol) { converged = true; break; }
    if (opts.onChunk?.(time, residual) === false) break;
  }
  const logStationary = Float64Array.from(prev, (v) => (v > 0 ? Math.log(v) : -Infinity));
  let mass = 0;
  for (const v of prev) mass += Math.max(v, 0);
  const logMass = Math.log(mass);
  for (let c = 0; c < logStationary.length; c++) logStationary[c] -= logMass;
  grid.setLogStationary(logStationary);
  grid.writeDensity(saved);
  grid.time = savedTime;
  return { logStationary, time, residual, converged };
}
