// The surface's parameters (as lib/surface_params.wgsl) copied once into a
// private array by surface_params_load(), so a loop over many steps reads
// them without going back to the uniform buffer. On SwiftShader's JIT each
// uniform read in the step loop costs: the Langevin step kernel ran at ~0.52x
// of the normals-only ceiling reading the uniform, ~0.62x from this copy
// (npm run bench -- --only particles). Composed in place of
// lib/surface_params.wgsl; a kernel using it must call surface_params_load()
// before the first surface_param(i), or it reads zeros.
@group(1) @binding(0) var<uniform> surface_params_uniform: array<vec4f, 4>;
var<private> surface_params: array<vec4f, 4>;

fn surface_params_load() {
  surface_params = surface_params_uniform;
}

fn surface_param(i: u32) -> f32 {
  return surface_params[i / 4u][i % 4u];
}
