// From the scenario's surface field to a bound Surface (catalogue or formula).
import type { Domain, Surface } from './surface-types';
import { findSurface } from './surfaces/index';
import { createFormulaSurface, FormulaError } from './expression/index';

export type SurfaceField = { name: string; params: Record<string, number> } | { expression: string };

/** Where a formula is drawn when the scenario gives no domain. */
export const FORMULA_DOMAIN: Domain = { x: [-2, 2], y: [-2, 2] };

export type ResolvedSurface = { ok: true; surface: Surface } | { ok: false; problems: string[] };

export function resolveSurface(field: SurfaceField, domain: Domain | undefined, seed: number): ResolvedSurface {
  if ('name' in field) {
    const def = findSurface(field.name);
    if (!def) return { ok: false, problems: [`surface.name: '${field.name}' is not a catalogue surface`] };
    const surface = def.create(field.params, seed);
    return { ok: true, surface: domain ? { ...surface, domain } : surface };
  }
  const d = domain ?? FORMULA_DOMAIN;
  try {
    return { ok: true, surface: createFormulaSurface(field.expression, d) };
  } catch (e) {
    if (e instanceof FormulaError) return { ok: false, problems: [`surface.expression: ${e.message}`] };
    return { ok: false, problems: [`surface.expression: ${(e as Error).message}`] };
  }
}
