// The landscape tools of the lab page as a lit ReactiveController: what the
// running scenario's `analysis` asks for runs as lit Tasks (critical points on
// the GPU, the nudged elastic band in a worker, the smoothed loss on the GPU;
// a newer request aborts an older run, so the latest wins), and what they
// found is handed to the renderer's AnalysisLayer. <analysis-panel> only
// renders `view` and raises edits; clicks on the surface pick path endpoints
// here while the panel asks for them.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { Scenario } from '../model/scenario';
import type { Surface, Vec2 } from '../model/surface-types';
import type { CriticalReport } from '../sim/analysis/critical-points';
import type { MinimumEnergyPath } from '../sim/analysis/neb';
import type { SmoothedLoss } from '../sim/analysis/smoothing';
import type { AnalysisLayer, CriticalMarker } from '../render/analysis-layer';
import type { SurfaceField } from '../render/surface-field';
import { smoothedField } from '../render/smoothed-field';
import { JobCancelled, type Job } from './analysis-job';

/** the job code (GPU kernels, the worker's launcher) loads with the first job */
const jobs = () => import('./analysis-jobs');
import { LabEditEvent } from './controls';
import type { LabEngine } from './lab-engine';
import type { AnalysisDoc, ScenarioDoc } from './scenario-state';

export type ToolStatus = 'idle' | 'busy' | 'done' | 'error';

export interface CriticalView { status: ToolStatus; report?: CriticalReport; seconds?: number; error?: string }
export interface PathView {
  status: ToolStatus;
  /** the band while it relaxes; the path's pivots once done */
  band?: Vec2[];
  iterations?: number;
  result?: MinimumEnergyPath;
  seconds?: number;
  error?: string;
}
export interface SmoothView {
  status: ToolStatus;
  /** of the grid done */
  fraction?: number;
  result?: SmoothedLoss;
  /** the smoothed loss on the raw field's grid and display scale */
  field?: SurfaceField;
  seconds?: number;
  error?: string;
}

/** What the Landscape panel shows; a new object only when something in it changed. */
export interface AnalysisView {
  critical: CriticalView;
  path: PathView;
  smooth: SmoothView;
  /** picking path endpoints on the surface: the first point once given */
  picking: { from: Vec2 | null } | null;
}

/** A click on the surface snaps to a found minimum within this fraction of the domain's larger side. */
const SNAP = 0.04;

const round6 = (v: number) => Number(v.toPrecision(6));

/** An edit of doc.analysis; an analysis left empty is removed, so the scenario (and its link) stays as it was. */
export function analysisEdit(apply: (analysis: AnalysisDoc, doc: ScenarioDoc) => void): LabEditEvent {
  return new LabEditEvent((doc) => {
    const a: AnalysisDoc = { critical: false, ...(doc.analysis ?? {}) };
    apply(a, doc);
    if (!a.critical && !a.path && !a.smoothing && !a.escape) delete doc.analysis;
    else doc.analysis = a;
  });
}

/** The running simulation the tools compute for. */
interface Ready { scenario: Scenario; surface: Surface; device: GPUDevice; base: string }

type CriticalResult = { report: CriticalReport; seconds: number };
type PathResult = { path: MinimumEnergyPath; seconds: number };
type SmoothResult = { smoothed: SmoothedLoss; field: SurfaceField; seconds: number };

export class AnalysisController implements ReactiveController {
  private readonly criticalTask: Task<[string, number], CriticalResult>;
  private readonly pathTask: Task<[string], PathResult>;
  private readonly smoothTask: Task<[string], SmoothResult>;
  /** presses of "Find critical points" while shown: each runs the search again */
  private criticalRuns = 0;
  /** the surface key the critical search last ran for ('' after it was dropped) */
  private criticalFor = '';
  /** the last task arguments, kept while no simulation runs (a rebuild keeps what was found) */
  private lastArgs = { critical: ['', 0] as [string, number], path: [''] as [string], smooth: [''] as [string] };
  /** progress of the running path and smoothing jobs */
  private band: { band: Vec2[]; iterations: number } | null = null;
  private fraction = 0;
  private picking: { from: Vec2 | null } | null = null;
  private cached: { parts: unknown[]; view: AnalysisView } | null = null;
  /** what was last handed to the renderer (pushed again when anything changes or the layer is new) */
  /** the renderer's analysis layer is being made (renderer.ensureAnalysis) */
  private layerPending = false;
  private pushed: { layer: AnalysisLayer | null; critical: unknown; path: unknown; smooth: unknown } = { layer: null, critical: null, path: null, smooth: null };

  constructor(private readonly host: ReactiveControllerHost, private readonly engine: LabEngine, private readonly edit: (e: LabEditEvent) => void) {
    host.addController(this);
    // created after addController: the tasks read their arguments after this controller's hostUpdate
    this.criticalTask = new Task(host, { args: () => this.criticalArgs(), task: ([base], { signal }) => this.findCritical(base, signal) });
    this.pathTask = new Task(host, { args: () => this.pathArgs(), task: ([key], { signal }) => this.findPath(key, signal) });
    this.smoothTask = new Task(host, { args: () => this.smoothArgs(), task: ([key], { signal }) => this.smoothLoss(key, signal) });
  }

