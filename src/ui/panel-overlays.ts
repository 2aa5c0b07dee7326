// The HTML drawn over the canvas for each panel: its label (the same texts a
// recorded frame draws, src/record/live-overlay.ts), the map captions and the
// x range under each map. Positions are CSS pixels of the stage (render/layout).
import { html, type TemplateResult } from 'lit';
import { panelTexts } from '../record/live-overlay';
import { formatNumber } from '../model/format';
import { pdeTime } from '../model/panel-quantities';
import type { MetricsSample } from '../scheduler/frame-loop';
import { PANEL_COLORS } from './panel-colors';
import type { LabEngine } from './lab-engine';

/** Labels, captions and axes of every panel in the engine's layout; `records` are the latest metrics per panel. */
export function panelOverlays(e: LabEngine, records: MetricsSample['records']): TemplateResult[] {
  const sim = e.view;
  if (!sim) return [];
  return e.layouts.flatMap((l) => {
    const p = sim.panels[l.index];
    if (!p) return [];
    const steps = e.stats?.stepsDone ?? 0;
    const t = panelTexts(p.spec, l.index, pdeTime(p.spec, sim.stepsDone), records[l.index] ?? null);
    const out: TemplateResult[] = [html`<div class="label" style=${pos(l.header)} data-panel-label=${l.index}>
      <div class="title"><span class="sw" style=${`background:${PANEL_COLORS[l.index % PANEL_COLORS.length]}`}></span>
        <span>${t.label}</span>
        <span class="T" title=${t.formula}>${t.temperature}</span></div>
      <div class="sub" title=${`PDE time t = steps · lr${p.spec.optimizer.kind === 'sgd' && p.spec.optimizer.momentum ? ' / (1 - β)' : ''}; step ${steps}`}>${t.sub}</div>
    </div>`];
    const shows = surfaceCaption(e, l.index);
    const at = l.view3d ?? l.maps[0]?.rect;
    if (shows && at) out.push(html`<div class="cap" style=${pos({ x: at.x, y: at.y + (l.view3d ? 0 : 16), w: NaN, h: NaN })} data-surface-caption=${l.index} title=${shows.title}>${shows.text}</div>`);
    for (const m of l.maps) {
      if (m.kind === 'pde' && !e.hasPde(l.index)) continue;
      out.push(html`<div class="cap" style=${pos({ x: m.rect.x, y: m.rect.y, w: NaN, h: NaN })}>${m.kind === 'pde' ? 'Fokker–Planck ρ' : 'particles ρ'}</div>`);
      const d = sim.scenario.domain;
      out.push(html`<div class="axis" style=${`left:${m.rect.x}px;top:${m.rect.y + m.rect.h}px;width:${m.rect.w}px;display:flex;justify-content:space-between`}><span>${formatNumber(d.x[0])}</span><span>x</span><span>${formatNumber(d.x[1])}</span></div>`);
    }
    return out;
  });
}

/** What panel i's surface shows when View → surface is not the loss (null when it is). */
function surfaceCaption(e: LabEngine, i: number): { text: string; title: string } | null {
  if (e.surfaceShows === 'loss') return null;
  if (!e.surfaceShown[i]) {
    const pde = e.sim?.panels[i]?.pde;
    const why = !pde ? 'no Fokker–Planck grid' : pde.stationary?.status === 'failed' ? `ρ_ss not found: ${pde.stationary.error}` : 'ρ_ss not known yet';
    return { text: `surface: loss f (${why})`, title: 'this panel has no stationary density to draw, so its surface shows the loss' };
  }
  return e.surfaceShows === 'potential'
    ? { text: 'surface: Φ = f − T ln(ρ_ss / Gibbs)', title: 'the effective potential: exp(−Φ/T) is this panel\'s stationary density; drawn in the loss colours and heights, so where it differs from f the steady state is not Gibbs. Where ρ_ss is below 1e-9 of its peak (not resolved) Φ is drawn flat, 20.7 T above its minimum' }
    : { text: 'colours: ln(ρ_ss / Gibbs)', title: 'blue: the steady state holds less probability than Gibbs there; red: more; white: equal; grey: no mass in either' };
}

/** CSS position of a rectangle (width and height only where finite). */
function pos(r: { x: number; y: number; w: number; h: number }): string {
  return `left:${r.x}px;top:${r.y}px;${Number.isFinite(r.w) ? `width:${r.w}px;` : ''}${Number.isFinite(r.h) ? `height:${r.h}px;` : ''}`;
}
