// sharp-flat: f = c r^4 - A exp(-|p - (-1,0)|^2/s) - B exp(-|p - (1,0)|^2/w).
//   params: 0 A (sharpDepth), 1 s (sharpWidth), 2 B (flatDepth), 3 w (flatWidth), 4 c (confine)
// CPU reference: src/model/surfaces/sharp-flat.ts
// @import lib/surface_params.wgsl

// one Gaussian well -depth exp(-|d|^2/width) at offset d = p - centre: (value, then the factor k = 2 e / width)
fn sharp_flat_well(d: vec2f, depth: f32, width: f32) -> vec2f {
  let e = depth * exp(-dot(d, d) / width);
  return vec2f(-e, 2.0 * e / width);
}

fn surface_value(p: vec2f) -> f32 {
  let r2 = dot(p, p);
  let a = sharp_flat_well(p - vec2f(-1.0, 0.0), surface_param(0u), surface_param(1u));
  let b = sharp_flat_well(p - vec2f(1.0, 0.0), surface_param(2u), surface_param(3u));
  return surface_param(4u) * r2 * r2 + a.x + b.x;
}

fn surface_grad(p: vec2f) -> vec2f {
  let da = p - vec2f(-1.0, 0.0);
  let db = p - vec2f(1.0, 0.0);
  let a = sharp_flat_well(da, surface_param(0u), surface_param(1u));
  let b = sharp_flat_well(db, surface_param(2u), surface_param(3u));
  return 4.0 * surface_param(4u) * dot(p, p) * p + a.y * da + b.y * db;
}

fn surface_hessian(p: vec2f) -> vec3f {
  let c = surface_param(4u);
  let r2 = dot(p, p);
  var h = 4.0 * c * vec3f(r2 + 2.0 * p.x * p.x, 2.0 * p.x * p.y, r2 + 2.0 * p.y * p.y);
  let da = p - vec2f(-1.0, 0.0);
  let wa = surface_param(1u);
  let ka = sharp_flat_well(da, surface_param(0u), wa).y;
  h += ka * vec3f(1.0 - 2.0 * da.x * da.x / wa, -2.0 * da.x * da.y / wa, 1.0 - 2.0 * da.y * da.y / wa);
  let db = p - vec2f(1.0, 0.0);
  let wb = surface_param(3u);
  let kb = sharp_flat_well(db, surface_param(2u), wb).y;
  h += kb * vec3f(1.0 - 2.0 * db.x * db.x / wb, -2.0 * db.x * db.y / wb, 1.0 - 2.0 * db.y * db.y / wb);
  return h;
}
