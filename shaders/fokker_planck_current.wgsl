// Probability current on the cell faces, per unit length (probability per
// unit time per unit length): per cell (J_x on its east face, J_y on its
// north face), 0 on the walls. A diagonal exchange P -> Q is routed half
// through each of the two cells next to both, so that div J = -dp/dt.
// CPU twin: faceCurrents in src/sim/fokker-planck/reference.ts.
// @import lib/fokker_planck_flux.wgsl

@group(0) @binding(2) var<storage, read_write> fp_current: array<vec2f>;

// cell widths (length units)
override HX: f32 = 1.0;
override HY: f32 = 1.0;
override WG_X: u32 = 16u;
override WG_Y: u32 = 16u;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let j = gid.y;
  if (i >= N || j >= N) { return; }
  let si = i32(i);
  let sj = i32(j);
  var ex = 0.0;
  var ny = 0.0;
  if (i + 1u < N) {
    ex = fp_flux_x(i, j);
    if (HAS_DIAG) {
      ex += 0.5 * (fp_psi_plus(si, sj) + fp_psi_plus(si, sj - 1) + fp_psi_minus(si, sj) + fp_psi_minus(si, sj + 1));
    }
  }
  if (j + 1u < N) {
    ny = fp_flux_y(i, j);
    if (HAS_DIAG) {
      ny += 0.5 * (fp_psi_plus(si, sj) + fp_psi_plus(si - 1, sj) - fp_psi_minus(si, sj + 1) - fp_psi_minus(si - 1, sj + 1));
    }
  }
  fp_current[j * N + i] = vec2f(ex / HY, ny / HX);
}
