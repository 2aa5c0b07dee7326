// A panel's own stationary density ρ_ss where it is not the Gibbs density
// exp(-f/T)/Z (anisotropic constant or state-dependent minibatch noise): a
// spare grid with the panel's PDE relaxes from the Gibbs density until it
// stops changing, in the background, and the result becomes the panel
// grid's reference for KL(ρ_t ‖ ρ_ss). Relaxing a spare grid leaves the
// panel's own density (which the frame loop keeps stepping) untouched.
import { FokkerPlanckGrid, type FokkerPlanckGridOptions } from '../sim/fokker-planck/index';
import { gibbsLog } from '../sim/fokker-planck/coefficients';

/** Stop when sum |p' - p| per unit PDE time is below this (1/time; float32 noise of the density is ~1e-6). */
export const STATIONARY_TOL = 1e-5;
/** Give up after this much PDE time (time units; the slowest relaxation rate is the smallest curvature x T / variance). */
export const STATIONARY_MAX_TIME = 400;

export type StationaryState =
  | { status: 'relaxing'; /** 0..1, from the L1 rate of change on a log scale between its first value and the tolerance */ progress: number }
  | { status: 'ready'; logStationary: Float64Array; /** KL(ρ_ss ‖ Gibbs at the panel's T) in nats */ klSsGibbs: number; converged: boolean; time: number; residual: number }
  | { status: 'failed'; error: string };

/** KL(p ‖ q) in nats from log probabilities per cell (cells where p = 0 add nothing). */
export function klFromLogs(logP: ArrayLike<number>, logQ: ArrayLike<number>): number {
  let kl = 0;
  for (let c = 0; c < logP.length; c++) {
    if (logP[c] === -Infinity) continue;
    kl += Math.exp(logP[c]) * (logP[c] - logQ[c]);
  }
  return kl;
}

/** Progress 0..1 of a relaxation whose rate of change fell from `first` to `now`, aiming for `tol`. */
export function relaxProgress(first: number, now: number, tol: number): number {
  if (!(first > tol)) return 1;
  return Math.min(1, Math.max(0, Math.log(first / now) / Math.log(first / tol)));
}

/**
 * Relaxes a spare grid built from `options` to its stationary density, then
 * returns it with KL(ρ_ss ‖ Gibbs). `onProgress` after each unit of PDE time;
 * `cancelled()` true stops early (the result is then not converged).
 */
export async function relaxStationary(
  device: GPUDevice, options: FokkerPlanckGridOptions,
  onProgress: (progress: number) => void = () => {}, cancelled: () => boolean = () => false,
): Promise<Extract<StationaryState, { status: 'ready' }>> {
  const spare = await FokkerPlanckGrid.create(device, { ...options, label: `${options.label ?? 'FokkerPlanckGrid'}.stationary` });
  try {
    let first = NaN;
    const r = await spare.relaxToStationary({
      start: 'gibbs', tol: STATIONARY_TOL, maxTime: STATIONARY_MAX_TIME,
      onChunk: (_time, residual) => {
        if (Number.isNaN(first)) first = residual;
        onProgress(relaxProgress(first, residual, STATIONARY_TOL));
        return !cancelled();
      },
    });
    const klSsGibbs = klFromLogs(r.logStationary, gibbsLog(spare.f, spare.temperature));
    return { status: 'ready', logStationary: r.logStationary, klSsGibbs, converged: r.converged, time: r.time, residual: r.residual };
  } finally {
    spare.destroy();
  }
}
