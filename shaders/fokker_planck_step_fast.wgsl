// One explicit Euler substep for the common case of axis fluxes only (no
// cross flux, no diagonal exchange), vectorised (lib/fokker_planck_axis4.wgsl):
// each invocation updates a strip of ROWS rows of 4 neighbouring cells, for
// grids with N % 4 == 0. Same fluxes as the generic fokker_planck_step.wgsl;
// SwiftShader and GPUs alike pay per memory operation and per invocation, and
// this needs about 3 loads per cell instead of 7. The update is compensated
// (TwoSum; lib/fokker_planck_step_common.wgsl explains it).
// @import lib/fokker_planck_step_common.wgsl
// @import lib/fokker_planck_axis4.wgsl

@group(0) @binding(2) var<storage, read_write> p_out: array<vec4f>;
@group(0) @binding(6) var<storage, read> r_in: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> r_out: array<vec4f>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let q = N / 4u;
  let bi = gid.x;
  let j0 = gid.y * ROWS;
  if (bi >= q || j0 >= N) { return; }
  let j1 = min(j0 + ROWS, N);
  let dt = step.dt;
  let has_west = bi > 0u;
  let has_east = bi + 1u < q;
  var b = j0 * q + bi;
  var pc = fp4_in[b];
  var south = fp4_south(b, j0, pc);
  for (var j = j0; j < j1; j++) {
    let row = fp4_row(b, j, pc, south, has_west, has_east);
    // TwoSum: s + r = pc + delta exactly
    let delta = dt * row.rate + r_in[b];
    let s = pc + delta;
    let bb = s - pc;
    r_out[b] = (pc - (s - bb)) + (delta - bb);
    p_out[b] = s;
    south = row.north;
    pc = row.pn;
    b += q;
  }
}
