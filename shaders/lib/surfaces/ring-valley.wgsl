// ring-valley: f = height (r^2 / R^2 - 1)^2, r^2 = x^2 + y^2.   params: 0 R, 1 height
// CPU reference: src/model/surfaces/ring-valley.ts
// @import lib/surface_params.wgsl

// rho = r^2 / R^2 - 1, zero on the circle of minima
fn ring_valley_rho(p: vec2f) -> f32 {
  let R = surface_param(0u);
  return dot(p, p) / (R * R) - 1.0;
}

fn surface_value(p: vec2f) -> f32 {
  let rho = ring_valley_rho(p);
  return surface_param(1u) * rho * rho;
}

fn surface_grad(p: vec2f) -> vec2f {
  let R = surface_param(0u);
  return (4.0 * surface_param(1u) * ring_valley_rho(p) / (R * R)) * p;
}

fn surface_hessian(p: vec2f) -> vec3f {
  let R2 = surface_param(0u) * surface_param(0u);
  let k = 4.0 * surface_param(1u) / R2;
  let rho = ring_valley_rho(p);
  return k * (vec3f(rho, 0.0, rho) + (2.0 / R2) * vec3f(p.x * p.x, p.x * p.y, p.y * p.y));
}
