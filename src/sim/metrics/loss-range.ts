// The loss scale of a surface over a domain, for the log-spaced loss histogram
// that gives the quantiles, and the basin-of-attraction map of its minima.
import type { Domain, Surface } from '../../model/surface-types';

export interface LossRange {
  /** lowest loss found over the domain (samples and listed critical points), loss units */
  min: number;
  /** highest sampled loss over the domain */
  max: number;
  /** first bin's lower edge above min: 1e-6 of the range */
  floor: number;
  /** ln(upper edge / floor) so the bins reach max */
  logSpan: number;
}

export function lossRange(surface: Surface, domain: Domain, samples = 64): LossRange {
  let min = Infinity, max = -Infinity;
  for (let j = 0; j <= samples; j++) {
    for (let i = 0; i <= samples; i++) {
      const x = domain.x[0] + ((domain.x[1] - domain.x[0]) * i) / samples;
      const y = domain.y[0] + ((domain.y[1] - domain.y[0]) * j) / samples;
      const f = surface.value(x, y);
      if (Number.isFinite(f)) { min = Math.min(min, f); max = Math.max(max, f); }
    }
  }
  for (const c of surface.criticalPoints) {
    const f = c.value ?? surface.value(c.at[0], c.at[1]);
    if (Number.isFinite(f)) min = Math.min(min, f);
  }
  if (!Number.isFinite(min)) { min = 0; max = 1; }
  const span = Math.max(max - min, 1e-6);
  const floor = span * 1e-6;
  return { min, max, floor, logSpan: Math.log(span / floor) };
}

export const NO_BASIN = 0xffffffff;
export const MAX_BASINS = 16;

/** How many of the surface's listed minima have a basin counted (the first MAX_BASINS). */
export function basinCount(surface: Surface): number {
  return Math.min(MAX_BASINS, surface.criticalPoints.filter((c) => c.kind === 'minimum').length);
}

/**
 * Basin of attraction of each cell centre on a grid x grid map: the index of
 * the listed minimum that gradient descent (with Armijo backtracking) from the
 * centre reaches, or NO_BASIN. Cell (ix, iy) at iy * grid + ix. Grids finer than
 * `coarse` reuse the coarse map (basin boundaries resolved to a coarse cell).
 */
export function basinMap(surface: Surface, domain: Domain, grid: number, coarse = 64): Uint32Array<ArrayBuffer> {
  if (grid <= coarse) return basinMapExact(surface, domain, grid);
  // descend from a coarse grid's cell centres, then look each fine cell up in it
  const c = basinMapExact(surface, domain, coarse);
  const map = new Uint32Array(grid * grid);
  for (let iy = 0; iy < grid; iy++) {
    for (let ix = 0; ix < grid; ix++) map[iy * grid + ix] = c[Math.floor((iy * coarse) / grid) * coarse + Math.floor((ix * coarse) / grid)];
  }
  return map;
}

function basinMapExact(surface: Surface, domain: Domain, grid: number): Uint32Array<ArrayBuffer> {
  const minima = surface.criticalPoints.filter((c) => c.kind === 'minimum').slice(0, MAX_BASINS);
  const map = new Uint32Array(grid * grid).fill(NO_BASIN);
  if (minima.length === 0) return map;
  const hx = (domain.x[1] - domain.x[0]) / grid, hy = (domain.y[1] - domain.y[0]) / grid;
  const capture = 0.5 * Math.hypot(hx, hy) + 1e-3 * Math.hypot(domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]);
  const nearest = (x: number, y: number) => {
    let best = -1, dist = Infinity;
    minima.forEach((m, k) => { const d = Math.hypot(x - m.at[0], y - m.at[1]); if (d < dist) { dist = d; best = k; } });
    return { best, dist };
  };
  for (let iy = 0; iy < grid; iy++) {
    for (let ix = 0; ix < grid; ix++) {
      let x = domain.x[0] + (ix + 0.5) * hx, y = domain.y[0] + (iy + 0.5) * hy;
      let f = surface.value(x, y);
      let eta = 0.1 * Math.min(hx, hy);
      for (let it = 0; it < 400; it++) {
        const n = nearest(x, y);
        if (n.dist < capture) break;
        const [gx, gy] = surface.gradient(x, y);
        const g2 = gx * gx + gy * gy;
        if (!(g2 > 1e-24)) break;
        // Armijo backtracking on the step eta
        let nx = x - eta * gx, ny = y - eta * gy, nf = surface.value(nx, ny);
        while (!(nf <= f - 0.5 * eta * g2) && eta > 1e-12) { eta *= 0.5; nx = x - eta * gx; ny = y - eta * gy; nf = surface.value(nx, ny); }
        x = nx; y = ny; f = nf; eta *= 2;
      }
      const n = nearest(x, y);
      if (n.dist < 3 * capture) map[iy * grid + ix] = n.best;
    }
  }
  return map;
}
