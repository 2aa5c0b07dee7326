// ackley: f = -a exp(-b r) - exp((cos c x + cos c y) / 2) + a + e, r = sqrt((x^2 + y^2) / 2),
// with the cone tip rounded: r -> sqrt(r^2 + eps^2) - eps (finite Hessian, no 0/0).
// params: 0 a, 1 b, 2 c (radians per unit length)
// CPU reference: src/model/surfaces/ackley.ts (ACKLEY_TIP_RADIUS)
// @import lib/surface_params.wgsl

const ACKLEY_EPS: f32 = 1e-9; // tip radius, in units of r
const ACKLEY_E: f32 = 2.718281828459045;
const ACKLEY_TAU: f32 = 6.283185307179586;

// the phase c p with whole periods removed, so cos and sin see [-pi, pi],
// where WGSL bounds their error (2^-11 absolute)
fn ackley_phase(p: vec2f) -> vec2f {
  let turns = surface_param(2u) * p / ACKLEY_TAU;
  return ACKLEY_TAU * (turns - round(turns));
}

// q = sqrt(r^2 + eps^2) and r_eps = q - eps = r^2 / (q + eps)
fn ackley_q(p: vec2f) -> f32 {
  return sqrt(0.5 * dot(p, p) + ACKLEY_EPS * ACKLEY_EPS);
}

fn ackley_r(p: vec2f, q: f32) -> f32 {
  return 0.5 * dot(p, p) / (q + ACKLEY_EPS);
}

// E = exp((cos c x + cos c y) / 2)
fn ackley_ripple(p: vec2f) -> f32 {
  let cs = cos(ackley_phase(p));
  return exp(0.5 * (cs.x + cs.y));
}

fn surface_value(p: vec2f) -> f32 {
  let a = surface_param(0u);
  let b = surface_param(1u);
  let q = ackley_q(p);
  return -a * exp(-b * ackley_r(p, q)) - ackley_ripple(p) + a + ACKLEY_E;
}

fn surface_grad(p: vec2f) -> vec2f {
  let a = surface_param(0u);
  let b = surface_param(1u);
  let c = surface_param(2u);
  let q = ackley_q(p);
  let k = a * b * exp(-b * ackley_r(p, q)) / (2.0 * q);
  return k * p + 0.5 * c * ackley_ripple(p) * sin(ackley_phase(p));
}

fn surface_hessian(p: vec2f) -> vec3f {
  let a = surface_param(0u);
  let b = surface_param(1u);
  let c = surface_param(2u);
  let q = ackley_q(p);
  let k = a * b * exp(-b * ackley_r(p, q));
  // funnel: k (I/(2q) - p p^T/(4q^3) - b p p^T/(4q^2))
  let pp = vec3f(p.x * p.x, p.x * p.y, p.y * p.y);
  let funnel = k * (vec3f(1.0, 0.0, 1.0) / (2.0 * q) - pp * (1.0 / (4.0 * q * q * q) + b / (4.0 * q * q)));
  // ripple: -E, with E = exp((cos cx + cos cy)/2)
  let phase = ackley_phase(p);
  let s = sin(phase);
  let cs = cos(phase);
  let ripple = ackley_ripple(p) * c * c * vec3f(0.5 * cs.x - 0.25 * s.x * s.x, -0.25 * s.x * s.y, 0.5 * cs.y - 0.25 * s.y * s.y);
  return funnel + ripple;
}
