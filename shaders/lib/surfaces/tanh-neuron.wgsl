// tanh-neuron: f_s = (tanh(x u_s + y) - t_s)^2 / 2, u_s = dataset[s].x,
// t_s = tanh(teacherWeight u_s + teacherBias) + noise dataset[s].y.
// params: 0 teacherWeight, 1 teacherBias, 2 noise, 3 samples (the dataset length; read on the CPU)
// CPU reference: src/model/surfaces/tanh-neuron.ts
// @import lib/dataset.wgsl
// @import lib/surfaces/finite-sum-mean.wgsl

// tanh that cannot overflow: |t| >= 15 is +-1 in f32 anyway
fn tanh_neuron_tanh(t: f32) -> f32 {
  return tanh(clamp(t, -15.0, 15.0));
}

// (output o, residual r = o - t_s, slope do/da = 1 - o^2, input u_s) of sample s at (w, b) = p
fn tanh_neuron_unit(p: vec2f, s: u32) -> vec4f {
  let d = dataset[s];
  let t_s = tanh_neuron_tanh(surface_param(0u) * d.x + surface_param(1u)) + surface_param(2u) * d.y;
  let o = tanh_neuron_tanh(p.x * d.x + p.y);
  return vec4f(o, o - t_s, 1.0 - o * o, d.x);
}

fn sample_value(p: vec2f, s: u32) -> f32 {
  let n = tanh_neuron_unit(p, s);
  return 0.5 * n.y * n.y;
}

fn sample_grad(p: vec2f, s: u32) -> vec2f {
  let n = tanh_neuron_unit(p, s);
  return n.y * n.z * vec2f(n.w, 1.0);
}

fn sample_hessian(p: vec2f, s: u32) -> vec3f {
  let n = tanh_neuron_unit(p, s);
  // d^2/da^2 of r^2/2 = slope^2 - 2 r o slope
  let k = n.z * n.z - 2.0 * n.y * n.x * n.z;
  return k * vec3f(n.w * n.w, n.w, 1.0);
}
