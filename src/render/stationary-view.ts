// A panel's stationary density drawn in place of the loss (View → surface):
// the effective potential Φ = f - T ln(ρ_ss / Gibbs) as the panel's own 3-D
// surface and map (in the loss's display scale, so Φ and f compare by eye),
// or the log ratio ln(ρ_ss / Gibbs) painted on the loss surface with a
// diverging colour map (blue: ρ_ss below Gibbs, red: above, white: equal),
// grey where neither density has mass. Loaded when first chosen.
import type { Domain } from '../model/surface-types';
import type { PanelPde } from '../scheduler/panel-pde';
import { effectivePotential, logRatioToGibbs } from '../sim/fokker-planck/effective-potential';
import { gibbsLog } from '../sim/fokker-planck/coefficients';
import { cellSurface } from './cell-surface';
import { colormapTable } from './colormap';
import { LOSS_FIELD_GRID, SurfaceField } from './surface-field';
import { drawContours, drawCriticalPoints, paintSurfaceImage } from './surface-image';

/** What the surface shows: the loss f, the effective potential Φ, or ln(ρ_ss / Gibbs). */
export type SurfaceShows = 'loss' | 'potential' | 'ratio';

/** A panel's own surface: the field for heights (and colours unless `image` is given). */
export interface PanelSurface {
  field: SurfaceField;
  image?: HTMLCanvasElement;
}

/** One panel's stationary density on its PDE grid. */
export interface StationaryCells {
  /** cells per side; cell (ix, iy) at iy * n + ix */
  n: number;
  domain: Domain;
  /** loss at cell centres (loss units) */
  f: ArrayLike<number>;
  /** ln of ρ_ss's probability per cell */
  logStationary: ArrayLike<number>;
  /** the temperature of the Gibbs reference (loss units) */
  temperature: number;
}

/** Cells with less than this fraction of the largest cell's probability (in ρ_ss and in Gibbs) are greyed out of the ratio map. */
export const RATIO_MASS_FLOOR = 1e-3;

export interface RatioCells {
  /** ln(ρ_ss / Gibbs) per cell (nats) */
  ratio: Float64Array;
  /** max(ρ_ss, Gibbs) / the largest such value: below RATIO_MASS_FLOOR the cell is greyed out */
  weight: Float64Array;
  /** ρ_ss's probability per cell (sums to 1) */
  mass: Float64Array;
}

export function logRatioCells(c: StationaryCells): RatioCells {
  const ratio = logRatioToGibbs(c.f, c.logStationary, c.temperature);
  const g = gibbsLog(c.f, c.temperature);
  const w = new Float64Array(ratio.length), mass = new Float64Array(ratio.length);
  let top = -Infinity, total = 0;
  for (let k = 0; k < w.length; k++) { w[k] = Math.max(c.logStationary[k], g[k]); top = Math.max(top, w[k]); }
  for (let k = 0; k < w.length; k++) { w[k] = Math.exp(w[k] - top); mass[k] = Math.exp(c.logStationary[k]); total += mass[k]; }
  for (let k = 0; k < w.length; k++) mass[k] /= total;
  return { ratio, weight: w, mass };
}

const NICE = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

/**
 * The colour range ±R (nats) of the ratio maps: the 95% quantile of
 * |ln(ρ_ss / Gibbs)| under ρ_ss (where the steady state's probability is; the
 * far tails, where both densities are tiny, would otherwise set it), the
 * largest over the panels, rounded up to 0.05, 0.1, 0.2, 0.5, 1, 2, 5 or 10
 * (one range for all panels, so colours compare).
 */
