// The network lab's noise-against-curvature tool as a lit ReactiveController
// (issue 15, item 4): at the selected network, as it is now, the Hessian's top
// eigenvalues against the gradient noise along the same directions, the
// overlap of the two top subspaces, and the effective temperature
// lr tr(Sigma)/(2 B D) of its panel (computed in a worker).
import { lossProblem } from '../sim/network/sharpness-reference';
import type { NoiseCurvature } from '../sim/network/noise-curvature';
import { NetworkTool } from './network-tool';
import type { NoiseWorkerReply, NoiseWorkerRequest } from './network-noise-worker';
import { workerReply } from './worker-reply';

/** Top directions computed in the page (subspace iteration on k + 4 vectors, NOISE_ITERATIONS rounds). */
export const NOISE_DIRECTIONS = 6;
const NOISE_ITERATIONS = 40;

export interface NoiseResult {
  panel: number;
  index: number;
  step: number;
  /** the panel's lr and B (B = the training split for full batch; null for Adam or added noise) */
  lr: number;
  batch: number | null;
  result: NoiseCurvature;
  seconds: number;
}

export class NetworkNoiseController extends NetworkTool {
  status: 'idle' | 'running' | 'done' | 'error' = 'idle';
  error: string | null = null;
  result: NoiseResult | null = null;

  protected onNewSimulation(): void {
    this.clear();
  }

  clear(): void {
    this.stopWorker();
    this.result = null;
    this.set({ status: 'idle', error: null });
  }

  async compute(panel: number, index: number): Promise<void> {
    this.clear();
    const sim = this.run.sim;
    if (!sim) return;
    this.set({ status: 'running' });
    try {
      const p = sim.panels[panel];
      if (!p) throw new Error(`panel ${panel + 1} does not exist`);
      const spec = sim.scenario.panels[panel];
      const step = sim.stepsDone;
      const params = Float64Array.from(await this.run.readParams(panel, index));
      const nTrain = p.model.dataset.nTrain;
      const batch = spec.optimizer.kind !== 'sgd' ? null : spec.noise.kind === 'minibatch' ? spec.noise.batchSize : spec.noise.kind === 'none' ? nTrain : null;
      const worker = new Worker(new URL('./network-noise-worker.ts', import.meta.url), { type: 'module', name: 'sgd-lab noise and curvature' });
      this.worker = worker;
      const request: NoiseWorkerRequest = { problem: lossProblem(p.model), params, lr: spec.optimizer.lr, batch: batch ?? 1, k: NOISE_DIRECTIONS, iterations: NOISE_ITERATIONS };
      const reply = await workerReply<NoiseWorkerReply>(worker, request, 'noise-and-curvature', () => {});
      if (this.worker === worker) this.worker = null;
      this.result = { panel, index, step, lr: spec.optimizer.lr, batch, result: reply.result, seconds: reply.seconds };
      this.set({ status: 'done' });
    } catch (e) {
      this.set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  }

  private set(change: Partial<Pick<NetworkNoiseController, 'status' | 'error'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}
