// One explicit Euler substep for the common case of axis fluxes only (no
// cross flux, no diagonal exchange), vectorised: each invocation updates a
// strip of ROWS rows of 4 neighbouring cells (one vec4f), for grids with
// N % 4 == 0. Same fluxes, same float expressions, as the generic kernel
// fokker_planck_step.wgsl (every face flux is computed from the same operands
// by both cells it touches, so mass is conserved to rounding); SwiftShader
// and GPUs alike pay per memory operation and per invocation, and this needs
// about 2.5 loads per cell instead of 6.

struct FpStep {
  dt: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> step: FpStep;
@group(0) @binding(1) var<storage, read> p_in: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> p_out: array<vec4f>;
// four planes of N*N floats: A_east | B_east | A_north | B_north (1/time), 0 on wall faces
@group(0) @binding(3) var<storage, read> axis4: array<vec4f>;

// cells per side (a multiple of 4)
override N: u32 = 64u;
override WG_X: u32 = 64u;
override WG_Y: u32 = 1u;
// rows per invocation
override ROWS: u32 = 8u;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let q = N / 4u;          // vec4 blocks per row
  let plane = q * N;       // vec4 blocks per coefficient plane
  let bi = gid.x;          // block column
  let j0 = gid.y * ROWS;
  if (bi >= q || j0 >= N) { return; }
  let j1 = min(j0 + ROWS, N);
  let dt = step.dt;
  let hasWest = bi > 0u;
  let hasEast = bi + 1u < q;
  var b = j0 * q + bi;
  var pc = p_in[b];
  var south = vec4f(0.0);
  if (j0 > 0u) {
    let bs = b - q;
    south = axis4[2u * plane + bs] * p_in[bs] - axis4[3u * plane + bs] * pc;
  }
  for (var j = j0; j < j1; j++) {
    let ae = axis4[b];
    let be = axis4[plane + b];
    let an = axis4[2u * plane + b];
    let bn = axis4[3u * plane + b];
    // neighbours across the block's west and east edges (0 at the walls)
    var pw = 0.0;
    var aw = 0.0;
    var bw = 0.0;
    if (hasWest) {
      pw = p_in[b - 1u].w;
      aw = axis4[b - 1u].w;
      bw = axis4[plane + b - 1u].w;
    }
    var pe = 0.0;
    if (hasEast) { pe = p_in[b + 1u].x; }
    // east-face fluxes of the 4 cells (the last one is 0 at the east wall: A = B = 0 there)
    let east = ae * pc - be * vec4f(pc.yzw, pe);
    let west = vec4f(aw * pw - bw * pc.x, east.xyz);
    var pn = vec4f(0.0);
    var north = vec4f(0.0);
    if (j + 1u < N) {
      pn = p_in[b + q];
      north = an * pc - bn * pn;
    }
    p_out[b] = pc + dt * (west - east + south - north);
    south = north;
    pc = pn;
    b += q;
  }
}
