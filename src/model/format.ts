// Numbers and temperatures as the lab prints them (page, videos, CLI, error
// messages): the one formatter every room uses, so a value reads the same in
// a chart, a frame label and a message.
import { panelTemperature } from './panel-quantities';
import type { PanelSpec } from './scenario-schema';

/**
 * `v` to `digits` significant figures in its shortest form ("0.25", not
 * "0.250"); exponent form ("1.2e5", "3.4e-7") outside [1e-3, 1e5);
 * non-finite values as JavaScript spells them ("NaN", "Infinity").
 */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

/**
 * A KL divergence (nats) as drawn, in the page's charts and in recorded
 * videos: it is >= 0, so a value float rounding puts just below zero is drawn
 * at 0. Display only: the metrics history and the CSV keep the value as computed.
 */
export function klShown(kl: number | null | undefined): number | null {
  return kl === null || kl === undefined ? null : Math.max(0, kl);
}

/** A point as "(x, y)", each coordinate by formatNumber. */
export function formatPoint(p: readonly number[], digits = 3): string {
  return `(${p.map((v) => formatNumber(v, digits)).join(', ')})`;
}

/** Temperature T of a panel, with the formula in use (for tooltips and frame labels). */
export function temperatureText(panel: PanelSpec): { value: number | null; formula: string } {
  const T = panelTemperature(panel);
  const o = panel.optimizer, n = panel.noise;
  if (o.kind !== 'sgd') return { value: null, formula: 'Adam rescales the gradient per coordinate: no temperature and no Fokker–Planck counterpart' };
  const m = o.momentum ? ` / (1 - β) with β = ${o.momentum}` : '';
  switch (n.kind) {
    case 'none': return { value: 0, formula: 'no noise: gradient descent, T = 0' };
    case 'langevin': return { value: T, formula: `Langevin: x += -lr ∇f + sqrt(2 lr T) ξ, T = ${n.temperature}${m}` };
    case 'gaussian': return { value: T, formula: `T = lr s² / (2B)${m} = ${o.lr}·${n.gradientStd}² / (2·${n.batchSize}) = ${formatNumber(T ?? 0)}` };
    case 'minibatch': return { value: T, formula: `minibatch SGD: D(x) = lr Σ(x) / (2B), T = lr / (2B)${m} = ${formatNumber(T ?? 0)} (times the gradient covariance Σ)` };
  }
}

/** "1 minimum", "4 minima", "0 saddles": a count with its noun in the right number. */
export function countOf(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
