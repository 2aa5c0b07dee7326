// rastrigin: f = 2A + sum over t = x, y of (t^2 - A cos(2 pi t)).   params: 0 A
// CPU reference: src/model/surfaces/rastrigin.ts
// @import lib/surface_params.wgsl

const RASTRIGIN_W: f32 = 6.283185307179586; // ripple wavenumber 2 pi (radians per unit length)

// the phase 2 pi t with whole periods removed first (t - round(t) is exact), so
// cos and sin see [-pi, pi], where WGSL bounds their error (2^-11 absolute)
fn rastrigin_phase(p: vec2f) -> vec2f {
  return RASTRIGIN_W * (p - round(p));
}

fn surface_value(p: vec2f) -> f32 {
  let A = surface_param(0u);
  let c = cos(rastrigin_phase(p));
  return 2.0 * A + dot(p, p) - A * (c.x + c.y);
}

fn surface_grad(p: vec2f) -> vec2f {
  let A = surface_param(0u);
  return 2.0 * p + A * RASTRIGIN_W * sin(rastrigin_phase(p));
}

fn surface_hessian(p: vec2f) -> vec3f {
  let A = surface_param(0u);
  let d = 2.0 + A * RASTRIGIN_W * RASTRIGIN_W * cos(rastrigin_phase(p));
  return vec3f(d.x, 0.0, d.y);
}
