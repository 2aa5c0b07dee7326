// K fused optimizer steps per dispatch, state in registers.
// x: position, m: momentum / Adam first moment, v: Adam second moment.
// Optimizers (OPTIMIZER override): 0 SGD heavy ball  m = beta m + g, x -= lr m;
// 1 SGD Nesterov  m = beta m + g, x -= lr (g + beta m); 2 Adam with bias correction.
// The 'exit-check' module records first passages out of a basin inside the
// loop (lib/exit_check_on.wgsl) or nothing (lib/exit_check_off.wgsl).
// CPU reference: src/sim/particles/reference.ts (stepParticle).
// @import lib/particle_types.wgsl
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
  let P = params; // one uniform load, kept in registers for the whole loop
  if (i >= P.count) { return; }
  if (status[i] != ALIVE) { return; }
  var x = position[i];
  var m = moment1[i];
  var v = select(vec2f(0.0), moment2[i], OPTIMIZER == 2u);
  var flag = ALIVE;
  var exit_rec = exit_record_load(i);
  for (var s = 0u; s < P.steps; s++) {
    let k = P.start_step + s;
    let g = stochastic_grad(x, i, k, P.rng, P.noise);
    var nx: vec2f;
    if (OPTIMIZER == 2u) {
      m = P.beta1 * m + (1.0 - P.beta1) * g;
      v = P.beta2 * v + (1.0 - P.beta2) * g * g;
      let t = f32(k + 1u);
      let mhat = m / (1.0 - pow(P.beta1, t));
      let vhat = v / (1.0 - pow(P.beta2, t));
      nx = x - P.lr * mhat / (sqrt(vhat) + P.eps);
    } else {
      m = P.momentum * m + g;
      let dir = select(m, g + P.momentum * m, OPTIMIZER == 1u);
      nx = x - P.lr * dir;
    }
    if (!is_finite2(nx) || any(nx < P.bound_lo) || any(nx > P.bound_hi)) {
      flag = k + 1u;
      break;
    }
    x = nx;
    exit_rec = exit_record_step(exit_rec, x, k + 1u);
  }
  if (flag == ALIVE && !is_finite1(surface_value(x))) { flag = P.start_step + P.steps; }
  position[i] = x;
  moment1[i] = m;
  if (OPTIMIZER == 2u) { moment2[i] = v; }
  status[i] = flag;
  exit_record_store(i, exit_rec);
}
