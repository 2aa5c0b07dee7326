// What the escape chart shows for one panel, from the first-passage steps the
// GPU recorded (checked every `every` steps inside the step kernel): the
// censoring-aware mean with its error (analysis/escape.ts escapeStatistics),
// corrected for the check resolution; a histogram over the run so far; and the
// Eyring–Kramers prediction where it applies to the panel's optimizer and noise.
import { panelTemperature, pdeTime } from '../../model/panel-quantities';
import type { PanelSpec } from '../../model/scenario-schema';
import type { Vec2 } from '../../model/surface-types';
import type { Derivatives } from '../../model/surfaces/critical';
import { NOT_ESCAPED, escapeStatistics, kramersTime, type EscapeStatistics, type KramersPrediction } from './escape';
import type { Law } from '../metrics/panel-laws';

export type KramersLine =
  | {
    ok: true;
    prediction: KramersPrediction;
    /** the panel's temperature (loss units) */
    temperature: number;
    /** tau in optimizer steps (tau / lr_eff) */
    tauSteps: number;
    /** why the number is rough, or null */
    caution: string | null;
  }
  | { ok: false; why: string };

/** barrier over temperature below which the Kramers asymptotics (dF >> T) is rough */
const KRAMERS_MIN_RATIO = 3;

/** The Eyring–Kramers mean escape time for a panel, or why it does not apply. */
export function kramersForPanel(spec: PanelSpec, surface: Derivatives, minimum: Vec2, saddle: Vec2): KramersLine {
  const opt = spec.optimizer, noise = spec.noise;
  if (opt.kind !== 'sgd') return { ok: false, why: 'Adam rescales each coordinate\'s step by its gradient history: no temperature, no Kramers law' };
  if (noise.kind === 'minibatch') return { ok: false, why: 'minibatch noise is state-dependent (covariance Σ(x)); the law assumes constant isotropic diffusion' };
  let T = panelTemperature(spec) ?? 0;
  if (noise.kind === 'langevin' && noise.diffusion) {
    const [[a, b], [c, d]] = noise.diffusion;
    const scale = Math.max(Math.abs(a), Math.abs(d));
    if (Math.abs(b) > 1e-9 * scale || Math.abs(c) > 1e-9 * scale || Math.abs(a - d) > 1e-9 * scale) {
      return { ok: false, why: 'anisotropic diffusion matrix: the prefactor would need the generalised (Langer) formula' };
    }
    T *= a; // M = a I: temperature a T
  }
  if (!(T > 0)) return { ok: false, why: 'no noise (T = 0): gradient descent does not leave a basin' };
  let prediction: KramersPrediction;
  try {
    prediction = kramersTime(surface, minimum, saddle, T);
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
  const lrEff = pdeTime(spec, 1)!;
  const cautions: string[] = [];
  if (prediction.barrier / T < KRAMERS_MIN_RATIO) cautions.push(`ΔF/T = ${(prediction.barrier / T).toPrecision(2)}: the law is the ΔF ≫ T limit`);
  if (opt.momentum > 0) cautions.push(`heavy ball β = ${opt.momentum}: the overdamped limit, time in lr/(1 − β)`);
  return { ok: true, prediction, temperature: T, tauSteps: prediction.tau / lrEff, caution: cautions.join('; ') || null };
}

export interface EscapeHistogram {
  /** bin edges, optimizer steps (bins + 1) */
  edges: number[];
  /** escapes per bin, each spread evenly over the steps its check covered (the step it happened on is not known closer) */
  counts: number[];
  /** escapes per bin if every particle left with the Kramers rate (exponential law, mean tau), or null */
  kramers: number[] | null;
}

export interface PanelEscape {
  panel: number;
  label: string;
  /** mean and error corrected by the check resolution; times in steps and PDE time */
  stats: EscapeStatistics;
  /** PDE time per optimizer step (null for Adam: stats.meanTime is then in steps) */
  lrEff: number | null;
  histogram: EscapeHistogram;
  kramers: KramersLine;
}

/**
 * One panel's escape statistics after `maxSteps` steps: the first-passage
 * steps `times` (0 = still inside; else a step count that is a multiple of
 * `every`, the steps between checks), and the panel's Kramers line. An escape
 * recorded at check c happened on one of the steps (c - every, c], on average
 * (every - 1) / 2 steps before c. The histogram spans [0, maxSteps] while
 * particles are still inside, else [0, the last escape].
 */
export function summarizePanel(
  panel: { index: number; label: string; spec: PanelSpec },
  times: Uint32Array, maxSteps: number, every: number, kramers: KramersLine, bins = 40,
): PanelEscape {
  const lrEff = pdeTime(panel.spec, 1);
  const stats = escapeStatistics(times, maxSteps, lrEff ?? 1, { bins, resolution: every });
  let last = 0;
  for (const t of times) if (t > last) last = t;
  const hi = Math.max(1, stats.censored > 0 ? maxSteps : last);
  const edges = Array.from({ length: bins + 1 }, (_, j) => (j / bins) * hi);
  const counts = new Array<number>(bins).fill(0);
  const width = hi / bins;
  for (const t of times) {
    if (t === NOT_ESCAPED) continue;
    // the escape happened on one of the steps (t - k, t] of its check
    const k = Math.min(every, t), a = t - k;
    for (let j = Math.max(0, Math.floor(a / width)); j < bins && edges[j] < t; j++) {
      counts[j] += (Math.min(t, edges[j + 1]) - Math.max(a, edges[j])) / k;
    }
  }
  const n = times.length;
  const kramersCounts = kramers.ok
    ? counts.map((_, j) => n * (Math.exp(-edges[j] / kramers.tauSteps) - Math.exp(-edges[j + 1] / kramers.tauSteps)))
    : null;
  return { panel: panel.index, label: panel.label, stats, lrEff, histogram: { edges, counts, kramers: kramersCounts }, kramers };
}

/**
 * The panel's mean escape time against Eyring–Kramers (PDE time), with the
 * censored mean's standard error; null where the law does not apply or nothing escaped yet.
 */
export function escapeLaw(p: PanelEscape): Law | null {
  const k = p.kramers, s = p.stats;
  if (!k.ok || p.lrEff === null || s.escaped === 0) return null;
  return {
    name: 'escape_mean_time',
    law: `Eyring–Kramers τ = 2π/|λ_s|·√(|det H_s|/det H_m)·e^{ΔF/T}${k.caution ? ` (${k.caution})` : ''}`,
    measured: s.meanTime, predicted: k.prediction.tau, unit: 'PDE time', se: s.meanTime * s.relativeError,
  };
}