  hostDisconnected(): void {
    this.pathTask.abort(new JobCancelled());
    this.smoothTask.abort(new JobCancelled());
  }

  hostUpdated(): void {
    this.push();
  }

  /** The tools' state for rendering (the same object until something changes). */
  get view(): AnalysisView {
    const c = this.criticalTask, p = this.pathTask, s = this.smoothTask;
    const parts = [c.status, c.value, c.error, p.status, p.value, p.error, this.band, s.status, s.value, s.error, this.fraction, this.picking];
    if (this.cached && parts.every((v, i) => v === this.cached!.parts[i])) return this.cached.view;
    const cs = stateOf(c), ps = stateOf(p), ss = stateOf(s);
    const view: AnalysisView = {
      critical: { status: cs.status, error: cs.error, report: cs.value?.report, seconds: cs.value?.seconds },
      path: { status: ps.status, error: ps.error, result: ps.value?.path, seconds: ps.value?.seconds, band: this.band?.band, iterations: this.band?.iterations },
      smooth: { status: ss.status, error: ss.error, result: ss.value?.smoothed, field: ss.value?.field, seconds: ss.value?.seconds, fraction: ss.status === 'busy' ? this.fraction : undefined },
      picking: this.picking,
    };
    this.cached = { parts, view };
    return view;
  }

  // ---- requests from the panel ----------------------------------------------------

  /** Runs the critical-point search again for the running surface. */
  findCriticalAgain(): void {
    if (this.criticalTask.status === TaskStatus.PENDING) return;
    this.criticalRuns++;
    this.host.requestUpdate();
  }

  /** Starts (or stops) picking two path endpoints on the surface. */
  togglePicking(): void {
    this.picking = this.picking ? null : { from: null };
    this.host.requestUpdate();
  }

  /** Asks for the minimum-energy path from `from` to `to` (an edit of doc.analysis.path). */
  setPath(from: Vec2, to: Vec2): void {
    this.picking = null;
    this.host.requestUpdate();
    this.edit(analysisEdit((a) => { a.path = { from: [round6(from[0]), round6(from[1])], to: [round6(to[0]), round6(to[1])] }; }));
  }

  /**
   * A click on the surface (domain point): taken while picking path endpoints
   * (snapped to the nearest found minimum); false when not picking.
   */
  takePick(x: number, y: number): boolean {
    if (!this.picking) return false;
    const p = this.snap([x, y]);
    if (!this.picking.from) {
      this.picking = { from: p };
      this.host.requestUpdate();
    } else this.setPath(this.picking.from, p);
    return true;
  }

  private snap(p: Vec2): Vec2 {
    const r = this.view.critical.report, d = this.engine.scenario?.domain;
    if (!r || !d) return p;
    const reach = SNAP * Math.max(d.x[1] - d.x[0], d.y[1] - d.y[0]);
    const candidates = [...r.points.filter((c) => c.kind === 'minimum').map((c) => c.at), ...r.manifolds.filter((m) => m.kind === 'minimum-manifold').flatMap((m) => m.points)];
    let best: Vec2 = p, bestD = reach;
    for (const c of candidates) {
      const dd = Math.hypot(c[0] - p[0], c[1] - p[1]);
      if (dd < bestD) { bestD = dd; best = c; }
    }
    return best;
  }

  // ---- the tasks -------------------------------------------------------------------

  private ready(): Ready | null {
    const e = this.engine, scenario = e.scenario, surface = e.sim?.surface, device = e.gpu?.device;
    if (!scenario || !surface || !device || e.state !== 'running') return null;
    return { scenario, surface, device, base: JSON.stringify([scenario.surface, scenario.domain, scenario.seed]) };
  }

  /** [surface key or '' when not wanted, presses]: a search once asked for is kept (hidden) until the surface changes. */
  private criticalArgs(): [string, number] {
    const r = this.ready();
    if (r) {
      const wanted = !!r.scenario.analysis?.critical || this.criticalFor === r.base;
      this.lastArgs.critical = [wanted ? r.base : '', this.criticalRuns];
    }
    return this.lastArgs.critical;
  }

  private pathArgs(): [string] {
    const r = this.ready();
    if (r) {
      const spec = r.scenario.analysis?.path;
      this.lastArgs.path = [spec ? JSON.stringify([r.base, spec]) : ''];
    }
    return this.lastArgs.path;
  }

  private smoothArgs(): [string] {
    const r = this.ready();
    if (r) {
      const spec = r.scenario.analysis?.smoothing;
      this.lastArgs.smooth = [spec ? JSON.stringify([r.base, spec.panel, r.scenario.panels[spec.panel] ?? null]) : ''];
    }
    return this.lastArgs.smooth;
  }

