// The network lab's critical-point tool as a lit ReactiveController (issue 15,
// item 6): for a panel's network (at most CRITICAL_MAX_PARAMS weights), the
// critical points of its training loss found from starts along gradient-descent
// trajectories of several initialisations, with their index (the share of
// negative Hessian eigenvalues), for the scatter of index against loss of
// Dauphin et al. 2014, Fig. 1 (computed in a worker).
import { lossProblem } from '../sim/network/sharpness-reference';
import type { CriticalDot, CriticalWorkerReply, CriticalWorkerRequest } from './network-critical-worker';
import { NetworkTool } from './network-tool';
import { workerReply } from './worker-reply';

/** Largest network searched in the page (an exact Hessian per classified point, a difference Hessian per solver step). */
export const CRITICAL_MAX_PARAMS = 100;
/** Initialisations and gradient-descent checkpoints the starts are taken from. */
const SEEDS = [1, 2, 3, 4, 5, 6];
const CHECKPOINTS = [0, 10, 30, 100, 300, 1000];

export interface CriticalResult {
  panel: number;
  params: number;
  points: CriticalDot[];
  starts: number;
  converged: number;
  rankCorrelation: number;
  seconds: number;
}

export class NetworkCriticalController extends NetworkTool {
  status: 'idle' | 'running' | 'done' | 'error' = 'idle';
  error: string | null = null;
  result: CriticalResult | null = null;

  protected onNewSimulation(): void {
    this.clear();
  }

  clear(): void {
    this.stopWorker();
    this.result = null;
    this.set({ status: 'idle', error: null });
  }

  async compute(panel: number): Promise<void> {
    this.clear();
    const sim = this.run.sim;
    if (!sim) return;
    this.set({ status: 'running' });
    try {
      const p = sim.panels[panel];
      if (!p) throw new Error(`panel ${panel + 1} does not exist`);
      const D = p.model.layout.params;
      if (D > CRITICAL_MAX_PARAMS) throw new Error(`the search is for networks of at most ${CRITICAL_MAX_PARAMS} weights (an exact Hessian per point); panel ${panel + 1}'s have ${D}`);
      const worker = new Worker(new URL('./network-critical-worker.ts', import.meta.url), { type: 'module', name: 'sgd-lab critical points' });
      this.worker = worker;
      const request: CriticalWorkerRequest = { problem: lossProblem(p.model), layout: p.model.layout, seeds: SEEDS, checkpoints: CHECKPOINTS };
      const r = await workerReply<CriticalWorkerReply>(worker, request, 'critical-point', () => {});
      if (this.worker === worker) this.worker = null;
      this.result = { panel, params: D, points: r.points, starts: r.starts, converged: r.converged, rankCorrelation: r.rankCorrelation, seconds: r.seconds };
      this.set({ status: 'done' });
    } catch (e) {
      this.set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  }

  private set(change: Partial<Pick<NetworkCriticalController, 'status' | 'error'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}
