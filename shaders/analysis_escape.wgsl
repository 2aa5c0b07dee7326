// First passage out of a basin: marks, for every particle not yet marked, the
// current step once it is past the exit line ((p - saddle) . direction > margin).
// Dispatched between chunks of optimizer steps; `first` starts cleared to 0.
// CPU reference: src/sim/analysis/escape.ts (escapeTimesCpu, hasEscaped).

struct EscapeParams {
  count: u32,
  step: u32,          // optimizer steps taken so far (>= 1 when checked)
  saddle: vec2f,
  direction: vec2f,   // unit unstable direction at the saddle, away from the minimum
  margin: f32,        // length units past the saddle
}

@group(0) @binding(0) var<uniform> params: EscapeParams;
@group(0) @binding(1) var<storage, read> position: array<vec2f>;
// 0: still inside; else the step count at the first check past the exit
@group(0) @binding(2) var<storage, read_write> first: array<u32>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= params.count || first[i] != 0u) { return; }
  if (dot(position[i] - params.saddle, params.direction) > params.margin) {
    first[i] = params.step;
  }
}
