// What the renderer and the charts read of a Simulation's panels. The
// Fokker–Planck grid is an extension point: once Simulation gives a panel a
// `fokkerPlanck` object with a `density` buffer (f32 probability per cell,
// grid x grid, the lab's density contract) it is drawn next to the particle
// histogram, without changes here beyond this file.
import type { PanelRuntime, Simulation } from './simulation';
import type { PanelSources } from '../render/lab-renderer';

/** The part of a panel's Fokker–Planck grid the renderer uses. */
export interface PdeView {
  density: GPUBuffer;
  /** cells per side */
  grid: number;
}

/** The panel's PDE density, when the simulation has one for it. */
export function pdeOf(panel: PanelRuntime): PdeView | null {
  const fp = (panel as PanelRuntime & { fokkerPlanck?: { density?: GPUBuffer; grid?: number; n?: number } | null }).fokkerPlanck;
  if (!fp || !fp.density) return null;
  const grid = fp.grid ?? fp.n;
  return typeof grid === 'number' ? { density: fp.density, grid } : null;
}

export function panelSources(sim: Simulation): PanelSources[] {
  return sim.panels.map((p) => ({
    position: p.system.position,
    count: p.system.count,
    histogram: p.metrics.histogram,
    histogramGrid: sim.histogramGrid,
    pde: pdeOf(p),
  }));
}
