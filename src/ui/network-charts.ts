// Live charts of a network scenario (uPlot, as ui/charts.ts): per panel the
// mean over its alive networks with the band between the 10% and 90%
// quantiles, over optimizer steps: train and test loss (mean binary
// cross-entropy, nats, log axis), train and test accuracy (%), and the
// cloud's spread in weight space; on request (`sharpness`, a button when off)
// the sharpness lambda_max of every network's full training loss, which costs
// more than the rest of a record. The header of each chart prints the latest
// mean per panel. Points come from NetworkRunController.history; drawn at
// most five times per second.
import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import type { CloudStats, NetworkPanelRecord } from '../sim/network/network-record';
import { formatNumber } from '../model/format';
import { formatTicks, tickAxisWidth } from './axis-ticks';
import type { NetworkSample } from './network-run';
import { chartAxis } from './network-chart-axis';

export interface NetworkChartPanel {
  label: string;
  color: string;
}

interface NetworkChartDef {
  id: string;
  title: string;
  unit: string;
  help: string;
  /** log y axis */
  log: boolean;
  /** value shown = stored value times this (fractions as %) */
  factor: number;
  stats(r: NetworkPanelRecord): CloudStats | null;
}

const spreadStats = (r: NetworkPanelRecord): CloudStats | null =>
  r.spread === null ? null : { mean: r.spread, q10: NaN, q50: NaN, q90: NaN };

export const NETWORK_CHARTS: NetworkChartDef[] = [
  {
    id: 'train-loss', title: 'train loss', unit: 'nats', log: true, factor: 1,
    help: 'Mean binary cross-entropy on the training split (no weight-decay term), per network; the line is the mean over the alive networks of the panel, the band spans the 10% to 90% quantiles.',
    stats: (r) => r.trainLoss,
  },
  {
    id: 'test-loss', title: 'test loss', unit: 'nats', log: true, factor: 1,
    help: 'Mean binary cross-entropy on the held-out test split; mean over alive networks, band 10%–90% quantiles.',
    stats: (r) => r.testLoss,
  },
  {
    id: 'train-accuracy', title: 'train accuracy', unit: '%', log: false, factor: 100,
    help: 'Percentage of training samples classified right (prediction 1 iff logit > 0); mean over alive networks, band 10%–90% quantiles.',
    stats: (r) => r.trainAccuracy,
  },
  {
    id: 'test-accuracy', title: 'test accuracy', unit: '%', log: false, factor: 100,
    help: 'Percentage of held-out test samples classified right; mean over alive networks, band 10%–90% quantiles.',
    stats: (r) => r.testAccuracy,
  },
  {
    id: 'spread', title: 'spread', unit: 'parameter units', log: false, factor: 1,
    help: 'Spread ‖θ − θ̄‖: mean Euclidean distance of the alive networks from their centre θ̄ (the mean parameter vector) in weight space. At a fixed temperature T = lr/(2B) a diffusing cloud spreads ∝ √T across a valley.',
    stats: spreadStats,
  },
  {
    id: 'sharpness', title: 'sharpness λ_max', unit: 'loss units per weight²', log: false, factor: 1,
    help: 'Top eigenvalue of the Hessian of each network\'s full training loss (mean cross-entropy over the training split plus the weight-decay term), by power iteration on exact Hessian-vector products; mean over alive networks, band 10%–90% quantiles. Gradient descent with learning rate lr is unstable where λ_max > 2/lr; SGD with a larger lr/B tends to settle where it is smaller (flatter minima). Each estimate costs up to 2·20 + 16 products of about 2.7 full-batch gradients each, so it is made at fewer records than the other charts.',
    stats: (r) => r.sharpness,
  },
];

/** Charts shown only on request (their numbers cost more than a record): the sharpness. */
const ON_REQUEST = new Set(['sharpness']);

const finite = (v: number | undefined, f: number, log: boolean): number | null =>
  v !== undefined && Number.isFinite(v) && (!log || v > 0) ? v * f : null;

