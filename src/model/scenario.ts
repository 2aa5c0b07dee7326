// Scenario validation with the full surface resolver (catalogue and formulas),
// and the quantities derived from a panel (temperature, PDE time, label).
// The checks themselves are in scenario-validate.ts.
import { type ParsedScenario, type PanelSpec, type ScenarioInput } from './scenario-schema';
export { panelTemperature, pdeTime, panelLabel } from './panel-quantities';
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
