// <network-path-chart>: the train loss (left axis, nats) and test accuracy
// (right axis, %) along the Bézier curve between two networks and along the
// straight line between them, against the path parameter t (0 at the first
// network, 1 at the second), with each path's barrier in the key (uPlot).
import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { MARKER_COLORS } from '../render/marker-colors';
import { formatNumber } from '../model/format';
import type { PathProfile } from '../sim/network/bezier-path';

const HEIGHT = 130;

@customElement('network-path-chart')
export class NetworkPathChart extends LitElement {
  static override styles = [unsafeCSS(uplotCss), css`
    :host { display: block; min-width: 0; }
    .plot { height: ${HEIGHT}px; }
    .u-legend { display: none; }
    .key { display: flex; flex-wrap: wrap; gap: 4px 14px; font: 11px system-ui, sans-serif; color: #aab4c6; margin: 2px 0 0 4px; font-variant-numeric: tabular-nums; }
    .key i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 4px; }
    .key i.dash { background: repeating-linear-gradient(to right, currentColor 0 4px, transparent 4px 7px) !important; height: 2px; }
  `];

  @property({ attribute: false }) curve: PathProfile | null = null;
  @property({ attribute: false }) straight: PathProfile | null = null;

  private plot: uPlot | null = null;
  private observer: ResizeObserver | null = null;

  override render() {
    const c = this.curve, s = this.straight;
    const acc = (p: PathProfile) => (!Number.isFinite(p.worstTestAccuracy) ? '' : p.worstTestAccuracy === 1 ? ', test accuracy 100% all along' : `, test accuracy down to ${formatNumber(100 * p.worstTestAccuracy, 3)}%`);
    return html`<div class="plot" title="x: the path parameter t, 0 at network 1 and 1 at network 2; solid: train loss (left axis), dashed: test accuracy (right axis). Barrier: the highest train loss on the path minus the higher of its two ends."></div>
      <div class="key">
        <span><i style=${`background:${MARKER_COLORS.path}`}></i>curve: barrier <b data-barrier="curve">${c ? formatNumber(c.barrier, 3) : '–'}</b> nats${c ? acc(c) : ''}</span>
        <span><i style=${`background:${MARKER_COLORS.straight}`}></i>straight line: barrier <b data-barrier="straight">${s ? formatNumber(s.barrier, 3) : '–'}</b> nats${s ? acc(s) : ''}</span>
      </div>`;
  }

  protected override firstUpdated(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!target) return;
    this.observer = new ResizeObserver(() => {
      const w = Math.floor(target.getBoundingClientRect().width);
      if (this.plot && w > 0 && w !== this.plot.width) this.plot.setSize({ width: w, height: HEIGHT });
    });
    this.observer.observe(target);
  }

  protected override updated(changed: PropertyValues): void {
    if (!this.plot) this.build();
    else if (changed.has('curve') || changed.has('straight')) this.plot.setData(this.data());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  /** Both profiles share their t grid (bezierPath evaluates both at the same t). */
  private data(): uPlot.AlignedData {
    const c = this.curve?.points ?? [], s = this.straight?.points ?? [];
    const pct = (v: number) => (Number.isFinite(v) ? 100 * v : null);
    return [
      c.map((p) => p.t),
      c.map((p) => p.trainLoss), s.map((p) => p.trainLoss),
      c.map((p) => pct(p.testAccuracy)), s.map((p) => pct(p.testAccuracy)),
    ];
  }

  private build(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!target) return;
    const width = Math.max(200, Math.floor(target.getBoundingClientRect().width) || 320);
    const axis = { stroke: '#8b94a7', grid: { stroke: '#232937', width: 1 }, ticks: { stroke: '#2c3342', width: 1 }, font: '10px system-ui, sans-serif' };
    const label = { labelSize: 12, labelFont: '10px system-ui, sans-serif' };
    this.plot = new uPlot({
      width, height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, loss: { range: (_u, _min, max) => [0, Math.max(max, 1e-3) * 1.05] }, pct: { range: (_u, min) => [Math.min(Number.isFinite(min) ? min : 50, 100) - 2, 100.5] } },
      axes: [
        { ...axis, size: 22, values: (_u, vals) => vals.map((v) => formatNumber(v)) },
        { ...axis, ...label, scale: 'loss', size: 46, label: 'train loss (nats)', values: (_u, vals) => vals.map((v) => formatNumber(v)) },
        { ...axis, ...label, scale: 'pct', side: 1, size: 40, grid: { show: false }, label: 'test accuracy %', values: (_u, vals) => vals.map((v) => formatNumber(v)) },
      ],
      series: [
        { label: 't' },
        { label: 'curve loss', scale: 'loss', stroke: MARKER_COLORS.path, width: 2, points: { show: false } },
        { label: 'line loss', scale: 'loss', stroke: MARKER_COLORS.straight, width: 1.5, points: { show: false } },
        { label: 'curve accuracy', scale: 'pct', stroke: MARKER_COLORS.path, width: 1, dash: [4, 3], points: { show: false } },
        { label: 'line accuracy', scale: 'pct', stroke: MARKER_COLORS.straight, width: 1, dash: [4, 3], points: { show: false } },
      ],
    }, this.data(), target);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-path-chart': NetworkPathChart;
  }
}
