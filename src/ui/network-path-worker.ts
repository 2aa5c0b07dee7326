// Web worker of the network lab's mode-connectivity tool: trains the Bézier
// curve between two networks (src/sim/network/bezier-path.ts, CPU, seconds for
// a thousand weights) so the page keeps drawing and training. One job per
// worker; the page terminates the worker to cancel.
import { bezierPath, type BezierOptions, type BezierPathResult, type PathProblem } from '../sim/network/bezier-path';

export interface PathWorkerRequest {
  problem: PathProblem;
  a: Float64Array;
  b: Float64Array;
  options: Omit<BezierOptions, 'onProgress'>;
}

export type PathWorkerReply =
  | { kind: 'progress'; fraction: number }
  | { kind: 'done'; result: BezierPathResult; seconds: number }
  | { kind: 'error'; message: string };

const post = (m: PathWorkerReply) => (self as unknown as { postMessage(m: PathWorkerReply): void }).postMessage(m);

self.onmessage = (e: MessageEvent<PathWorkerRequest>) => {
  const { problem, a, b, options } = e.data;
  const t0 = performance.now();
  try {
    const result = bezierPath(problem, a, b, { ...options, onProgress: (fraction) => post({ kind: 'progress', fraction }) });
    post({ kind: 'done', result, seconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
