// Text drawn into recorded frames and snapshots with the 2-D canvas API:
// label lines (panel name, temperature, PDE time) and a footer line (title,
// step), so a frame is understandable without the page around it. Sizes in
// canvas pixels.
export const LABEL_COLOR = '#e8ecf6';
export const SUB_COLOR = '#9fb0d0';

/** A run of text in one colour; a label line is one or more runs side by side. */
export interface LabelSpan { text: string; color: string }

export type Ctx2d = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/**
 * Lines of label text from (x, y) downwards (line height 1.2 font), each cut
 * with an ellipsis to `width` px; `swatch` draws a colour square before the
 * first line (a panel's chart colour).
 */
export function drawLabelLines(ctx: Ctx2d, x: number, y: number, width: number, fontPx: number, lines: LabelSpan[][], swatch?: string): void {
  ctx.font = `${fontPx}px sans-serif`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  lines.forEach((spans, i) => {
    let cx = x;
    const top = y + i * fontPx * 1.2;
    if (i === 0 && swatch) {
      const s = Math.round(fontPx * 0.8);
      ctx.fillStyle = swatch;
      ctx.fillRect(cx, top + Math.round(fontPx * 0.1), s, s);
      cx += s + Math.round(fontPx * 0.4);
    }
    for (const span of spans) {
      const room = x + width - cx;
      if (room < fontPx) break;
      const text = fit(ctx, span.text, room);
      ctx.fillStyle = span.color;
      ctx.fillText(text, cx, top);
      cx += ctx.measureText(text).width + fontPx * 0.6;
    }
  });
}

/** One line of text at the bottom right corner (title, step). */
export function drawFooter(ctx: Ctx2d, width: number, height: number, fontPx: number, text: string): void {
  ctx.fillStyle = SUB_COLOR;
  ctx.font = `${fontPx}px sans-serif`;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'right';
  ctx.fillText(text, width - 6, height - 4);
  ctx.textAlign = 'left';
}

function fit(ctx: Ctx2d, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}
