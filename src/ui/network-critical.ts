// The network lab's critical-point tool as a lit ReactiveController (issue 15,
// item 6): for a panel's network (at most CRITICAL_MAX_PARAMS weights), the
// critical points of its training loss found from starts along gradient-descent
// trajectories of several initialisations, with their index (the share of
// negative Hessian eigenvalues), for the scatter of index against loss of
// Dauphin et al. 2014, Fig. 1: the starts and the float64 polish in a worker,
// the search from every start at once on the GPU (NetworkCriticalSearch).
import { lossProblem } from '../sim/network/sharpness-reference';
import type { CriticalStart } from '../sim/network/critical-points';
import { NetworkCriticalSearch, CRITICAL_STATUS } from '../sim/network/critical-search';
import type { CriticalDot, CriticalWorkerReply, CriticalWorkerRequest } from './network-critical-worker';
import { NetworkTool } from './network-tool';
import { workerReply } from './worker-reply';

/** Largest network searched in the page (the GPU holds two D x D matrices per start; an exact Hessian per classified point). */
export const CRITICAL_MAX_PARAMS = 100;
/**
 * Initialisations and gradient-descent checkpoints the starts are taken from: 60 starts,
 * two workgroups of the search kernel (32 threads each), so as many as fill two cores of a
 * CPU driver; a real GPU would take thousands in the same time.
 */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const CHECKPOINTS = [0, 10, 30, 100, 300, 1000];

export interface CriticalResult {
  panel: number;
  params: number;
  points: CriticalDot[];
  starts: number;
  converged: number;
  rankCorrelation: number;
  seconds: number;
  /** seconds of the GPU search alone, and how its starts ended (CRITICAL_STATUS names and counts) */
  gpuSeconds: number;
  gpuOutcome: string;
}

export class NetworkCriticalController extends NetworkTool {
  status: 'idle' | 'running' | 'done' | 'error' = 'idle';
  error: string | null = null;
  result: CriticalResult | null = null;

  protected onNewSimulation(): void {
    this.clear();
  }

  /** the running computation's number: a cleared or newer one makes older ones stop at their next await */
  private job = 0;

  clear(): void {
    this.job++;
    this.stopWorker();
    this.result = null;
    this.set({ status: 'idle', error: null });
  }

  async compute(panel: number): Promise<void> {
    this.clear();
    const job = this.job;
    const sim = this.run.sim;
    if (!sim) return;
    const current = () => job === this.job && this.run.sim === sim;
    this.set({ status: 'running' });
    try {
      const p = sim.panels[panel];
      if (!p) throw new Error(`panel ${panel + 1} does not exist`);
      const D = p.model.layout.params;
      if (D > CRITICAL_MAX_PARAMS) throw new Error(`the search is for networks of at most ${CRITICAL_MAX_PARAMS} weights (an exact Hessian per point); panel ${panel + 1}'s have ${D}`);
      const problem = lossProblem(p.model);
      const t0 = performance.now();
      const starts = await this.inWorker<{ starts: CriticalStart[] }>({ kind: 'starts', problem, layout: p.model.layout, seeds: SEEDS, checkpoints: CHECKPOINTS });
      if (!current()) return;
      const g0 = performance.now();
      const search = await NetworkCriticalSearch.create({ device: sim.device, model: p.model, data: sim.data, count: starts.starts.length, weightDecay: p.model.spec.weightDecay, label: `NetworkCriticalSearch[${panel}]` });
      let gpu;
      try {
        // a newer scenario may have destroyed this one's dataset while the pipeline compiled
        if (!current()) return;
        gpu = await search.run(starts.starts.flatMap((s) => Array.from(s.params)));
      } finally {
        search.destroy();
      }
      const gpuSeconds = (performance.now() - g0) / 1000;
      const gpuOutcome = CRITICAL_STATUS.map((name, k) => `${gpu.status.filter((s) => s === k).length} ${name}`).join(', ');
      if (!current()) return;
      const r = await this.inWorker<{ points: CriticalDot[]; starts: number; converged: number; rankCorrelation: number }>({ kind: 'polish', problem, starts: starts.starts, points: gpu.points, gradientNorm: gpu.gradientNorm });
      if (!current()) return;
      this.result = { panel, params: D, points: r.points, starts: r.starts, converged: r.converged, rankCorrelation: r.rankCorrelation, seconds: (performance.now() - t0) / 1000, gpuSeconds, gpuOutcome };
      this.set({ status: 'done' });
    } catch (e) {
      if (job === this.job) this.set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** One job in a fresh worker (clear() terminates it to cancel; the promise then never settles). */
  private async inWorker<R>(request: CriticalWorkerRequest): Promise<R> {
    const worker = new Worker(new URL('./network-critical-worker.ts', import.meta.url), { type: 'module', name: 'sgd-lab critical points' });
    this.worker = worker;
    const r = await workerReply<CriticalWorkerReply>(worker, request, 'critical-point', () => {});
    if (this.worker === worker) this.worker = null;
    return r as unknown as R;
  }

  private set(change: Partial<Pick<NetworkCriticalController, 'status' | 'error'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}
