// Web worker of the network lab's critical-point tool (Dauphin et al. 2014),
// the CPU halves of the search (src/sim/network/critical-points.ts):
// 'starts' takes the starts along full-batch gradient-descent runs; 'polish'
// finishes the GPU search's float32 points in float64, drops duplicates and
// classifies each point by its Hessian's spectrum. The search itself runs on the
// GPU between the two (NetworkCriticalSearch, in the page).
import type { LossProblem } from '../model/network/hvp';
import type { NetworkLayout } from '../model/network/spec';
import { criticalStarts, polishCriticalPoints, type CriticalStart } from '../sim/network/critical-points';

export type CriticalWorkerRequest =
  | { kind: 'starts'; problem: LossProblem; layout: NetworkLayout; seeds: number[]; checkpoints: number[] }
  | { kind: 'polish'; problem: LossProblem; starts: CriticalStart[]; points: Float32Array; gradientNorm: Float32Array };

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
  | { kind: 'done'; starts: CriticalStart[] }
  | { kind: 'done'; points: CriticalDot[]; starts: number; converged: number; rankCorrelation: number }
  | { kind: 'error'; message: string };

const post = (m: CriticalWorkerReply) => (self as unknown as { postMessage(m: CriticalWorkerReply): void }).postMessage(m);

self.onmessage = (e: MessageEvent<CriticalWorkerRequest>) => {
  const req = e.data;
  try {
    if (req.kind === 'starts') {
      post({ kind: 'done', starts: criticalStarts(req.problem, req.layout, req.seeds, req.checkpoints) });
      return;
    }
    const r = polishCriticalPoints(req.problem, req.starts, req);
    const points = r.points.map((p) => ({ loss: p.loss, index: p.index, gradientNorm: p.gradientNorm, minEigenvalue: p.eigenvalues[0], start: p.start }));
    post({ kind: 'done', points, starts: r.starts, converged: r.converged, rankCorrelation: r.rankCorrelation });
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
