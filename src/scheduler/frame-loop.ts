// The live loop: one command encoder per frame holding every panel's
// optimizer steps, the metrics reductions and histograms, the metrics
// readback copies and the renderer's GPU-to-GPU copies; then the render.
// Steps per frame follow the GPU time budget (StepBudget) and the speed
// setting; at most MAX_FRAMES_IN_FLIGHT frames are queued on the GPU.
import type { PanelRecord, Simulation } from './simulation';
import { StepBudget, StepPacer } from './budget';
import { GpuTimer } from './gpu-timer';
import { MetricsReadback, READBACK_SLOTS, type ReadbackSample } from './metrics-readback';

export const MAX_FRAMES_IN_FLIGHT = 2;
/** wall-clock window (ms) of the smoothed fps and steps/s */
const RATE_WINDOW_MS = 1000;

/** What the loop needs from the renderer. */
export interface FrameRenderer {
  /** GPU-to-GPU copies of the simulation's buffers into the renderer's, in the frame's encoder */
  encodeCopies(encoder: GPUCommandEncoder): void;
  render(): void;
}

export interface MetricsSample {
  /** optimizer steps done by every panel when the metrics were reduced */
  step: number;
  /** per panel, its record (with the PDE's where the panel has one), as Simulation.parseRecords builds it */
  records: PanelRecord[];
}

export interface FrameStats {
  frames: number;
  /** optimizer steps per panel done so far */
  stepsDone: number;
  /** steps encoded in the last frame that stepped */
  stepsLastFrame: number;
  /** steps the GPU budget allows per frame (fractional: frames run it on average, see StepPacer) */
  budgetSteps: number;
  /** smoothed GPU milliseconds per step (all panels), null until measured */
  msPerStep: number | null;
  /** smoothed GPU milliseconds per metrics reduction (all panels), null until measured */
  metricsMs: number | null;
  /** how GPU time is measured */
  timing: 'timestamp-query' | 'submitted-work';
  /** smoothed frames and optimizer steps per wall-clock second */
  fps: number;
  stepsPerSecond: number;
  /** frames skipped because MAX_FRAMES_IN_FLIGHT were queued */
  throttled: number;
  playing: boolean;
}

/** What a FrameHook learns about the frame it encodes into. */
export interface HookFrame {
  /** the clouds were re-placed at step 0 in this frame (the run was reset) */
  init: boolean;
  /** optimizer steps encoded in this frame (0 for a frame that only draws) */
  steps: number;
  /** steps done by every panel after this frame's steps */
  stepsDone: number;
}

/**
 * Extra GPU work in every frame the loop encodes (e.g. escape checks:
 * scheduler/escape-watch.ts), after the optimizer steps and before the
 * metrics; frames that neither step nor draw call nothing.
 */
export interface FrameHook {
  encodeAfterSteps(encoder: GPUCommandEncoder, frame: HookFrame): void;
  /** after the frame's command buffer was submitted (start mapping readbacks) */
  afterSubmit?(): void;
  /** labels of the buffers the hook maps (included in FrameLoop.readbackLabels) */
  readonly readbackLabels?: string[];
}

export interface FrameLoopOptions {
  /** metrics of every panel, as they come back from the GPU (in step order) */
  onMetrics?: (sample: MetricsSample) => void;
  /** after each frame that did something */
  onFrame?: (stats: FrameStats) => void;
  /** the loop paused by itself (run finished or an error) */
  onPause?: (reason: 'finished' | 'error', error?: unknown) => void;
  /** GPU ms per frame for the simulation (default 8) */
  budgetMs?: number;
}

interface SampleMeta {
  step: number;
  steps: number;
  /** whether the sample's last section holds GpuTimer timestamps */
  timed: boolean;
  /** whether the metrics were reduced in that frame */
  metrics: boolean;
}

export class FrameLoop {
  readonly budget: StepBudget;
  /** GPU ms per frame the simulation may always take */
  private readonly budgetMs: number;
  /** steps per second; Infinity runs as many as the GPU budget allows */
  speed = Infinity;
  /** when set, exactly this many steps per frame (frame-exact recording), ignoring budget and speed */
  fixedStepsPerFrame: number | null = null;
  /** the loop pauses by itself when every panel has done this many steps (null: never) */
  stopAt: number | null = null;
  private playingFlag = false;
  private raf = 0;
  private running = false;
  private lastTime: number | null = null;
  private pendingSteps = 0;
  private needsInit = true;
  private invalid = true;
  private inFlight = 0;
  private lastDone = 0;
  private frames = 0;
  private stepsLastFrame = 0;
  private throttled = 0;
  private fps = 0;
  private stepsPerSecond = 0;
  private readonly pacer = new StepPacer();
  private readonly timer: GpuTimer | null;
  private readonly readback: MetricsReadback<SampleMeta>;
  private readonly timingOnly: MetricsReadback<SampleMeta>;
  /** sections of the metrics ring holding sim.recordBuffers() (the rest: GPU timestamps) */
  private readonly recordSections: number;
  private metricsRequested = false;
  /** the run reached stopAt and was played on */
  private pastEnd = false;
  private nextMetricsAt = 0;
  /** smoothed GPU milliseconds of one metrics reduction (all panels), null until measured */
  private metricsMs: number | null = null;
  /**
   * metrics are reduced and read back at most this often (wall-clock ms) while
   * playing: the charts need a few updates per second, and on a slow adapter a
   * reduction costs as much as a third of a frame (default scenario on
   * SwiftShader: 13-17 ms of a 100 ms frame; 50 ms reduced every frame there)
   */
  metricsMinIntervalMs = 200;
  private destroyed = false;
  private frameWaiters: { frames: number; resolve: () => void }[] = [];
  /** extra work encoded in every frame after the steps (add and delete freely between frames) */
  readonly hooks = new Set<FrameHook>();

