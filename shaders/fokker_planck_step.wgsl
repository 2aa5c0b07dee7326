// One explicit Euler substep of the Fokker–Planck equation:
// p_out = p_in + dt * (inflows - outflows), every flux computed from the
// float32 coefficients of lib/fokker_planck_flux.wgsl.
// The generic kernel (cross flux, diagonal exchanges, any N); the common
// axis-only case with N % 4 == 0 runs fokker_planck_step_fast.wgsl instead.
// Each invocation updates a column strip of ROWS cells (i, j0 .. j0+ROWS-1).
// Every face flux is the same float expression of the same operands in both
// cells it touches, and the update is compensated (state p + r, r the TwoSum
// residual; lib/fokker_planck_step_common.wgsl), so mass is conserved to the
// rounding of the fluxes.
// @import lib/fokker_planck_step_common.wgsl
// @import lib/fokker_planck_flux.wgsl

@group(0) @binding(2) var<storage, read_write> fp_out: array<f32>;
// rounding residuals of the compensated update
@group(0) @binding(6) var<storage, read> r_in: array<f32>;
@group(0) @binding(7) var<storage, read_write> r_out: array<f32>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let j0 = gid.y * ROWS;
  if (i >= N || j0 >= N) { return; }
  let j1 = min(j0 + ROWS, N);
  let dt = step.dt;
  for (var j = j0; j < j1; j++) {
    var d = 0.0;
    if (i > 0u) { d += fp_flux_x(i - 1u, j); }
    if (i + 1u < N) { d -= fp_flux_x(i, j); }
    if (j > 0u) { d += fp_flux_y(i, j - 1u); }
    if (j + 1u < N) { d -= fp_flux_y(i, j); }
    if (HAS_DIAG) {
      let si = i32(i);
      let sj = i32(j);
      d += fp_psi_plus(si - 1, sj - 1) - fp_psi_plus(si, sj) + fp_psi_minus(si - 1, sj + 1) - fp_psi_minus(si, sj);
    }
    let c = j * N + i;
    let pc = fp_in[c];
    let delta = dt * d + r_in[c];
    let s = pc + delta;
    let bb = s - pc;
    r_out[c] = (pc - (s - bb)) + (delta - bb);
    fp_out[c] = s;
  }
}
