// The GPU side of the lab page as a lit ReactiveController: it owns the
// GpuContext, the three.js renderer, the Simulation and the FrameLoop, builds
// them for each scenario (a lit Task: one build at a time, the latest
// scenario wins and aborts an older build), reports device loss and recovers.
// The element that hosts it only renders what it exposes. Its states and
// messages are engine-status.ts; clicks and drags on the stage,
// stage-pointer.ts; the escape statistics' hookup, escape-hookup.ts.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Task } from '@lit/task';
import { GpuContext } from '../gpu/device';
import { GpuUnavailableError } from '../gpu/errors';
import type { Scenario } from '../model/scenario';
import type { Surface } from '../model/surface-types';
import { Simulation } from '../scheduler/simulation';
import { FrameLoop, type FrameStats, type MetricsSample } from '../scheduler/frame-loop';
import type { EscapeWatch } from '../scheduler/escape-watch';
import { escapeWatchFor, hookEscape } from './escape-hookup';
import { pdeOf } from '../scheduler/panel-sources';
import { panelSources } from './panel-sources';
import { LabRenderer } from '../render/lab-renderer';
import { LOSS_FIELD_GRID, SurfaceField } from '../render/surface-field';
import { layoutPanels, type PanelLayout, type ViewMode } from '../render/layout';
import type { ParticleStyle } from '../render/particle-layer';
import type { PanelSurface, SurfaceShows } from '../render/stationary-view';
import { deviceLostMessage, failureStatus, type EngineMessage, type EngineState } from './engine-status';
import { StagePointer } from './stage-pointer';
import { pdeTime } from '../model/panel-quantities';
import type { ViewSettings } from './controls';
import type { CpuRun } from './cpu-run';
import type { CpuScene } from '../render/cpu-scene';
import type { PanelSpec } from '../model/scenario-schema';

/** What the page's transport buttons drive: the GPU frame loop, or the CPU one without WebGPU. */
export type LoopTransport = Pick<FrameLoop, 'playing' | 'toggle' | 'play' | 'pause' | 'step' | 'reset' | 'waitFrames' | 'stats' | 'readbackLabels'
  | 'start' | 'stop' | 'invalidate' | 'speed' | 'fixedStepsPerFrame' | 'stopAt'>;

/** What the page's labels and charts read of the running simulation, GPU or CPU. */
export interface PanelsView {
  scenario: Scenario;
  surface: Surface;
  stepsDone: number;
  panels: readonly { index: number; spec: PanelSpec; label: string }[];
}

/** GPU failures the CPU fallback stands in for (a too-small GPU limit is not one: the scenario should shrink). */
const CPU_FALLBACK_REASONS = new Set(['no-webgpu', 'no-adapter', 'device-failed']);

export type { EngineMessage, EngineState } from './engine-status';

/** Loss samples per side for the mesh, heatmap and contours (as in recorded videos). */
const FIELD_GRID = LOSS_FIELD_GRID;

export interface EngineCallbacks {
  onMetrics(sample: MetricsSample): void;
  /** a new simulation started (charts restart) */
  onRebuilt(): void;
  /** click (not drag) on the surface, in domain coordinates */
  onPick(x: number, y: number): void;
}

interface Wanted {
  scenario: Scenario;
  surface: Surface;
  play: boolean;
}

/** Whether two scenarios run the same simulation (they may differ in title, run length, recording period and landscape tools). */
function sameSimulation(a: Scenario, b: Scenario): boolean {
  // the landscape tools (critical points, paths, smoothing) draw over the running simulation; a new escape basin is handled by the caller
  const key = (s: Scenario) => JSON.stringify({ ...s, title: null, description: null, steps: 0, record: null, analysis: null });
  return key(a) === key(b);
}

const escapeKey = (s: Scenario) => JSON.stringify(s.analysis?.escape ?? null);

