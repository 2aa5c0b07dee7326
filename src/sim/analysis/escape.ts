// Escape from a basin: the first-passage time of every particle out of the
// basin of a minimum over a saddle, its statistics, and the Eyring–Kramers
// law that predicts the mean:
//
//   tau = 2 pi / |lambda_s| * sqrt(|det H_s| / det H_m) * exp(dF / T)
//
// (PDE time, t = steps * lr_eff), lambda_s the negative Hessian eigenvalue at
// the saddle, dF = f(saddle) - f(minimum), T the panel's temperature.
// A particle has escaped once it is past the saddle along the saddle's
// unstable direction by `margin` (a line through the saddle, shifted away from
// the minimum). GPU: the step kernel's exit check (shaders/lib/exit_check_on.wgsl) and escape-gpu.ts.
import type { Surface, Vec2 } from '../../model/surface-types';
import type { Derivatives } from '../../model/surfaces/critical';
import { stepParticle, type ParticleState } from '../particles/reference';
import type { StepConfig } from '../particles/step-config';
import { eigen2 } from './hessian';

/** First-passage record value of a particle that has not escaped (the times are steps >= 1). */
export const NOT_ESCAPED = 0;

export interface BasinExit {
  minimum: Vec2;
  saddle: Vec2;
  /** unit unstable eigenvector at the saddle, pointing away from the minimum */
  direction: Vec2;
  /** escaped once (p - saddle) . direction > margin (length units) */
  margin: number;
}

/**
 * The exit over `saddle` from the basin of `minimum`. With `beyond` (the
 * minimum on the other side) the margin is half the way from the saddle to it,
 * where the particle has committed to the other basin; else `margin` (default 0).
 */
export function basinExit(s: Derivatives, minimum: Vec2, saddle: Vec2, opts: { beyond?: Vec2; margin?: number } = {}): BasinExit {
  const e = eigen2(s.hessian(saddle[0], saddle[1]));
  if (!(e.values[0] < 0 && e.values[1] > 0)) throw new Error(`basinExit: (${saddle.join(', ')}) is not an index-1 saddle (Hessian eigenvalues ${e.values.map((v) => v.toPrecision(4)).join(', ')})`);
  let [dx, dy] = e.vectors[0];
  if (dx * (saddle[0] - minimum[0]) + dy * (saddle[1] - minimum[1]) < 0) { dx = -dx; dy = -dy; }
  const margin = opts.beyond ? 0.5 * ((opts.beyond[0] - saddle[0]) * dx + (opts.beyond[1] - saddle[1]) * dy) : opts.margin ?? 0;
  return { minimum, saddle, direction: [dx, dy], margin };
}

export function hasEscaped(exit: BasinExit, x: number, y: number): boolean {
  return (x - exit.saddle[0]) * exit.direction[0] + (y - exit.saddle[1]) * exit.direction[1] > exit.margin;
}

export interface KramersPrediction {
  /** mean escape time in PDE time units (t = steps * lr_eff) */
  tau: number;
  /** tau / exp(dF / T) */
  prefactor: number;
  /** f(saddle) - f(minimum), loss units */
  barrier: number;
  /** the saddle's negative eigenvalue */
  lambdaSaddle: number;
  detSaddle: number;
  detMinimum: number;
}

/** The Eyring–Kramers mean escape time from `minimum` over `saddle` at temperature T. */
export function kramersTime(s: Derivatives, minimum: Vec2, saddle: Vec2, T: number): KramersPrediction {
  const hm = s.hessian(minimum[0], minimum[1]), hs = s.hessian(saddle[0], saddle[1]);
  const detMinimum = hm[0] * hm[2] - hm[1] * hm[1];
  const detSaddle = hs[0] * hs[2] - hs[1] * hs[1];
  const lambdaSaddle = eigen2(hs).values[0];
  if (!(detMinimum > 0) || !(detSaddle < 0)) throw new Error('kramersTime: needs a non-degenerate minimum (det H > 0) and an index-1 saddle (det H < 0)');
  const barrier = s.value(saddle[0], saddle[1]) - s.value(minimum[0], minimum[1]);
  const prefactor = ((2 * Math.PI) / Math.abs(lambdaSaddle)) * Math.sqrt(Math.abs(detSaddle) / detMinimum);
  return { tau: prefactor * Math.exp(barrier / T), prefactor, barrier, lambdaSaddle, detSaddle, detMinimum };
}

