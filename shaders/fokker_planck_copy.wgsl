// Bandwidth ceiling for the Fokker–Planck benchmark: a plain copy. The
// isotropic substep must move at least 32 bytes per cell (read p, its
// rounding residual r and the vec4f axis coefficients; write p and r);
// copying WORDS = 4 words per cell moves the same 32 bytes (16 read, 16
// written).
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;

// f32 words to copy
override WORDS: u32 = 1u;
override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i < WORDS) {
    dst[i] = src[i];
  }
}
