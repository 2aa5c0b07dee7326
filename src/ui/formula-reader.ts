// The formula reader (mathjs and the expression compiler, about 80 KB of
// gzipped JavaScript) loads on first use, not with the page: a scenario with a
// catalogue surface never needs it. Until it has loaded, a formula surface
// reads as one problem, FORMULA_LOADING; callers that can wait await
// whenFormulasReadable first, the formula editor re-checks once it is loaded.
import { catalogueResolver, hasFormula, parseScenarioWith, type ScenarioResult, type SurfaceResolver } from '../model/scenario-validate';

export const FORMULA_LOADING = 'surface.expression: the formula reader is still loading; try again in a moment';

let fullResolver: SurfaceResolver | null = null;
let loading: Promise<void> | null = null;

const pendingResolver: SurfaceResolver = (field, domain, seed) =>
  'name' in field ? catalogueResolver(field, domain, seed) : { ok: false, problems: [FORMULA_LOADING] };

export function formulaReaderLoaded(): boolean {
  return fullResolver !== null;
}

/** Loads the formula reader once; later calls return the same promise. A failed load may be retried. */
export function loadFormulaReader(): Promise<void> {
  loading ??= import('../model/resolve-surface').then(
    (m) => { fullResolver = m.resolveSurface; },
    (e: unknown) => { loading = null; throw e; },
  );
  return loading;
}

/** Resolves once `doc` can be checked in full: at once for a catalogue surface, after loading for a formula. */
export function whenFormulasReadable(doc: unknown): Promise<void> {
  return hasFormula(doc) && !fullResolver ? loadFormulaReader() : Promise.resolve();
}

/** parseScenario with what is loaded now (a formula before the reader loads: FORMULA_LOADING). */
export function parseScenarioNow(input: unknown): ScenarioResult {
  return parseScenarioWith(input, fullResolver ?? pendingResolver);
}
