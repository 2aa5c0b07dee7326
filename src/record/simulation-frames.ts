// A FrameSource over a Simulation: each frame advances every panel to a fixed
// step (frame index x steps per frame), reduces the metrics, reads the small
// histograms back and draws the top view. Used by the headless runner's --video.
import type { Simulation } from '../scheduler/simulation';
import { readBuffers } from '../gpu/buffers';
import { drawTopView, topViewMapRect, videoLossMap, type PanelView } from './top-view';
import type { FrameSource } from './video-recorder';

export class SimulationFrames implements FrameSource {
  private views: PanelView[] = [];
  /** the loss map at the current frame size's map size */
  private background: OffscreenCanvas | null = null;

  /**
   * `advanceTo(step)` brings every panel to `step` (the runner's, which also records
   * metrics on the way); by default the steps are simply encoded.
   */
  constructor(
    private readonly sim: Simulation,
    private readonly stepsPerFrame: number,
    private readonly title: string,
    private readonly advanceTo: (step: number) => Promise<void> = async (step) => {
      const enc = sim.device.createCommandEncoder({ label: 'SimulationFrames.steps' });
      sim.encodeSteps(enc, step - sim.stepsDone);
      sim.device.queue.submit([enc.finish()]);
    },
  ) {}

  async frame(index: number): Promise<void> {
    const { device } = this.sim;
    await this.advanceTo(index * this.stepsPerFrame);
    const enc = device.createCommandEncoder({ label: 'SimulationFrames.metrics' });
    this.sim.encodeMetrics(enc);
    device.queue.submit([enc.finish()]);
    const panels = this.sim.panels;
    // one round trip: every panel's record and histogram
    const bytes = await readBuffers(device, panels.flatMap((p) => [p.metrics.record, p.metrics.histogram]));
    this.views = panels.map((p, i) => ({
      label: p.label,
      temperature: p.temperature,
      histogram: new Uint32Array(bytes[2 * i + 1]),
      diverged: p.metrics.parse(bytes[2 * i], this.sim.stepsDone).diverged,
    }));
  }

  draw(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): void {
    const side = Math.max(16, topViewMapRect(width, height, this.sim.panels.length).side);
    if (!this.background || this.background.width !== side) {
      this.background = videoLossMap(this.sim.surface, this.sim.scenario.domain, side);
    }
    drawTopView(ctx, width, height, this.background, this.sim.histogramGrid, this.views, this.sim.stepsDone, this.title);
  }
}
