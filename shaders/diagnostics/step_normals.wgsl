// Diagnostic: the particle steps' random stream (Threefry) for index i at step k:
// raw words and the two normals (tests compare with src/rng/threefry.ts).
// @import lib/threefry.wgsl

struct NormalsParams { seed: u32, stream: u32, step: u32, count: u32 }

@group(0) @binding(0) var<uniform> params: NormalsParams;
@group(0) @binding(1) var<storage, read_write> bits: array<vec2u>;
@group(0) @binding(2) var<storage, read_write> normals: array<vec2f>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= params.count) { return; }
  bits[i] = threefry2x32(vec2u(i, params.step), step_key(params.seed, params.stream, 0u));
  normals[i] = step_normals2(params.seed, params.stream, i, params.step);
}
