// Diagnostic: the stream layout's integers and normals for index i at step k
// (tests compare them with src/rng/philox.ts and check their law).
// @import lib/philox.wgsl

struct NormalsParams { seed: u32, stream: u32, step: u32, count: u32 }

@group(0) @binding(0) var<uniform> params: NormalsParams;
@group(0) @binding(1) var<storage, read_write> bits: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> normals: array<vec4f>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= params.count) { return; }
  bits[i] = philox4x32(vec4u(i, params.step, 0u, 0u), vec2u(params.seed, params.stream));
  normals[i] = normals4(params.seed, params.stream, i, params.step, 0u);
}
