// The lab without WebGPU: a scenario at reduced scale on the CPU (workers,
// scheduler/cpu-simulation.ts), its loop (cpu-loop.ts) and its top-view maps
// drawn with Canvas 2-D (render/cpu-maps.ts); the 3-D views (WebGL 2,
// render/cpu-scene.ts) belong to the engine, which keeps them across runs. Loaded only when the browser
// has no WebGPU or no adapter; the lab engine hosts it in place of the GPU
// simulation and renderer, and the page's transport, charts and labels work
// on it unchanged.
import type { Scenario } from '../model/scenario';
import type { Surface } from '../model/surface-types';
import { CPU_MAX_PARTICLES, CpuSimulation } from '../scheduler/cpu-simulation';
import { CpuLoop, type CpuLoopOptions } from '../scheduler/cpu-loop';
import { CpuMaps, type CpuCloudView } from '../render/cpu-maps';
import type { PanelLayout } from '../render/layout';
import { LOSS_FIELD_GRID, SurfaceField } from '../render/surface-field';

export class CpuRun {
  private constructor(readonly sim: CpuSimulation, readonly loop: CpuLoop, readonly maps: CpuMaps, readonly field: SurfaceField) {}

  /** `overlay`: the transparent canvas the maps go on; `draw` is called by the loop when the clouds changed. */
  static async create(overlay: HTMLCanvasElement, scenario: Scenario, surface: Surface, options: Omit<CpuLoopOptions, 'draw'>, draw: (run: CpuRun) => void): Promise<CpuRun> {
    const field = new SurfaceField(surface, scenario.domain, LOSS_FIELD_GRID);
    const maps = new CpuMaps(overlay, field);
    const sim = await CpuSimulation.create(scenario, surface);
    let run: CpuRun | null = null;
    const loop = new CpuLoop(sim, { ...options, draw: () => { if (run) draw(run); } });
    run = new CpuRun(sim, loop, maps, field);
    return run;
  }

  /** Every panel's cloud as the workers last reported it. */
  clouds(): CpuCloudView[] {
    return this.sim.position.map((position, i) => ({ position, status: this.sim.status[i] }));
  }

  /** Draws the clouds as they are into the maps of `layouts`. */
  drawMaps(layouts: PanelLayout[], style: { opacity: number; size: number }): void {
    this.maps.draw(layouts, this.clouds(), style);
  }

  /** What this mode leaves out, for the page's banner. */
  reducedNote(why: string, views3d: string | null): string {
    const { sim } = this;
    const asked = sim.scenario.particles.count;
    return `No WebGPU here (${why}), so the lab runs on the CPU at reduced scale: ` +
      `${sim.count.toLocaleString('en')} particles per panel${asked > sim.count ? ` of the scenario's ${asked.toLocaleString('en')} (at most ${CPU_MAX_PARTICLES.toLocaleString('en')})` : ''}, ` +
      `stepped in ${sim.workers} Web Worker${sim.workers === 1 ? '' : 's'} with the GPU's random streams; ` +
      `${views3d === null ? '3-D views through WebGL 2, top views with Canvas 2-D' : `top views only (no 3-D view: ${views3d})`}; ` +
      'no Fokker–Planck grid, no landscape tools, escape statistics or recording. ' +
      'A browser with WebGPU (recent Chrome, Edge; Firefox and Safari with WebGPU on) runs the full lab.';
  }

  destroy(): void {
    this.loop.destroy();
    this.sim.destroy();
  }
}
