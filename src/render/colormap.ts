// Colour maps (perceptually ordered) shared by the 3-D surface texture, the
// top-view heatmap, the density overlays and the HTML colour legends.

/** 'diverging': blue below the middle, white at it, red above (matplotlib's RdBu reversed) */
export type ColormapName = 'viridis' | 'inferno' | 'diverging';

/** Control points (t in [0, 1] evenly spaced) sampled from matplotlib's maps. */
const STOPS: Record<ColormapName, [number, number, number][]> = {
  viridis: [
    [0.267, 0.005, 0.329], [0.283, 0.141, 0.458], [0.254, 0.265, 0.53], [0.207, 0.372, 0.553],
    [0.164, 0.471, 0.558], [0.128, 0.567, 0.551], [0.135, 0.659, 0.518], [0.267, 0.749, 0.441],
    [0.478, 0.821, 0.318], [0.741, 0.873, 0.15], [0.993, 0.906, 0.144],
  ],
  inferno: [
    [0.001, 0.0, 0.014], [0.087, 0.045, 0.225], [0.258, 0.039, 0.406], [0.416, 0.09, 0.433],
    [0.578, 0.148, 0.404], [0.735, 0.216, 0.33], [0.865, 0.317, 0.226], [0.955, 0.469, 0.1],
    [0.988, 0.645, 0.04], [0.964, 0.843, 0.273], [0.988, 0.998, 0.645],
  ],
  diverging: [
    [0.02, 0.188, 0.38], [0.129, 0.4, 0.675], [0.263, 0.576, 0.765], [0.573, 0.773, 0.871],
    [0.82, 0.898, 0.941], [0.969, 0.969, 0.969], [0.992, 0.859, 0.78], [0.957, 0.647, 0.51],
    [0.839, 0.376, 0.302], [0.698, 0.094, 0.169], [0.404, 0.0, 0.122],
  ],
};

/** RGB in [0, 1] of colour map `name` at t (clamped to [0, 1]). */
export function colormap(name: ColormapName, t: number): [number, number, number] {
  const stops = STOPS[name];
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const a = stops[i], b = stops[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** A 256-entry RGBA8 lookup table (for a 256 x 1 texture). */
export function colormapTable(name: ColormapName, size = 256): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size * 4);
  for (let i = 0; i < size; i++) {
    const [r, g, b] = colormap(name, i / (size - 1));
    out.set([Math.round(r * 255), Math.round(g * 255), Math.round(b * 255), 255], 4 * i);
  }
  return out;
}

/** A CSS linear-gradient (left to right) for a legend bar. */
export function cssGradient(name: ColormapName, direction = 'to right'): string {
  const stops = STOPS[name].map(([r, g, b], i, all) => `rgb(${Math.round(r * 255)} ${Math.round(g * 255)} ${Math.round(b * 255)}) ${((100 * i) / (all.length - 1)).toFixed(0)}%`);
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}
