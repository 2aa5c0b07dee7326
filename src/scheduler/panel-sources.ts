// What the renderer and the charts read of a panel's Fokker–Planck grid: its
// density (`density` f32 probability per cell, grid x grid; a
// `metrics` buffer and its parser), drawn next to the particle histogram
// with its KL / free energy charted. Simulation advances the grids in
// encodeSteps and encodes their metrics (with the histogram) in encodeMetrics.
import type { PanelRuntime } from './simulation';
import type { FokkerPlanckMetrics } from '../sim/fokker-planck/types';

/** The part of a panel's Fokker–Planck grid the renderer and charts use. */
export interface PdeView {
  density: GPUBuffer;
  /** cells per side */
  grid: number;
  /** the grid's raw metrics (12 f32 sums) and their parser, when it has them */
  metrics: { buffer: GPUBuffer; bytes: number; parse(raw: Float32Array): FokkerPlanckMetrics } | null;
}

interface GridLike {
  density?: GPUBuffer;
  n?: number;
  grid?: number;
  metrics?: GPUBuffer;
  parseMetrics?(raw: Float32Array): FokkerPlanckMetrics;
}

/** The panel's PDE, when the simulation has one for it. */
export function pdeOf(panel: PanelRuntime): PdeView | null {
  const fp: GridLike | null = panel.pde?.grid ?? null;
  if (!fp || !fp.density) return null;
  const grid = fp.grid ?? fp.n;
  if (typeof grid !== 'number') return null;
  const metrics = fp.metrics && fp.parseMetrics ? { buffer: fp.metrics, bytes: 48, parse: fp.parseMetrics.bind(fp) } : null;
  return { density: fp.density, grid, metrics };
}
