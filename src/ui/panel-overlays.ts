// The HTML drawn over the canvas for each panel: its label (the same texts a
// recorded frame draws, src/record/live-overlay.ts), the map captions and the
// x range under each map. Positions are CSS pixels of the stage (render/layout).
import { html, type TemplateResult } from 'lit';
import { panelTexts } from '../record/live-overlay';
import { formatNumber } from '../model/format';
import type { MetricsSample } from '../scheduler/frame-loop';
import { PANEL_COLORS } from './panel-colors';
import type { LabEngine } from './lab-engine';

/** Labels, captions and axes of every panel in the engine's layout; `records` are the latest metrics per panel. */
export function panelOverlays(e: LabEngine, records: MetricsSample['records']): TemplateResult[] {
  const sim = e.sim;
  if (!sim) return [];
  return e.layouts.flatMap((l) => {
    const p = sim.panels[l.index];
    if (!p) return [];
    const steps = e.stats?.stepsDone ?? 0;
    const t = panelTexts(p.spec, l.index, sim.pdeTime(p), records[l.index] ?? null);
    const out: TemplateResult[] = [html`<div class="label" style=${pos(l.header)} data-panel-label=${l.index}>
      <div class="title"><span class="sw" style=${`background:${PANEL_COLORS[l.index % PANEL_COLORS.length]}`}></span>
        <span>${t.label}</span>
        <span class="T" title=${t.formula}>${t.temperature}</span></div>
      <div class="sub" title=${`PDE time t = steps · lr${p.spec.optimizer.kind === 'sgd' && p.spec.optimizer.momentum ? ' / (1 - β)' : ''}; step ${steps}`}>${t.sub}</div>
    </div>`];
    for (const m of l.maps) {
      if (m.kind === 'pde' && !e.hasPde(l.index)) continue;
      out.push(html`<div class="cap" style=${pos({ x: m.rect.x, y: m.rect.y, w: NaN, h: NaN })}>${m.kind === 'pde' ? 'Fokker–Planck ρ' : 'particles ρ'}</div>`);
      const d = sim.scenario.domain;
      out.push(html`<div class="axis" style=${`left:${m.rect.x}px;top:${m.rect.y + m.rect.h}px;width:${m.rect.w}px;display:flex;justify-content:space-between`}><span>${formatNumber(d.x[0])}</span><span>x</span><span>${formatNumber(d.x[1])}</span></div>`);
    }
    return out;
  });
}

/** CSS position of a rectangle (width and height only where finite). */
function pos(r: { x: number; y: number; w: number; h: number }): string {
  return `left:${r.x}px;top:${r.y}px;${Number.isFinite(r.w) ? `width:${r.w}px;` : ''}${Number.isFinite(r.h) ? `height:${r.h}px;` : ''}`;
}
