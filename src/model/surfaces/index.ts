// The surfaces catalogue: every named surface a scenario can use.
import type { SurfaceDefinition } from '../surface-types';
import { doubleWell } from './double-well';

export const SURFACES: readonly SurfaceDefinition[] = [doubleWell];

export function findSurface(name: string): SurfaceDefinition | undefined {
  return SURFACES.find((s) => s.name === name);
}
