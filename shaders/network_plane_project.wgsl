// Each network placed on a plane of weight space: the coordinates (a, b) of
// its orthogonal projection, (x - origin) . u and (x - origin) . v, and its
// distance from the plane, |x - origin - a u - b v| (computed from the
// residual itself, not as a difference of squares, so it stays accurate for
// networks close to the plane). One thread per network.
// CPU reference: src/sim/network/plane.ts planeCoordinates.

struct ProjectConfig {
  count: u32,
  /** D: parameters per network */
  dim: u32,
}

@group(0) @binding(0) var<uniform> cfg: ProjectConfig;
/** origin, u, v: 3 x D (src/sim/network/plane.ts packPlane) */
@group(0) @binding(1) var<storage, read> basis: array<f32>;
/** count x D */
@group(0) @binding(2) var<storage, read> params: array<f32>;
/** per network (a, b, distance from the plane, 0) */
@group(0) @binding(3) var<storage, read_write> coords: array<vec4f>;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let p = gid.x + gid.y * groups.x * WG;
  if (p >= cfg.count) { return; }
  let D = cfg.dim;
  let base = p * D;
  var ab = vec2f(0.0);
  for (var d = 0u; d < D; d++) {
    let e = params[base + d] - basis[d];
    ab += e * vec2f(basis[D + d], basis[2u * D + d]);
  }
  var r2 = 0.0;
  for (var d = 0u; d < D; d++) {
    let r = params[base + d] - basis[d] - ab.x * basis[D + d] - ab.y * basis[2u * D + d];
    r2 += r * r;
  }
  coords[p] = vec4f(ab, sqrt(r2), 0.0);
}