@customElement('network-charts')
export class NetworkCharts extends LitElement {
  static override styles = [unsafeCSS(uplotCss), css`
    :host { display: grid; grid-template-columns: repeat(auto-fit, minmax(145px, 1fr)); grid-auto-rows: minmax(130px, 1fr); gap: 8px; padding: 4px 8px 6px; box-sizing: border-box; overflow-y: auto; }
    .chart { display: flex; flex-direction: column; min-width: 0; min-height: 0; background: #151922; border: 1px solid #262c38; border-radius: 6px; padding: 4px 6px; }
    .head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0 8px; font: 12px system-ui, sans-serif; color: #c9d1e0; cursor: help; white-space: nowrap; overflow: hidden; max-height: 32px; }
    .head b { font-weight: 600; }
    .unit { color: #8b94a7; font-size: 11px; }
    .now { display: flex; gap: 6px; margin-left: auto; font: 11px system-ui, sans-serif; font-variant-numeric: tabular-nums; }
    .plot { flex: 1; min-height: 0; }
    .ask { align-self: start; justify-self: start; font: 12px system-ui, sans-serif; color: #c9d1e0; background: #151922; border: 1px dashed #3a4254; border-radius: 6px; padding: 6px 10px; cursor: pointer; }
    .ask:hover { border-color: #6b7590; }
    .u-legend { display: none; }
    .xaxis { align-self: start; justify-self: start; display: flex; align-items: center; gap: 4px; font: 12px system-ui, sans-serif; color: #9aa6ba; }
    .xaxis button { font: 11px system-ui, sans-serif; color: #c9d1e0; background: #151922; border: 1px solid #2c3446; border-radius: 4px; padding: 1px 7px; cursor: pointer; }
    .xaxis button.on { background: #2a3550; border-color: #5a6b92; }
  `];

  @property({ attribute: false }) panels: NetworkChartPanel[] = [];
  /** the samples (NetworkRunController.history; the same array, grown in place) */
  @property({ attribute: false }) history: readonly NetworkSample[] = [];
  /** false hides the test charts (no test split) */
  @property({ type: Boolean }) hasTest = true;
  /** shows the sharpness chart; when false, a button asks for it (event `network-sharpness`, detail { on: true }) */
  @property({ type: Boolean }) sharpness = false;
  /** each panel's learning rate: the x axis in lr·steps puts panel p's sample at step k at lr_p · k */
  @property({ attribute: false }) lrs: number[] = [];
  /** x axis: optimizer steps, or lr·steps (the time of the SDE SGD approximates: panels with different lr compare at the same time) */
  @state() xAxis: 'steps' | 'time' = 'steps';

  private plots = new Map<string, uPlot>();
  private raf = 0;
  private lastDraw = 0;
  private drawnLength = -1;
  private drawnLast: NetworkSample | undefined;
  private resizeObserver: ResizeObserver | null = null;

  /** Redraws soon (a sample arrived or the history was reset). */
  refresh(): void {
    this.schedule();
  }

  private visible(): NetworkChartDef[] {
    return NETWORK_CHARTS.filter((c) => (this.hasTest || !c.id.startsWith('test-')) && (this.sharpness || !ON_REQUEST.has(c.id)));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver(() => this.resizePlots());
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    for (const p of this.plots.values()) p.destroy();
    this.plots.clear();
  }

