// The network lab's mode-connectivity tool as a lit ReactiveController: two
// networks of one panel (read from the GPU as they are now), the Bézier curve
// between them trained in a worker (network-path-worker.ts), its loss profile
// and the straight line's, and the curve's points for drawing on the plane
// through its ends and midpoint. Cancel terminates the worker.
import { bezierPoint, type BezierPathResult } from '../sim/network/bezier-path';
import { NetworkTool } from './network-tool';
import type { PathWorkerReply, PathWorkerRequest } from './network-path-worker';
import { workerReply } from './worker-reply';

/** Curve training steps in the page (the CLI's default; ~4 s for 1,185 weights on one core). */
export const PAGE_CURVE_STEPS = 3000;

export interface PathEnds {
  panel: number;
  /** the two networks' indices in the panel */
  ends: [number, number];
}

export interface NetworkPathResult extends PathEnds {
  path: BezierPathResult;
  /** the two networks' parameters (float64 copies of the GPU's float32) */
  a: Float64Array;
  b: Float64Array;
  /** the training step the networks were read at */
  step: number;
  seconds: number;
}

export type PathStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export class NetworkPathController extends NetworkTool {
  status: PathStatus = 'idle';
  fraction = 0;
  result: NetworkPathResult | null = null;
  error: string | null = null;
  /** paths finished (tests wait for a count) */
  finished = 0;
  /** settles the running job's promise when it is cancelled */
  private rejectRunning: ((e: Error) => void) | null = null;

  protected onNewSimulation(): void {
    // the old path's networks are gone
    this.cancel();
    if (this.result) { this.result = null; this.status = 'idle'; }
  }

  get busy(): boolean {
    return this.status === 'running';
  }

  cancel(): void {
    if (!this.stopWorker()) return;
    this.set({ status: 'cancelled' });
    this.rejectRunning?.(new Error('cancelled'));
  }

  /** Forgets the path (the view closes it). */
  clear(): void {
    this.cancel();
    this.result = null;
    this.set({ status: 'idle' });
  }

  /** The curve through `n` evenly spaced t (for drawing). */
  curvePoints(n = 41): Float64Array[] {
    const r = this.result;
    if (!r) return [];
    return Array.from({ length: n }, (_, k) => bezierPoint(r.a, r.path.control, r.b, k / (n - 1)));
  }

  /** Trains the curve between two networks of a panel; a newer call cancels an older one. */
  async compute({ panel, ends }: PathEnds): Promise<void> {
    this.cancel();
    const sim = this.run.sim;
    if (!sim) return;
    this.set({ status: 'running', fraction: 0, error: null });
    try {
      const p = sim.panels[panel];
      if (!p) throw new Error(`panel ${panel + 1} does not exist`);
      const count = p.system.count;
      for (const i of ends) if (!Number.isInteger(i) || i < 0 || i >= count) throw new Error(`${i} is not a network of panel ${panel + 1} (0 … ${count - 1})`);
      if (ends[0] === ends[1]) throw new Error('choose two different networks');
      const status = this.run.latest?.status[panel];
      for (const i of ends) if (status && status[i] !== 0) throw new Error(`network #${i} diverged at step ${status[i] - 1}; choose one that trained`);
      const step = sim.stepsDone;
      const a = Float64Array.from(await this.run.readParams(panel, ends[0]));
      const b = Float64Array.from(await this.run.readParams(panel, ends[1]));
      const { layout, activation, dataset, spec } = p.model;
      const request: PathWorkerRequest = {
        problem: { layout, activation, inputs: dataset.inputs, labels: dataset.labels, nTrain: dataset.nTrain, nTest: dataset.nTest, weightDecay: spec.weightDecay },
        a, b, options: { steps: PAGE_CURVE_STEPS },
      };
      const { result, seconds } = await this.inWorker(request);
      this.result = { panel, ends, path: result, a, b, step, seconds };
      this.finished++;
      this.set({ status: 'done', fraction: 1 });
    } catch (e) {
      if (this.status === 'cancelled') return;
      this.set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async inWorker(request: PathWorkerRequest): Promise<{ result: BezierPathResult; seconds: number }> {
    const worker = new Worker(new URL('./network-path-worker.ts', import.meta.url), { type: 'module', name: 'sgd-lab network path' });
    this.worker = worker;
    const cancelled = new Promise<never>((_, reject) => { this.rejectRunning = reject; });
    try {
      return await Promise.race([cancelled, workerReply<PathWorkerReply>(worker, request, 'path', (m) => this.set({ fraction: m.fraction }))]);
    } finally {
      if (this.worker === worker) this.worker = null;
    }
  }

  private set(change: Partial<Pick<NetworkPathController, 'status' | 'fraction' | 'error'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}
