// The no-WebGPU lab's frame loop: the same transport as FrameLoop (play,
// pause, step, reset, speed, fixed steps per frame, stop at the run's end)
// over a CpuSimulation whose workers step asynchronously. At most one step
// request is in flight; each takes about REQUEST_MS of the workers' time, so
// the page keeps drawing at its own rate while they work. Records are taken
// from the clouds (CPU reference) at most every METRICS_MS while playing.
import type { CpuSimulation } from './cpu-simulation';
import type { FrameStats, MetricsSample } from './frame-loop';

/** Workers' stepping time one request aims at (ms): long enough to amortise the messages, short enough to keep the cloud moving smoothly. */
const REQUEST_MS = 60;
/** Records at most this often while playing (ms of wall time). */
const METRICS_MS = 100;
/** Rates are averaged over about this much wall time (ms). */
const RATE_WINDOW_MS = 1000;

export interface CpuLoopOptions {
  onMetrics(sample: MetricsSample): void;
  /** after each frame */
  onFrame(stats: FrameStats): void;
  /** draws the clouds as they are */
  draw(): void;
  /** the loop paused by itself (run finished or a worker failed) */
  onPause(reason: 'finished' | 'error', error?: unknown): void;
}

export class CpuLoop {
  /** steps per second; Infinity runs as many as the workers do in REQUEST_MS per request */
  speed = Infinity;
  /** when set, exactly this many steps per request (frame-exact), ignoring speed */
  fixedStepsPerFrame: number | null = null;
  /** pauses by itself when every panel has done this many steps (null: never) */
  stopAt: number | null = null;
  /** no buffers are read back from a GPU here */
  readonly readbackLabels: string[] = [];
  private playingFlag = false;
  private running = false;
  private destroyed = false;
  private raf = 0;
  private lastTime: number | null = null;
  private pendingSteps = 0;
  private needsReset = false;
  private invalid = true;
  private pastEnd = false;
  private frames = 0;
  private stepsLastFrame = 0;
  private fps = 0;
  private stepsPerSecond = 0;
  /** smoothed workers' ms per optimizer step (all panels), null until measured */
  private msPerStep: number | null = null;
  /** steps owed at `speed` since the last request (capped at one request's budget) */
  private carry = 0;
  private lastMetrics = -Infinity;
  private frameWaiters: { frames: number; resolve: () => void }[] = [];

  constructor(readonly sim: CpuSimulation, private readonly options: CpuLoopOptions) {}

  get playing(): boolean {
    return this.playingFlag;
  }

  /** steps one request may take: about REQUEST_MS of the workers' time */
  get budgetSteps(): number {
    return this.msPerStep ? Math.max(1, Math.floor(REQUEST_MS / this.msPerStep)) : 1;
  }

  get stats(): FrameStats {
    return {
      frames: this.frames, stepsDone: this.sim.stepsDone, stepsLastFrame: this.stepsLastFrame, budgetSteps: this.budgetSteps,
      msPerStep: this.msPerStep, metricsMs: null, timing: 'submitted-work', fps: this.fps, stepsPerSecond: this.stepsPerSecond,
      throttled: 0, playing: this.playingFlag,
    };
  }

  start(): void {
    if (this.running || this.destroyed) return;
    this.running = true;
    this.lastTime = null;
    this.raf = requestAnimationFrame(this.tick);
  }

  stop(): void {
    this.running = false;
    cancelAnimationFrame(this.raf);
  }

  play(): void {
    if (this.stopAt !== null && this.sim.stepsDone >= this.stopAt) this.pastEnd = true;
    this.playingFlag = true;
    this.carry = 0;
    this.invalid = true;
  }

  pause(): void {
    this.playingFlag = false;
    this.invalid = true;
  }

  toggle(): void {
    if (this.playingFlag) this.pause();
    else this.play();
  }

  /** Queues `n` steps for the next request (playing or not). */
  step(n = 1): void {
    this.pendingSteps += n;
  }

