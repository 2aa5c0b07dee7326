// The cloud's top two principal directions by orthogonal (block power)
// iteration on the centred parameter matrix X (rows: the alive networks'
// x_p - centre; dead networks count as absent). One iteration is three
// dispatches, no workgroup memory:
//   pca_scores: thread p, w_p = (X V)_p = ((x_p - c) . v1, (x_p - c) . v2)
//   pca_image:  thread d, y_d = (X^T w)_d = sum over alive p of w_p (x_pd - c_d)
//   pca_orthonormalise: one thread: v1 = y1 / |y1|; v2 = y2 deflated against
//     v1 (Gram-Schmidt, twice), normalised; norms = (|y1|, |y2 deflated|).
// With V orthonormal, y = X^T X V, so |y_k| / n_alive estimates the variance
// along v_k. CPU reference: src/sim/network/pca-reference.ts.

struct PcaConfig {
  count: u32,
  /** D: parameters per network */
  dim: u32,
}

@group(0) @binding(0) var<uniform> cfg: PcaConfig;
/** count x D */
@group(0) @binding(1) var<storage, read> params: array<f32>;
/** u32 per network: 0 alive */
@group(0) @binding(2) var<storage, read> status: array<u32>;
/** D: the centre (mean over the alive networks) */
@group(0) @binding(3) var<storage, read> centre: array<f32>;
/** D: (v1_d, v2_d) */
@group(0) @binding(4) var<storage, read_write> basis: array<vec2f>;
/** count: (w1_p, w2_p) */
@group(0) @binding(5) var<storage, read_write> scores: array<vec2f>;
/** D: (y1_d, y2_d) */
@group(0) @binding(6) var<storage, read_write> image: array<vec2f>;
/** (|y1|, |y2 deflated|) of the last iteration */
@group(0) @binding(7) var<storage, read_write> norms: vec2f;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn pca_scores(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let p = gid.x + gid.y * groups.x * WG;
  if (p >= cfg.count) { return; }
  var w = vec2f(0.0);
  if (status[p] == 0u) {
    let base = p * cfg.dim;
    for (var d = 0u; d < cfg.dim; d++) { w += (params[base + d] - centre[d]) * basis[d]; }
  }
  scores[p] = w;
}

@compute @workgroup_size(WG)
fn pca_image(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let d = gid.x + gid.y * groups.x * WG;
  if (d >= cfg.dim) { return; }
  let c = centre[d];
  var y = vec2f(0.0);
  for (var p = 0u; p < cfg.count; p++) {
    if (status[p] != 0u) { continue; }
    y += scores[p] * (params[p * cfg.dim + d] - c);
  }
  image[d] = y;
}

@compute @workgroup_size(1)
fn pca_orthonormalise() {
  let D = cfg.dim;
  var s1 = 0.0;
  for (var d = 0u; d < D; d++) { s1 += image[d].x * image[d].x; }
  let n1 = sqrt(s1);
  for (var d = 0u; d < D; d++) { basis[d].x = image[d].x / n1; }
  for (var sweep = 0u; sweep < 2u; sweep++) {
    var c = 0.0;
    for (var d = 0u; d < D; d++) { c += image[d].y * basis[d].x; }
    for (var d = 0u; d < D; d++) { image[d].y -= c * basis[d].x; }
  }
  var s2 = 0.0;
  for (var d = 0u; d < D; d++) { s2 += image[d].y * image[d].y; }
  let n2 = sqrt(s2);
  for (var d = 0u; d < D; d++) { basis[d].y = image[d].y / n2; }
  norms = vec2f(n1, n2);
}
