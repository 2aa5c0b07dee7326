// The catalogue surfaces as test cases, shared by tests/unit/surfaces.test.ts
// (float64 references against finite differences and the literature) and
// tests/browser/surfaces.test.ts (float32 WGSL against those references): each
// surface at its defaults and at one non-default parameter set.
import { SURFACES } from '../../src/model/surfaces';
import type { Domain, SurfaceDefinition, Vec2 } from '../../src/model/surface-types';
import { streamBits, uniformOpen } from '../../src/rng/philox';

/** A non-default parameter set per surface (each value differs from its default). */
export const OTHER_PARAMS: Record<string, Record<string, number>> = {
  'double-well': { h: 2.5, tilt: 0.7 },
  quadratic: { a: 3, b: -0.5, angle: 0.7 },
  rosenbrock: { a: -0.7, b: 20, scale: 0.05 },
  himmelblau: { scale: 0.01 },
  rastrigin: { A: 3 },
  ackley: { a: 10, b: 0.5, c: 3 },
  'six-hump-camel': { scale: 2.5 },
  'muller-brown': { scale: 0.01 },
  'monkey-saddle': { confine: 1.2 },
  'ring-valley': { R: 1.4, height: 3 },
  'styblinski-tang': { scale: 0.1 },
  'sharp-flat': { sharpDepth: 1.5, sharpWidth: 0.2, flatDepth: 0.5, flatWidth: 1, confine: 0.02 },
  'deep-linear': { teacher: -1.5, noise: 0.5, samples: 200 },
  'logistic-2d': { separation: 1, spread: 1.5, samples: 300 },
  'tanh-neuron': { teacherWeight: -2, teacherBias: 1, noise: 0.3, samples: 150 },
};

export interface SurfaceCase {
  label: string;
  def: SurfaceDefinition;
  params: Record<string, number>;
}

/** Two cases per catalogue surface: its defaults and OTHER_PARAMS (defaults again where a surface has none listed). */
export const SURFACE_CASES: readonly SurfaceCase[] = SURFACES.flatMap((def) => [
  { label: `${def.name} (defaults)`, def, params: {} },
  { label: `${def.name} (${JSON.stringify(OTHER_PARAMS[def.name])})`, def, params: OTHER_PARAMS[def.name] ?? {} },
]);

/** n points uniform over `domain`, from Philox (key (seed, stream), counter i). */
export function uniformPoints(domain: Domain, n: number, seed: number, stream: number): Vec2[] {
  const { x, y } = domain;
  return Array.from({ length: n }, (_, i) => {
    const b = streamBits(seed, stream, i, 0);
    return [x[0] + uniformOpen(b[0]) * (x[1] - x[0]), y[0] + uniformOpen(b[1]) * (y[1] - y[0])];
  });
}
