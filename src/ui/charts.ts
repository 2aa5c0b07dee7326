// Live charts (uPlot): one chart per metric, one line per panel, x = optimizer
// steps. Metrics arrive from the GPU ring (MetricsSample: PanelRecords) and are drawn at
// most a few times per second. Charts that need the Fokker–Planck solution
// (KL, free energy) appear only once samples carry PDE metrics.
import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import type { PanelRecord } from '../scheduler/simulation';
import { klShown } from '../model/format';
import { formatTicks, tickAxisWidth } from './axis-ticks';

import { PANEL_COLORS } from './panel-colors';

export { PANEL_COLORS };

export interface ChartSample {
  step: number;
  /** per panel; `pde` (KL in nats, free energy in loss units) where the panel has a Fokker–Planck grid */
  records: PanelRecord[];
}

interface ChartDef {
  id: string;
  title: string;
  unit: string;
  help: string;
  pde: boolean;
  /** shown only when some panel's noise is not isotropic (its steady state is not Gibbs) */
  nonEquilibrium?: boolean;
  value(sample: ChartSample, panel: number, basin: number): number | null;
  /** a law's prediction drawn dashed beside each panel's measurement (same colour) */
  predicted?(sample: ChartSample, panel: number, basin: number): number | null;
}

/** ys key of a chart's predicted (dashed) series */
const PREDICTED = ':predicted';

const CHARTS: ChartDef[] = [
  {
    id: 'mean-loss', title: 'mean loss E[f]', unit: 'loss units', pde: false,
    help: 'E[f] over alive particles. Near a quadratic minimum at equilibrium, E[f] - f_min = T per 2 dimensions (equipartition: T/2 per direction).',
    value: (s, p) => s.records[p]?.meanLoss ?? null,
  },
  {
    id: 'basin', title: 'fraction in basin', unit: 'of particles', pde: false,
    help: 'Fraction of all particles in the basin of attraction (of gradient flow) of the chosen minimum. Kramers: escape rate ∝ exp(-ΔF/T). ' +
      'Dashed: the Gibbs density exp(-f/T)/Z integrated over the basin at the panel\'s T, exp(-F_i/T)/Σ exp(-F_j/T) (where the clouds should settle if the stationary law is Gibbs).',
    value: (s, p, b) => s.records[p]?.basinFractions[b] ?? null,
    predicted: (s, p, b) => s.records[p]?.gibbsBasins?.[b] ?? null,
  },
  {
    id: 'kl-stationary', title: 'KL(ρ_t ‖ ρ_ss)', unit: 'nats', pde: true,
    help: 'Kullback–Leibler divergence of the Fokker–Planck density from its own stationary density ρ_ss; falls monotonically (H-theorem). ' +
      'ρ_ss is the Gibbs density exp(-f/T)/Z for isotropic noise; for anisotropic or minibatch noise it is found by relaxing the PDE in the background ' +
      '(no line until it is known), and KL(ρ_ss ‖ Gibbs) > 0 says how far that steady state is from Gibbs.',
    value: (s, p) => (s.records[p]?.pde?.klReference === 'stationary' ? klShown(s.records[p]?.pde?.klStationary) : null),
  },
  {
    id: 'angular-momentum', title: 'angular momentum ⟨(x − x̄) × ẋ⟩', unit: 'length²/time', pde: false, nonEquilibrium: true,
    help: 'Mean angular momentum of the cloud about its mean: the next step\'s expected displacement (averaged over its noise) per unit of PDE time, ' +
      'crossed with the offset from the mean (a × b = a_x b_y − a_y b_x). Zero at equilibrium (isotropic noise); a steady non-zero value is the ' +
      'probability current circulating (Chaudhari & Soatto): the cloud turns although the loss has no rotation.',
    value: (s, p) => s.records[p]?.angularMomentum ?? null,
  },
  {
    id: 'circulation', title: 'circulation ∑|curl J|', unit: 'probability/time', pde: true, nonEquilibrium: true,
    help: 'Sum over the grid of |curl J| times the cell area, J the Fokker–Planck probability current: zero for a Gibbs steady state, ' +
      'positive where the steady state carries a current that loops.',
    value: (s, p) => s.records[p]?.pde?.circulation ?? null,
  },
  {
    id: 'kl-particles', title: 'KL(particles ‖ PDE)', unit: 'nats', pde: true,
    help: 'KL divergence of the particle histogram from the Fokker–Planck density on the same grid.',
    value: (s, p) => klShown(s.records[p]?.pde?.klHistogram),
  },
  {
    id: 'free-energy', title: 'free energy F = E[f] − T·H', unit: 'loss units', pde: true,
    help: 'Free energy of the Fokker–Planck density: E[f] minus temperature times differential entropy; decreases to -T log Z.',
    value: (s, p) => s.records[p]?.pde?.freeEnergy ?? null,
  },
];

