// Finite-sum surfaces: one vec4f per sample (its meaning is the surface's).
// @import lib/surface_params.wgsl
@group(1) @binding(1) var<storage, read> dataset: array<vec4f>;

fn dataset_count() -> u32 {
  return arrayLength(&dataset);
}
