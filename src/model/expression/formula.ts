// A typed formula f(x, y) compiled for both sides, and the Surface made from it.
import type { Domain, Hessian3, Surface, Vec2 } from '../surface-types';
import { SURFACE_PARAM_SLOTS } from '../surface-types';
import { derivative } from './differentiate';
import { compileTape } from './evaluate';
import { checkFinite } from './finite-check';
import { ExprGraph } from './graph';
import { parseFormula } from './parse';
import { generateWgsl, type FormulaRoots } from './wgsl';

/** The virtual WGSL module a formula surface adds to the shader sources. */
export const FORMULA_WGSL_MODULE = 'surface/formula.wgsl';

export interface CompiledFormula {
  /** as typed */
  expression: string;
  /** as read, every multiplication written out (e.g. '2 * x * y') */
  printed: string;
  graph: ExprGraph;
  roots: FormulaRoots;
  /** the surface module (see surface-types.ts) */
  wgsl: string;
  value(x: number, y: number): number;
  gradient(x: number, y: number): Vec2;
  hessian(x: number, y: number): Hessian3;
}

/** Parses, differentiates and generates code; throws FormulaError (with line and column) for a formula it cannot read. */
export function compileFormula(expression: string): CompiledFormula {
  const graph = new ExprGraph();
  const { root, printed } = parseFormula(expression, graph);
  const dx = new Map<number, number>(), dy = new Map<number, number>();
  const fx = derivative(graph, root, 'x', dx);
  const fy = derivative(graph, root, 'y', dy);
  const roots: FormulaRoots = {
    value: root,
    gradient: [fx, fy],
    hessian: [derivative(graph, fx, 'x', dx), derivative(graph, fx, 'y', dy), derivative(graph, fy, 'y', dy)],
  };
  const value = compileTape(graph, [roots.value]);
  const gradient = compileTape(graph, roots.gradient);
  const hessian = compileTape(graph, roots.hessian);
  return {
    expression,
    printed,
    graph,
    roots,
    wgsl: generateWgsl(graph, roots, printed),
    value: (x, y) => value(x, y)[0],
    gradient: (x, y) => gradient(x, y) as Vec2,
    hessian: (x, y) => hessian(x, y) as Hessian3,
  };
}

/**
 * The surface f(x, y) = expression over `domain`. Throws FormulaError for a
 * formula it cannot read and FormulaDomainError when f or its gradient is not
 * finite over more than 1% of the domain. Critical points are not searched here.
 */
export function createFormulaSurface(expression: string, domain: Domain): Surface {
  for (const axis of ['x', 'y'] as const) {
    const [lo, hi] = domain[axis];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      throw new RangeError(`createFormulaSurface: domain ${axis} [${lo}, ${hi}] must be finite with ${axis}min < ${axis}max`);
    }
  }
  const f = compileFormula(expression);
  // checked as the GPU computes it: every intermediate rounded to float32
  const value32 = compileTape(f.graph, [f.roots.value], 'f32');
  const gradient32 = compileTape(f.graph, f.roots.gradient, 'f32');
  checkFinite({ value: (x, y) => value32(x, y)[0], gradient: (x, y) => gradient32(x, y) as Vec2 }, domain);
  return {
    name: 'formula',
    formula: expression,
    packedParams: new Float32Array(SURFACE_PARAM_SLOTS),
    wgslModule: FORMULA_WGSL_MODULE,
    wgslSources: { [FORMULA_WGSL_MODULE]: f.wgsl },
    value: f.value,
    gradient: f.gradient,
    hessian: f.hessian,
    criticalPoints: [],
    domain,
  };
}
