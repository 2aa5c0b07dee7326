// A FrameSource over the live page's engine: for each video frame it advances
// every panel exactly `stepsPerFrame` optimizer steps, reduces and reads back
// the metrics, renders the lab's real three.js views at the video's size and
// copies the picture at once into a 2-D canvas; draw() adds the panel labels,
// the optional metric charts and a footer with the step count. Nothing here
// waits on requestAnimationFrame, so a hidden tab records the same frames.
import type { LabRenderer } from '../render/lab-renderer';
import { layoutPanels, type PanelLayout, type ViewMode } from '../render/layout';
import type { PanelRecord, Simulation } from '../scheduler/simulation';
import type { FrameHook } from '../scheduler/frame-loop';
import { pdeOf } from '../scheduler/panel-sources';
import { formatNumber } from '../model/format';
import { drawChartStrip, type ChartPoint } from './chart-strip';
import { FOOTER_PX, drawFooterBar, drawPanelOverlays, panelTexts } from './live-overlay';
import { RecordingError, type FrameSource } from './video-recorder';


/** What a recording needs of the live page (LabEngine's objects). */
export interface LiveRig {
  device: GPUDevice;
  sim: Simulation;
  renderer: Pick<LabRenderer, 'canvas' | 'resize' | 'encodeCopies' | 'render'>;
  viewMode: ViewMode;
  /** run in every frame as the live loop runs them, so that what they track stays right */
  /** FrameLoop's hooks (e.g. escape checks), encoded after each frame's steps as the live loop does */
  hooks: Iterable<FrameHook>;
}

export interface LiveFrameOptions {
  /** output pixels */
  width: number;
  height: number;
  /** output pixels per layout (CSS) pixel; 1 for videos, the screen's ratio for snapshots */
  pixelRatio?: number;
  /** optimizer steps between frames (0: the same state every frame) */
  stepsPerFrame: number;
  /** frames planned: the charts' step axis spans them */
  frames: number;
  /** frame 0 is the initial cloud (step 0) instead of the live run's current state */
  fromStart: boolean;
  /** line charts of the metrics under the panels (26 % of the height) */
  charts: boolean;
  /** labels, captions and footer (default true; false gives the bare rendered canvas) */
  overlay?: boolean;
  /** shown in the footer */
  title: string;
  /** per panel, the page's colour */
  colors: string[];
  /** every frame's metrics, as read back (the page charts and keeps them) */
  onRecords?: (step: number, records: PanelRecord[]) => void;
  /** false once the page has replaced the simulation (the recording then stops with an error) */
  isCurrent?: () => boolean;
}

/** Fraction of the height the chart strip takes. */
const CHART_FRACTION = 0.26;

export class LiveFrames implements FrameSource {
  private readonly pr: number;
  private readonly cssW: number;
  private readonly labH: number;
  private readonly chartH: number;
  private readonly layouts: PanelLayout[];
  private readonly picture: OffscreenCanvas;
  private readonly withPde: boolean;
  private firstStep = 0;
  private records: PanelRecord[] = [];
  private readonly points: ChartPoint[] = [];

  constructor(private readonly rig: LiveRig, private readonly o: LiveFrameOptions) {
    this.pr = o.pixelRatio ?? 1;
    this.cssW = Math.floor(o.width / this.pr);
    const cssH = Math.floor(o.height / this.pr);
    this.chartH = o.charts ? Math.round(cssH * CHART_FRACTION) : 0;
    this.labH = Math.max(1, cssH - this.chartH - FOOTER_PX);
    this.withPde = rig.sim.panels.some((p) => pdeOf(p) !== null);
    this.layouts = layoutPanels(rig.sim.panels.length, this.cssW, this.labH, rig.viewMode, this.withPde);
    this.picture = new OffscreenCanvas(o.width, o.height);
  }

  async frame(index: number): Promise<void> {
    const { device, sim, renderer } = this.rig;
    if (this.o.isCurrent && !this.o.isCurrent()) throw new RecordingError('the scenario changed while recording; the recording stopped');
    const enc = device.createCommandEncoder({ label: 'LiveFrames.frame' });
    if (index === 0) {
      renderer.resize(this.cssW, this.labH, this.pr);
      if (this.o.fromStart) sim.encodeInit(enc);
      this.firstStep = this.o.fromStart ? 0 : sim.stepsDone;
      this.points.length = 0;
    }
    const init = index === 0 && this.o.fromStart;
    // encodeInit puts stepsDone back to 0
    const steps = this.firstStep + index * this.o.stepsPerFrame - sim.stepsDone;
    sim.encodeSteps(enc, steps);
    const hooks = [...this.rig.hooks];
    for (const h of hooks) h.encodeAfterSteps(enc, { init, steps, stepsDone: sim.stepsDone });
    sim.encodeMetrics(enc);
    renderer.encodeCopies(enc);
    device.queue.submit([enc.finish()]);
    for (const h of hooks) h.afterSubmit?.();
    this.records = await sim.readRecords();
    this.points.push({ step: sim.stepsDone, records: this.records });
    this.o.onRecords?.(sim.stepsDone, this.records);
    // render and copy in one go: the canvas's picture is taken before anything else can draw on it
    renderer.render(this.layouts);
    const ctx = this.picture.getContext('2d')!;
    ctx.fillStyle = '#0b0d12';
    ctx.fillRect(0, 0, this.picture.width, this.picture.height);
    ctx.drawImage(renderer.canvas, 0, 0);
  }

  draw(ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D): void {
    ctx.drawImage(this.picture, 0, 0);
    if (this.o.overlay === false) return;
    const { sim } = this.rig;
    ctx.save();
    ctx.scale(this.pr, this.pr);
    const d = sim.scenario.domain;
    drawPanelOverlays(ctx, this.layouts, sim.panels.map((p, i) => ({
      ...panelTexts(p.spec, i, sim.pdeTime(p), this.records[i] ?? null),
      color: this.o.colors[i % this.o.colors.length],
      hasPde: pdeOf(p) !== null,
    })), [formatNumber(d.x[0]), formatNumber(d.x[1])]);
    if (this.o.charts) {
      const last = this.firstStep + Math.max(1, this.o.frames - 1) * this.o.stepsPerFrame;
      drawChartStrip(ctx, { x: 0, y: this.labH, w: this.cssW, h: this.chartH }, this.points, this.o.colors, [this.firstStep, last], this.withPde);
    }
    drawFooterBar(ctx, this.labH + this.chartH, this.cssW, `${this.o.title} · step ${sim.stepsDone.toLocaleString('en')}`, 'SGD Lab');
    ctx.restore();
  }
}
