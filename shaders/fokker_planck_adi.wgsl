// ADI half-step: solves the tridiagonal line systems of one axis,
// (I - tau K_axis) p_out = p_in, one invocation per grid line (a row for
// AXIS 0, a column for AXIS 1), Thomas algorithm with the LU factors of
// src/sim/fokker-planck/adi.ts precomputed per tau. The matrix is an
// M-matrix with column sums 1: the forward and back sweeps only add
// non-negative terms (a_i <= 0, c'_i <= 0), so p_out >= 0 exactly and the
// mass is kept to rounding. Run AXIS 0 then AXIS 1 for one ADI step.

@group(0) @binding(0) var<storage, read> p_in: array<f32>;
@group(0) @binding(1) var<storage, read_write> p_out: array<f32>;
// three planes of N*N floats for this axis: a_i | c'_i | m_i
@group(0) @binding(2) var<storage, read> factor: array<f32>;

// cells per side
override N: u32 = 64u;
// 0: sweep along x (one invocation per row); 1: along y (one per column)
override AXIS: u32 = 0u;
override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let line = gid.x;
  if (line >= N) { return; }
  let nn = N * N;
  var base = line;
  var stride = N;
  if (AXIS == 0u) {
    base = line * N;
    stride = 1u;
  }
  var d = 0.0;
  var c = base;
  for (var i = 0u; i < N; i++) {
    d = (p_in[c] - factor[c] * d) * factor[2u * nn + c];
    p_out[c] = d;
    c += stride;
  }
  var x = 0.0;
  for (var i = 0u; i < N; i++) {
    c -= stride;
    x = p_out[c] - factor[nn + c] * x;
    p_out[c] = x;
  }
}
