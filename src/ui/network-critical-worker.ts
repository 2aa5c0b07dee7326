// Web worker of the network lab's critical-point tool (Dauphin et al. 2014):
// critical points of a panel's training loss from many starts and their index
// (src/sim/network/critical-points.ts; seconds for <= 100 weights).
import type { LossProblem } from '../model/network/hvp';
import type { NetworkLayout } from '../model/network/spec';
import { findNetworkCriticalPoints } from '../sim/network/critical-points';

export interface CriticalWorkerRequest {
  problem: LossProblem;
  layout: NetworkLayout;
  seeds: number[];
  checkpoints: number[];
}

/** One critical point as the page draws it. */
export interface CriticalDot {
  loss: number;
  index: number;
  gradientNorm: number;
  minEigenvalue: number;
  start: { seed: number; steps: number };
}

export type CriticalWorkerReply =
  | { kind: 'progress' }
  | { kind: 'done'; points: CriticalDot[]; starts: number; converged: number; rankCorrelation: number; seconds: number }
  | { kind: 'error'; message: string };

const post = (m: CriticalWorkerReply) => (self as unknown as { postMessage(m: CriticalWorkerReply): void }).postMessage(m);

self.onmessage = (e: MessageEvent<CriticalWorkerRequest>) => {
  const { problem, layout, seeds, checkpoints } = e.data;
  const t0 = performance.now();
  try {
    const r = findNetworkCriticalPoints(problem, layout, { seeds, checkpoints });
    const points = r.points.map((p) => ({ loss: p.loss, index: p.index, gradientNorm: p.gradientNorm, minEigenvalue: p.eigenvalues[0], start: p.start }));
    post({ kind: 'done', points, starts: r.starts, converged: r.converged, rankCorrelation: r.rankCorrelation, seconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