/** Points kept per chart (older ones are thinned out by half). */
const MAX_POINTS = 1500;

export interface ChartPanel {
  label: string;
  color: string;
  /** false when the panel's noise is anisotropic or state-dependent (steady state not Gibbs); default true */
  isotropic?: boolean;
}

export interface BasinChoice {
  index: number;
  label: string;
}

@customElement('lab-charts')
export class LabCharts extends LitElement {
  static override styles = [unsafeCSS(uplotCss), css`
    :host { display: flex; gap: 10px; overflow-x: auto; padding: 4px 8px 6px; box-sizing: border-box; }
    .chart { flex: 1 1 0; min-width: 240px; display: flex; flex-direction: column; background: #151922; border: 1px solid #262c38; border-radius: 6px; padding: 4px 6px; }
    .head { display: flex; align-items: baseline; justify-content: space-between; gap: 6px; font: 12px system-ui, sans-serif; color: #c9d1e0; cursor: help; }
    .head b { font-weight: 600; }
    .unit { color: #8b94a7; font-size: 11px; }
    select { background: #0f1218; color: #c9d1e0; border: 1px solid #333b4b; border-radius: 4px; font-size: 11px; max-width: 150px; }
    .plot { flex: 1; min-height: 0; }
    .empty { color: #6d7689; font: 12px system-ui, sans-serif; padding: 6px; }
    .u-legend { display: none; }
    .u-wrap, .u-over, .u-under { cursor: crosshair; }
  `];

  @property({ attribute: false }) panels: ChartPanel[] = [];
  @property({ attribute: false }) basins: BasinChoice[] = [];
  @state() private basin = 0;
  @state() private hasPde = false;

  private xs: number[] = [];
  /** ys[chart][panel][point] */
  private ys = new Map<string, (number | null)[][]>();
  private plots = new Map<string, uPlot>();
  private dirty = false;
  private raf = 0;
  private lastDraw = 0;
  private resizeObserver: ResizeObserver | null = null;

  /** Forgets all points (new simulation). */
  reset(): void {
    this.xs = [];
    this.ys.clear();
    this.dirty = true;
    this.schedule();
  }

  /** Chooses the default basin for the fraction chart. */
  setBasin(index: number): void {
    this.basin = index;
  }

  push(sample: ChartSample): void {
    if (this.xs.length && sample.step <= this.xs[this.xs.length - 1]) {
      // a reset restarted the clock
      if (sample.step < this.xs[this.xs.length - 1]) this.reset();
      else return;
    }
    if (sample.records.some((r) => r.pde) && !this.hasPde) this.hasPde = true;
    this.xs.push(sample.step);
    for (const def of CHARTS) {
      for (const [key, value] of [[def.id, def.value], [def.id + PREDICTED, def.predicted]] as const) {
        if (!value) continue;
        let rows = this.ys.get(key);
        if (!rows) this.ys.set(key, (rows = []));
        for (let p = 0; p < this.panels.length; p++) {
          rows[p] ??= new Array(this.xs.length - 1).fill(null);
          const v = value(sample, p, this.basin);
          rows[p].push(v !== null && Number.isFinite(v) ? v : null);
        }
      }
    }
    if (this.xs.length > MAX_POINTS) this.thin();
    this.dirty = true;
    this.schedule();
  }

