// fast-check scenarios at the edges of what float32 carries (shared by the
// unit property test and tests/browser/cli-property.test.ts).
import fc from 'fast-check';

/** A magnitude from 1e-320 to 1e308, leaning on the extremes. */
const magnitude = fc.oneof(
  { arbitrary: fc.double({ min: 1e-3, max: 1, noNaN: true }), weight: 5 },
  { arbitrary: fc.constantFrom(1e-320, 1e-45, 1e-38, 1e-31, 1e-30, 1e-12, 1e6, 1e12, 1e13, 1e30, 1e38, 1e300), weight: 1 },
);
const sign = fc.constantFrom(1, -1);
const coordinate = fc.tuple(sign, magnitude).map(([s, m]) => s * m);
const unitCoefficient = fc.oneof(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.constantFrom(0.999999, 0.9999999, 0.99999999, 1 - 1e-12));

const range = fc.oneof(
  { arbitrary: fc.constant([-2, 2]), weight: 3 },
  { arbitrary: fc.tuple(coordinate, magnitude).map(([lo, w]) => [lo, lo + w]), weight: 1 },
);

const formula = fc.constantFrom('x^2 + y^2', '(x^2-1)^2 + y^2/2', 'exp(100*x)', '1/x + y^2', 'tan(10*x) + y^2', 'sin(3*x)*cos(2*y)', 'log(x^2+y^2+1)', 'sqrt(x^2+y^2)', 'exp(5*x)+y^2');
const surface = fc.oneof(
  fc.constantFrom({ name: 'double-well' }, { name: 'quadratic' }, { name: 'rosenbrock' }, { name: 'himmelblau' }, { name: 'ring-valley' }),
  formula.map((expression) => ({ expression })),
);

const optimizer = fc.oneof(
  fc.record({ kind: fc.constant('sgd'), lr: magnitude, momentum: unitCoefficient }),
  fc.record({ kind: fc.constant('adam'), lr: magnitude, beta1: unitCoefficient, beta2: unitCoefficient, eps: magnitude }),
);

const noise = fc.oneof(
  fc.constant({ kind: 'none' }),
  fc.record({ kind: fc.constant('gaussian'), batchSize: fc.integer({ min: 1, max: 1 << 20 }), gradientStd: fc.oneof(fc.constant(0), magnitude) }),
  fc.record({ kind: fc.constant('langevin'), temperature: fc.oneof(fc.constant(0), magnitude) }),
  fc.record({
    kind: fc.constant('langevin'), temperature: magnitude,
    diffusion: fc.tuple(magnitude, fc.double({ min: -0.99, max: 0.99, noNaN: true }), magnitude).map(([a, r, b]) => [[a, r * Math.sqrt(a * b)], [r * Math.sqrt(a * b), b]]),
  }),
);

const init = fc.oneof(
  fc.constant({ kind: 'uniform' }),
  fc.record({ kind: fc.constant('point'), at: fc.tuple(coordinate, coordinate) }),
  fc.record({ kind: fc.constant('gaussian'), mean: fc.tuple(coordinate, coordinate), std: fc.double({ min: 1e-6, max: 1, noNaN: true }) }),
);

export const hostileScenario = fc.record(
  {
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    surface,
    domain: fc.record({ x: range, y: range }),
    steps: fc.integer({ min: 1, max: 50 }),
    particles: fc.record({ count: fc.integer({ min: 1, max: 256 }), init }),
    fokkerPlanck: fc.record({ grid: fc.constantFrom(16, 32, 48), integrator: fc.constantFrom('auto', 'euler', 'adi') }),
    panels: fc.array(fc.record({ optimizer, noise }), { minLength: 1, maxLength: 2 }),
    record: fc.constant({ every: 10 }),
  },
  { requiredKeys: ['surface', 'particles', 'panels'] },
);
