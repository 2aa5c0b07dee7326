// Web worker of the network lab's stationary-cloud tool: the minimum of a
// panel's L2-regularised training loss near a network (gradient descent, then
// Newton with the exact Hessian), the per-sample gradient covariance there, and
// the discrete-Lyapunov and Gibbs predictions of SGD's stationary cloud
// (src/sim/network/stationary-covariance.ts; seconds for a few hundred weights).
import type { LossProblem } from '../model/network/hvp';
import { exactHessian } from '../sim/network/sharpness-reference';
import { networkMinimum, sampleGradientCovariance, stationaryPrediction, type StationaryPrediction } from '../sim/network/stationary-covariance';

export interface StationaryWorkerRequest {
  problem: LossProblem;
  start: Float64Array;
  lr: number;
  batch: number;
}

export type StationaryWorkerReply =
  | { kind: 'progress'; stage: string }
  | { kind: 'done'; minimum: Float64Array; loss: number; gradientNorm: number; prediction: StationaryPrediction; seconds: number }
  | { kind: 'error'; message: string };

const post = (m: StationaryWorkerReply) => (self as unknown as { postMessage(m: StationaryWorkerReply): void }).postMessage(m);

self.onmessage = (e: MessageEvent<StationaryWorkerRequest>) => {
  const { problem, start, lr, batch } = e.data;
  const t0 = performance.now();
  try {
    post({ kind: 'progress', stage: 'finding the minimum' });
    const m = networkMinimum(problem, start);
    post({ kind: 'progress', stage: 'Hessian and gradient covariance' });
    const H = exactHessian(problem, m.params, 0);
    const prediction = stationaryPrediction(H, sampleGradientCovariance(problem, m.params), problem.layout.params, lr, batch);
    post({ kind: 'done', minimum: m.params, loss: m.loss, gradientNorm: m.gradientNorm, prediction, seconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
