// K fused optimizer steps per dispatch, state in registers.
// x: position, m: momentum / Adam first moment, v: Adam second moment.
// Optimizers (OPTIMIZER override): 0 SGD heavy ball  m = beta m + g, x -= lr m;
// 1 SGD Nesterov  m = beta m + g, x -= lr (g + beta m); 2 Adam with bias correction.
// CPU reference: src/sim/particles/reference.ts (stepParticle).
// @import lib/particle_types.wgsl
// @import surface
// @import gradient-estimator

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
  if (i >= params.count) { return; }
  if (status[i] != ALIVE) { return; }
  var x = position[i];
  var m = moment1[i];
  var v = select(vec2f(0.0), moment2[i], OPTIMIZER == 2u);
  var flag = ALIVE;
  for (var s = 0u; s < params.steps; s++) {
    let k = params.start_step + s;
    let g = stochastic_grad(x, i, k, params.rng, params.noise);
    var nx: vec2f;
    if (OPTIMIZER == 2u) {
      m = params.beta1 * m + (1.0 - params.beta1) * g;
      v = params.beta2 * v + (1.0 - params.beta2) * g * g;
      let t = f32(k + 1u);
      let mhat = m / (1.0 - pow(params.beta1, t));
      let vhat = v / (1.0 - pow(params.beta2, t));
      nx = x - params.lr * mhat / (sqrt(vhat) + params.eps);
    } else {
      m = params.momentum * m + g;
      let dir = select(m, g + params.momentum * m, OPTIMIZER == 1u);
      nx = x - params.lr * dir;
    }
    if (!is_finite2(nx) || any(nx < params.bound_lo) || any(nx > params.bound_hi)) {
      flag = k + 1u;
      break;
    }
    x = nx;
  }
  if (flag == ALIVE && !is_finite1(surface_value(x))) { flag = params.start_step + params.steps; }
  position[i] = x;
  moment1[i] = m;
  if (OPTIMIZER == 2u) { moment2[i] = v; }
  status[i] = flag;
}