export class LabEngine implements ReactiveController {
  state: EngineState = 'starting';
  /** what the stage shows instead of (or over) the canvas */
  message: EngineMessage | null = null;
  gpu: GpuContext | null = null;
  renderer: LabRenderer | null = null;
  sim: Simulation | null = null;
  loop: FrameLoop | null = null;
  /** the scenario on the CPU at reduced scale (cpu-run.ts), when the browser has no WebGPU; null otherwise */
  cpu: CpuRun | null = null;
  /** what the CPU fallback leaves out and why (the stage shows it), null on a GPU */
  reducedNote: string | null = null;
  /** the no-WebGPU page's 3-D views (WebGL 2), kept across runs; null without WebGL 2 (`cpuSceneError` says why) */
  cpuScene: CpuScene | null = null;
  private cpuSceneError: string | null = null;
  /** the transparent canvas over the stage's canvas that the no-WebGPU maps are drawn on */
  private cpuOverlay: HTMLCanvasElement | null = null;
  /** why the page runs on the CPU (the note's first words) */
  private cpuWhy = '';
  field: SurfaceField | null = null;
  layouts: PanelLayout[] = [];
  /** escape statistics (scenario.analysis.escape), hooked into the loop; null when off or when it could not be set up */
  escape: EscapeWatch | null = null;
  /** why the escape statistics are off although the scenario asks for them */
  escapeError: string | null = null;
  stats: FrameStats | null = null;
  /** the scenario the running simulation was built from */
  scenario: Scenario | null = null;
  viewMode: ViewMode = 'both';
  /** carried across rebuilds */
  speed = 600;
  fixedStepsPerFrame: number | null = null;
  particleStyle: Partial<ParticleStyle> = { size: 2.5, opacity: 0.55 };
  /** current arrows ('auto': panels whose noise is anisotropic or minibatch, out of equilibrium) and particle trails */
  flowView: Pick<ViewSettings, 'arrows' | 'trails'> = { arrows: 'auto', trails: false };
  /** what the panels' surfaces show (View → surface); panels without a known stationary density show the loss */
  surfaceShows: SurfaceShows = 'loss';
  /** per panel, whether its surface shows `surfaceShows` (false: the loss, for want of a stationary density) */
  surfaceShown: boolean[] = [];
  /** the colour range ±nats of the ln(ρ_ss / Gibbs) maps while they show, else null */
  ratioRange: number | null = null;
  /** uncaptured GPU errors (shown as a warning, logged to the console) */
  gpuErrors: string[] = [];
  /** why the last scenario change did not take (the previous simulation kept running); null after a good build */
  buildError: string | null = null;
  /** builds done (tests wait for a count) */
  builds = 0;
  /**
   * The page's start, ms since navigation (performance.now()), each set once:
   * WebGPU device ready, renderer made, first simulation built (its pipelines
   * compiled), first frame drawn (its GPU work done). Bench and tests read it.
   */
  readonly startup: { gpu?: number; renderer?: number; simulation?: number; firstFrame?: number } = {};
  /** resolves when the first frame has been drawn (what the first frame does not need loads after it) */
  readonly firstFrame: Promise<void>;
  private firstFrameDrawn: () => void = () => {};
  private firstFrameWait: Promise<void> | null = null;
  /** true while a recording or snapshot renders the canvas at its own size (src/record/live-capture.ts) */
  capturing = false;

