// First passage out of a basin, checked inside the fused step loop (the
// 'exit-check' module of particles_step.wgsl when an escape watch is attached):
// after every step whose count is a multiple of `every`, a particle not yet
// recorded that is past the exit line ((x - saddle) . direction > margin)
// records that step count. So the recorded times do not depend on how many
// steps a dispatch or a frame fuses. Cleared to 0 when the cloud is placed.
// CPU reference: src/sim/analysis/escape.ts (escapeTimesCpu with checkEvery = every).

struct ExitParams {
  every: u32,         // steps between checks (>= 1); checks at step counts every, 2 every, ...
  saddle: vec2f,
  direction: vec2f,   // unit unstable direction at the saddle, away from the minimum
  margin: f32,        // length units past the saddle
}

@group(2) @binding(0) var<uniform> exit_params: ExitParams;
// 0: not yet past the exit at any check; else the step count of the first check past it
@group(2) @binding(1) var<storage, read_write> exit_first: array<u32>;

fn exit_record_load(i: u32) -> u32 { return exit_first[i]; }

fn exit_record_step(rec: u32, x: vec2f, step: u32) -> u32 {
  if (rec == 0u && step % exit_params.every == 0u && dot(x - exit_params.saddle, exit_params.direction) > exit_params.margin) {
    return step;
  }
  return rec;
}

fn exit_record_store(i: u32, rec: u32) { exit_first[i] = rec; }
