// Parameters of the bound surface: SURFACE_PARAM_SLOTS (16) floats, packed in
// the order of the surface's ParamSpec list (src/model/surface-types.ts).
// Read from the uniform on every call. A kernel that evaluates the surface in
// a long loop composes lib/surface_params_cached.wgsl in this module's place
// and calls surface_params_load() once (the particle step kernel does).
@group(1) @binding(0) var<uniform> surface_params: array<vec4f, 4>;

fn surface_param(i: u32) -> f32 {
  return surface_params[i / 4u][i % 4u];
}

// Nothing to load: reads go to the uniform.
fn surface_params_load() {}
