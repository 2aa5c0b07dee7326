// Escape statistics in the live loop: one EscapeRecorder per panel watches
// its particles; after every frame's optimizer steps a check marks the
// particles past the exit with the step count (the check resolution is the
// frame's steps: fixed steps/frame = 1 makes the times exact). The
// first-passage arrays come back through their own small ring of mapped
// buffers at most once per `readbackIntervalMs`, never stalling a frame; each
// read is summarised per panel (escape-summary.ts). Hooked into the FrameLoop
// as a FrameHook; reset with the loop's reset (the frame that re-places the
// clouds clears the records).
import type { Vec2 } from '../model/surface-types';
import { EscapeRecorder } from '../sim/analysis/escape-gpu';
import type { FrameHook, HookFrame } from './frame-loop';
import { MetricsReadback, type ReadbackSample } from './metrics-readback';
import type { Simulation } from './simulation';
import { CheckLog, kramersForPanel, summarizePanel, type KramersLine, type PanelEscape } from '../sim/analysis/escape-summary';
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

  private readonly log = new CheckLog();
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
    readonly recorders: EscapeRecorder[],
  ) {
    this.ring = new MetricsReadback<ReadMeta>(sim.device, recorders.map((r, i) => ({ source: r.first, bytes: 4 * sim.panels[i].system.count })),
      (s) => this.onRead(s), ESCAPE_READBACK_SLOTS, 'EscapeReadback');
    this.kramers = sim.panels.map((p) => kramersForPanel(p.spec, sim.surface, target.minimum.at, target.saddle.at));
  }

  /** Resolves the basin and saddle (throws an Error saying why none fits) and compiles one recorder per panel. */
  static async create(sim: Simulation, spec: EscapeSpec): Promise<EscapeWatch> {
    const domain = sim.scenario.domain;
    const target = resolveEscape(sim.surface, domain, spec);
    const recorders: EscapeRecorder[] = [];
    try {
      for (const p of sim.panels) {
        recorders.push(await EscapeRecorder.create({ device: sim.device, system: p.system, exit: target.exit, label: `EscapeRecorder[${p.index}]` }));
      }
    } catch (e) {
      for (const r of recorders) r.destroy();
      throw e;
    }
    return new EscapeWatch(sim, target, escapeCandidates(sim.surface, domain), recorders);
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
      for (const r of this.recorders) r.encodeReset(encoder);
      this.log.reset();
      this.generation++;
      this.dirty = true;
      this.latest = null;
    }
    if (frame.steps > 0) {
      // one check per recorder per frame: far below ESCAPE_CHECKS_PER_ENCODER
      for (const r of this.recorders) r.encodeCheck(encoder);
      this.log.add(frame.stepsDone);
      this.dirty = true;
    }
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
    const panels = this.sim.panels.map((p, i) => summarizePanel(p, times[i], s.meta.step, this.log, this.kramers[i]));
    this.latest = { step: s.meta.step, panels, times };
    this.reads++;
    this.onUpdate?.(this.latest);
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.ring.destroy();
    for (const r of this.recorders) r.destroy();
  }
}
