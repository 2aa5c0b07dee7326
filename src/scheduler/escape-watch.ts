// Escape statistics in the live loop: each panel's step kernel records the
// first passage of every particle over the exit, checked every `every` steps
// inside the fused loop (ParticleSystem.attachExitCheck; the scenario's
// analysis.escape.every, default 1 = exact), so the times do not depend on how
// many steps a frame takes. The first-passage arrays come back through their
// own small ring of mapped buffers at most once per `readbackIntervalMs`,
// never stalling a frame; each read is summarised per panel
// (escape-summary.ts). Hooked into the FrameLoop as a FrameHook; reset with
// the loop's reset (placing the clouds clears the records).
import type { Vec2 } from '../model/surface-types';
import type { ExitCheck } from '../sim/particles/exit-check';
import type { FrameHook, HookFrame } from './frame-loop';
import { MetricsReadback, type ReadbackSample } from './metrics-readback';
import type { Simulation } from './simulation';
import { kramersForPanel, summarizePanel, type KramersLine, type PanelEscape } from '../sim/analysis/escape-summary';
import { escapeCandidates, resolveEscape, type EscapeCandidates, type EscapeSpec, type ResolvedEscape } from '../sim/analysis/escape-target';

export interface EscapeSnapshot {
  /** optimizer steps done when the records were copied (censoring time) */
  step: number;
  panels: PanelEscape[];
  /** per panel, the raw first-passage steps (0 = still inside) */
  times: Uint32Array[];
}

interface ReadMeta {
  step: number;
  /** resets seen when the copy was encoded (a read from before a reset is dropped) */
  generation: number;
}

/** two slots: one mapping, one to encode into */
const ESCAPE_READBACK_SLOTS = 2;

export class EscapeWatch implements FrameHook {
  /** the most recent summary (null until the first read) */
  latest: EscapeSnapshot | null = null;
  /** called after each new snapshot */
  onUpdate: ((s: EscapeSnapshot) => void) | null = null;
  /** asks the loop for a frame (a paused loop still delivers its last records) */
  requestFrame: (() => void) | null = null;
  /** records are read back at most this often (wall-clock ms) */
  readbackIntervalMs = 1000;
  /** reads delivered so far */
  reads = 0;

  private readonly ring: MetricsReadback<ReadMeta>;
  private readonly kramers: KramersLine[];
  private generation = 0;
  /** records changed since the last copy */
  private dirty = true;
  private lastRead = -Infinity;
  private timer = 0;
  private destroyed = false;

  private constructor(
    readonly sim: Simulation,
    readonly target: ResolvedEscape,
    readonly candidates: EscapeCandidates,
    readonly checks: ExitCheck[],
    /** steps between checks */
    readonly every: number,
  ) {
    this.ring = new MetricsReadback<ReadMeta>(sim.device, checks.map((c, i) => ({ source: c.first, bytes: 4 * sim.panels[i].system.count })),
      (s) => this.onRead(s), ESCAPE_READBACK_SLOTS, 'EscapeReadback');
    this.kramers = sim.panels.map((p) => kramersForPanel(p.spec, sim.surface, target.minimum.at, target.saddle.at));
  }

  /**
   * Resolves the basin and saddle (throws an Error saying why none fits) and
   * attaches the exit check to every panel's step kernel (compiling its
   * variant of the kernel). The records start empty at the current step; the
   * loop's next reset starts them with the run.
   */
  static async create(sim: Simulation, spec: EscapeSpec): Promise<EscapeWatch> {
    const domain = sim.scenario.domain;
    const target = resolveEscape(sim.surface, domain, spec);
    const every = spec.every ?? 1;
    const checks: ExitCheck[] = [];
    try {
      for (const p of sim.panels) checks.push(await p.system.attachExitCheck({ exit: target.exit, every }));
    } catch (e) {
      sim.panels.forEach((p, i) => checks[i] && p.system.detachExitCheck(checks[i]));
      throw e;
    }
    return new EscapeWatch(sim, target, escapeCandidates(sim.surface, domain), checks, every);
  }

  get minimum(): Vec2 {
    return this.target.minimum.at;
  }

  /** Labels of the buffers this watch maps. */
  get readbackLabels(): string[] {
    return this.ring.labels;
  }

  encodeAfterSteps(encoder: GPUCommandEncoder, frame: HookFrame): void {
    if (this.destroyed) return;
    if (frame.init) {
      // the systems cleared the records when they placed the clouds
      this.generation++;
      this.dirty = true;
      this.latest = null;
    }
    if (frame.steps > 0) this.dirty = true;
    if (!this.dirty) return;
    const now = performance.now();
    if (now - this.lastRead >= this.readbackIntervalMs && this.ring.encode(encoder, { step: frame.stepsDone, generation: this.generation })) {
      this.dirty = false;
      this.lastRead = now;
    } else {
      this.scheduleFrame(Math.max(0, this.readbackIntervalMs - (now - this.lastRead)));
    }
  }

  afterSubmit(): void {
    this.ring.afterSubmit();
  }

  /** A frame after `ms` so that records changed since the last copy come back even when the loop pauses. */
  private scheduleFrame(ms: number): void {
    if (this.timer || this.destroyed) return;
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      if (this.dirty && !this.destroyed) this.requestFrame?.();
    }, ms + 20);
  }

  private onRead(s: ReadbackSample<ReadMeta>): void {
    if (this.destroyed || s.meta.generation !== this.generation) return;
    const times = s.sections.map((b) => new Uint32Array(b));
    const panels = this.sim.panels.map((p, i) => summarizePanel(p, times[i], s.meta.step, this.every, this.kramers[i]));
    this.latest = { step: s.meta.step, panels, times };
    this.reads++;
    this.onUpdate?.(this.latest);
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.ring.destroy();
    this.sim.panels.forEach((p, i) => p.system.detachExitCheck(this.checks[i]));
  }
}
