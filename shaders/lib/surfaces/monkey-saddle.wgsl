// monkey-saddle: f = x^3 - 3 x y^2 + confine (x^2 + y^2)^2.   params: 0 confine
// CPU reference: src/model/surfaces/monkey-saddle.ts
// @import lib/surface_params.wgsl

fn surface_value(p: vec2f) -> f32 {
  let r2 = dot(p, p);
  return p.x * (p.x * p.x - 3.0 * p.y * p.y) + surface_param(0u) * r2 * r2;
}

fn surface_grad(p: vec2f) -> vec2f {
  return vec2f(3.0 * (p.x * p.x - p.y * p.y), -6.0 * p.x * p.y) + 4.0 * surface_param(0u) * dot(p, p) * p;
}

fn surface_hessian(p: vec2f) -> vec3f {
  let c = surface_param(0u);
  let x2 = p.x * p.x;
  let y2 = p.y * p.y;
  return vec3f(6.0 * p.x + c * (12.0 * x2 + 4.0 * y2), -6.0 * p.y + 8.0 * c * p.x * p.y, -6.0 * p.x + c * (4.0 * x2 + 12.0 * y2));
}