  constructor(readonly device: GPUDevice, readonly sim: Simulation, readonly renderer: FrameRenderer, private readonly options: FrameLoopOptions = {}) {
    this.budgetMs = options.budgetMs ?? 8;
    this.budget = new StepBudget({ targetMs: this.budgetMs });
    this.timer = GpuTimer.create(device);
    // the record buffers whole (as Simulation.readRecords reads them), then the timestamps
    const sections = sim.recordBuffers().map((source) => ({ source, bytes: source.size }));
    this.recordSections = sections.length;
    if (this.timer) sections.push({ source: this.timer.resolved, bytes: this.timer.bytes });
    this.readback = new MetricsReadback<SampleMeta>(device, sections, (s) => this.onSample(s), READBACK_SLOTS, 'MetricsReadback');
    // frames that step without reducing metrics still report their GPU time (16 bytes)
    this.timingOnly = new MetricsReadback<SampleMeta>(device, this.timer ? [{ source: this.timer.resolved, bytes: this.timer.bytes }] : [],
      (s) => this.observeTiming(s.meta, s.sections[0]), READBACK_SLOTS, 'MetricsReadback.timing');
  }

  get playing(): boolean {
    return this.playingFlag;
  }

  /** Labels of the buffers the loop maps (the metrics ring, and its timing-only twin). */
  get readbackLabels(): string[] {
    return [...this.readback.labels, ...this.timingOnly.labels, ...[...this.hooks].flatMap((h) => h.readbackLabels ?? [])];
  }

