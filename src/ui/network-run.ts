// The live training of a network scenario (issue 14) as a lit
// ReactiveController: builds the NetworkSimulation on the page's one
// GPUDevice (a lit Task: a newer scenario or a new device after a loss
// rebuilds, the latest wins), and runs its frame loop. Each frame submits a
// batch of optimizer steps only when the previous batch is done
// (onSubmittedWorkDone), so a slow GPU lowers the step rate, never the frame
// rate. Every network's evaluation on the whole dataset (the metrics) runs
// with a batch at most every METRICS_INTERVAL_MS and only when the previous
// readback is back; views hook their own GPU work (projections) into that
// batch and read it back with it.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { readBuffer, readBuffers } from '../gpu/buffers';
import type { GpuContext } from '../gpu/device';
import { NetworkSimulation, type NetworkPanelRuntime } from '../scheduler/network-simulation';
import type { NetworkPanelRecord } from '../sim/network/network-record';
import { bytesPerNetwork, maxNetworks } from '../sim/network/network-system';
import type { NetworkRun } from './network-doc';
import { panelNetworkModel } from '../model/network/model';

/** Metrics (the whole-dataset evaluation of every network) at most this often while training (wall-clock ms). */
export const METRICS_INTERVAL_MS = 500;
/**
 * And at most this fraction of the GPU's time: a metrics batch evaluates every
 * network on every sample, which on a slow GPU costs more than many steps.
 */
const METRICS_GPU_SHARE = 0.25;
/** GPU milliseconds a batch of steps aims at in the automatic speed (a frame budget's worth, so the page stays fluid). */
const AUTO_BATCH_MS = 30;
/** Most steps one batch may hold. */
export const MAX_STEPS_PER_BATCH = 2000;
/** Samples of the record history kept (older ones thinned by half). */
const MAX_HISTORY = 2000;

/** One metrics sample: every panel's record, and the per-network values behind it. */
export interface NetworkSample {
  step: number;
  records: NetworkPanelRecord[];
  /** per panel, count x 4 f32: train loss, train accuracy, test loss, test accuracy (nats, fraction) */
  perParticle: Float32Array[];
  /** per panel, u32 per network: 0 alive, else 1 + the step it diverged at */
  status: Uint32Array[];
}

/** GPU work a view adds to a metrics batch, read back with it (e.g. the plane projection). */
export interface MetricsHook {
  encode(encoder: GPUCommandEncoder, sim: NetworkSimulation): void;
  /** buffers to read back after encode (whole) */
  buffers(sim: NetworkSimulation): GPUBuffer[];
  /** the bytes of `buffers`, and the sample they belong to */
  take(bytes: ArrayBuffer[], sample: NetworkSample): void;
}

export interface RunStats {
  stepsDone: number;
  /** steps in the last batch */
  batchSteps: number;
  /** smoothed wall milliseconds per optimizer step of all panels, submit to done (null until measured) */
  msPerStep: number | null;
  stepsPerSecond: number;
  fps: number;
  /** smoothed wall milliseconds of one metrics evaluation (every network on the whole dataset), null until measured */
  metricsMs: number | null;
}

/** Memory of the running scenario: what one network costs on this GPU and how many fit. */
export interface NetworkMemory {
  bytesPerNetwork: number;
  maxNetworks: number;
  /** parameters per network (D) */
  params: number;
}

type Built = { sim: NetworkSimulation; memory: NetworkMemory; adapter: string };

export class NetworkRunController implements ReactiveController {
  /** the running simulation (null while building or after a failure) */
  sim: NetworkSimulation | null = null;
  memory: NetworkMemory | null = null;
  adapter = '';
  playing = false;
  /** steps per batch; null: automatic (about AUTO_BATCH_MS of GPU time per batch) */
  stepsPerBatch: number | null = null;
  /** samples received since the build, in step order */
  readonly history: NetworkSample[] = [];
  latest: NetworkSample | null = null;
  stats: RunStats = { stepsDone: 0, batchSteps: 0, msPerStep: null, stepsPerSecond: 0, fps: 0, metricsMs: null };
  /** why the last build failed (shown instead of the view) */
  error: string | null = null;
  /** builds done (tests wait for a count) */
  builds = 0;
  readonly hooks = new Set<MetricsHook>();
  /** called with each sample (charts) */
  onSample: ((s: NetworkSample) => void) | null = null;
  /** called after a reset or a rebuild (charts restart) */
  onRestart: (() => void) | null = null;

