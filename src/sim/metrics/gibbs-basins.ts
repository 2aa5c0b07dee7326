// Equilibrium theory per basin of attraction: the Gibbs density exp(-f/T)/Z
// restricted to the domain, integrated over each listed minimum's basin on the
// metrics grid (the same basin map the particles are counted with).
//   Z_i = ∫_{basin i} exp(-f/T) dA,   F_i = -T ln Z_i   (loss units),
//   p_i = Z_i / Z   (Z over the whole domain, so cells in no basin count in Z:
//   the p_i sum to the Gibbs mass in the basins, as the particle fractions do).
// Midpoint rule on the grid's cell centres; exponents shifted by the lowest
// sampled loss so nothing overflows.
import type { Domain, Surface } from '../../model/surface-types';
import { NO_BASIN } from './loss-range';

export interface GibbsBasins {
  /** T the prediction is for (loss units) */
  temperature: number;
  /** free energy F_i of each basin (loss units) */
  freeEnergy: number[];
  /** predicted fraction of the particles in each basin at equilibrium */
  occupation: number[];
}

/**
 * `basins`: grid x grid basin indices (cell (ix, iy) at iy * grid + ix; NO_BASIN outside every basin),
 * `count`: how many basins. Null for T <= 0 or when no cell has a finite loss.
 */
export function gibbsBasins(surface: Surface, domain: Domain, basins: Uint32Array, grid: number, count: number, temperature: number): GibbsBasins | null {
  if (!(temperature > 0) || count < 1) return null;
  const hx = (domain.x[1] - domain.x[0]) / grid, hy = (domain.y[1] - domain.y[0]) / grid;
  const f = new Float64Array(grid * grid);
  let fMin = Infinity;
  for (let iy = 0; iy < grid; iy++) {
    for (let ix = 0; ix < grid; ix++) {
      const v = surface.value(domain.x[0] + (ix + 0.5) * hx, domain.y[0] + (iy + 0.5) * hy);
      f[iy * grid + ix] = v;
      if (v < fMin) fMin = v;
    }
  }
  if (!Number.isFinite(fMin)) return null;
  // Σ exp(-(f - fMin)/T) per basin and overall (cell area hx·hy applied at the end)
  const sums = new Float64Array(count);
  let total = 0;
  for (let c = 0; c < f.length; c++) {
    if (!Number.isFinite(f[c])) continue;
    const w = Math.exp(-(f[c] - fMin) / temperature);
    total += w;
    const b = basins[c];
    if (b !== NO_BASIN && b < count) sums[b] += w;
  }
  const area = hx * hy;
  return {
    temperature,
    freeEnergy: [...sums].map((s) => (s > 0 ? fMin - temperature * Math.log(s * area) : Infinity)),
    occupation: [...sums].map((s) => s / total),
  };
}
