// K fused optimizer steps per dispatch, state in registers.
// x: position, m: momentum / Adam first moment, v: Adam second moment.
// Optimizers (OPTIMIZER override): 0 SGD heavy ball  m = beta m + g, x -= lr m;
// 1 SGD Nesterov  m = beta m + g, x -= lr (g + beta m); 2 Adam with bias correction.
// The 'exit-check' module records first passages out of a basin inside the
// loop (lib/exit_check_on.wgsl) or nothing (lib/exit_check_off.wgsl).
// CPU reference: src/sim/particles/reference.ts (stepParticle).
// Surface parameters come from a private copy (lib/surface_params_cached.wgsl,
// composed in place of lib/surface_params.wgsl; loaded once per invocation).
// @import lib/particle_types.wgsl
// @import lib/surface_params.wgsl
// @import surface
// @import gradient-estimator
// @import exit-check

struct StepParams {
  count: u32,
  start_step: u32,   // global index k of the first step of this dispatch
  steps: u32,        // K steps fused in this dispatch
  rng: RngKey,
  noise: NoiseParams,
  lr: f32,
  momentum: f32,     // heavy-ball beta (SGD)
  beta1: f32,
  beta2: f32,
  eps: f32,
  bound_lo: vec2f,   // particles leaving [bound_lo, bound_hi] are frozen as diverged
  bound_hi: vec2f,
}

@group(0) @binding(0) var<uniform> params: StepParams;
@group(0) @binding(1) var<storage, read_write> position: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> moment1: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> moment2: array<vec2f>;
@group(0) @binding(4) var<storage, read_write> status: array<u32>;

override OPTIMIZER: u32 = 0u;
override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  surface_params_load();
  // the step parameters, each read once from the uniform into a register
  let count = params.count; let start_step = params.start_step; let steps = params.steps;
  let rng = params.rng; let noise = params.noise;
  let lr = params.lr; let momentum = params.momentum; let beta1 = params.beta1; let beta2 = params.beta2; let eps = params.eps;
  let lo = params.bound_lo; let hi = params.bound_hi;
  if (i >= count) { return; }
  if (status[i] != ALIVE) { return; }
  var x = position[i];
  var m = moment1[i];
  var v = select(vec2f(0.0), moment2[i], OPTIMIZER == 2u);
  var flag = ALIVE;
  var exit_rec = exit_record_load(i);
  for (var s = 0u; s < steps; s++) {
    let k = start_step + s;
    let g = stochastic_grad(x, i, k, rng, noise);
    var nx: vec2f;
    if (OPTIMIZER == 2u) {
      m = beta1 * m + (1.0 - beta1) * g;
      v = beta2 * v + (1.0 - beta2) * g * g;
      let t = f32(k + 1u);
      let mhat = m / (1.0 - pow(beta1, t));
      let vhat = v / (1.0 - pow(beta2, t));
      nx = x - lr * mhat / (sqrt(vhat) + eps);
    } else {
      m = momentum * m + g;
      let dir = select(m, g + momentum * m, OPTIMIZER == 1u);
      nx = x - lr * dir;
    }
    if (!is_finite2(nx) || any(nx < lo) || any(nx > hi)) {
      flag = k + 1u;
      break;
    }
    x = nx;
    exit_rec = exit_record_step(exit_rec, x, k + 1u);
  }
  if (flag == ALIVE && !is_finite1(surface_value(x))) { flag = start_step + steps; }
  position[i] = x;
  moment1[i] = m;
  if (OPTIMIZER == 2u) { moment2[i] = v; }
  status[i] = flag;
  exit_record_store(i, exit_rec);
}
