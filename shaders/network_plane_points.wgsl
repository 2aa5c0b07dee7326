// Networks at the nodes of a grid on a plane of weight space, written as
// parameter vectors for the evaluation kernel (network_evaluate.wgsl): grid
// node (i, j) (i along u, j along v, row-major: node g = j * grid + i) is
// origin + a_i u + b_j v. One thread per (point k, parameter d), t = k * D + d;
// point k of this chunk is node first + k. CPU reference:
// src/sim/network/plane.ts planePoint.

struct PointsConfig {
  /** D: parameters per network */
  dim: u32,
  /** nodes per side */
  grid: u32,
  /** the chunk's first node */
  first: u32,
  /** nodes in this chunk */
  points: u32,
}

@group(0) @binding(0) var<uniform> cfg: PointsConfig;
/** origin, u, v: 3 x D (src/sim/network/plane.ts packPlane) */
@group(0) @binding(1) var<storage, read> basis: array<f32>;
/** the node coordinates: a_0 .. a_{grid-1}, then b_0 .. b_{grid-1} */
@group(0) @binding(2) var<storage, read> coords: array<f32>;
/** points x D: the chunk's networks */
@group(0) @binding(3) var<storage, read_write> points: array<f32>;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = gid.x + gid.y * groups.x * WG;
  if (t >= cfg.points * cfg.dim) { return; }
  let k = t / cfg.dim;
  let d = t % cfg.dim;
  let node = cfg.first + k;
  let a = coords[node % cfg.grid];
  let b = coords[cfg.grid + node / cfg.grid];
  points[t] = basis[d] + a * basis[cfg.dim + d] + b * basis[2u * cfg.dim + d];
}
