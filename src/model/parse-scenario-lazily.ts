// Scenario validation for the command line: the formula reader (mathjs, about
// 2 s to load in Node on a small machine) is imported only when the scenario
// has a formula surface, so a catalogue scenario's run, and every argument or
// file error, starts without it. Same result as parseScenario (scenario.ts).
import { catalogueResolver, hasFormula, parseScenarioWith, type ScenarioResult } from './scenario-validate';

export async function parseScenarioLazily(input: unknown): Promise<ScenarioResult> {
  const resolver = hasFormula(input) ? (await import('./resolve-surface')).resolveSurface : catalogueResolver;
  return parseScenarioWith(input, resolver);
}