/**
 * The exact mean first-passage time of the 1-D overdamped Langevin process
 * dx = -V'(x) dt + sqrt(2 T) dW from x0 to b > x0 (reflecting far below at
 * `lo`): (1/T) int_x0^b dy e^{V(y)/T} int_lo^y dz e^{-V(z)/T}, by the midpoint
 * rule on n cells. The Kramers formula is its low-temperature limit.
 */
export function meanFirstPassage1d(V: (x: number) => number, x0: number, b: number, T: number, lo: number, n = 200_000): number {
  const h = (b - lo) / n;
  const vMin = Math.min(V(x0), V(lo));
  let inner = 0, total = 0;
  for (let i = 0; i < n; i++) {
    const y = lo + (i + 0.5) * h;
    const v = V(y);
    inner += Math.exp(-(v - vMin) / T) * h;
    if (y > x0) total += Math.exp((v - vMin) / T) * inner * h;
  }
  return total / T;
}

/**
 * CPU reference: first-passage steps of `count` particles started at `start`,
 * stepped by the particle reference (same random streams as the GPU), checked
 * every `checkEvery` steps up to `maxSteps`: the step count at the first check
 * past the exit, NOT_ESCAPED (0) for a particle still inside at the end.
 */
export function escapeTimesCpu(surface: Surface, cfg: StepConfig, seed: number, stream: number, start: Vec2, count: number, exit: BasinExit, maxSteps: number, checkEvery = 1): Uint32Array {
  const out = new Uint32Array(count);
  const position = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) { position[2 * i] = start[0]; position[2 * i + 1] = start[1]; }
  const state: ParticleState = { position, moment1: new Float64Array(2 * count), moment2: new Float64Array(2 * count), status: new Uint32Array(count) };
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < maxSteps; k += checkEvery) {
      const n = Math.min(checkEvery, maxSteps - k);
      stepParticle(state, surface, cfg, seed, stream, i, k, n);
      if (state.status[i] !== 0) break;
      if (hasEscaped(exit, position[2 * i], position[2 * i + 1])) { out[i] = k + n; break; }
    }
  }
  return out;
}

export interface EscapeStatistics {
  count: number;
  escaped: number;
  /** still inside at maxSteps */
  censored: number;
  maxSteps: number;
  /** steps between checks; recorded times are late by (resolution - 1) / 2 on average, corrected below */
  resolution: number;
  /**
   * mean escape time in steps: the exponential law's maximum-likelihood mean
   * with censoring, (sum of escape steps + censored * maxSteps) / escaped
   */
  meanSteps: number;
  /** meanSteps * lr_eff (PDE time) */
  meanTime: number;
  /** relative standard error of the mean, 1 / sqrt(escaped) */
  relativeError: number;
  /** escape steps histogram: counts[j] between edges[j] and edges[j + 1] (censored not included) */
  histogram: { edges: Float64Array; counts: Uint32Array };
}

export function escapeStatistics(times: Uint32Array, maxSteps: number, lrEff: number, opts: { bins?: number; resolution?: number } = {}): EscapeStatistics {
  const bins = opts.bins ?? 32, resolution = opts.resolution ?? 1;
  const late = (resolution - 1) / 2;
  let escaped = 0, total = 0, top = 0;
  for (const t of times) {
    if (t === NOT_ESCAPED) { total += maxSteps; continue; }
    escaped++;
    total += Math.max(t - late, 0);
    top = Math.max(top, t);
  }
  const edges = Float64Array.from({ length: bins + 1 }, (_, j) => (j / bins) * Math.max(top, 1));
  const counts = new Uint32Array(bins);
  for (const t of times) if (t !== NOT_ESCAPED) counts[Math.min(bins - 1, Math.floor((t / Math.max(top, 1)) * bins))]++;
  const meanSteps = escaped ? total / escaped : Infinity;
  return {
    count: times.length,
    escaped,
    censored: times.length - escaped,
    maxSteps,
    resolution,
    meanSteps,
    meanTime: meanSteps * lrEff,
    relativeError: escaped ? 1 / Math.sqrt(escaped) : Infinity,
    histogram: { edges, counts },
  };
}
