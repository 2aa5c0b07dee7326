// First-passage run: K fused plain-SGD steps per dispatch (x -= lr g, g from
// the particle engine's gradient estimator, same random streams as
// particles_step.wgsl), the exit checked after every step; a particle stops at
// its first passage ((x - saddle) . direction > margin) and records the step.
// CPU reference: src/sim/analysis/escape.ts (escapeTimesCpu with checkEvery 1).
// Surface parameters from a private copy (lib/surface_params_cached.wgsl), as there.
// @import lib/particle_types.wgsl
// @import lib/surface_params.wgsl
// @import surface
// @import gradient-estimator

struct EscapeStepParams {
  count: u32,
  start_step: u32,   // global index k of the first step of this dispatch
  steps: u32,        // K steps fused in this dispatch
  rng: RngKey,
  noise: NoiseParams,
  lr: f32,
  saddle: vec2f,
  direction: vec2f,  // unit unstable direction at the saddle, away from the minimum
  margin: f32,       // length units past the saddle
  bound_lo: vec2f,   // particles leaving [bound_lo, bound_hi] are frozen as diverged
  bound_hi: vec2f,
}

@group(0) @binding(0) var<uniform> params: EscapeStepParams;
@group(0) @binding(1) var<storage, read_write> position: array<vec2f>;
// 0 inside; else the step count (k + 1) at which the particle first passed the exit
@group(0) @binding(2) var<storage, read_write> first: array<u32>;
// 0 alive; else 1 + the step at which it diverged (as the particle engine)
@group(0) @binding(3) var<storage, read_write> status: array<u32>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  surface_params_load();
  let P = params;
  if (i >= P.count) { return; }
  if (first[i] != 0u || status[i] != ALIVE) { return; }
  var x = position[i];
  for (var s = 0u; s < P.steps; s++) {
    let k = P.start_step + s;
    let nx = x - P.lr * stochastic_grad(x, i, k, P.rng, P.noise);
    if (!is_finite2(nx) || any(nx < P.bound_lo) || any(nx > P.bound_hi)) {
      status[i] = k + 1u;
      break;
    }
    x = nx;
    if (dot(x - P.saddle, P.direction) > P.margin) {
      first[i] = k + 1u;
      break;
    }
  }
  position[i] = x;
}