  private async findCritical(base: string, signal: AbortSignal): Promise<CriticalResult | typeof initialState> {
    this.criticalFor = base;
    const r = this.ready();
    if (!base || !r) return initialState;
    const t0 = performance.now();
    const report = await (await jobs()).criticalPoints(r.device, r.surface, r.scenario);
    signal.throwIfAborted();
    return { report, seconds: (performance.now() - t0) / 1000 };
  }

  private async findPath(key: string, signal: AbortSignal): Promise<PathResult | typeof initialState> {
    this.band = null;
    const r = this.ready(), spec = r?.scenario.analysis?.path;
    if (!key || !r || !spec) return initialState;
    const { pathJob } = await jobs();
    signal.throwIfAborted();
    const job = pathJob(r.scenario, spec.from, spec.to, (band, iterations) => {
      if (signal.aborted) return;
      this.band = { band, iterations };
      this.host.requestUpdate();
    });
    try {
      const result = await this.abortable(job, signal);
      this.band = { band: result.path.pivots.map((p): Vec2 => [p.x, p.y]), iterations: result.path.iterations };
      return result;
    } catch (e) {
      // a failed path shows no band (a newer run's band stays)
      if (!signal.aborted) this.band = null;
      throw e;
    }
  }

  private async smoothLoss(key: string, signal: AbortSignal): Promise<SmoothResult | typeof initialState> {
    this.fraction = 0;
    const r = this.ready(), spec = r?.scenario.analysis?.smoothing;
    if (!key || !r || !spec) return initialState;
    const { smoothingJob } = await jobs();
    signal.throwIfAborted();
    const job = smoothingJob(r.device, r.surface, r.scenario, spec.panel, (fraction) => {
      if (signal.aborted) return;
      this.fraction = fraction;
      this.host.requestUpdate();
    });
    const { smoothed, seconds } = await this.abortable(job, signal);
    const raw = this.engine.field;
    if (!raw) throw new Error('no loss field to smooth: the simulation is gone');
    return { smoothed, field: smoothedField(smoothed, raw), seconds };
  }

  /** A job's result; the job is cancelled when the task's signal aborts. */
  private async abortable<T>(job: Job<T>, signal: AbortSignal): Promise<T> {
    const cancel = () => job.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const v = await job.promise;
      signal.throwIfAborted();
      return v;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  // ---- the renderer ----------------------------------------------------------------

  /** Hands what is shown to the renderer's analysis layer (only what changed). */
  private push(): void {
    const e = this.engine;
    const v = this.view;
    const a = e.scenario?.analysis;
    const critical = a?.critical ? v.critical.report ?? null : null;
    const path = v.path.result ?? this.band?.band ?? null;
    const smooth = v.smooth.field ?? null;
    const renderer = e.renderer;
    const layer = renderer?.analysis ?? null;
    if (!layer) {
      // the layer (and its module) is made with the first marker to show
      if (renderer && (critical || path || smooth) && !this.layerPending) {
        this.layerPending = true;
        void renderer.ensureAnalysis().then(() => this.push(), (err: unknown) => console.warn('SGD Lab: no analysis layer:', err)).finally(() => { this.layerPending = false; });
      }
      return;
    }
    const fresh = layer !== this.pushed.layer;
    let changed = false;
    if (fresh || smooth !== this.pushed.smooth) {
      const minima = v.smooth.result?.minima.map((m) => ({ at: m.at, survives: m.survives }));
      layer.setSmoothed(smooth && minima ? { field: smooth, minima } : null);
      changed = true;
    }
    if (fresh || critical !== this.pushed.critical) {
      layer.setCritical(critical ? critical.points.map((p): CriticalMarker => ({ at: p.at, kind: p.kind, degenerate: p.degenerate })) : null,
        critical ? critical.manifolds.map((m) => ({ points: m.points, closed: m.closed })) : []);
      changed = true;
    }
    if (fresh || path !== this.pushed.path) {
      const r = v.path.result, band = this.band?.band;
      if (r) layer.setPath({ pivots: r.pivots.map((p) => ({ at: [p.x, p.y] as Vec2, climbing: p.climbing, minimum: p.minimum })), straight: [r.from.at, r.to.at] });
      else if (band) layer.setPath({ pivots: band.map((at) => ({ at })), straight: [band[0], band[band.length - 1]] });
      else layer.setPath(null);
      changed = true;
    }
    this.pushed = { layer, critical, path, smooth };
    if (changed) {
      // the marks and the smoothed surface are part of the 3-D views' cached background
      e.renderer?.invalidateBackground();
      e.loop?.invalidate();
    }
  }
}

/** A task's state as the panel shows it; a run cancelled with the page is idle, not an error. */
function stateOf<R>(task: { status: TaskStatus; value?: R; error?: unknown }): { status: ToolStatus; error?: string; value?: R } {
  switch (task.status) {
    case TaskStatus.PENDING: return { status: 'busy' };
    case TaskStatus.COMPLETE: return { status: 'done', value: task.value };
    case TaskStatus.ERROR: {
      const e = task.error;
      if (e instanceof JobCancelled) return { status: 'idle' };
      return { status: 'error', error: e instanceof Error ? e.message : String(e) };
    }
    default: return { status: 'idle' };
  }
}
