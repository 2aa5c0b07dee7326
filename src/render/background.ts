// The stage's background colour (linear = sRGB here: the lab renders without
// an output colour transform), shared by the three.js views and the no-WebGPU maps.
export const BACKGROUND_RGB: readonly [number, number, number] = [0.055, 0.063, 0.082];
