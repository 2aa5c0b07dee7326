// rosenbrock: f = scale [(a - x)^2 + b (y - x^2)^2].   params: 0 a, 1 b, 2 scale
// CPU reference: src/model/surfaces/rosenbrock.ts
// @import lib/surface_params.wgsl

fn surface_value(p: vec2f) -> f32 {
  let a = surface_param(0u);
  let b = surface_param(1u);
  let valley = p.y - p.x * p.x;
  return surface_param(2u) * ((a - p.x) * (a - p.x) + b * valley * valley);
}

fn surface_grad(p: vec2f) -> vec2f {
  let a = surface_param(0u);
  let b = surface_param(1u);
  let valley = p.y - p.x * p.x;
  return surface_param(2u) * vec2f(-2.0 * (a - p.x) - 4.0 * b * p.x * valley, 2.0 * b * valley);
}

fn surface_hessian(p: vec2f) -> vec3f {
  let b = surface_param(1u);
  let valley = p.y - p.x * p.x;
  return surface_param(2u) * vec3f(2.0 - 4.0 * b * valley + 8.0 * b * p.x * p.x, -4.0 * b * p.x, 2.0 * b);
}