  private thin(): void {
    const keep = (_: unknown, i: number) => i % 2 === 0 || i === this.xs.length - 1;
    this.xs = this.xs.filter(keep);
    for (const rows of this.ys.values()) rows.forEach((r, p) => { rows[p] = r.filter(keep); });
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
      if (this.dirty) this.draw();
    });
  }

  private draw(): void {
    this.dirty = false;
    for (const [id, plot] of this.plots) {
      const rows = this.ys.get(id) ?? [];
      const predicted = CHARTS.find((c) => c.id === id)?.predicted ? this.ys.get(id + PREDICTED) ?? [] : null;
      const data: uPlot.AlignedData = [this.xs, ...this.panels.map((_, p) => rows[p] ?? []), ...(predicted ? this.panels.map((_, p) => predicted[p] ?? []) : [])];
      plot.setData(data);
    }
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

  private visible(): ChartDef[] {
    const nonEquilibrium = this.panels.some((p) => p.isotropic === false);
    return CHARTS.filter((c) => (!c.pde || this.hasPde) && (!c.nonEquilibrium || nonEquilibrium)).filter((c) => c.id !== 'basin' || this.basins.length > 0);
  }

  override render() {
    return html`${this.visible().map((def) => html`
      <div class="chart" data-chart=${def.id}>
        <div class="head" title=${def.help}>
          <span><b>${def.title}</b> <span class="unit">${def.unit}</span></span>
          ${def.id === 'basin' ? html`<select title="minimum whose basin is counted" @change=${(e: Event) => this.chooseBasin(Number((e.target as HTMLSelectElement).value))}>
            ${this.basins.map((b) => html`<option value=${b.index} ?selected=${b.index === this.basin}>${b.label}</option>`)}
          </select>` : ''}
        </div>
        <div class="plot" id=${`plot-${def.id}`}></div>
      </div>`)}
      ${this.panels.length === 0 ? html`<div class="empty">charts appear when a simulation runs</div>` : ''}`;
  }

  private chooseBasin(index: number): void {
    this.basin = index;
    // the history of the old basin is meaningless for the new one
    this.ys.delete('basin');
    const n = this.xs.length;
    this.ys.set('basin', this.panels.map(() => new Array(n).fill(null)));
    this.ys.set('basin' + PREDICTED, this.panels.map(() => new Array(n).fill(null)));
    this.dirty = true;
    this.schedule();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('panels') || changed.has('hasPde') || changed.has('basins')) this.rebuildPlots();
  }

  private rebuildPlots(): void {
    for (const p of this.plots.values()) p.destroy();
    this.plots.clear();
    for (const def of this.visible()) {
      const target = this.renderRoot.querySelector<HTMLElement>(`#plot-${def.id}`);
      if (!target) continue;
      const { width, height } = this.plotSize(target);
      const axis = { stroke: '#8b94a7', grid: { stroke: '#232937', width: 1 }, ticks: { stroke: '#2c3342', width: 1 }, font: '11px system-ui, sans-serif' };
      const plot = new uPlot({
        width, height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: 'step', labelSize: 14, labelFont: '11px system-ui, sans-serif', size: 30 },
          { ...axis, size: (_u, labels) => tickAxisWidth(labels), values: (_u, vals) => formatTicks(vals) },
        ],
        series: [{ label: 'step' }, ...this.panels.map((p) => ({ label: p.label, stroke: p.color, width: 1.6, spanGaps: true, points: { show: false } })),
          ...(def.predicted ? this.panels.map((p) => ({ label: `${p.label}: predicted`, stroke: p.color, width: 1.2, dash: [5, 4], spanGaps: true, points: { show: false } })) : [])],
      }, [this.xs, ...this.panels.map(() => []), ...(def.predicted ? this.panels.map(() => []) : [])], target);
      this.plots.set(def.id, plot);
    }
    this.dirty = true;
    this.schedule();
  }

  private plotSize(target: HTMLElement): { width: number; height: number } {
    const r = target.getBoundingClientRect();
    return { width: Math.max(160, Math.floor(r.width)), height: Math.max(60, Math.floor(r.height)) };
  }

  private resizePlots(): void {
    for (const [id, plot] of this.plots) {
      const target = this.renderRoot.querySelector<HTMLElement>(`#plot-${id}`);
      if (target) plot.setSize(this.plotSize(target));
    }
  }
}
