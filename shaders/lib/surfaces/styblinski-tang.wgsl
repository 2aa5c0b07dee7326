// styblinski-tang: f = scale sum over t = x, y of (t^4 - 16 t^2 + 5 t) / 2.   params: 0 scale
// CPU reference: src/model/surfaces/styblinski-tang.ts
// @import lib/surface_params.wgsl

fn surface_value(p: vec2f) -> f32 {
  let p2 = p * p;
  let h = 0.5 * (p2 * p2 - 16.0 * p2 + 5.0 * p);
  return surface_param(0u) * (h.x + h.y);
}

fn surface_grad(p: vec2f) -> vec2f {
  return surface_param(0u) * (2.0 * p * p * p - 16.0 * p + 2.5);
}

fn surface_hessian(p: vec2f) -> vec3f {
  let d = 6.0 * p * p - 16.0;
  return surface_param(0u) * vec3f(d.x, 0.0, d.y);
}
