// <network-critical-chart>: the critical points of a network's training loss,
// index (share of negative Hessian eigenvalues, %) against loss, as in
// Dauphin et al. 2014, Fig. 1: minima (index 0) as rings, saddles as dots,
// with Spearman's rank correlation of index and loss. Plain SVG.
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatNumber } from '../model/format';
import type { CriticalResult } from './network-critical';

const W = 330, H = 190, L = 46, R = 10, T = 10, B = 34;
const COLORS = { minimum: '#38e1ff', saddle: '#ffb23e' };

@customElement('network-critical-chart')
export class NetworkCriticalChart extends LitElement {
  static override styles = css`
    :host { display: block; font: 12px system-ui, sans-serif; color: #c9d1e0; }
    svg { width: 100%; max-width: ${W}px; height: auto; background: #12161f; border-radius: 4px; display: block; }
    .key { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 11px; color: #aab4c6; margin-top: 2px; font-variant-numeric: tabular-nums; }
  `;

  @property({ attribute: false }) data: CriticalResult | null = null;

  override render() {
    const d = this.data;
    if (!d || !d.points.length) return html`<div class="key">${d ? `no critical point converged from ${d.starts} starts` : ''}</div>`;
    const losses = d.points.map((p) => p.loss);
    let x0 = Math.min(...losses), x1 = Math.max(...losses);
    const pad = Math.max(0.05 * (x1 - x0), 1e-3);
    x0 -= pad; x1 += pad;
    const i1 = Math.max(0.1, ...d.points.map((p) => p.index)) * 1.1;
    const sx = (v: number) => L + ((v - x0) / (x1 - x0)) * (W - L - R);
    const sy = (v: number) => T + (1 - v / i1) * (H - T - B);
    const yTicks = [0, 0.5 * i1, i1].map((v) => Math.round(v * 100) / 100);
    const xTicks = [x0 + pad, (x0 + x1) / 2, x1 - pad];
    const minima = d.points.filter((p) => p.index === 0).length;
    return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="critical points: index against training loss">
        ${yTicks.map((v) => svg`<line x1=${L} x2=${W - R} y1=${sy(v)} y2=${sy(v)} stroke="#232937"></line>
          <text x=${L - 4} y=${sy(v) + 4} fill="#8b94a7" font-size="10" text-anchor="end">${formatNumber(100 * v, 2)}%</text>`)}
        ${xTicks.map((v) => svg`<text x=${sx(v)} y=${H - B + 13} fill="#8b94a7" font-size="10" text-anchor="middle">${formatNumber(v, 3)}</text>`)}
        <text x=${(L + W - R) / 2} y=${H - 6} fill="#c9d1e0" font-size="10" text-anchor="middle">training loss with weight decay (nats)</text>
        <text x=${11} y=${(T + H - B) / 2} fill="#c9d1e0" font-size="10" text-anchor="middle" transform=${`rotate(-90 11 ${(T + H - B) / 2})`}>index</text>
        ${d.points.map((p) => svg`<g data-critical=${p.index === 0 ? 'minimum' : 'saddle'}><title>${`loss ${formatNumber(p.loss, 5)} nats, index ${formatNumber(100 * p.index, 3)}% (${Math.round(p.index * d.params)} of ${d.params} Hessian eigenvalues negative, the lowest ${formatNumber(p.minEigenvalue, 3)}), |∇L| ${p.gradientNorm.toExponential(1)}; from initialisation ${p.start.seed} after ${p.start.steps} gradient-descent steps`}</title>
          ${p.index === 0 ? svg`<circle cx=${sx(p.loss)} cy=${sy(0)} r="4.5" fill="none" stroke=${COLORS.minimum} stroke-width="1.8"></circle>`
            : svg`<circle cx=${sx(p.loss)} cy=${sy(p.index)} r="3.5" fill=${COLORS.saddle}></circle>`}</g>`)}
      </svg>
      <div class="key">
        <span style=${`color:${COLORS.minimum}`}>○ ${minima} minim${minima === 1 ? 'um' : 'a'}</span>
        <span style=${`color:${COLORS.saddle}`}>● ${d.points.length - minima} saddle${d.points.length - minima === 1 ? '' : 's'}</span>
        <span data-rho=${d.rankCorrelation} title="Spearman's rank correlation of index and loss over the distinct points (Dauphin et al.: high-loss critical points are saddles with many descent directions)">ρ(index, loss) = ${Number.isFinite(d.rankCorrelation) ? formatNumber(d.rankCorrelation, 2) : '–'}</span>
        <span title=${`the search from every start ran on the GPU in float32 (Levenberg–Marquardt on ∇L = 0, exact Hessians): ${d.gpuOutcome}, ${formatNumber(d.gpuSeconds, 2)} s; its points were polished to |∇L| < 1e-9 and classified in float64 on the CPU`}>${d.points.length} distinct points from ${d.starts} starts (${d.converged} converged), ${formatNumber(d.seconds, 2)} s (GPU search ${formatNumber(d.gpuSeconds, 2)} s)</span>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-critical-chart': NetworkCriticalChart;
  }
}
