// Panel viewports inside the one canvas: a grid of panels, each with a
// header strip (HTML label), the 3-D view and the top-view maps (particle
// histogram, and the Fokker–Planck density when the PDE runs).
// Rectangles in CSS pixels, origin at the canvas's top-left corner.

export interface Rect { x: number; y: number; w: number; h: number }

/** 'both': 3-D above the maps; '3d' or 'map' alone. */
export type ViewMode = 'both' | '3d' | 'map';

export type MapKind = 'particles' | 'pde';

export interface PanelLayout {
  index: number;
  frame: Rect;
  /** strip for the panel's HTML label */
  header: Rect;
  view3d: Rect | null;
  maps: { kind: MapKind; rect: Rect }[];
}

export const HEADER_PX = 40;
const GAP = 6;

export function layoutPanels(n: number, width: number, height: number, mode: ViewMode, withPde: boolean): PanelLayout[] {
  if (n < 1 || width < 1 || height < 1) return [];
  const maps: MapKind[] = mode === '3d' ? [] : withPde ? ['particles', 'pde'] : ['particles'];
  // panel width / height that suits the content best
  const ideal = mode === 'both' ? (withPde ? 0.95 : 0.8) : mode === 'map' ? (withPde ? 2 : 1) : 1.3;
  let best = { cols: 1, rows: n, score: -1 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const w = width / cols, h = height / rows;
    // the area of the largest rectangle of the ideal aspect that fits the cell
    const fitW = Math.min(w, h * ideal);
    const score = fitW * (fitW / ideal);
    if (score > best.score) best = { cols, rows, score };
  }
  const { cols, rows } = best;
  const cw = Math.floor(width / cols), ch = Math.floor(height / rows);
  const out: PanelLayout[] = [];
  for (let index = 0; index < n; index++) {
    const frame: Rect = { x: (index % cols) * cw, y: Math.floor(index / cols) * ch, w: cw, h: ch };
    const inner: Rect = { x: frame.x + GAP / 2, y: frame.y + GAP / 2, w: frame.w - GAP, h: frame.h - GAP };
    const header: Rect = { x: inner.x, y: inner.y, w: inner.w, h: HEADER_PX };
    const body: Rect = { x: inner.x, y: inner.y + HEADER_PX, w: inner.w, h: Math.max(1, inner.h - HEADER_PX) };
    let view3d: Rect | null = null;
    let mapArea: Rect | null = null;
    if (mode === '3d') view3d = body;
    else if (mode === 'map') mapArea = body;
    else {
      const h3 = Math.round(body.h * 0.55);
      view3d = { x: body.x, y: body.y, w: body.w, h: h3 };
      mapArea = { x: body.x, y: body.y + h3 + GAP, w: body.w, h: Math.max(1, body.h - h3 - GAP) };
    }
    const mapRects: { kind: MapKind; rect: Rect }[] = [];
    if (mapArea && maps.length) {
      // square maps (the domain's aspect is applied by the map camera), side by side, centred
      const side = Math.max(1, Math.floor(Math.min(mapArea.h - 14, (mapArea.w - GAP * (maps.length - 1)) / maps.length)));
      const total = side * maps.length + GAP * (maps.length - 1);
      let x = mapArea.x + Math.floor((mapArea.w - total) / 2);
      for (const kind of maps) {
        mapRects.push({ kind, rect: { x, y: mapArea.y, w: side, h: side } });
        x += side + GAP;
      }
    }
    out.push({ index, frame, header, view3d, maps: mapRects });
  }
  return out;
}

export function contains(r: Rect, x: number, y: number): boolean {
  return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}
