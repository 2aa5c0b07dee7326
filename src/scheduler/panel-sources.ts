// What the renderer reads of a panel's Fokker–Planck grid: its density
// (`density` f32 probability per cell, grid x grid), drawn next to the
// particle histogram. Simulation advances the grids in encodeSteps; their
// metrics reach the page as PanelRecords (Simulation.parseRecords).
import type { PanelRuntime } from './simulation';

/** The part of a panel's Fokker–Planck grid the renderer uses. */
export interface PdeView {
  density: GPUBuffer;
  /** cells per side */
  grid: number;
}

/** The panel's PDE, when the simulation has one for it. */
export function pdeOf(panel: PanelRuntime): PdeView | null {
  const fp = panel.pde?.grid;
  return fp ? { density: fp.density, grid: fp.n } : null;
}
