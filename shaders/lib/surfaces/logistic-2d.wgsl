// logistic-2d: f_s = softplus(-m_s), margin m_s = w . v_s with v_s = l_s z_s the label-signed
// features: v_s = (separation/2) (0.8, 0.6) + l_s spread dataset[s].xy, l_s = +1 (s even), -1 (s odd).
// params: 0 separation, 1 spread, 2 samples (the dataset length; read on the CPU)
// CPU reference: src/model/surfaces/logistic-2d.ts
// @import lib/dataset.wgsl
// @import lib/surfaces/finite-sum-mean.wgsl

const LOGISTIC_AXIS = vec2f(0.8, 0.6); // unit vector from the -1 blob's centre to the +1 blob's

fn logistic_signed_features(s: u32) -> vec2f {
  let label = select(-1.0, 1.0, (s & 1u) == 0u);
  return 0.5 * surface_param(0u) * LOGISTIC_AXIS + label * surface_param(1u) * dataset[s].xy;
}

// log(1 + t) for t in [0, 1], accurate for tiny t (Goldberg's correction of the rounded 1 + t)
fn logistic_log1p(t: f32) -> f32 {
  let u = 1.0 + t;
  if (u == 1.0) { return t; }
  return log(u) * t / (u - 1.0);
}

// log(1 + exp(t)) without overflow
fn logistic_softplus(t: f32) -> f32 {
  return max(t, 0.0) + logistic_log1p(exp(-abs(t)));
}

// 1 / (1 + exp(-t)) without overflow
fn logistic_sigmoid(t: f32) -> f32 {
  let e = exp(-abs(t));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), t >= 0.0);
}

fn sample_value(p: vec2f, s: u32) -> f32 {
  return logistic_softplus(-dot(p, logistic_signed_features(s)));
}

fn sample_grad(p: vec2f, s: u32) -> vec2f {
  let v = logistic_signed_features(s);
  return -logistic_sigmoid(-dot(p, v)) * v;
}

fn sample_hessian(p: vec2f, s: u32) -> vec3f {
  let v = logistic_signed_features(s);
  let m = dot(p, v);
  return logistic_sigmoid(m) * logistic_sigmoid(-m) * vec3f(v.x * v.x, v.x * v.y, v.y * v.y);
}
