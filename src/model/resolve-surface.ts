// From the scenario's surface field to a bound Surface (catalogue or formula).
import type { Domain, Surface } from './surface-types';
import { findSurface } from './surfaces/index';

export type SurfaceField = { name: string; params: Record<string, number> } | { expression: string };

export type ResolvedSurface = { ok: true; surface: Surface } | { ok: false; problems: string[] };

export function resolveSurface(field: SurfaceField, domain: Domain | undefined, seed: number): ResolvedSurface {
  if ('name' in field) {
    const def = findSurface(field.name);
    if (!def) return { ok: false, problems: [`surface.name: '${field.name}' is not a catalogue surface`] };
    const surface = def.create(field.params, seed);
    return { ok: true, surface: domain ? { ...surface, domain } : surface };
  }
  return { ok: false, problems: ['surface.expression: formula surfaces are not available yet'] };
}
