// Web worker of the network lab's noise-against-curvature tool: the top
// eigenpairs of the Hessian and of the per-sample gradient covariance at one
// network, the noise along each curvature direction, their overlap and the
// effective temperature (src/sim/network/noise-curvature.ts; seconds).
import type { LossProblem } from '../model/network/hvp';
import { noiseCurvature, type NoiseCurvature } from '../sim/network/noise-curvature';

export interface NoiseWorkerRequest {
  problem: LossProblem;
  params: Float64Array;
  lr: number;
  batch: number;
  k: number;
  iterations: number;
}

export type NoiseWorkerReply =
  | { kind: 'progress' }
  | { kind: 'done'; result: NoiseCurvature; seconds: number }
  | { kind: 'error'; message: string };

const post = (m: NoiseWorkerReply) => (self as unknown as { postMessage(m: NoiseWorkerReply): void }).postMessage(m);

self.onmessage = (e: MessageEvent<NoiseWorkerRequest>) => {
  const { problem, params, lr, batch, k, iterations } = e.data;
  const t0 = performance.now();
  try {
    post({ kind: 'done', result: noiseCurvature(problem, params, lr, batch, k, iterations), seconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
