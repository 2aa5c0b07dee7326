// <network-stationary-chart>: SGD's stationary cloud near a minimum against two
// predictions, direction by direction along the Hessian's top eigenvectors: the
// measured variance of the cloud (dot, whisker ±2 standard errors), the discrete
// Lyapunov solution (SGD's own stationary covariance: diamond) and the Gibbs
// variance T_eff / h (ring), on a log axis; under each direction its curvature
// h and the ratio measured / Gibbs. Plain SVG (a handful of points).
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StationaryPrediction } from '../sim/network/stationary-covariance';
import { formatNumber } from '../model/format';
import type { StationaryMeasurement } from './network-stationary';

const W = 330, H = 210, L = 46, R = 8, T = 8, B = 50;
const COLORS = { measured: '#5fd0ff', lyapunov: '#fff27a', gibbs: '#c4cbd8' };

@customElement('network-stationary-chart')
export class NetworkStationaryChart extends LitElement {
  static override styles = css`
    :host { display: block; font: 12px system-ui, sans-serif; color: #c9d1e0; }
    svg { width: 100%; max-width: ${W}px; height: auto; background: #12161f; border-radius: 4px; display: block; }
    .key { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 11px; color: #aab4c6; margin-top: 2px; }
  `;

  @property({ attribute: false }) prediction: StationaryPrediction | null = null;
  @property({ attribute: false }) measurement: StationaryMeasurement | null = null;
  /** directions drawn */
  @property({ type: Number }) directions = 10;

  override render() {
    const p = this.prediction;
    if (!p) return html``;
    const m = this.measurement;
    const K = Math.min(this.directions, p.curvatures.length);
    const ks = Array.from({ length: K }, (_, k) => k);
    const values = ks.flatMap((k) => [p.lyapunov[k], p.gibbs[k], ...(m ? [m.variance[k] + 2 * m.standardError[k], Math.max(m.variance[k] - 2 * m.standardError[k], m.variance[k] / 3)] : [])]).filter((v) => v > 0 && Number.isFinite(v));
    let y0 = Math.log10(Math.min(...values)), y1 = Math.log10(Math.max(...values));
    if (y1 - y0 < 1) { const c = (y0 + y1) / 2; y0 = c - 0.5; y1 = c + 0.5; }
    y0 -= 0.1; y1 += 0.1;
    const sx = (k: number) => L + ((k + 0.5) / K) * (W - L - R);
    const sy = (v: number) => T + (1 - (Math.log10(v) - y0) / (y1 - y0)) * (H - T - B);
    const decades: number[] = [];
    for (let e = Math.ceil(y0); e <= Math.floor(y1); e++) decades.push(e);
    const ring = (x: number, y: number) => svg`<circle cx=${x} cy=${y} r="5" fill="none" stroke=${COLORS.gibbs} stroke-width="1.5"></circle>`;
    const diamond = (x: number, y: number) => svg`<path d=${`M${x} ${y - 6}L${x + 5} ${y}L${x} ${y + 6}L${x - 5} ${y}Z`} fill=${COLORS.lyapunov}></path>`;
    return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="variance of the cloud along the Hessian's top eigenvectors: measured, discrete Lyapunov and Gibbs">
        ${decades.map((e) => svg`<line x1=${L} x2=${W - R} y1=${sy(10 ** e)} y2=${sy(10 ** e)} stroke="#232937"></line>
          <text x=${L - 4} y=${sy(10 ** e) + 4} fill="#8b94a7" font-size="10" text-anchor="end">${formatNumber(10 ** e)}</text>`)}
        <text x=${11} y=${(T + H - B) / 2} fill="#c9d1e0" font-size="10" text-anchor="middle" transform=${`rotate(-90 11 ${(T + H - B) / 2})`}>variance (weight units²)</text>
        <text x=${L - 4} y=${H - B + 14} fill="#8b94a7" font-size="10" text-anchor="end">h</text>
        <text x=${L - 4} y=${H - B + 28} fill="#8b94a7" font-size="10" text-anchor="end">÷ Gibbs</text>
        ${ks.map((k) => {
          const x = sx(k);
          const v = m?.variance[k], se = m?.standardError[k] ?? 0;
          const ratio = v !== undefined ? v / p.gibbs[k] : p.lyapunov[k] / p.gibbs[k];
          return svg`<g data-direction=${k}><title>${`direction ${k + 1}: Hessian eigenvalue h = ${formatNumber(p.curvatures[k], 3)}; Lyapunov ${formatNumber(p.lyapunov[k], 3)}, Gibbs ${formatNumber(p.gibbs[k], 3)}${v !== undefined ? `, measured ${formatNumber(v, 3)} ± ${formatNumber(se, 2)}` : ''} (weight units²)`}</title>
            ${ring(x, sy(p.gibbs[k]))}${diamond(x, sy(p.lyapunov[k]))}
            ${v !== undefined && v > 0 ? svg`<line x1=${x} x2=${x} y1=${sy(v + 2 * se)} y2=${sy(Math.max(v - 2 * se, v / 3))} stroke=${COLORS.measured} stroke-width="2"></line>
              <circle cx=${x} cy=${sy(v)} r="3.5" fill=${COLORS.measured}></circle>` : ''}
            <text x=${x} y=${H - B + 14} fill="#8b94a7" font-size="10" text-anchor="middle">${formatNumber(p.curvatures[k], 2).replace(/^0\./, '.')}</text>
            <text x=${x} y=${H - B + 28} fill=${ratio > 2 || ratio < 0.5 ? '#ffd28a' : '#c9d1e0'} font-size="10" text-anchor="middle" data-ratio=${ratio}>${formatNumber(ratio, 2)}</text>
          </g>`;
        })}
        <text x=${(L + W - R) / 2} y=${H - 6} fill="#c9d1e0" font-size="10" text-anchor="middle">Hessian eigenvectors, largest curvature first</text>
      </svg>
      <div class="key">
        <span><svg width="12" height="12" style="width:12px;display:inline;background:none;vertical-align:middle">${svg`<circle cx="6" cy="6" r="3.5" fill=${COLORS.measured}></circle>`}</svg> the cloud (±2 SE)${m ? `, ${m.since.toLocaleString('en')} steps after the minimum` : ''}</span>
        <span><svg width="12" height="12" style="width:12px;display:inline;background:none;vertical-align:middle">${svg`<path d="M6 0L11 6L6 12L1 6Z" fill=${COLORS.lyapunov}></path>`}</svg> SGD: S = (I − lr H) S (I − lr H) + lr² Σ/B</span>
        <span><svg width="12" height="12" style="width:12px;display:inline;background:none;vertical-align:middle">${svg`<circle cx="6" cy="6" r="4" fill="none" stroke=${COLORS.gibbs} stroke-width="1.5"></circle>`}</svg> Gibbs: T_eff/h, T_eff = lr tr Σ/(2BD) = ${formatNumber(p.temperature, 3)}</span>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-stationary-chart': NetworkStationaryChart;
  }
}
