// Diagnostic: raw Threefry-2x32-20 outputs for given counters and keys (tests).
// @import lib/threefry.wgsl

struct KatInput { counter: vec2u, key: vec2u }

@group(0) @binding(0) var<storage, read> inputs: array<KatInput>;
@group(0) @binding(1) var<storage, read_write> outputs: array<vec2u>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&inputs)) { return; }
  outputs[i] = threefry2x32(inputs[i].counter, inputs[i].key);
}
