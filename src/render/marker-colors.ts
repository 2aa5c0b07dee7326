// Colours and glyphs of the landscape tools' markers (critical points, paths,
// smoothed minima): shared by the renderer's analysis layer (loaded with the
// first marker) and the page's legend and panels (loaded with the page).

export type MarkerKind = 'minimum' | 'saddle' | 'maximum' | 'degenerate';

/** Marker colours (CSS) by kind, shared with the page's legend. */
export const MARKER_COLORS: Record<MarkerKind | 'path' | 'climb' | 'straight' | 'vanished' | 'survives', string> = {
  minimum: '#38e1ff',
  saddle: '#ffb23e',
  maximum: '#ff4f64',
  degenerate: '#d783ff',
  path: '#fff27a',
  climb: '#ff7a2e',
  straight: '#c4cbd8',
  vanished: '#ff3b3b',
  survives: '#f4f7ff',
};

/** The page legend's glyph for each kind of found critical point (drawn in MARKER_COLORS). */
export const MARKER_SYMBOLS: Record<'minimum' | 'saddle' | 'maximum', string> = { minimum: '●', saddle: '◆', maximum: '▲' };
