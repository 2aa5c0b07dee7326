// double-well: f = h (x^2 - 1)^2 + y^2 / 2 + tilt x.   params: 0 h, 1 tilt
// CPU reference: src/model/surfaces/double-well.ts
// @import lib/surface_params.wgsl

fn surface_value(p: vec2f) -> f32 {
  let h = surface_param(0u);
  let tilt = surface_param(1u);
  let q = p.x * p.x - 1.0;
  return h * q * q + 0.5 * p.y * p.y + tilt * p.x;
}

fn surface_grad(p: vec2f) -> vec2f {
  let h = surface_param(0u);
  let tilt = surface_param(1u);
  return vec2f(4.0 * h * p.x * (p.x * p.x - 1.0) + tilt, p.y);
}

fn surface_hessian(p: vec2f) -> vec3f {
  let h = surface_param(0u);
  return vec3f(h * (12.0 * p.x * p.x - 4.0), 0.0, 1.0);
}
