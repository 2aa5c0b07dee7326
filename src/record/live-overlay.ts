// The live page's HTML labels, drawn with the 2-D canvas API over a rendered
// lab frame (recordings and PNG snapshots): per panel its label (optimizer,
// lr, B), temperature T and PDE time t, the captions of its maps and the
// domain's x range under them; a footer bar with the title and step count.
// Coordinates are the layout's CSS pixels; the caller scales the context.
import type { PanelLayout } from '../render/layout';
import type { PanelSpec } from '../model/scenario-schema';
import { panelLabel } from '../model/panel-quantities';
import type { ParticleRecord } from '../sim/metrics/record';
import { formatNumber, temperatureText } from '../model/format';
import { LABEL_COLOR, SUB_COLOR, drawFooter, drawLabelLines, type Ctx2d } from './frame-text';

/** the page's T colour (lab-app.ts .label .T) */
const T_COLOR = '#ffd28a';

export interface OverlayPanel {
  /** e.g. "1: SGD lr 0.05, B 4" */
  label: string;
  color: string;
  /** "T = 0.1", or '' without a temperature */
  temperature: string;
  /** the second line: PDE time, mean loss, diverged count */
  sub: string;
  /** whether the panel's Fokker–Planck map is drawn */
  hasPde: boolean;
}

/**
 * A panel's label texts, as the page shows them over the canvas and as frames
 * draw them: the label (optimizer, lr, B), T = lr s²/(2B) (or the noise's
 * temperature), and PDE time t = steps · lr / (1 − β), mean loss, diverged.
 */
export function panelTexts(spec: PanelSpec, index: number, pdeTime: number | null, record: ParticleRecord | null):
  Pick<OverlayPanel, 'label' | 'temperature' | 'sub'> & { formula: string } {
  const t = temperatureText(spec);
  const sub = [
    `t = ${pdeTime === null ? '—' : formatNumber(pdeTime, 4)}`,
    // a panel with no particle left has no mean loss (not 0): say so instead
    record ? (record.meanLoss === null ? 'all diverged' : `E[f] ${formatNumber(record.meanLoss)}`) : null,
    record && record.diverged && record.meanLoss !== null ? `diverged ${record.diverged}` : null,
    spec.optimizer.kind === 'adam' ? 'no PDE counterpart' : null,
  ].filter(Boolean).join(' · ');
  return { label: panelLabel(spec, index), temperature: t.value === null ? '' : `T = ${formatNumber(t.value)}`, formula: t.formula, sub };
}

/** Label font size in CSS px (the page uses 12 px in a 40 px header). */
const LABEL_PX = 13;

export function drawPanelOverlays(ctx: Ctx2d, layouts: PanelLayout[], panels: OverlayPanel[], xRange: [string, string]): void {
  for (const l of layouts) {
    const p = panels[l.index];
    if (!p) continue;
    drawLabelLines(ctx, l.header.x + 2, l.header.y + 3, l.header.w - 4, LABEL_PX, [
      [{ text: p.label, color: LABEL_COLOR }, { text: p.temperature, color: T_COLOR }],
      [{ text: p.sub, color: SUB_COLOR }],
    ], p.color);
    for (const m of l.maps) {
      if (m.kind === 'pde' && !p.hasPde) continue;
      caption(ctx, m.rect.x, m.rect.y, m.kind === 'pde' ? 'Fokker–Planck ρ' : 'particles ρ');
      axis(ctx, m.rect.x, m.rect.y + m.rect.h, m.rect.w, xRange);
    }
  }
}

function caption(ctx: Ctx2d, x: number, y: number, text: string): void {
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  const w = ctx.measureText(text).width + 8;
  ctx.fillStyle = 'rgba(8, 10, 14, 0.6)';
  ctx.fillRect(x, y, w, 14);
  ctx.fillStyle = '#dfe6f2';
  ctx.fillText(text, x + 4, y + 1);
}

function axis(ctx: Ctx2d, x: number, y: number, w: number, [lo, hi]: [string, string]): void {
  ctx.font = '10px sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillStyle = '#8b94a7';
  ctx.textAlign = 'left';
  ctx.fillText(lo, x, y + 1);
  ctx.textAlign = 'center';
  ctx.fillText('x', x + w / 2, y + 1);
  ctx.textAlign = 'right';
  ctx.fillText(hi, x + w, y + 1);
  ctx.textAlign = 'left';
}

/** Height of the footer bar under the panels (CSS px). */
export const FOOTER_PX = 20;

/** The bar under the panels: `left` (title, step, PDE time) and `right` (the lab's name). */
export function drawFooterBar(ctx: Ctx2d, y: number, width: number, left: string, right: string): void {
  ctx.fillStyle = '#10141c';
  ctx.fillRect(0, y, width, FOOTER_PX);
  drawLabelLines(ctx, 6, y + 3, width * 0.75, 12, [[{ text: left, color: LABEL_COLOR }]]);
  drawFooter(ctx, width, y + FOOTER_PX, 11, right);
}
