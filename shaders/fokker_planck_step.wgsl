// One explicit Euler substep of the Fokker–Planck equation:
// p_out = p_in + dt * (inflows - outflows), every flux computed from the
// float32 coefficients of lib/fokker_planck_flux.wgsl. The driver ping-pongs
// p_in / p_out between substeps.
// Each invocation updates a column strip of ROWS cells (i, j0 .. j0+ROWS-1):
// SwiftShader (and most GPUs) pay per invocation, and the strip reuses the
// north flux of one cell as the south flux of the next. Every face flux is the
// same float expression of the same operands in both cells it touches, so
// mass is conserved to rounding.
// @import lib/fokker_planck_flux.wgsl

// One dt slot (256-byte aligned in the slot buffer). dt: PDE time per substep.
struct FpStep {
  dt: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> step: FpStep;
@group(0) @binding(2) var<storage, read_write> fp_out: array<f32>;

override WG_X: u32 = 64u;
override WG_Y: u32 = 1u;
// cells per invocation along y
override ROWS: u32 = 8u;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let j0 = gid.y * ROWS;
  if (i >= N || j0 >= N) { return; }
  let j1 = min(j0 + ROWS, N);
  let dt = step.dt;
  if (!HAS_CROSS && !HAS_DIAG) {
    // axis faces only: rolling p and south flux along the strip
    var c = j0 * N + i;
    var pc = fp_in[c];
    var south = 0.0;
    if (j0 > 0u) {
      let ks = fp_axis[c - N];
      south = ks.z * fp_in[c - N] - ks.w * pc;
    }
    for (var j = j0; j < j1; j++) {
      let k = fp_axis[c];
      var d = south;
      if (i > 0u) {
        let kw = fp_axis[c - 1u];
        d += kw.x * fp_in[c - 1u] - kw.y * pc;
      }
      if (i + 1u < N) {
        d -= k.x * pc - k.y * fp_in[c + 1u];
      }
      var pn = 0.0;
      var north = 0.0;
      if (j + 1u < N) {
        pn = fp_in[c + N];
        north = k.z * pc - k.w * pn;
      }
      d -= north;
      fp_out[c] = pc + dt * d;
      south = north;
      pc = pn;
      c += N;
    }
    return;
  }
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
    fp_out[c] = fp_in[c] + dt * d;
  }
}
