// Surfaces from a typed formula f(x, y): the public entry point.
export { compileFormula, createFormulaSurface, FORMULA_WGSL_MODULE, type CompiledFormula } from './formula';
export { checkFinite, type FiniteCheckOptions } from './finite-check';
export { FormulaDomainError, FormulaError } from './errors';
export { MAX_FORMULA_LENGTH } from './functions';
export { checkPoles, findPole, type PoleCheckOptions } from './pole-check';
