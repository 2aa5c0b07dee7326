// The contract every loss surface keeps, in TypeScript (CPU reference) and in
// WGSL (shaders/lib/surfaces/<name>.wgsl or a generated formula module).
//
// WGSL side: a surface module defines
//   fn surface_value(p: vec2f) -> f32        // loss f(x, y)
//   fn surface_grad(p: vec2f) -> vec2f       // (df/dx, df/dy)
//   fn surface_hessian(p: vec2f) -> vec3f    // (f_xx, f_xy, f_yy)
// and reads its parameters through `surface_param(i)` from lib/surface_params.wgsl
// (a uniform of SURFACE_PARAM_SLOTS floats at @group(1) @binding(0), packed in
// the order of SurfaceDefinition.params). A finite-sum surface also imports
// lib/dataset.wgsl (@group(1) @binding(1), one vec4f per sample) and defines
//   fn sample_value(p: vec2f, s: u32) -> f32
//   fn sample_grad(p: vec2f, s: u32) -> vec2f
// with surface_value/grad/hessian the means over all samples.

export const SURFACE_PARAM_SLOTS = 16;

export type Vec2 = [number, number];
/** Hessian as (f_xx, f_xy, f_yy). */
export type Hessian3 = [number, number, number];

export interface ParamSpec {
  name: string;
  default: number;
  min: number;
  max: number;
  /** meaning and unit, shown as the control's tooltip */
  description: string;
}

export type CriticalKind = 'minimum' | 'saddle' | 'maximum';

export interface KnownCriticalPoint {
  kind: CriticalKind;
  at: Vec2;
  /** loss at the point (computed from the formula if omitted) */
  value?: number;
  /** where the numbers come from, e.g. a paper, or 'analytic' */
  source?: string;
}

export interface Domain {
  x: Vec2;
  y: Vec2;
}

/** A surface with its parameters bound: what the simulation and references use. */
export interface Surface {
  name: string;
  /** human-readable formula, e.g. 'h (x^2 - 1)^2 + y^2/2 + tilt x' */
  formula: string;
  /** SURFACE_PARAM_SLOTS floats, packed as the WGSL module expects */
  packedParams: Float32Array<ArrayBuffer>;
  /** surface module name to `@import` (a path under shaders/, or a virtual module) */
  wgslModule: string;
  /** virtual WGSL sources this surface adds (generated formula modules); empty for the catalogue */
  wgslSources: Record<string, string>;
  value(x: number, y: number): number;
  gradient(x: number, y: number): Vec2;
  hessian(x: number, y: number): Hessian3;
  /** known minima, saddles and maxima for these parameters (tests and basin metrics use them) */
  criticalPoints: KnownCriticalPoint[];
  /** the natural domain to show */
  domain: Domain;
  finiteSum?: FiniteSum;
}

export interface FiniteSum {
  /** one vec4f per sample (meaning defined by the surface), uploaded to lib/dataset.wgsl */
  dataset: Float32Array<ArrayBuffer>;
  sampleCount: number;
  sampleValue(x: number, y: number, s: number): number;
  sampleGradient(x: number, y: number, s: number): Vec2;
  /** covariance of the per-sample gradients at (x, y), population form (1/N): (c_xx, c_xy, c_yy) */
  gradientCovariance(x: number, y: number): Hessian3;
}

export interface SurfaceDefinition {
  name: string;
  title: string;
  /** one line on what this surface demonstrates */
  blurb: string;
  params: ParamSpec[];
  defaultDomain: Domain;
  finiteSum: boolean;
  /** binds parameter values (missing ones take defaults); `seed` generates finite-sum datasets */
  create(params: Record<string, number>, seed: number): Surface;
}

/** Fills defaults and packs named parameters into the WGSL slot order. */
export function packParams(specs: ParamSpec[], given: Record<string, number>): { values: Record<string, number>; packed: Float32Array<ArrayBuffer> } {
  const values: Record<string, number> = {};
  const packed = new Float32Array(SURFACE_PARAM_SLOTS);
  specs.forEach((s, i) => {
    values[s.name] = given[s.name] ?? s.default;
    packed[i] = values[s.name];
  });
  return { values, packed };
}
