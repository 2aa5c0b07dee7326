// Initial cloud: point, Gaussian(mean, std) or uniform over the domain.
// Random draws use Philox counter (i, 0, INIT_DRAW, 0), apart from every step's draws.
// CPU reference: src/sim/particles/reference.ts (initialPosition).
// @import lib/particle_types.wgsl
// @import lib/philox.wgsl

const INIT_DRAW: u32 = 0xffffffffu;

struct InitParams {
  count: u32,
  rng: RngKey,
  kind: u32,          // 0 point, 1 gaussian, 2 uniform
  center: vec2f,      // point / gaussian mean
  spread: f32,        // gaussian standard deviation
  lo: vec2f,          // uniform: domain minimum
  hi: vec2f,          // uniform: domain maximum
}

@group(0) @binding(0) var<uniform> params: InitParams;
@group(0) @binding(1) var<storage, read_write> position: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> moment1: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> moment2: array<vec2f>;
@group(0) @binding(4) var<storage, read_write> status: array<u32>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= params.count) { return; }
  var x = params.center;
  if (params.kind == 1u) {
    x = params.center + params.spread * normals4(params.rng.seed, params.rng.stream, i, 0u, INIT_DRAW).xy;
  } else if (params.kind == 2u) {
    let b = philox4x32(vec4u(i, 0u, INIT_DRAW, 0u), vec2u(params.rng.seed, params.rng.stream));
    x = params.lo + (params.hi - params.lo) * vec2f(uniform_open(b.x), uniform_open(b.y));
  }
  position[i] = x;
  moment1[i] = vec2f(0.0);
  moment2[i] = vec2f(0.0);
  status[i] = ALIVE;
}
