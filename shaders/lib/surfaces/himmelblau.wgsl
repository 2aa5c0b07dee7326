// himmelblau: f = scale [(x^2 + y - 11)^2 + (x + y^2 - 7)^2].   params: 0 scale
// CPU reference: src/model/surfaces/himmelblau.ts
// @import lib/surface_params.wgsl

// the two squared residuals (P, Q) = (x^2 + y - 11, x + y^2 - 7)
fn himmelblau_pq(p: vec2f) -> vec2f {
  return vec2f(p.x * p.x + p.y - 11.0, p.x + p.y * p.y - 7.0);
}

fn surface_value(p: vec2f) -> f32 {
  let r = himmelblau_pq(p);
  return surface_param(0u) * dot(r, r);
}

fn surface_grad(p: vec2f) -> vec2f {
  let r = himmelblau_pq(p);
  return surface_param(0u) * vec2f(4.0 * p.x * r.x + 2.0 * r.y, 2.0 * r.x + 4.0 * p.y * r.y);
}

fn surface_hessian(p: vec2f) -> vec3f {
  let r = himmelblau_pq(p);
  return surface_param(0u) * vec3f(4.0 * r.x + 8.0 * p.x * p.x + 2.0, 4.0 * (p.x + p.y), 4.0 * r.y + 8.0 * p.y * p.y + 2.0);
}