  private canvas: HTMLCanvasElement | null = null;
  private container: HTMLElement | null = null;
  /** the latest scenario asked for while no build has taken it up yet */
  private requested: Wanted | null = null;
  /** the build in progress (builds run one at a time) */
  private building: Promise<void> = Promise.resolve();
  /** builds as a Task: a newer scenario aborts an older one's build, so the latest wins */
  private readonly buildTask: Task<[Wanted], void>;
  private fieldKey = '';
  private resizeObserver: ResizeObserver | null = null;
  private disposed = false;
  /** a network scenario has the page (suspend()) */
  private suspended = false;
  private gpuPending: Promise<GpuContext> | null = null;
  private lastStatsUpdate = 0;
  private pointer: StagePointer | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly callbacks: EngineCallbacks) {
    host.addController(this);
    this.firstFrame = new Promise((resolve) => { this.firstFrameDrawn = resolve; });
    this.buildTask = new Task(host, { autoRun: false, task: ([wanted], { signal }) => this.queueBuild(wanted, signal) });
  }

  hostConnected(): void {
    this.disposed = false;
  }

  hostDisconnected(): void {
    this.shutdown();
  }

  /** Gives the engine its canvas (and the element whose size it fills). */
  attach(canvas: HTMLCanvasElement, container: HTMLElement): void {
    this.canvas = canvas;
    this.container = container;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.pointer = new StagePointer(container, this, (x, y) => this.callbacks.onPick(x, y));
  }

  /** Builds the simulation for a scenario (queued behind any build in progress; the latest wins). */
  load(scenario: Scenario, surface: Surface, play = true): Promise<void> {
    return this.runBuild({ scenario, surface, play });
  }

  /** Starts the build task; resolves when the latest scenario asked for has been built (or dropped). */
  private runBuild(wanted: Wanted): Promise<void> {
    this.requested = wanted;
    void this.buildTask.run([wanted]);
    return this.buildTask.taskComplete.then(() => undefined, () => undefined);
  }

  /** The build task's body: waits for the build in progress, then builds unless a newer scenario came meanwhile. */
  private async queueBuild(wanted: Wanted, signal: AbortSignal): Promise<void> {
    await this.building;
    if (signal.aborted) return;
    const run = this.build(wanted, signal);
    this.building = run;
    await run;
  }

  /** The loop the transport drives (GPU, or CPU without WebGPU); null before the first build. */
  get transport(): LoopTransport | null {
    return this.loop ?? this.cpu?.loop ?? null;
  }

  /** the no-WebGPU maps (clicks on them drop the cloud), null on a GPU */
  get cpuMaps(): CpuRun['maps'] | null {
    return this.cpu?.maps ?? null;
  }

  /** The running simulation's panels, scenario and surface (GPU or CPU). */
  get view(): PanelsView | null {
    return this.sim ?? this.cpu?.sim ?? null;
  }

  /**
   * The page's one GpuContext (created on first use): the 2-D simulation and
   * renderer, and the network view (ui/network-lab.ts), share its device.
   */
  ensureGpu(): Promise<GpuContext> {
    if (this.gpu) return Promise.resolve(this.gpu);
    this.gpuPending ??= GpuContext.create({
      onLost: (info) => this.onLost(info),
      onUncapturedError: (err) => {
        console.error(err.message);
        this.gpuErrors = [...this.gpuErrors.slice(-4), err.message];
        this.host.requestUpdate();
      },
    }).then((gpu) => { this.gpu = gpu; return gpu; }).finally(() => { this.gpuPending = null; });
    return this.gpuPending;
  }

  /**
   * Another view (a network scenario) takes the page: the 2-D loop stops (its
   * simulation is kept until the next 2-D build) and a recovery after a device
   * loss rebuilds nothing. Loading a 2-D scenario ends it.
   */
  /** Least progress (0..1) of the panels whose stationary density ρ_ss is still relaxing; null when none is. */
  stationaryProgress(): number | null {
    let least: number | null = null;
    for (const p of this.sim?.panels ?? []) {
      const s = p.pde?.stationary;
      if (s?.status === 'relaxing') least = Math.min(least ?? 1, s.progress);
    }
    return least;
  }

  suspend(): void {
    this.suspended = true;
    this.transport?.stop();
    this.transport?.pause();
    this.host.requestUpdate();
  }

  async recover(): Promise<void> {
    if (!this.gpu) return;
    this.teardownGpuObjects();
    this.message = null;
    this.state = 'starting';
    this.host.requestUpdate();
    try {
      await this.gpu.recover();
    } catch (e) {
      this.fail(e);
      return;
    }
    const wanted = this.requested ?? (this.lastBuilt && { ...this.lastBuilt, play: true });
    if (this.suspended) {
      // the other view rebuilds on the new device (GpuContext.generation); nothing 2-D to show
      this.state = 'starting';
      this.host.requestUpdate();
    } else if (wanted) await this.runBuild(wanted);
  }

  setViewMode(mode: ViewMode): void {
    this.viewMode = mode;
    this.relayout();
  }

  setSpeed(stepsPerSecond: number): void {
    this.speed = stepsPerSecond;
    const t = this.transport;
    if (t) t.speed = stepsPerSecond;
  }

  setFixedSteps(n: number | null): void {
    this.fixedStepsPerFrame = n;
    const t = this.transport;
    if (t) t.fixedStepsPerFrame = n;
  }

  setParticleStyle(style: Partial<ParticleStyle>): void {
    this.styleChosen = true;
    this.particleStyle = { ...this.particleStyle, ...style };
    this.renderer?.setParticleStyle(this.particleStyle);
    this.transport?.invalidate();
  }

  /**
   * Chooses the flow layers; resolves when they are drawn. Frames pause
   * meanwhile: a GPU kept busy by frames starves the arrow kernels' compilation.
   */
  setFlowView(v: Partial<LabEngine['flowView']>): Promise<void> {
    this.flowView = { ...this.flowView, ...v };
    const loop = this.loop;
    const live = () => loop === this.loop && this.state === 'running' && !this.capturing && !this.suspended && !this.disposed;
    const pause = live();
    if (pause) loop?.stop();
    return this.applyFlow().finally(() => { if (pause && live()) loop?.start(); });
  }

  /**
   * What the panels' surfaces show: the loss f, the effective potential Φ or
   * ln(ρ_ss / Gibbs) (panels whose stationary density is known; the others
   * keep the loss). Resolves when drawn.
   */
  setSurfaceShows(kind: SurfaceShows): Promise<void> {
    this.surfaceShows = kind;
    return this.applySurfaceShows();
  }

  private async applySurfaceShows(): Promise<void> {
    const { sim, renderer, field, scenario } = this;
    if (!sim || !renderer || !field || !scenario) return;
    const kind = this.surfaceShows;
    let surfaces: (PanelSurface | null)[] = [];
    let range: number | null = null;
    if (kind !== 'loss') {
      const view = await import('../render/stationary-view');
      // another simulation, renderer or choice came meanwhile: that one's call draws
      if (sim !== this.sim || renderer !== this.renderer || kind !== this.surfaceShows) return;
      ({ surfaces, range } = view.stationarySurfaces(kind, sim.panels.map((p) => view.panelStationaryCells(p.pde, scenario.domain)), field));
    } else if (!this.surfaceShown.some(Boolean)) return;
    this.surfaceShown = sim.panels.map((_, i) => !!surfaces[i]);
    this.ratioRange = range;
    renderer.setPanelSurfaces(surfaces);
    await this.applyFlow();
    this.host.requestUpdate();
  }

  private applyFlow(): Promise<void> {
    const { sim, renderer } = this;
    if (!sim || !renderer) return Promise.resolve();
    const { arrows, trails } = this.flowView;
    const choice = {
      trails,
      arrows: sim.panels.map((p) => !!p.pde && (arrows === 'on' || (arrows === 'auto' && !p.pde.isotropic))),
      stepTime: sim.panels.map((p) => pdeTime(p.spec, 1) ?? p.spec.optimizer.lr),
    };
    return renderer.setFlow(choice).then(() => this.loop?.invalidate(), (e) => console.warn('SGD Lab: flow layers:', e));
  }

  /** Whether a panel shows a Fokker–Planck density. */
  hasPde(panel: number): boolean {
    const p = this.sim?.panels[panel];
    return p ? pdeOf(p) !== null : false;
  }

  /** what the current (or, after a loss, the last) simulation was built from */
  private lastBuilt: { scenario: Scenario; surface: Surface } | null = null;
  private styleChosen = false;

  /** Builds `wanted` (never throws: a failure is shown); `signal` aborts when a newer scenario is asked for. */
  private async build(wanted: Wanted, signal: AbortSignal): Promise<void> {
    if (this.requested === wanted) this.requested = null;
    this.suspended = false;
    if (this.disposed || !this.canvas) return;
    const { scenario, surface } = wanted;
    // the same simulation again (a hash naming what already runs, or only the run length or the
    // CLI's sampling period changed): keep the running simulation
    if (this.sim && this.loop && this.state === 'running' && this.scenario && sameSimulation(scenario, this.scenario)) {
      const newBasin = escapeKey(scenario) !== escapeKey(this.scenario);
      this.scenario = scenario;
      this.lastBuilt = { scenario, surface: this.lastBuilt?.surface ?? surface };
      this.loop.stopAt = scenario.steps;
      if (newBasin) {
        // a new basin or check interval: new exit checks, and the run restarts so that every time counts from step 0
        this.loop.stop();
        this.attachEscape(await this.makeEscape(this.sim, scenario), this.loop);
        this.loop.reset();
        if (!this.disposed) this.loop.start();
      }
      if (wanted.play && !this.loop.playing && this.loop.stats.stepsDone < scenario.steps) this.loop.play();
      this.host.requestUpdate();
      return;
    }
    this.state = this.sim ? 'building' : 'starting';
    this.host.requestUpdate();
    // no new frames while compiling: a GPU kept busy by the frame loop starves pipeline creation
    // (the canvas keeps showing the last frame)
    this.loop?.stop();
    try {
      if (this.cpu) {
        await this.buildCpu(wanted, signal, null);
        return;
      }
      let gpu: GpuContext;
      try {
        gpu = await this.ensureGpu();
      } catch (e) {
        if (!(e instanceof GpuUnavailableError && CPU_FALLBACK_REASONS.has(e.reason))) throw e;
        await this.buildCpu(wanted, signal, e);
        return;
      }
      const device = gpu.device;
      this.startup.gpu ??= performance.now();
      if (!this.styleChosen) {
        // a CPU-emulated GPU draws 1-px points (one vertex per particle); real GPUs round dots
        const a = gpu.adapterSummary;
        this.particleStyle = { ...this.particleStyle, size: a.architecture === 'swiftshader' || a.isFallbackAdapter ? 1 : 2.5 };
        this.styleChosen = true;
      }
      if (!this.renderer) {
        this.renderer = await LabRenderer.create(this.canvas, device);
        // the camera moved: the 3-D views' cached surface is drawn again
        this.renderer.controls.addEventListener('change', () => { this.renderer?.invalidateBackground(); this.loop?.invalidate(); });
        // OrbitControls sets touch-action: none inline; the page's CSS decides (narrow screens let a vertical swipe scroll the stacked panels)
        this.renderer.canvas.style.touchAction = '';
        // 1-px dots by a compute pass once the first frame is drawn (its module is not in the first load)
        const renderer = this.renderer;
        void this.firstFrame.then(() => renderer.loadSplat());
        this.fieldKey = '';
        this.resize();
        this.startup.renderer ??= performance.now();
      }
      const builtOn = this.renderer;
      const sim = await Simulation.create(device, scenario, surface);
      const escape = await this.makeEscape(sim, scenario);
      this.startup.simulation ??= performance.now();
      // the page went away, a newer scenario arrived (built next), or the device was lost and
      // recovered (the recovery builds again) while this one compiled: drop it
      if (this.disposed || signal.aborted || this.renderer !== builtOn || this.suspended) {
        escape?.destroy();
        sim.destroy();
        return;
      }
      const key = JSON.stringify([scenario.surface, scenario.domain, scenario.seed]);
      if (key !== this.fieldKey || !this.renderer.hasSurface) {
        this.field = new SurfaceField(surface, scenario.domain, FIELD_GRID);
        this.renderer.setSurface(this.field);
        this.fieldKey = key;
      }
      this.loop?.destroy();
      this.sim?.destroy();
      this.sim = sim;
      this.scenario = scenario;
      this.lastBuilt = { scenario, surface };
      this.renderer.setPanels(panelSources(sim), this.particleStyle);
      this.surfaceShown = [];
      this.ratioRange = null;
      const renderer = this.renderer;
      // before the loop starts (see setFlowView)
      await this.applyFlow();
      const loop = new FrameLoop(device, sim, { encodeCopies: (e) => renderer.encodeCopies(e, sim.stepsDone), render: () => renderer.render(this.layouts) }, {
        onMetrics: (s) => this.callbacks.onMetrics(s),
        onFrame: (stats) => this.onFrame(stats),
        onPause: (reason, error) => {
          if (reason === 'error') this.fail(error);
          this.host.requestUpdate();
        },
      });
      loop.speed = this.speed;
      loop.fixedStepsPerFrame = this.fixedStepsPerFrame;
      loop.stopAt = scenario.steps;
      this.loop = loop;
      this.attachEscape(escape, loop);
      // the stage may have changed size with the scenario (narrow screens stack one panel per row):
      // size the canvas to it before laying the panels out, never after
      if (this.capturing) this.relayout();
      else this.resize();
      this.callbacks.onRebuilt();
      loop.start();
      if (wanted.play) loop.play();
      this.state = 'running';
      // anisotropic or minibatch panels: their own stationary density, relaxed on spare grids in the background
      void sim.relaxStationary(() => this.host.requestUpdate()).then(() => {
        this.host.requestUpdate();
        if (sim === this.sim && this.surfaceShows !== 'loss') void this.applySurfaceShows().catch((e) => console.warn('SGD Lab: surface view:', e));
      });
      if (this.surfaceShows !== 'loss') await this.applySurfaceShows();
      this.message = null;
      this.buildError = null;
      this.builds++;
    } catch (e) {
      if (this.sim && this.loop && !(e instanceof GpuUnavailableError) && (this.state as EngineState) !== 'lost') {
        // the new scenario failed to build: say why and keep the previous one running
        const msg = e instanceof Error ? e.message : String(e);
        console.warn('SGD Lab: the scenario could not be built:', msg);
        this.buildError = `The new scenario could not be built, so the previous one keeps running: ${msg}`;
        this.state = 'running';
      } else {
        this.fail(e);
      }
    } finally {
      // an abandoned or failed build leaves the previous simulation running
      const now = this.state as EngineState;
      if (this.loop && !this.disposed && !this.suspended && now !== 'lost' && now !== 'error') this.loop.start();
      if (this.state === 'building' && this.loop) this.state = 'running';
      this.host.requestUpdate();
    }
  }

  /**
   * Runs `wanted` on the CPU (no WebGPU: `why` the first time). A failure is
   * shown as the GPU's would be; the previous CPU run keeps going if there is one.
   */
  private async buildCpu(wanted: Wanted, signal: AbortSignal, why: GpuUnavailableError | null): Promise<void> {
    const [{ CpuRun }, { CpuScene }] = await Promise.all([import('./cpu-run'), import('../render/cpu-scene')]);
    if (this.disposed || signal.aborted || !this.canvas) return;
    const canvas = this.canvas;
    if (!this.cpuOverlay) {
      // the maps' canvas over the stage's one (same CSS box); clicks go through it to the stage's canvas
      this.cpuOverlay = document.createElement('canvas');
      this.cpuOverlay.style.pointerEvents = 'none';
      this.cpuOverlay.dataset.cpuMaps = '';
      canvas.after(this.cpuOverlay);
      try {
        this.cpuScene = await CpuScene.create(canvas);
        this.cpuScene.controls.addEventListener('change', () => this.cpu?.loop.invalidate());
        canvas.style.touchAction = '';
      } catch (e) {
        this.cpuSceneError = `WebGL 2 failed: ${e instanceof Error ? e.message : String(e)}`;
        console.warn('SGD Lab:', this.cpuSceneError);
      }
    }
    const { scenario, surface } = wanted;
    const run = await CpuRun.create(this.cpuOverlay, scenario, surface, {
      onMetrics: (s) => this.callbacks.onMetrics(s),
      onFrame: (stats) => this.onFrame(stats),
      onPause: (reason, error) => {
        if (reason === 'error') this.fail(error);
        this.host.requestUpdate();
      },
    }, (r) => {
      const opacity = this.particleStyle.opacity ?? 0.55;
      if (this.cpuScene) {
        this.cpuScene.setOpacity(opacity);
        this.cpuScene.render(this.layouts, r.clouds());
      }
      r.drawMaps(this.layouts, { opacity, size: 1 });
      if (!this.startup.firstFrame) {
        this.startup.firstFrame = performance.now();
        this.firstFrameDrawn();
      }
    });
    if (this.disposed || signal.aborted) {
      run.destroy();
      return;
    }
    this.cpu?.destroy();
    this.cpu = run;
    this.startup.simulation ??= performance.now();
    this.scenario = scenario;
    this.lastBuilt = { scenario, surface };
    this.field = run.field;
    this.cpuScene?.setField(run.field);
    this.escape = null;
    this.escapeError = scenario.analysis?.escape ? 'escape statistics run on WebGPU, which this browser lacks' : null;
    if (why) this.cpuWhy = why.reason === 'no-webgpu' ? 'navigator.gpu is missing' : why.reason === 'no-adapter' ? 'no GPU adapter' : 'the GPU device could not be made';
    this.reducedNote = run.reducedNote(this.cpuWhy || 'no WebGPU', this.cpuSceneError);
    const loop = run.loop;
    loop.speed = this.speed;
    loop.fixedStepsPerFrame = this.fixedStepsPerFrame;
    loop.stopAt = scenario.steps;
    this.resize();
    this.callbacks.onRebuilt();
    loop.emitMetrics();
    loop.start();
    if (wanted.play) loop.play();
    this.state = 'running';
    this.message = null;
    this.buildError = null;
    this.builds++;
  }

  /** The escape watch a scenario asks for (null when off); a failure is shown (escapeError), the run goes on without it. */
  private async makeEscape(sim: Simulation, scenario: Scenario): Promise<EscapeWatch | null> {
    this.escapeError = null;
    const { watch, error } = await escapeWatchFor(sim, scenario);
    this.escapeError = error;
    return watch;
  }

  private attachEscape(watch: EscapeWatch | null, loop: FrameLoop): void {
    hookEscape(loop, this.escape, watch, () => this.host.requestUpdate());
    this.escape = watch;
  }

  private onFrame(stats: FrameStats): void {
    this.stats = stats;
    const now = performance.now();
    if (!this.firstFrameWait && this.gpu) {
      // the first frame is drawn when the GPU has done its work
      this.firstFrameWait = this.gpu.device.queue.onSubmittedWorkDone().then(() => {
        this.startup.firstFrame = performance.now();
        this.firstFrameDrawn();
      }, () => {});
    }
    // the status line needs no more than ~8 updates per second
    if (now - this.lastStatsUpdate > 120 || !stats.playing) {
      this.lastStatsUpdate = now;
      this.host.requestUpdate();
    }
  }

  private onLost(info: GPUDeviceLostInfo): void {
    this.loop?.stop();
    this.state = 'lost';
    this.message = deviceLostMessage(info);
    this.host.requestUpdate();
  }

  private fail(e: unknown): void {
    this.transport?.stop();
    const { state, message } = failureStatus(e, this.gpu !== null);
    if (state === 'error') console.error('SGD Lab:', e);
    this.state = state;
    this.message = message;
    this.host.requestUpdate();
  }

  /** Ends a capture: the canvas goes back to the page's size. */
  releaseCapture(): void {
    this.capturing = false;
    this.resize();
  }

  private resize(): void {
    if (!this.container || this.capturing) return;
    const r = this.container.getBoundingClientRect();
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    if (this.renderer) this.renderer.resize(r.width, r.height, ratio);
    else if (this.cpu) {
      this.cpu.maps.resize(r.width, r.height, ratio);
      this.cpuScene?.resize(r.width, r.height, ratio);
    } else return;
    this.relayout();
  }

  private relayout(): void {
    if (!this.container) return;
    const r = this.container.getBoundingClientRect();
    const n = this.view?.panels.length ?? 0;
    const withPde = !!this.sim && this.sim.panels.some((p) => pdeOf(p) !== null);
    // without WebGPU only the top views are drawn
    this.layouts = layoutPanels(n, Math.floor(r.width), Math.floor(r.height), this.cpu && !this.cpuScene ? 'map' : this.viewMode, withPde);
    this.transport?.invalidate();
    this.host.requestUpdate();
  }

  private teardownGpuObjects(): void {
    this.cpu?.destroy();
    this.cpu = null;
    this.cpuScene?.destroy();
    this.cpuScene = null;
    this.cpuOverlay?.remove();
    this.cpuOverlay = null;
    this.escape?.destroy();
    this.escape = null;
    this.loop?.destroy();
    this.loop = null;
    this.sim?.destroy();
    this.sim = null;
    try {
      this.renderer?.destroy();
    } catch {
      // a lost device may refuse; its objects are gone anyway
    }
    this.renderer = null;
    this.fieldKey = '';
  }

  shutdown(): void {
    this.disposed = true;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.pointer?.detach();
    this.pointer = null;
    this.teardownGpuObjects();
    this.gpu?.destroy();
    this.gpu = null;
  }
}