  private readonly task: Task<[NetworkRun | null, number], Built | null>;
  private raf = 0;
  private inFlight = false;
  private readbackBusy = false;
  private needsInit = true;
  private pendingSteps = 0;
  private metricsDue = true;
  private lastMetrics = 0;
  private stopAt: number | null = null;
  private pastEnd = false;
  private epoch = 0;
  private rate = { t: 0, frames: 0, steps: 0 };
  private lastUpdate = 0;
  private connected = false;
  /** the page asked for sharpness estimates (kept across builds) */
  private wantSharpness = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** the scenario to run, the device generation (a new device after a loss rebuilds), and the page's GPU */
    private readonly source: () => { run: NetworkRun | null; generation: number; gpu: () => Promise<GpuContext> },
  ) {
    host.addController(this);
    this.task = new Task(host, {
      args: () => {
        const s = this.source();
        return [s.run, s.generation] as [NetworkRun | null, number];
      },
      task: ([run], { signal }) => this.build(run, signal),
    });
  }

  get building(): boolean {
    return this.task.status === TaskStatus.PENDING;
  }

  get run(): NetworkRun | null {
    return this.source().run;
  }

  hostConnected(): void {
    this.connected = true;
    this.raf = requestAnimationFrame(this.tick);
  }

  hostDisconnected(): void {
    this.connected = false;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.teardown();
  }

  // ---- transport ---------------------------------------------------------------

  play(): void {
    if (this.stopAt !== null && this.stats.stepsDone >= this.stopAt) this.pastEnd = true;
    this.playing = true;
    this.host.requestUpdate();
  }

  pause(): void {
    this.playing = false;
    this.metricsDue = true;
    this.host.requestUpdate();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Queues `n` steps (playing or not); metrics follow them. */
  step(n = 1): void {
    this.pendingSteps += n;
    this.metricsDue = true;
  }

  /** Every panel back to its initial networks at the next frame. */
  reset(): void {
    this.needsInit = true;
    this.pendingSteps = 0;
    this.pastEnd = false;
    this.epoch++;
    this.history.length = 0;
    this.latest = null;
    this.stats = { ...this.stats, stepsDone: 0, batchSteps: 0 };
    this.onRestart?.();
    this.host.requestUpdate();
  }

  setStepsPerBatch(n: number | null): void {
    this.stepsPerBatch = n === null ? null : Math.max(1, Math.min(MAX_STEPS_PER_BATCH, Math.round(n)));
    this.host.requestUpdate();
  }

  /** Asks for a metrics sample with the next batch (a view that needs fresh projections). */
  requestMetrics(): void {
    this.metricsDue = true;
  }

  /** Whether the metrics records estimate every network's sharpness (the scenario's `sharpness`, or asked for on the page). */
  get sharpness(): boolean {
    return this.sim?.sharpnessActive ?? this.wantSharpness;
  }

  /**
   * Turns the sharpness estimates on or off for this and later builds. On without the
   * scenario's `sharpness` field, every metrics record makes one (their GPU share limit,
   * METRICS_GPU_SHARE, then spaces the records out by their cost).
   */
  async setSharpness(on: boolean): Promise<void> {
    this.wantSharpness = on;
    const sim = this.sim;
    if (sim) await this.applySharpness(sim);
    this.host.requestUpdate();
  }

  private async applySharpness(sim: NetworkSimulation): Promise<void> {
    if (!this.wantSharpness) {
      sim.sharpnessActive = false;
      return;
    }
    if (!sim.scenario.sharpness) sim.sharpnessEvery = 1;
    await sim.enableSharpness();
    this.metricsDue = true;
  }

  // ---- parameter readback (views; never per frame) ------------------------------

  /** Parameters of networks first .. first + n - 1 of a panel, n x D float32 (one readback). */
  async readParams(panel: number, first: number, n = 1): Promise<Float32Array> {
    const sim = this.sim;
    if (!sim) throw new Error('NetworkRun: no simulation runs');
    const p: NetworkPanelRuntime | undefined = sim.panels[panel];
    if (!p) throw new Error(`NetworkRun: panel ${panel} does not exist`);
    const D = p.model.layout.params;
    const count = p.system.count;
    const a = Math.max(0, Math.min(count - 1, first)), m = Math.max(1, Math.min(n, count - a));
    return new Float32Array(await readBuffer(sim.device, p.system.params, 4 * D * m, 4 * D * a));
  }

  // ---- build ----------------------------------------------------------------------

  private async build(run: NetworkRun | null, signal: AbortSignal): Promise<Built | null> {
    this.teardown();
    if (!run) return null;
    this.error = null;
    try {
      const gpu = await this.source().gpu();
      if (signal.aborted) return null;
      const { device } = gpu;
      // the widest panel bounds the memory (panels may override the hidden widths)
      const { layout } = run.scenario.panels.map((p) => panelNetworkModel(run.model, p.hidden)).reduce((a, b) => (b.layout.params > a.layout.params ? b : a));
      const memory = { bytesPerNetwork: bytesPerNetwork(layout), maxNetworks: maxNetworks(device, layout), params: layout.params };
      const adapter = `${gpu.adapterSummary.vendor} ${gpu.adapterSummary.architecture}`.trim();
      this.memory = memory;
      this.adapter = adapter;
      const count = run.scenario.particles.count;
      if (count > memory.maxNetworks) {
        throw new Error(`particles.count: ${count} networks of ${layout.params} parameters exceed this adapter's limit of ${memory.maxNetworks} per panel (${adapter}); use fewer networks or narrower layers`);
      }
      const sim = await NetworkSimulation.create(device, run.scenario, run.model);
      if (this.wantSharpness) await this.applySharpness(sim);
      if (signal.aborted || !this.connected) {
        sim.destroy();
        return null;
      }
      this.sim = sim;
      this.stopAt = run.scenario.steps;
      this.playing = run.play;
      this.builds++;
      this.reset();
      return { sim, memory, adapter };
    } catch (e) {
      if (!signal.aborted) {
        this.error = e instanceof Error ? e.message : String(e);
        console.warn('SGD Lab: the network scenario could not be built:', this.error);
      }
      return null;
    } finally {
      this.host.requestUpdate();
    }
  }

  private teardown(): void {
    this.epoch++;
    this.sim?.destroy();
    this.sim = null;
    this.playing = false;
    this.inFlight = false;
    this.readbackBusy = false;
    this.history.length = 0;
    this.latest = null;
  }

  // ---- the frame loop ---------------------------------------------------------------

  private readonly tick = (now: number): void => {
    if (!this.connected) return;
    this.raf = requestAnimationFrame(this.tick);
    this.rate.frames++;
    const sim = this.sim;
    if (sim && !this.inFlight) {
      try {
        this.submitBatch(sim, now);
      } catch (e) {
        this.playing = false;
        this.error = `the training stopped: ${(e as Error).message}`;
        console.error('SGD Lab:', e);
        this.host.requestUpdate();
      }
    }
    if (now - this.rate.t >= 1000) {
      const dt = (now - this.rate.t) / 1000;
      this.stats = { ...this.stats, fps: this.rate.t ? this.rate.frames / dt : 0, stepsPerSecond: this.rate.t ? this.rate.steps / dt : 0 };
      this.rate = { t: now, frames: 0, steps: 0 };
    }
    if (now - this.lastUpdate > 150) {
      this.lastUpdate = now;
      this.host.requestUpdate();
    }
  };

  private batchSize(): number {
    if (this.stepsPerBatch !== null) return this.stepsPerBatch;
    const ms = this.stats.msPerStep;
    // the first batch is one step: a slow (CPU-emulated) GPU must not be handed a huge one
    if (ms === null) return 1;
    return Math.max(1, Math.min(MAX_STEPS_PER_BATCH, Math.floor(AUTO_BATCH_MS / Math.max(ms, 1e-4))));
  }

  private submitBatch(sim: NetworkSimulation, now: number): void {
    const device = sim.device;
    const encoder = device.createCommandEncoder({ label: 'NetworkRun.batch' });
    const init = this.needsInit;
    if (init) {
      sim.encodeInit(encoder);
      this.needsInit = false;
      this.metricsDue = true;
    }
    const pending = this.pendingSteps;
    let steps = pending;
    this.pendingSteps = 0;
    // the initial networks' record comes first (step 0), in a batch of its own
    if (this.playing && !init) {
      let n = this.batchSize();
      if (this.stopAt !== null && !this.pastEnd) n = Math.min(n, Math.max(0, this.stopAt - sim.stepsDone - steps));
      steps += n;
      if (n === 0 && steps === 0) {
        // the run reached its end
        this.playing = false;
        this.metricsDue = true;
        this.host.requestUpdate();
      }
    }
    // the scenario's sharpness schedule (every record.every x sharpness.every steps): a batch
    // stops at the next estimate's step and records there, so the estimates land on the same
    // steps as the runner's (the Sweep chart compares panels at equal lr·steps from them)
    const interval = sim.sharpnessActive ? sim.sharpnessStepInterval : 0;
    if (interval > 0 && steps > 0) {
      const next = (Math.floor(sim.stepsDone / interval) + 1) * interval;
      if (sim.stepsDone + steps > next) {
        // the Step button's steps cut here are kept for the next batch
        this.pendingSteps += Math.min(pending, sim.stepsDone + steps - next);
        steps = next - sim.stepsDone;
      }
    }
    const atEstimate = interval > 0 && steps > 0 && (sim.stepsDone + steps) % interval === 0;
    // the estimate's step waits for the previous readback rather than being stepped past
    if (atEstimate && this.readbackBusy && !init) {
      this.pendingSteps += Math.min(pending, steps);
      return;
    }
    const gap = Math.max(METRICS_INTERVAL_MS, ((1 - METRICS_GPU_SHARE) / METRICS_GPU_SHARE) * (this.stats.metricsMs ?? 0));
    const metrics = !this.readbackBusy && (this.metricsDue || atEstimate || (steps > 0 && now - this.lastMetrics >= gap));
    if (!init && steps === 0 && !metrics) return;
    sim.encodeSteps(encoder, steps);
    if (metrics) {
      sim.encodeMetrics(encoder);
      for (const h of this.hooks) h.encode(encoder, sim);
    }
    device.queue.submit([encoder.finish()]);
    const epoch = this.epoch;
    const t0 = performance.now();
    this.inFlight = true;
    this.stats = { ...this.stats, stepsDone: sim.stepsDone, batchSteps: steps };
    this.rate.steps += steps;
    void device.queue.onSubmittedWorkDone().then(() => {
      if (sim !== this.sim) return;
      this.inFlight = false;
      if (epoch !== this.epoch) return;
      const ms = performance.now() - t0;
      const smooth = (prev: number | null, v: number) => (prev === null ? v : 0.7 * prev + 0.3 * v);
      if (steps > 0 && !metrics) {
        this.stats = { ...this.stats, msPerStep: smooth(this.stats.msPerStep, ms / steps) };
      } else if (metrics) {
        // a metrics batch: what its steps did not take (the steps' share from pure step batches)
        const evalMs = Math.max(0, ms - steps * (this.stats.msPerStep ?? 0));
        this.stats = { ...this.stats, metricsMs: smooth(this.stats.metricsMs, evalMs) };
      }
    }, () => { if (sim === this.sim) this.inFlight = false; });
    if (metrics) this.readMetrics(sim, now, epoch);
  }

  private readMetrics(sim: NetworkSimulation, now: number, epoch: number): void {
    this.metricsDue = false;
    this.lastMetrics = now;
    this.readbackBusy = true;
    const step = sim.stepsDone;
    const hooks = [...this.hooks];
    const own = sim.recordBuffers();
    const extra = hooks.map((h) => h.buffers(sim));
    // submitted now: the copies see this batch's results, whatever is submitted later
    const bytes = readBuffers(sim.device, [...own, ...extra.flat()]);
    void bytes.then((all) => {
      if (sim !== this.sim) return;
      this.readbackBusy = false;
      if (epoch !== this.epoch) return;
      const mine = all.slice(0, own.length);
      const sample: NetworkSample = {
        step,
        records: sim.parseRecords(mine, step),
        perParticle: sim.panels.map((_, i) => new Float32Array(mine[3 * i])),
        status: sim.panels.map((_, i) => new Uint32Array(mine[3 * i + 2])),
      };
      let at = own.length;
      hooks.forEach((h, i) => {
        const n = extra[i].length;
        h.take(all.slice(at, at + n), sample);
        at += n;
      });
      this.push(sample);
    }, (e) => {
      if (sim !== this.sim) return;
      this.readbackBusy = false;
      console.warn('SGD Lab: a network metrics readback failed:', (e as Error).message);
    });
  }

  private push(sample: NetworkSample): void {
    const last = this.history[this.history.length - 1];
    if (last && sample.step <= last.step) {
      if (sample.step === last.step) this.history[this.history.length - 1] = sample;
    } else {
      this.history.push(sample);
      if (this.history.length > MAX_HISTORY) {
        const kept = this.history.filter((_, i) => i % 2 === 0 || i === this.history.length - 1);
        this.history.length = 0;
        this.history.push(...kept);
      }
    }
    this.latest = sample;
    this.onSample?.(sample);
    this.host.requestUpdate();
  }
}