export function ratioRange(panels: RatioCells[]): number {
  let q = 0;
  for (const p of panels) {
    const cells = [...p.ratio.keys()].filter((k) => Number.isFinite(p.ratio[k]) && p.mass[k] > 0).sort((a, b) => Math.abs(p.ratio[a]) - Math.abs(p.ratio[b]));
    let cum = 0;
    for (const k of cells) {
      cum += p.mass[k];
      if (cum >= 0.95) { q = Math.max(q, Math.abs(p.ratio[k])); break; }
    }
  }
  return NICE.find((v) => v >= q) ?? NICE[NICE.length - 1];
}

/** ρ_ss below this fraction of its largest cell counts as not resolved: Φ is drawn flat there, T ln(1e9) = 20.7 T above its minimum. */
export const POTENTIAL_FLOOR = 1e-9;

/** Φ on the panel's grid as its own surface, in the loss field's display scale. */
export function potentialSurface(c: StationaryCells, loss: SurfaceField): PanelSurface {
  const phi = effectivePotential(c.f, c.logStationary, c.temperature, POTENTIAL_FLOOR);
  const field = new SurfaceField(cellSurface(phi, c.n, c.domain), c.domain, LOSS_FIELD_GRID, 'auto', loss);
  return { field, image: paintSurfaceImage(field, { size: 1024 }) };
}

/** The loss surface painted with ln(ρ_ss / Gibbs) over ±range nats, the loss contours and critical points on top. */
export function ratioSurface(cells: RatioCells, c: StationaryCells, loss: SurfaceField, range: number, size = 1024): PanelSurface {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('stationary-view: no 2-D canvas context');
  const img = ctx.createImageData(size, size);
  const lut = colormapTable('diverging');
  const { n } = c;
  for (let row = 0; row < size; row++) {
    // row 0 is the domain's y maximum (as the loss image)
    const iy = Math.min(n - 1, Math.floor(((size - 1 - row + 0.5) / size) * n));
    for (let col = 0; col < size; col++) {
      const ix = Math.min(n - 1, Math.floor(((col + 0.5) / size) * n));
      const k = iy * n + ix, o = 4 * (row * size + col);
      if (cells.weight[k] < RATIO_MASS_FLOOR || !Number.isFinite(cells.ratio[k])) {
        img.data.set([58, 62, 72, 255], o);
        continue;
      }
      const t = Math.round(Math.min(1, Math.max(0, 0.5 + cells.ratio[k] / (2 * range))) * 255);
      img.data.set([lut[4 * t], lut[4 * t + 1], lut[4 * t + 2], 255], o);
    }
  }
  ctx.putImageData(img, 0, 0);
  drawContours(ctx, loss, size, loss.levels(14));
  drawCriticalPoints(ctx, loss, size);
  return { field: loss, image: canvas };
}

/**
 * A panel's stationary density on its grid: its own relaxed ρ_ss, or for
 * isotropic noise the Gibbs density (the scheme's own stationary state);
 * null without a PDE or while ρ_ss is not known.
 */
export function panelStationaryCells(pde: PanelPde | null, domain: Domain): StationaryCells | null {
  if (!pde) return null;
  const { grid } = pde;
  const base = { n: grid.n, domain, f: grid.f, temperature: grid.temperature };
  if (pde.isotropic) return { ...base, logStationary: gibbsLog(grid.f, grid.temperature) };
  const logStationary = pde.logStationary;
  return logStationary ? { ...base, logStationary } : null;
}

/** Each panel's own surface for `kind` (null: the loss), and the ratio maps' range (nats) when they show. */
export function stationarySurfaces(kind: Exclude<SurfaceShows, 'loss'>, cells: (StationaryCells | null)[], loss: SurfaceField): { surfaces: (PanelSurface | null)[]; range: number | null } {
  if (kind === 'potential') return { surfaces: cells.map((c) => (c ? potentialSurface(c, loss) : null)), range: null };
  const ratios = cells.map((c) => (c ? logRatioCells(c) : null));
  const range = ratioRange(ratios.filter((r) => r !== null));
  return { surfaces: cells.map((c, i) => (c ? ratioSurface(ratios[i]!, c, loss, range) : null)), range };
}