  override render() {
    const last = this.history[this.history.length - 1];
    return html`${this.visible().map((def) => html`
      <div class="chart" data-chart=${def.id}>
        <div class="head" title=${def.help}>
          <span><b>${def.title}</b> <span class="unit">${def.unit}</span></span>
          <span class="now">${this.panels.map((p, i) => {
            const s = last?.records[i] ? def.stats(last.records[i]) : null;
            return html`<span style="color:${p.color}" title=${p.label}>${s ? formatNumber(s.mean * def.factor, 3) : '–'}</span>`;
          })}</span>
        </div>
        <div class="plot" id=${`plot-${def.id}`}></div>
      </div>`)}${this.sharpness ? '' : html`<button class="ask" name="net-sharpness"
        title="Estimate every network's sharpness (top Hessian eigenvalue) at the metrics records: it costs about a hundred full-batch gradients per record"
        @click=${() => this.dispatchEvent(new CustomEvent('network-sharpness', { detail: { on: true }, bubbles: true, composed: true }))}>+ sharpness λ_max</button>`}
      <div class="xaxis" role="group" title="the charts' x axis: optimizer steps, or lr·steps (the time of the SDE that SGD approximates; panels with different learning rates compare at the same time)">x axis
        ${(['steps', 'time'] as const).map((x) => html`<button name=${`net-x-${x}`} class=${this.xAxis === x ? 'on' : ''} @click=${() => this.setXAxis(x)}>${x === 'steps' ? 'steps' : 'lr·steps'}</button>`)}</div>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('panels') || changed.has('hasTest') || changed.has('sharpness')) this.rebuildPlots();
    else if (changed.has('lrs')) this.setXAxis(this.xAxis);
    else if (changed.has('history')) this.schedule();
  }

  private schedule(): void {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      const now = performance.now();
      if (now - this.lastDraw < 200) {
        this.schedule();
        return;
      }
      this.lastDraw = now;
      this.draw();
    });
  }

  private draw(): void {
    const h = this.history;
    const last = h[h.length - 1];
    if (h.length === this.drawnLength && last === this.drawnLast) return;
    this.drawnLength = h.length;
    this.drawnLast = last;
    const { xs, slot } = chartAxis(h.map((s) => s.step), this.panels.length, this.xAxis === 'time' ? this.lrs : null);
    for (const def of this.visible()) {
      const plot = this.plots.get(def.id);
      if (!plot) continue;
      const data: (number | null)[][] = [xs];
      for (let p = 0; p < this.panels.length; p++) {
        const mean: (number | null)[] = new Array(xs.length).fill(null), lo = mean.slice(), hi = mean.slice();
        h.forEach((s, k) => {
          const st = s.records[p] ? def.stats(s.records[p]) : null;
          const j = slot[p][k];
          mean[j] = finite(st?.mean, def.factor, def.log);
          lo[j] = finite(st?.q10, def.factor, def.log);
          hi[j] = finite(st?.q90, def.factor, def.log);
        });
        data.push(mean, lo, hi);
      }
      plot.setData(data as uPlot.AlignedData);
    }
    // the headers' latest values
    this.requestUpdate();
  }

  private setXAxis(x: 'steps' | 'time'): void {
    this.xAxis = x;
    this.drawnLength = -1;
    this.schedule();
  }

  private rebuildPlots(): void {
    for (const p of this.plots.values()) p.destroy();
    this.plots.clear();
    this.drawnLength = -1;
    for (const def of this.visible()) {
      const target = this.renderRoot.querySelector<HTMLElement>(`#plot-${def.id}`);
      if (!target) continue;
      const { width, height } = this.plotSize(target);
      const axis = { stroke: '#8b94a7', grid: { stroke: '#232937', width: 1 }, ticks: { stroke: '#2c3342', width: 1 }, font: '11px system-ui, sans-serif' };
      const series: uPlot.Series[] = [{ label: 'step' }];
      const bands: uPlot.Band[] = [];
      this.panels.forEach((p, i) => {
        series.push({ label: p.label, stroke: p.color, width: 1.6, spanGaps: true, points: { show: false } });
        series.push({ label: `${p.label} q10`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } });
        series.push({ label: `${p.label} q90`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } });
        const base = 1 + 3 * i;
        bands.push({ series: [base + 2, base + 1], fill: `${p.color}30` });
      });
      const plot = new uPlot({
        width, height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, y: def.log ? { distr: 3 } : { range: (_u, lo, hi) => (lo === hi ? [lo - 1, hi + 1] : [lo, hi]) } },
        axes: [
          { ...axis, size: 26 },
          { ...axis, size: (_u, labels) => tickAxisWidth(labels), values: (_u, vals) => formatTicks(vals) },
        ],
        series,
        bands,
      }, [[], ...this.panels.flatMap(() => [[], [], []])], target);
      this.plots.set(def.id, plot);
    }
    this.schedule();
  }

  private plotSize(target: HTMLElement): { width: number; height: number } {
    const r = target.getBoundingClientRect();
    return { width: Math.max(120, Math.floor(r.width)), height: Math.max(60, Math.floor(r.height)) };
  }

  private resizePlots(): void {
    for (const [id, plot] of this.plots) {
      const target = this.renderRoot.querySelector<HTMLElement>(`#plot-${id}`);
      if (target) plot.setSize(this.plotSize(target));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-charts': NetworkCharts;
  }
}
