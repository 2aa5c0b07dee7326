// The shape every catalogue surface shares: a definition (name, title, blurb,
// parameter specs, default domain, formula) whose `create` fills the defaults,
// packs the parameters in WGSL slot order and binds the surface's own math.
// A surface module only writes what is its own: the math for bound parameter
// values and its known critical points. Its WGSL is the file
// shaders/lib/surfaces/<name>.wgsl (see surface-types.ts for the contract).
import { packParams, type Domain, type FiniteSum, type Hessian3, type KnownCriticalPoint, type ParamSpec, type SurfaceDefinition, type Vec2 } from './surface-types';

/** A surface's math with its parameters bound. */
export interface BoundSurface {
  /** loss f(x, y) (loss units) */
  value(x: number, y: number): number;
  /** (df/dx, df/dy) */
  gradient(x: number, y: number): Vec2;
  /** (f_xx, f_xy, f_yy) */
  hessian(x: number, y: number): Hessian3;
  /** known minima, saddles and maxima for these parameters, inside the default domain */
  criticalPoints: KnownCriticalPoint[];
  finiteSum?: FiniteSum;
}

/** Where `bind` finds the bound parameter values and what else it may need. */
export interface BindContext {
  /** every parameter by name, defaults filled in */
  values: Record<string, number>;
  /** the scenario seed (finite-sum surfaces draw their dataset from it) */
  seed: number;
  /** the surface's default domain: where critical points are listed */
  domain: Domain;
}

export interface SurfaceSpec {
  name: string;
  title: string;
  /** one line on what this surface demonstrates */
  blurb: string;
  /** in WGSL slot order: surface_param(i) reads params[i] */
  params: ParamSpec[];
  defaultDomain: Domain;
  /** human-readable formula, e.g. 'h (x² − 1)² + y²/2 + tilt·x' */
  formula: string;
  /** true for a mean over a seeded dataset (bind then returns `finiteSum`) */
  finiteSum?: boolean;
  bind(context: BindContext): BoundSurface;
}

/** The WGSL module of catalogue surface `name` (a path under shaders/). */
export function surfaceWgslModule(name: string): string {
  return `lib/surfaces/${name}.wgsl`;
}

/** A catalogue SurfaceDefinition from its spec. */
export function defineSurface(spec: SurfaceSpec): SurfaceDefinition {
  const { name, title, blurb, params, defaultDomain, formula } = spec;
  return {
    name,
    title,
    blurb,
    params,
    defaultDomain,
    finiteSum: spec.finiteSum ?? false,
    create(given, seed) {
      const { values, packed } = packParams(params, given);
      const bound = spec.bind({ values, seed, domain: defaultDomain });
      return {
        name,
        formula,
        packedParams: packed,
        wgslModule: surfaceWgslModule(name),
        wgslSources: {},
        value: bound.value,
        gradient: bound.gradient,
        hessian: bound.hessian,
        criticalPoints: bound.criticalPoints,
        domain: defaultDomain,
        ...(bound.finiteSum ? { finiteSum: bound.finiteSum } : {}),
      };
    },
  };
}
