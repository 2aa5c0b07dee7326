// The surface over the scenario's domain as the GPU will compute it: finite in
// float32 (with margin) nearly everywhere, no pole a particle could fall into,
// and finite at every cell of the Fokker–Planck grid (one bad cell stops the PDE).
import { checkFinite } from './expression/finite-check';
import { checkPoles } from './expression/pole-check';
import { FormulaDomainError } from './expression/errors';
import { MAX_LOSS_MAGNITUDE } from './float32';
import { shortNumber } from './issue-text';
import type { ParsedScenario } from './scenario-schema';
import type { Domain, Surface } from './surface-types';

/** Samples per axis of a catalogue surface's finite check (its formula is known smooth: a coarse grid finds overflow). */
const CATALOGUE_GRID = 32;

export function surfaceProblems(s: ParsedScenario, surface: Surface, domain: Domain): string[] {
  const formula = 'expression' in s.surface;
  const where = formula ? 'surface.expression' : s.domain ? 'domain' : 'surface';
  try {
    // a formula surface was checked for float32 overflow when it was made (createFormulaSurface)
    if (!formula) checkFinite(surface, domain, { grid: CATALOGUE_GRID });
    if (formula) checkPoles(surface, domain);
  } catch (e) {
    if (e instanceof FormulaDomainError) return [`${where}: ${formula ? '' : `'${surface.name}': `}${e.message}`];
    throw e;
  }
  return s.fokkerPlanck ? pdeCellProblems(s.fokkerPlanck.grid, surface, domain) : [];
}

/** The loss at the centres of the PDE's grid x grid cells (as src/sim/fokker-planck samples it) must be finite. */
function pdeCellProblems(grid: number, surface: Surface, domain: Domain): string[] {
  const hx = (domain.x[1] - domain.x[0]) / grid, hy = (domain.y[1] - domain.y[0]) / grid;
  for (let j = 0; j < grid; j++) {
    const y = domain.y[0] + (j + 0.5) * hy;
    for (let i = 0; i < grid; i++) {
      const x = domain.x[0] + (i + 0.5) * hx;
      const f = surface.value(x, y);
      if (!(Math.abs(f) <= MAX_LOSS_MAGNITUDE)) {
        return [`fokkerPlanck.grid: the loss is ${shortNumber(f)} at the centre (${shortNumber(x)}, ${shortNumber(y)}) of PDE cell (${i}, ${j}); the PDE needs it finite in every cell: shrink the domain, change the grid or turn the PDE off`];
      }
    }
  }
  return [];
}
