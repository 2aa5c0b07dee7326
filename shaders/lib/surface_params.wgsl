// Parameters of the bound surface: SURFACE_PARAM_SLOTS (16) floats, packed in
// the order of the surface's ParamSpec list (src/model/surface-types.ts).
@group(1) @binding(0) var<uniform> surface_params: array<vec4f, 4>;

fn surface_param(i: u32) -> f32 {
  return surface_params[i / 4u][i % 4u];
}