  /** Reduces and reads back the metrics in the next frame. */
  requestMetrics(): void {
    this.metricsRequested = true;
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
    // playing again after the run finished goes on past its end (until the next reset)
    if (this.stopAt !== null && !this.needsInit && this.sim.stepsDone >= this.stopAt) this.pastEnd = true;
    this.playingFlag = true;
    this.pacer.reset();
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

  /** Queues `n` steps for the next frame (playing or not). */
  step(n = 1): void {
    this.pendingSteps += n;
  }

  /** Puts every panel's cloud back to its initial state at the next frame. */
  reset(): void {
    this.needsInit = true;
    this.pastEnd = false;
    this.pendingSteps = 0;
    this.pacer.reset();
  }

  /** Asks for a render at the next frame (camera moved, canvas resized) while paused. */
  invalidate(): void {
    this.invalid = true;
  }

  /**
   * Resolves after `n` more frames have been submitted. A paused loop draws a
   * frame only after invalidate() or step(), one per call.
   */
  waitFrames(n: number): Promise<void> {
    return new Promise((resolve) => this.frameWaiters.push({ frames: this.frames + n, resolve }));
  }

  get stats(): FrameStats {
    return {
      frames: this.frames,
      stepsDone: this.sim.stepsDone,
      stepsLastFrame: this.stepsLastFrame,
      budgetSteps: this.budget.stepsAllowed,
      msPerStep: this.budget.msPerStep,
      metricsMs: this.metricsMs,
      timing: this.timer ? 'timestamp-query' : 'submitted-work',
      fps: this.fps,
      stepsPerSecond: this.stepsPerSecond,
      throttled: this.throttled,
      playing: this.playingFlag,
    };
  }

  private readonly tick = (now: number): void => {
    if (!this.running || this.destroyed) return;
    this.raf = requestAnimationFrame(this.tick);
    const dt = this.lastTime === null ? 16.7 : now - this.lastTime;
    this.lastTime = now;
    if (this.inFlight >= MAX_FRAMES_IN_FLIGHT) {
      this.throttled++;
      return;
    }
    try {
      this.frame(dt);
    } catch (e) {
      this.playingFlag = false;
      this.options.onPause?.('error', e);
    }
  };

  private frame(dtMs: number): void {
    const sim = this.sim;
    let steps = this.pendingSteps;
    const stepped = steps > 0;
    this.pendingSteps = 0;
    if (this.playingFlag) {
      // the simulation may take the configured budget, or half of a slow frame (then it runs as long as the rest)
      if (this.fps > 0) this.budget.targetMs = Math.max(this.budgetMs, Math.min(100, 500 / this.fps));
      steps += this.fixedStepsPerFrame ?? this.pacer.next(this.speed, dtMs, this.budget.stepsAllowed);
    }
    const init = this.needsInit;
    const base = init ? 0 : sim.stepsDone;
    let finished = false;
    if (this.stopAt !== null && !this.pastEnd && this.playingFlag && base + steps >= this.stopAt) {
      steps = Math.max(0, this.stopAt - base);
      finished = true;
    }
    const now = performance.now();
    const measure = init || this.metricsRequested || stepped || finished || (steps > 0 && now >= this.nextMetricsAt);
    if (!init && steps === 0 && !this.invalid && !measure) {
      if (finished) this.finish();
      return;
    }
    this.invalid = false;
    this.needsInit = false;
    this.metricsRequested = false;

    const encoder = this.device.createCommandEncoder({ label: 'FrameLoop.frame' });
    if (init) sim.encodeInit(encoder);
    this.timer?.mark(encoder);
    // every panel's optimizer steps and its PDE substeps
    sim.encodeSteps(encoder, steps);
    this.timer?.mark(encoder);
    for (const h of this.hooks) h.encodeAfterSteps(encoder, { init, steps, stepsDone: sim.stepsDone });
    if (measure) sim.encodeMetrics(encoder);
    this.timer?.mark(encoder);
    this.timer?.resolve(encoder);
    if (measure) {
      this.readback.encode(encoder, { step: sim.stepsDone, steps, timed: this.timer !== null, metrics: true });
      // metrics may take at most ~1/4 of the GPU time: slow reductions are taken less often
      this.nextMetricsAt = now + Math.max(this.metricsMinIntervalMs, 3 * (this.metricsMs ?? 0));
    } else if (this.timer && steps > 0) {
      this.timingOnly.encode(encoder, { step: sim.stepsDone, steps, timed: true, metrics: false });
    }
    this.renderer.encodeCopies(encoder);
    this.device.queue.submit([encoder.finish()]);
    this.readback.afterSubmit();
    this.timingOnly.afterSubmit();
    for (const h of this.hooks) h.afterSubmit?.();
    this.renderer.render();

    const submitted = performance.now();
    this.inFlight++;
    this.device.queue.onSubmittedWorkDone().then(() => {
      this.inFlight--;
      const done = performance.now();
      // without timestamps: the GPU was busy from submit (or the previous frame's end) to now
      if (!this.timer && steps > 0) this.budget.observe(done - Math.max(submitted, this.lastDone), steps);
      this.lastDone = done;
    }, () => { this.inFlight--; });

    this.frames++;
    if (steps > 0) this.stepsLastFrame = steps;
    // averaged over about the last second of wall time (not a fixed number of frames, which
    // would keep a slow page's rates stale for minutes)
    const a = 1 - Math.exp(-Math.max(dtMs, 1) / RATE_WINDOW_MS);
    this.fps = this.fps === 0 ? 1000 / Math.max(dtMs, 1) : (1 - a) * this.fps + (a * 1000) / Math.max(dtMs, 1);
    this.stepsPerSecond = (1 - a) * this.stepsPerSecond + (a * steps * 1000) / Math.max(dtMs, 1);
    this.options.onFrame?.(this.stats);
    this.frameWaiters = this.frameWaiters.filter((w) => (w.frames <= this.frames ? (w.resolve(), false) : true));
    if (finished) this.finish();
  }

  private finish(): void {
    this.playingFlag = false;
    this.options.onPause?.('finished');
  }

  private onSample(s: ReadbackSample<SampleMeta>): void {
    this.observeTiming(s.meta, s.sections[this.recordSections]);
    const records = this.sim.parseRecords(s.sections.slice(0, this.recordSections), s.meta.step);
    this.options.onMetrics?.({ step: s.meta.step, records });
  }

  private observeTiming(meta: SampleMeta, bytes: ArrayBuffer | undefined): void {
    if (!meta.timed || !bytes || !this.timer) return;
    const [stepsMs, metricsMs] = GpuTimer.spansMs(bytes, this.timer.marks);
    if (stepsMs != null && meta.steps > 0) this.budget.observe(stepsMs, meta.steps);
    if (metricsMs != null && meta.metrics) this.metricsMs = this.metricsMs === null ? metricsMs : 0.7 * this.metricsMs + 0.3 * metricsMs;
  }

  destroy(): void {
    this.destroyed = true;
    this.stop();
    this.readback.destroy();
    this.timingOnly.destroy();
    this.timer?.destroy();
    for (const w of this.frameWaiters) w.resolve();
    this.frameWaiters = [];
  }
}
