// muller-brown: V = scale sum_k A_k exp(a_k dx^2 + b_k dx dy + c_k dy^2), (dx, dy) = p - (x0_k, y0_k)
// with the standard coefficients of Müller & Brown (1979).   params: 0 scale
// CPU reference: src/model/surfaces/muller-brown.ts (MULLER_BROWN)
// @import lib/surface_params.wgsl

const MB_A = vec4f(-200.0, -100.0, -170.0, 15.0);
const MB_a = vec4f(-1.0, -1.0, -6.5, 0.7);
const MB_b = vec4f(0.0, 0.0, 11.0, 0.6);
const MB_c = vec4f(-10.0, -10.0, -6.5, 0.7);
const MB_X0 = vec4f(1.0, 0.0, -0.5, -1.0);
const MB_Y0 = vec4f(0.0, 0.5, 1.5, 1.0);

// term k at p: (scale A_k exp(phi_k), d phi_k / dx, d phi_k / dy)
fn muller_brown_term(p: vec2f, k: u32) -> vec3f {
  let dx = p.x - MB_X0[k];
  let dy = p.y - MB_Y0[k];
  let w = surface_param(0u) * MB_A[k] * exp(MB_a[k] * dx * dx + MB_b[k] * dx * dy + MB_c[k] * dy * dy);
  return vec3f(w, 2.0 * MB_a[k] * dx + MB_b[k] * dy, MB_b[k] * dx + 2.0 * MB_c[k] * dy);
}

fn surface_value(p: vec2f) -> f32 {
  var v = 0.0;
  for (var k = 0u; k < 4u; k++) {
    v += muller_brown_term(p, k).x;
  }
  return v;
}

fn surface_grad(p: vec2f) -> vec2f {
  var g = vec2f(0.0);
  for (var k = 0u; k < 4u; k++) {
    let t = muller_brown_term(p, k);
    g += t.x * t.yz;
  }
  return g;
}

fn surface_hessian(p: vec2f) -> vec3f {
  var h = vec3f(0.0);
  for (var k = 0u; k < 4u; k++) {
    let t = muller_brown_term(p, k);
    h += t.x * (vec3f(t.y * t.y, t.y * t.z, t.z * t.z) + vec3f(2.0 * MB_a[k], MB_b[k], 2.0 * MB_c[k]));
  }
  return h;
}
