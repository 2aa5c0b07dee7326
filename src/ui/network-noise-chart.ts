// <network-noise-chart>: at one network, the Hessian's top eigenvalues h_k
// (diamond) against the gradient noise along the same directions,
// u_k^T Sigma u_k (dot), and Sigma's own top eigenvalues (ring), on a log axis;
// under each direction the ratio noise / curvature. "Noise aligns with
// curvature" shows as dots on the diamonds (Sigma ~ H, the Fisher information
// near a minimum of a well-specified model). Plain SVG.
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatNumber } from '../model/format';
import type { NoiseResult } from './network-noise';

const W = 330, H = 180, L = 46, R = 8, T = 8, B = 38;
const COLORS = { noise: '#5fd0ff', curvature: '#fff27a', sigma: '#c4cbd8' };

@customElement('network-noise-chart')
export class NetworkNoiseChart extends LitElement {
  static override styles = css`
    :host { display: block; font: 12px system-ui, sans-serif; color: #c9d1e0; }
    svg { width: 100%; max-width: ${W}px; height: auto; background: #12161f; border-radius: 4px; display: block; }
    .key { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 11px; color: #aab4c6; margin-top: 2px; font-variant-numeric: tabular-nums; }
    .key i { display: inline-block; width: 9px; height: 9px; margin-right: 3px; vertical-align: middle; }
  `;

  @property({ attribute: false }) data: NoiseResult | null = null;

  override render() {
    const d = this.data;
    if (!d) return html``;
    const r = d.result;
    const K = r.curvatures.length;
    const ks = Array.from({ length: K }, (_, k) => k);
    const positive = [...r.curvatures, ...r.noiseAlongCurvature, ...r.noiseEigenvalues].filter((v) => v > 0 && Number.isFinite(v));
    let y0 = Math.log10(Math.min(...positive)), y1 = Math.log10(Math.max(...positive));
    if (y1 - y0 < 1) { const c = (y0 + y1) / 2; y0 = c - 0.5; y1 = c + 0.5; }
    y0 -= 0.1; y1 += 0.1;
    const sx = (k: number) => L + ((k + 0.5) / K) * (W - L - R);
    const sy = (v: number) => T + (1 - (Math.log10(v) - y0) / (y1 - y0)) * (H - T - B);
    const decades: number[] = [];
    for (let e = Math.ceil(y0); e <= Math.floor(y1); e++) decades.push(e);
    const D = r.curvatureDirections[0]?.length ?? 1;
    return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Hessian eigenvalues against the gradient noise along the same directions">
        ${decades.map((e) => svg`<line x1=${L} x2=${W - R} y1=${sy(10 ** e)} y2=${sy(10 ** e)} stroke="#232937"></line>
          <text x=${L - 4} y=${sy(10 ** e) + 4} fill="#8b94a7" font-size="10" text-anchor="end">${formatNumber(10 ** e)}</text>`)}
        <text x=${L - 4} y=${H - B + 14} fill="#8b94a7" font-size="10" text-anchor="end">Σ÷h</text>
        ${ks.map((k) => {
          const x = sx(k), h = r.curvatures[k], n = r.noiseAlongCurvature[k], s = r.noiseEigenvalues[k];
          return svg`<g data-direction=${k}><title>${`direction ${k + 1}: Hessian eigenvalue h = ${formatNumber(h, 3)} (loss per weight²), gradient noise along it u^T Σ u = ${formatNumber(n, 3)}; Σ's eigenvalue ${k + 1}: ${formatNumber(s, 3)} (loss² per weight²)`}</title>
            ${s > 0 ? svg`<circle cx=${x} cy=${sy(s)} r="5" fill="none" stroke=${COLORS.sigma} stroke-width="1.5"></circle>` : ''}
            ${h > 0 ? svg`<path d=${`M${x} ${sy(h) - 6}L${x + 5} ${sy(h)}L${x} ${sy(h) + 6}L${x - 5} ${sy(h)}Z`} fill=${COLORS.curvature}></path>` : svg`<text x=${x} y=${H - B - 2} fill=${COLORS.curvature} font-size="10" text-anchor="middle">h&lt;0</text>`}
            ${n > 0 ? svg`<circle cx=${x} cy=${sy(n)} r="3.5" fill=${COLORS.noise}></circle>` : ''}
            <text x=${x} y=${H - B + 14} fill="#c9d1e0" font-size="10" text-anchor="middle" data-ratio=${n / h}>${h > 0 ? formatNumber(n / h, 2) : '–'}</text>
          </g>`;
        })}
        <text x=${(L + W - R) / 2} y=${H - 8} fill="#c9d1e0" font-size="10" text-anchor="middle">Hessian eigenvectors, largest first</text>
      </svg>
      <div class="key">
        <span><i style=${`background:${COLORS.curvature};transform:rotate(45deg) scale(0.8)`}></i>curvature h</span>
        <span><i style=${`background:${COLORS.noise};border-radius:50%`}></i>noise along it, uᵀΣu</span>
        <span><i style=${`border:1.5px solid ${COLORS.sigma};border-radius:50%;box-sizing:border-box`}></i>Σ's own top eigenvalues</span>
        <span data-overlap=${r.overlap} title=${`|U_Hᵀ U_Σ|²_F / k of the two top-${K} subspaces: 1 when they coincide; two unrelated ones overlap about k/D = ${formatNumber(K / D, 2)}`}>top-${K} overlap ${formatNumber(r.overlap, 2)} (unrelated: ${formatNumber(K / D, 2)})</span>
        <span title="subspace iteration's Ritz residual |A u − λ u| (loss units per weight²): each eigenvalue shown lies within it of a true eigenvalue">residual: H ${formatNumber(r.residuals.hessian, 2)}, Σ ${formatNumber(r.residuals.noise, 2)}</span>
        <span title="the temperature of isotropic noise with the same total power as minibatch SGD's: lr tr Σ / (2 B D); tr Σ per sample">${d.batch !== null ? html`T_eff = lr tr Σ/(2BD) = <b data-teff>${formatNumber(r.temperature, 3)}</b> (lr/(2B) = ${formatNumber(d.lr / (2 * d.batch), 3)})` : html`tr Σ = ${formatNumber(r.traceSigma, 3)} (no lr/B: not minibatch SGD)`}</span>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-noise-chart': NetworkNoiseChart;
  }
}