  /** Every panel's cloud back to its initial state. */
  reset(): void {
    this.needsReset = true;
    this.pastEnd = false;
    this.pendingSteps = 0;
    this.carry = 0;
  }

  invalidate(): void {
    this.invalid = true;
  }

  /** Resolves after `n` more frames. */
  waitFrames(n: number): Promise<void> {
    return new Promise((resolve) => this.frameWaiters.push({ frames: this.frames + n, resolve }));
  }

  /** Takes the clouds' records now and reports them. */
  emitMetrics(): void {
    this.lastMetrics = performance.now();
    this.options.onMetrics({ step: this.sim.stepsDone, records: this.sim.records() });
  }

  destroy(): void {
    this.destroyed = true;
    this.stop();
    for (const w of this.frameWaiters) w.resolve();
    this.frameWaiters = [];
  }

  private readonly tick = (now: number): void => {
    if (!this.running || this.destroyed) return;
    this.raf = requestAnimationFrame(this.tick);
    const dt = this.lastTime === null ? 16.7 : now - this.lastTime;
    this.lastTime = now;
    if (!this.sim.stepping) this.request(dt);
    else if (this.playingFlag && Number.isFinite(this.speed)) this.carry = Math.min(this.carry + (this.speed * Math.min(dt, 100)) / 1000, this.budgetSteps);
    if (this.invalid) {
      this.invalid = false;
      this.options.draw();
    }
    this.frames++;
    const a = 1 - Math.exp(-Math.max(dt, 1) / RATE_WINDOW_MS);
    this.fps = this.fps === 0 ? 1000 / Math.max(dt, 1) : (1 - a) * this.fps + (a * 1000) / Math.max(dt, 1);
    this.stepsPerSecond *= 1 - a;
    this.options.onFrame(this.stats);
    this.frameWaiters = this.frameWaiters.filter((w) => (w.frames <= this.frames ? (w.resolve(), false) : true));
  };

  /** Starts the next request (reset, queued steps, or the steps playing owes), if any. */
  private request(dtMs: number): void {
    const sim = this.sim;
    if (this.needsReset) {
      this.needsReset = false;
      this.track(sim.reset().then(() => { this.emitMetrics(); }));
      return;
    }
    let steps = this.pendingSteps;
    this.pendingSteps = 0;
    const budget = this.budgetSteps;
    if (this.playingFlag) {
      if (this.fixedStepsPerFrame !== null) steps += this.fixedStepsPerFrame;
      else if (!Number.isFinite(this.speed)) steps += budget;
      else {
        this.carry = Math.min(this.carry + (this.speed * Math.min(dtMs, 100)) / 1000, budget);
        const take = Math.floor(this.carry);
        this.carry -= take;
        steps += take;
      }
    }
    let finished = false;
    if (this.stopAt !== null && !this.pastEnd && this.playingFlag && sim.stepsDone + steps >= this.stopAt) {
      steps = Math.max(0, this.stopAt - sim.stepsDone);
      finished = true;
    }
    if (steps === 0) {
      if (finished) this.finish();
      return;
    }
    this.track(sim.advance(steps).then((ms) => {
      const perStep = ms / steps;
      this.msPerStep = this.msPerStep === null ? perStep : 0.7 * this.msPerStep + 0.3 * perStep;
      this.stepsLastFrame = steps;
      // an exponential moving rate: each step adds 1/τ (steps/s), decayed by exp(-dt/τ) per frame in tick
      this.stepsPerSecond += (steps * 1000) / RATE_WINDOW_MS;
      if (finished || !this.playingFlag || performance.now() - this.lastMetrics >= METRICS_MS) this.emitMetrics();
      if (finished) this.finish();
    }));
  }

  /** Redraws after a request; a failure pauses the loop and is reported. */
  private track(p: Promise<void>): void {
    p.then(() => { this.invalid = true; }, (e: unknown) => {
      if (this.destroyed) return;
      this.playingFlag = false;
      this.options.onPause('error', e);
    });
  }

  private finish(): void {
    this.playingFlag = false;
    this.options.onPause('finished');
  }
}
