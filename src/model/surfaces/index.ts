// The surfaces catalogue: every named surface a scenario can use.
import type { SurfaceDefinition } from '../surface-types';
import { ackley } from './ackley';
import { deepLinear } from './deep-linear';
import { doubleWell } from './double-well';
import { himmelblau } from './himmelblau';
import { logistic2d } from './logistic-2d';
import { monkeySaddle } from './monkey-saddle';
import { mullerBrown } from './muller-brown';
import { quadratic } from './quadratic';
import { rastrigin } from './rastrigin';
import { ringValley } from './ring-valley';
import { rosenbrock } from './rosenbrock';
import { sharpFlat } from './sharp-flat';
import { sixHumpCamel } from './six-hump-camel';
import { styblinskiTang } from './styblinski-tang';
import { tanhNeuron } from './tanh-neuron';

export const SURFACES: readonly SurfaceDefinition[] = [
  // analytic landscapes
  doubleWell, quadratic, rosenbrock, himmelblau, rastrigin, ackley, sixHumpCamel,
  mullerBrown, monkeySaddle, ringValley, styblinskiTang, sharpFlat,
  // finite sums over a seeded dataset (true minibatch noise)
  deepLinear, logistic2d, tanhNeuron,
];

export function findSurface(name: string): SurfaceDefinition | undefined {
  return SURFACES.find((s) => s.name === name);
}
