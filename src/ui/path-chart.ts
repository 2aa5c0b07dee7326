// <path-chart>: the loss along the minimum-energy path against arc length,
// with the loss along the straight line between the same minima (uPlot).
import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { MARKER_COLORS } from '../render/marker-colors';
import { formatNumber } from '../model/format';

export interface ProfilePoint {
  /** arc length from the start (length units) */
  s: number;
  /** loss */
  loss: number;
}

@customElement('path-chart')
export class PathChart extends LitElement {
  static override styles = [unsafeCSS(uplotCss), css`
    :host { display: block; }
    .plot { height: 150px; }
    .u-legend { display: none; }
    .key { display: flex; gap: 12px; font: 11px system-ui, sans-serif; color: #aab4c6; margin: 2px 0 0 4px; }
    .key i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 4px; }
  `];

  /** the path's pivots in order */
  @property({ attribute: false }) path: ProfilePoint[] = [];
  /** the straight line between the same minima */
  @property({ attribute: false }) straight: ProfilePoint[] = [];

  private plot: uPlot | null = null;

  override render() {
    return html`<div class="plot"></div>
      <div class="key"><span><i style=${`background:${MARKER_COLORS.path}`}></i>path (NEB)</span><span><i style=${`background:${MARKER_COLORS.straight}`}></i>straight line</span><span>x: arc length</span></div>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (!this.plot) this.build();
    if (changed.has('path') || changed.has('straight')) this.plot?.setData(this.data());
  }

  /** One x axis for both curves: the union of their arc lengths, null where a curve has no sample. */
  private data(): uPlot.AlignedData {
    const xs = [...new Set([...this.path.map((p) => p.s), ...this.straight.map((p) => p.s)])].sort((a, b) => a - b);
    const at = (pts: ProfilePoint[]) => {
      const m = new Map(pts.map((p) => [p.s, p.loss]));
      return xs.map((x) => m.get(x) ?? null);
    };
    return [xs, at(this.path), at(this.straight)];
  }

  private build(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!target) return;
    const width = Math.max(200, Math.floor(target.getBoundingClientRect().width) || 260);
    const axis = { stroke: '#8b94a7', grid: { stroke: '#232937', width: 1 }, ticks: { stroke: '#2c3342', width: 1 }, font: '10px system-ui, sans-serif' };
    this.plot = new uPlot({
      width, height: 150,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { ...axis, size: 22, values: (_u, vals) => vals.map((v) => formatNumber(v)) },
        { ...axis, size: 44, values: (_u, vals) => vals.map((v) => formatNumber(v)), label: 'loss', labelSize: 12, labelFont: '10px system-ui, sans-serif' },
      ],
      series: [
        { label: 'arc length' },
        { label: 'path', stroke: MARKER_COLORS.path, width: 2, spanGaps: true, points: { show: true, size: 4, fill: MARKER_COLORS.path } },
        { label: 'straight line', stroke: MARKER_COLORS.straight, width: 1.2, dash: [4, 3], spanGaps: true, points: { show: false } },
      ],
    }, this.data(), target);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = null;
  }
}
