// The simulation -> renderer adapter of the page: what LabRenderer draws of
// each panel (the particle positions, the histogram, the PDE density where
// the panel has one), taken from a Simulation's public buffers, never copied
// through the CPU.
import type { Simulation } from '../scheduler/simulation';
import { pdeOf } from '../scheduler/panel-sources';
import type { PanelSources } from '../render/lab-renderer';

export function panelSources(sim: Simulation): PanelSources[] {
  return sim.panels.map((p) => {
    const pde = pdeOf(p);
    return {
      position: p.system.position,
      count: p.system.count,
      histogram: p.metrics.histogram,
      histogramGrid: sim.histogramGrid,
      pde: pde && p.pde ? { density: pde.density, grid: pde.grid, current: p.pde.grid.current, f: p.pde.grid.f } : null,
    };
  });
}
