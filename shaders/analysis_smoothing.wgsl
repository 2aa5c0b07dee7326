// The loss and the loss convolved with a step's Gaussian noise kernel on a
// grid of cell centres, one invocation per cell:
//   raw[k]      = f(x_k)
//   smoothed[k] = sum_{i,j} w_i w_j f(x_k + L (z_i, z_j)) ~= E[f(x_k + u)], u ~ N(0, L L^T),
// z_i, w_i the Gauss–Hermite nodes and weights for N(0, 1) (`quadrature`, from
// src/sim/analysis/gauss-hermite.ts), L the symmetric square root of the
// covariance: a constant (the gaussian kernel, computed on the CPU) or
// scale * Sigma(x_k), Sigma the per-sample gradient covariance at the cell
// (the minibatch kernel). Cells are numbered k = iy * grid + ix.
// CPU reference: src/sim/analysis/smoothing.ts (smoothedLoss).
// @import surface
// @import smoothing-covariance

struct SmoothingParams {
  grid: u32,          // cells per axis
  order: u32,         // Gauss–Hermite points per axis
  row0: u32,          // first grid row of this dispatch
  rows: u32,          // grid rows in this dispatch
  kind: u32,          // KERNEL_CONSTANT or KERNEL_GRADIENT_COVARIANCE
  scale: f32,         // gradient-covariance kernel: covariance = scale * Sigma(x) (length^2 per (loss/length)^2)
  lo: vec2f,          // domain corner (xmin, ymin), length
  cell: vec2f,        // cell size (dx, dy), length
  sqrt_cov: vec4f,    // constant kernel: L as (l00, l01, l10, l11), length
}

@group(0) @binding(0) var<uniform> params: SmoothingParams;
// (node z_i, weight w_i) per Gauss–Hermite point
@group(0) @binding(1) var<storage, read> quadrature: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> raw: array<f32>;
@group(0) @binding(3) var<storage, read_write> smoothed: array<f32>;

const KERNEL_CONSTANT = 0u;
const KERNEL_GRADIENT_COVARIANCE = 1u;

override WORKGROUP_SIZE: u32 = 64u;

// The symmetric square root of a PSD 2 x 2 matrix (a, b; b, c) as (l00, l01, l10, l11):
// (M + sqrt(det M) I) / sqrt(tr M + 2 sqrt(det M)) (it squares to M by Cayley–Hamilton);
// the CPU's eigen-decomposition form (sqrtm) is the same matrix.
fn symmetric_sqrt(m: vec3f) -> vec4f {
  let s = sqrt(max(m.x * m.z - m.y * m.y, 0.0));
  let t = sqrt(max(m.x + m.z + 2.0 * s, 0.0));
  if (!(t > 0.0)) { return vec4f(0.0); }
  return vec4f(m.x + s, m.y, m.y, m.z + s) / t;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (idx >= params.rows * params.grid) { return; }
  let k = params.row0 * params.grid + idx;
  let ix = k % params.grid;
  let iy = k / params.grid;
  let p = params.lo + (vec2f(f32(ix), f32(iy)) + 0.5) * params.cell;
  let f = surface_value(p);
  raw[k] = f;
  var l = params.sqrt_cov;
  if (params.kind == KERNEL_GRADIENT_COVARIANCE) {
    l = symmetric_sqrt(params.scale * gradient_covariance(p));
  }
  // no noise: f~ = f exactly (as the CPU reference)
  if (all(l == vec4f(0.0))) {
    smoothed[k] = f;
    return;
  }
  var sum = 0.0;
  for (var i = 0u; i < params.order; i++) {
    let qi = quadrature[i];
    for (var j = 0u; j < params.order; j++) {
      let qj = quadrature[j];
      let u = vec2f(l.x * qi.x + l.y * qj.x, l.z * qi.x + l.w * qj.x);
      sum += qi.y * qj.y * surface_value(p + u);
    }
  }
  smoothed[k] = sum;
}
