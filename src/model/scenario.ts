// Scenario validation with the full surface resolver (catalogue and formulas),
// and the quantities derived from a panel (temperature, PDE time, label).
// The checks themselves are in scenario-validate.ts.
import { type ParsedScenario, type PanelSpec, type ScenarioInput } from './scenario-schema';
import type { Surface } from './surface-types';
import { resolveSurface } from './resolve-surface';
import { parseScenarioWith, type Scenario, type ScenarioResult } from './scenario-validate';

export type { ParsedScenario, PanelSpec, ScenarioInput, Scenario, ScenarioResult };

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Validates and normalises a scenario; never throws on bad input. */
export function parseScenario(input: unknown): ScenarioResult {
  return parseScenarioWith(input, resolveSurface);
}

/** parseScenario that throws a ScenarioError listing every problem. */
export function requireScenario(input: unknown): { scenario: Scenario; surface: Surface } {
  const r = parseScenario(input);
  if (!r.ok) throw new ScenarioError(r.problems);
  return r;
}

/**
 * The panel's temperature T (loss units): the diffusion constant of the SDE that
 * the iteration approximates, time measured in units of lr per step. With heavy-ball
 * momentum beta the overdamped limit has lr_eff = lr / (1 - beta). For minibatch noise
 * T = lr_eff / (2B) multiplies the gradient covariance Sigma(x); Adam has no temperature (null).
 */
export function panelTemperature(panel: PanelSpec): number | null {
  const opt = panel.optimizer;
  if (opt.kind !== 'sgd') return null;
  const lrEff = opt.lr / (1 - opt.momentum);
  const noise = panel.noise;
  switch (noise.kind) {
    case 'none': return 0;
    case 'langevin': return noise.temperature / (1 - opt.momentum);
    case 'gaussian': return (lrEff * noise.gradientStd ** 2) / (2 * noise.batchSize);
    case 'minibatch': return lrEff / (2 * noise.batchSize);
  }
}

/** PDE time after `steps` optimizer steps: t = steps * lr / (1 - beta) (overdamped limit); null for Adam. */
export function pdeTime(panel: PanelSpec, steps: number): number | null {
  const opt = panel.optimizer;
  return opt.kind === 'sgd' ? (steps * opt.lr) / (1 - opt.momentum) : null;
}

export function panelLabel(panel: PanelSpec, index: number): string {
  if (panel.label) return panel.label;
  const o = panel.optimizer;
  const n = panel.noise;
  const opt = o.kind === 'sgd' ? `SGD lr ${o.lr}${o.momentum ? `, β ${o.momentum}` : ''}` : `Adam lr ${o.lr}`;
  const noise = n.kind === 'gaussian' || n.kind === 'minibatch' ? `, B ${n.batchSize}` : n.kind === 'langevin' ? `, T ${n.temperature}` : '';
  return `${index + 1}: ${opt}${noise}`;
}
