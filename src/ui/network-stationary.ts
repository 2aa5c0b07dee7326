// The network lab's stationary-cloud tool as a lit ReactiveController (issue
// 15, item 5): finds the minimum of a panel's L2-regularised loss near one of
// its networks (worker), puts every network of the panel there, and then, with
// each metrics readback, measures the cloud's variance along the Hessian's top
// eigenvectors, to be held against the discrete Lyapunov solution (SGD's
// stationary covariance) and the Gibbs covariance T_eff H^-1.
import type { ReactiveControllerHost } from 'lit';
import type { PanelSpec } from '../model/scenario-schema';
import { lossProblem } from '../sim/network/sharpness-reference';
import { cloudVariances, type StationaryPrediction } from '../sim/network/stationary-covariance';
import type { MetricsHook, NetworkRunController } from './network-run';
import type { StationaryWorkerReply, StationaryWorkerRequest } from './network-stationary-worker';
import { workerReply } from './worker-reply';
import { NetworkTool } from './network-tool';

/** Directions shown: the Hessian's top ones. */
export const STATIONARY_DIRECTIONS = 10;
/** Largest network whose exact Hessian and Jacobi eigenvectors the page computes (O(D^3) in a worker). */
export const STATIONARY_MAX_PARAMS = 400;

export type StationaryStatus = 'idle' | 'preparing' | 'running' | 'error';

export interface StationaryMeasurement {
  /** training step of the readback, and steps since the networks were put at the minimum */
  step: number;
  since: number;
  variance: Float64Array;
  standardError: Float64Array;
}

/** Why a panel has no stationary prediction (null: it has one): SGD without momentum, minibatch noise, weight decay > 0. */
export function stationaryUnsupported(spec: PanelSpec, weightDecay: number, params: number): string | null {
  if (spec.optimizer.kind !== 'sgd' || spec.optimizer.momentum !== 0) return 'needs plain SGD (no momentum, not Adam): the Lyapunov equation here is for that step';
  if (spec.noise.kind !== 'minibatch') return 'needs minibatch noise (full batch has no noise: the cloud collapses onto the minimum)';
  if (!(weightDecay > 0)) return 'needs weight decay > 0 (surface.network.weightDecay): without it the minimum is not isolated';
  if (params > STATIONARY_MAX_PARAMS) return `needs at most ${STATIONARY_MAX_PARAMS} parameters per network (the exact Hessian's eigenvectors are computed in the page); this one has ${params}`;
  return null;
}

export class NetworkStationaryController extends NetworkTool {
  status: StationaryStatus = 'idle';
  stage = '';
  error: string | null = null;
  panel = 0;
  prediction: StationaryPrediction | null = null;
  /** the minimum's training loss (with weight decay) and gradient norm */
  minimum: { loss: number; gradientNorm: number; seconds: number } | null = null;
  /** the training step at which the networks were put at the minimum */
  startStep = 0;
  latest: StationaryMeasurement | null = null;
  /** measurements taken (tests wait for a count) */
  measurements = 0;
  private readonly hook: MetricsHook;

  constructor(host: ReactiveControllerHost, run: NetworkRunController) {
    super(host, run);
    this.hook = {
      encode: () => {},
      buffers: (sim) => (this.status === 'running' && sim.panels[this.panel] ? [sim.panels[this.panel].system.params] : []),
      take: (bytes, sample) => {
        const p = this.prediction;
        if (this.status !== 'running' || !p || bytes.length !== 1 || sample.step < this.startStep) return;
        const D = p.directions[0].length;
        const params = new Float32Array(bytes[0]);
        const count = params.length / D;
        const r = cloudVariances(params, count, D, p.directions.slice(0, STATIONARY_DIRECTIONS));
        this.latest = { step: sample.step, since: sample.step - this.startStep, ...r };
        this.measurements++;
      },
    };
    run.hooks.add(this.hook);
  }

  protected onNewSimulation(): void {
    this.clear();
  }

  override hostDisconnected(): void {
    super.hostDisconnected();
    this.run.hooks.delete(this.hook);
  }

  get busy(): boolean {
    return this.status === 'preparing';
  }

  clear(): void {
    this.stopWorker();
    this.prediction = null;
    this.latest = null;
    this.minimum = null;
    this.set({ status: 'idle', error: null, stage: '' });
  }

  /**
   * Finds the minimum near network `index` of `panel` (as it is now), puts every
   * network of the panel there, and starts measuring the cloud as it spreads.
   */
  async start(panel: number, index: number): Promise<void> {
    this.clear();
    const sim = this.run.sim;
    if (!sim) return;
    this.panel = panel;
    this.set({ status: 'preparing', stage: 'reading the network' });
    try {
      const p = sim.panels[panel];
      if (!p) throw new Error(`panel ${panel + 1} does not exist`);
      const spec = sim.scenario.panels[panel];
      const why = stationaryUnsupported(spec, p.model.spec.weightDecay, p.model.layout.params);
      if (why) throw new Error(`This panel ${why}.`);
      const batch = spec.noise.kind === 'minibatch' ? spec.noise.batchSize : 1;
      const start = Float64Array.from(await this.run.readParams(panel, index));
      const reply = await this.inWorker({ problem: lossProblem(p.model), start, lr: spec.optimizer.lr, batch });
      if (this.run.sim !== sim) return;
      const D = p.model.layout.params, count = p.system.count;
      const tiled = new Float32Array(count * D);
      for (let i = 0; i < count; i++) tiled.set(reply.minimum, i * D);
      // between batches: the next batch of steps starts from the minimum (moments and statuses cleared)
      sim.device.queue.writeBuffer(p.system.params, 0, tiled);
      sim.device.queue.writeBuffer(p.system.moment1, 0, new Float32Array(count * D));
      sim.device.queue.writeBuffer(p.system.status, 0, new Uint32Array(count));
      this.startStep = sim.stepsDone;
      this.prediction = reply.prediction;
      this.minimum = { loss: reply.loss, gradientNorm: reply.gradientNorm, seconds: reply.seconds };
      this.set({ status: 'running', stage: '' });
      this.run.requestMetrics();
    } catch (e) {
      this.set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async inWorker(request: StationaryWorkerRequest): Promise<StationaryWorkerReply & { kind: 'done' }> {
    const worker = new Worker(new URL('./network-stationary-worker.ts', import.meta.url), { type: 'module', name: 'sgd-lab stationary cloud' });
    this.worker = worker;
    try {
      return await workerReply<StationaryWorkerReply>(worker, request, 'stationary-cloud', (m) => this.set({ stage: m.stage }));
    } finally {
      if (this.worker === worker) this.worker = null;
    }
  }

  private set(change: Partial<Pick<NetworkStationaryController, 'status' | 'stage' | 'error'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}
