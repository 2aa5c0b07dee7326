// quadratic: f = (a u^2 + b v^2) / 2, u along e = (cos angle, sin angle), v across.
// params: 0 a, 1 b, 2 angle (radians)
// CPU reference: src/model/surfaces/quadratic.ts
// @import lib/surface_params.wgsl

// the rotated axes e = (cos angle, sin angle), e_perp = (-sin angle, cos angle)
fn quadratic_axis() -> vec2f {
  let angle = surface_param(2u);
  return vec2f(cos(angle), sin(angle));
}

fn surface_value(p: vec2f) -> f32 {
  let e = quadratic_axis();
  let u = dot(e, p);
  let v = e.x * p.y - e.y * p.x;
  return 0.5 * (surface_param(0u) * u * u + surface_param(1u) * v * v);
}

fn surface_grad(p: vec2f) -> vec2f {
  let e = quadratic_axis();
  let au = surface_param(0u) * dot(e, p);
  let bv = surface_param(1u) * (e.x * p.y - e.y * p.x);
  return au * e + bv * vec2f(-e.y, e.x);
}

fn surface_hessian(p: vec2f) -> vec3f {
  let e = quadratic_axis();
  let a = surface_param(0u);
  let b = surface_param(1u);
  return vec3f(a * e.x * e.x + b * e.y * e.y, (a - b) * e.x * e.y, a * e.y * e.y + b * e.x * e.x);
}
