// six-hump-camel: f = scale [(4 - 2.1 x^2 + x^4/3) x^2 + x y + (-4 + 4 y^2) y^2].   params: 0 scale
// CPU reference: src/model/surfaces/six-hump-camel.ts
// @import lib/surface_params.wgsl

fn surface_value(p: vec2f) -> f32 {
  let x2 = p.x * p.x;
  let y2 = p.y * p.y;
  return surface_param(0u) * ((4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + p.x * p.y + (-4.0 + 4.0 * y2) * y2);
}

fn surface_grad(p: vec2f) -> vec2f {
  let x2 = p.x * p.x;
  return surface_param(0u) * vec2f(p.x * (8.0 - 8.4 * x2 + 2.0 * x2 * x2) + p.y, p.x + p.y * (-8.0 + 16.0 * p.y * p.y));
}

fn surface_hessian(p: vec2f) -> vec3f {
  let x2 = p.x * p.x;
  return surface_param(0u) * vec3f(8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0, -8.0 + 48.0 * p.y * p.y);
}
