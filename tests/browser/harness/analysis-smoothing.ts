// Page side of the smoothed-loss tests: smoothedLossGpu on a catalogue surface
// or a typed formula, timed, with the progress fractions it reported.
import { createFormulaSurface } from '../../../src/model/expression';
import { findSurface } from '../../../src/model/surfaces';
import type { Domain, Surface } from '../../../src/model/surface-types';
import { smoothedLossGpu } from '../../../src/sim/analysis/smoothing-gpu';
import type { SmoothingKernel } from '../../../src/sim/analysis/smoothing';
import { SurfaceBinding } from '../../../src/sim/surface-binding';
import { gpuTest } from './gpu';

/** A catalogue surface (name, params, seed) or a typed formula over a domain. */
export type SurfaceSpec = { name: string; params: Record<string, number>; seed: number } | { formula: string; domain: Domain };

function surfaceOf(spec: SurfaceSpec): Surface {
  if ('formula' in spec) return createFormulaSurface(spec.formula, spec.domain);
  const def = findSurface(spec.name);
  if (!def) throw new Error(`analysis-smoothing: no surface '${spec.name}'`);
  return def.create(spec.params, spec.seed);
}

/** smoothedLossGpu over `domain`: the SmoothedLoss, the wall time (ms) and the progress fractions. */
export function smoothGpu(spec: SurfaceSpec, domain: Domain, grid: number, kernel: SmoothingKernel, order: number, evaluationsPerSubmit?: number) {
  return gpuTest('analysis-smoothing.smoothGpu', async (device, track) => {
    const binding = track(new SurfaceBinding(device, surfaceOf(spec)));
    const progress: number[] = [];
    const t0 = performance.now();
    const result = await smoothedLossGpu(device, binding, domain, grid, kernel, { order, evaluationsPerSubmit, onProgress: (f) => progress.push(f) });
    return { result, ms: performance.now() - t0, progress };
  });
}

/** The message smoothedLossGpu rejects with, or '' if it resolved. */
export function smoothGpuError(spec: SurfaceSpec, domain: Domain, grid: number, kernel: SmoothingKernel) {
  return gpuTest('analysis-smoothing.smoothGpuError', async (device, track) => {
    const binding = track(new SurfaceBinding(device, surfaceOf(spec)));
    try {
      await smoothedLossGpu(device, binding, domain, grid, kernel);
      return '';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  });
}
