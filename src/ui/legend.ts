// Colour legends with units, drawn in HTML under the canvas: the loss colour
// map (display scale of the SurfaceField), the density colour map (log10 of
// rho, per unit area) shared by the particle histogram and the PDE, and the
// page's one legend of critical-point marks: the catalogue's (drawn on the
// maps) and, while shown, those the Landscape search found.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssGradient } from '../render/colormap';
import { densityRange } from '../render/density-layer';
import type { SurfaceField } from '../render/surface-field';
import { MARKER_COLORS, MARKER_SYMBOLS } from '../render/marker-colors';
import { formatNumber } from '../model/format';

@customElement('lab-legend')
export class LabLegend extends LitElement {
  static override styles = css`
    :host { display: flex; flex-wrap: wrap; gap: 6px 22px; align-items: center; padding: 4px 10px; font: 11px system-ui, sans-serif; color: #aab4c6; }
    .item { display: flex; align-items: center; gap: 8px; }
    .bar { position: relative; width: 180px; height: 10px; border-radius: 2px; }
    .ticks { position: relative; width: 180px; height: 13px; }
    .ticks span { position: absolute; transform: translateX(-50%); white-space: nowrap; color: #c9d1e0; font-variant-numeric: tabular-nums; }
    .ticks span:first-child { transform: none; }
    .ticks span:last-child { transform: translateX(-100%); }
    .name { color: #d7deea; cursor: help; }
    .marks span { margin-right: 10px; }
    .marks .found { margin-left: 8px; }
  `;

  @property({ attribute: false }) field: SurfaceField | null = null;
  /** whether the found critical points are drawn (their marks join the legend) */
  @property({ type: Boolean }) foundCritical = false;
  /** what the surfaces of the panels with a stationary density show (View → surface) */
  @property({ attribute: false }) surfaceShows: 'loss' | 'potential' | 'ratio' = 'loss';
  /** the ln(ρ_ss / Gibbs) maps' colour range ±nats, while they show */
  @property({ attribute: false }) ratioRange: number | null = null;

  override render() {
    const f = this.field;
    if (!f) return nothing;
    const lossTicks = [0, 0.5, 1].map((t) => ({ t, label: (t === 1 ? '≥ ' : '') + formatNumber(f.unscale(t)) }));
    const d = f.domain;
    const area = (d.x[1] - d.x[0]) * (d.y[1] - d.y[0]);
    const { lo, hi } = densityRange(area);
    const decades: number[] = [];
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) decades.push(e);
    return html`
      <div class="item">
        <span class="name" title=${`loss f(x, y) in loss units; colours and heights use a ${f.mode} scale from the minimum ${formatNumber(f.min)} to the 90% quantile ${formatNumber(f.cap)} of the domain (higher losses are flattened); contour lines are evenly spaced in that scale${this.surfaceShows === 'potential' ? '. Panels with a stationary density draw their effective potential Φ = f − T ln(ρ_ss / Gibbs) (loss units) in the same scale' : ''}`}>${this.surfaceShows === 'potential' ? 'loss f, Φ' : 'loss f'} ${f.mode === 'log' ? '(log scale)' : ''}</span>
        <div><div class="bar" style=${`background:${cssGradient('viridis')}`}></div>
        <div class="ticks">${lossTicks.map((k) => html`<span style=${`left:${k.t * 100}%`}>${k.label}</span>`)}</div></div>
      </div>
      <div class="item">
        <span class="name" title=${`probability density ρ per unit area (domain units⁻²), log scale: the particle histogram is counts / (N · cell area); the uniform density over this domain is ${formatNumber(1 / area)}`}>density ρ (per unit area)</span>
        <div><div class="bar" style=${`background:${cssGradient('inferno')}`}></div>
        <div class="ticks">${decades.map((e) => html`<span style=${`left:${((e - lo) / (hi - lo)) * 100}%`}>10${sup(e)}</span>`)}</div></div>
      </div>
      ${this.ratioRange !== null ? html`<div class="item" data-legend="ratio">
        <span class="name" title="ln(ρ_ss / Gibbs) per PDE cell, nats: blue where the panel's stationary density holds less probability than the Gibbs density exp(−f/T)/Z, red where more, white where equal (0 everywhere at equilibrium); grey where neither has mass (below 1e-3 of the largest cell)">ln(ρ_ss / Gibbs)</span>
        <div><div class="bar" style=${`background:${cssGradient('diverging')}`}></div>
        <div class="ticks">${[-1, 0, 1].map((k) => html`<span style=${`left:${(k + 1) * 50}%`}>${k === 0 ? '0' : `${k < 0 ? '−' : '+'}${formatNumber(this.ratioRange!)}`}</span>`)}</div></div>
      </div>` : nothing}
      <div class="item marks" title="critical points of the surface, from the catalogue"><span>○ minimum</span><span>× saddle</span><span>+ maximum</span>
        ${this.foundCritical ? html`<span class="found" title="critical points found by the Landscape search (3-D view and maps); violet: degenerate (a Hessian eigenvalue near zero), or a curve of them">found</span>${(['minimum', 'saddle', 'maximum'] as const).map((k) => html`<span style=${`color:${MARKER_COLORS[k]}`} title=${k}>${MARKER_SYMBOLS[k]}</span>`)}<span><span style=${`color:${MARKER_COLORS.degenerate}`}>●</span> degenerate</span>` : nothing}</div>`;
  }
}

const SUP: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
function sup(e: number): string {
  return String(e).split('').map((c) => SUP[c] ?? c).join('');
}
