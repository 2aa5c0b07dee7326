// CPU reference of shaders/particles_metrics*.wgsl: the same record and 2-D
// histogram from particle positions, in float64.
import type { Domain, Surface } from '../../model/surface-types';
import { basinCount, type LossRange } from './loss-range';
import type { ParticleRecord } from './record';

/** What the expected drift needs of the step kernel's optimizer (src/sim/particles/step-config.ts StepConfig). */
export interface DriftOptimizer {
  optimizer: 0 | 1 | 2;
  momentum: number;
}

/**
 * The next step's displacement averaged over its noise, per unit PDE time
 * lr_eff = lr / (1 - beta), from gradient g and momentum m
 * (lib/metrics_types.wgsl expected_drift): heavy ball -(1 - b)(b m + g),
 * Nesterov -(1 - b)((1 + b) g + b² m).
 */
export function expectedDrift(g: [number, number], m: [number, number], o: DriftOptimizer): [number, number] {
  const b = o.momentum;
  if (o.optimizer === 1) return [-(1 - b) * ((1 + b) * g[0] + b * b * m[0]), -(1 - b) * ((1 + b) * g[1] + b * b * m[1])];
  return [-(1 - b) * (b * m[0] + g[0]), -(1 - b) * (b * m[1] + g[1])];
}

export const LOSS_BINS = 256;

export function lossBin(f: number, loss: LossRange): number {
  const excess = Math.max(f - loss.min, loss.floor);
  const t = Math.log(excess / loss.floor) / loss.logSpan;
  return Math.min(Math.floor(Math.max(t, 0) * LOSS_BINS), LOSS_BINS - 1);
}

export function binUpperEdge(b: number, loss: LossRange): number {
  return loss.min + loss.floor * Math.exp((loss.logSpan * (b + 1)) / LOSS_BINS);
}

export function particleRecordReference(
  position: ArrayLike<number>, status: ArrayLike<number>, surface: Surface, domain: Domain,
  grid: number, basins: Uint32Array, loss: LossRange, step: number,
  /** momentum buffer (vec2 per particle) and optimizer, for the angular momentum; plain SGD with m = 0 if omitted */
  drift: { moment1: ArrayLike<number>; optimizer: DriftOptimizer } | null = null,
): { record: ParticleRecord; histogram: Uint32Array } {
  const count = status.length;
  const histogram = new Uint32Array(grid * grid);
  const lossHist = new Uint32Array(LOSS_BINS);
  const minima = basinCount(surface);
  const basinCounts = new Array<number>(minima).fill(0);
  let alive = 0, sl = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, sang = 0, sux = 0, suy = 0;
  const opt = drift?.optimizer ?? { optimizer: 0, momentum: 0 };
  for (let i = 0; i < count; i++) {
    if (status[i] !== 0) continue;
    const x = position[2 * i], y = position[2 * i + 1];
    const f = surface.value(x, y);
    alive++; sl += f; sx += x; sy += y; sxx += x * x; sxy += x * y; syy += y * y;
    const m: [number, number] = drift ? [drift.moment1[2 * i], drift.moment1[2 * i + 1]] : [0, 0];
    const [ux, uy] = expectedDrift(surface.gradient(x, y), m, opt);
    sang += x * uy - y * ux; sux += ux; suy += uy;
    lossHist[lossBin(f, loss)]++;
    const cx = Math.floor(((x - domain.x[0]) / (domain.x[1] - domain.x[0])) * grid);
    const cy = Math.floor(((y - domain.y[0]) / (domain.y[1] - domain.y[0])) * grid);
    if (cx >= 0 && cy >= 0 && cx < grid && cy < grid) {
      histogram[cy * grid + cx]++;
      const b = basins[cy * grid + cx];
      if (b < minima) basinCounts[b]++;
    }
  }
  const n = Math.max(alive, 1);
  const mx = sx / n, my = sy / n;
  const quantile = (q: number) => {
    let cum = 0;
    for (let b = 0; b < LOSS_BINS; b++) { cum += lossHist[b]; if (alive > 0 && cum >= q * alive) return binUpperEdge(b, loss); }
    return 0;
  };
  return {
    histogram,
    record: {
      step, alive, diverged: count - alive,
      // no particle alive: no measurement (null), as the GPU record's parser reports it
      meanLoss: alive ? sl / n : null,
      mean: alive ? [mx, my] : null,
      cov: alive ? [sxx / n - mx * mx, sxy / n - mx * my, syy / n - my * my] : null,
      lossQuantiles: alive ? [quantile(0.1), quantile(0.5), quantile(0.9)] : null,
      basinFractions: basinCounts.map((c) => c / count),
      // <(x - x̄) × u> = <x × u> - x̄ × <u>
      angularMomentum: alive && opt.optimizer !== 2 ? sang / n - (mx * (suy / n) - my * (sux / n)) : null,
    },
  };
}
