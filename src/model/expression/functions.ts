// The vocabulary of a formula: variables, named constants and functions, each
// with its real-number meaning in JavaScript (the CPU reference). The WGSL side
// maps the same names in wgsl.ts; derivatives are in differentiate.ts.

/** Longest formula accepted, in characters. */
export const MAX_FORMULA_LENGTH = 500;

export const VARIABLES = ['x', 'y'] as const;
export type Variable = (typeof VARIABLES)[number];

export const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

interface CallSpec {
  arity: number;
  /** whether a person may type it (false: only derivatives introduce it) */
  typed: boolean;
  js: (...args: number[]) => number;
}

/** Functions other than pow (pow(a, b) is the power operator a^b, see graph.ts). */
export const CALLS = {
  sin: { arity: 1, typed: true, js: Math.sin },
  cos: { arity: 1, typed: true, js: Math.cos },
  tan: { arity: 1, typed: true, js: Math.tan },
  asin: { arity: 1, typed: true, js: Math.asin },
  acos: { arity: 1, typed: true, js: Math.acos },
  atan: { arity: 1, typed: true, js: Math.atan },
  /** atan2(y, x): angle of the point (x, y), in (-pi, pi] */
  atan2: { arity: 2, typed: true, js: Math.atan2 },
  sinh: { arity: 1, typed: true, js: Math.sinh },
  cosh: { arity: 1, typed: true, js: Math.cosh },
  tanh: { arity: 1, typed: true, js: Math.tanh },
  exp: { arity: 1, typed: true, js: Math.exp },
  /** natural logarithm */
  log: { arity: 1, typed: true, js: Math.log },
  sqrt: { arity: 1, typed: true, js: Math.sqrt },
  abs: { arity: 1, typed: true, js: Math.abs },
  min: { arity: 2, typed: true, js: Math.min },
  max: { arity: 2, typed: true, js: Math.max },
  /** derivative of abs; sign(0) = 0 picks the zero subgradient at the kink */
  sign: { arity: 1, typed: false, js: Math.sign },
} satisfies Record<string, CallSpec>;

export type CallName = keyof typeof CALLS;

/** Number of arguments of a function a person may type, or undefined when there is no such function. */
export function typedArity(name: string): number | undefined {
  if (name === 'pow') return 2;
  const spec = Object.hasOwn(CALLS, name) ? CALLS[name as CallName] : undefined;
  return spec?.typed ? spec.arity : undefined;
}

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(CALLS, name);
}
