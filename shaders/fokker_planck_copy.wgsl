// Bandwidth ceiling for the Fokker–Planck benchmark: a plain copy with the
// Euler kernel's shape (fokker_planck_step_fast.wgsl: one invocation per
// column strip of ROWS rows of vec4f blocks). The Euler substep must move 32
// bytes per cell (read p, its residual r and the vec4f axis coefficients;
// write p and r); this copies 4 planes of one vec4f per block of 4 cells,
// i.e. 16 bytes read and 16 written per cell, the same 32 bytes.

@group(0) @binding(0) var<storage, read> src: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4f>;

// cells per side (a multiple of 4)
override N: u32 = 64u;
override WG_X: u32 = 16u;
override ROWS: u32 = 64u;

@compute @workgroup_size(WG_X)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let q = N / 4u;
  let plane = q * N;
  let bi = gid.x;
  let j0 = gid.y * ROWS;
  if (bi >= q || j0 >= N) { return; }
  let j1 = min(j0 + ROWS, N);
  var b = j0 * q + bi;
  for (var j = j0; j < j1; j++) {
    dst[b] = src[b];
    dst[plane + b] = src[plane + b];
    dst[2u * plane + b] = src[2u * plane + b];
    dst[3u * plane + b] = src[3u * plane + b];
    b += q;
  }
}
