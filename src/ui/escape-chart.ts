// <lab-escape>: escape statistics under the charts. Off, a one-line bar that
// turns them on; on, the basin and saddle pickers (they write
// scenario.analysis.escape through a LabEditEvent, so the URL carries them)
// and per panel a histogram of first-passage times (steps below, PDE time
// t = steps·lr_eff above) with the measured mean ± its standard error and the
// Eyring–Kramers prediction where it applies. Data: scheduler/escape-watch.ts.
import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controlStyles } from './styles';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import type { Scenario } from '../model/scenario';
import type { Surface, Vec2 } from '../model/surface-types';
import type { EscapeSnapshot, EscapeWatch } from '../scheduler/escape-watch';
import type { PanelEscape } from '../sim/analysis/escape-summary';
import { escapeCandidates, type EscapeCandidates } from '../sim/analysis/escape-target';
import { PANEL_COLORS } from './panel-colors';
import { LabEditEvent } from './controls';
import { formatNumber } from '../model/format';

/** longest pick lists (lowest points first) */
const MAX_LISTED = 40;

const RESOLUTION_HELP = 'Every particle is checked inside the step kernel after every k steps, whatever the frame size: '
  + 'k = 1 records the exact step of the first passage. With a larger k a passage is recorded at the next check, '
  + 'late by (k − 1)/2 steps on average, which the mean corrects; a particle that crosses and comes back between two checks is missed.';

/** the choices of steps between checks the bar offers (any integer ≥ 1 in the scenario) */
const CHECK_EVERY = [1, 10, 100];

const MEAN_HELP = 'Mean first-passage time, the exponential law\'s maximum-likelihood estimate with the particles still inside counted as censored '
  + '(sum of escape times + inside × steps so far) / escaped; ± is its standard error, mean / √escaped.';

const KRAMERS_HELP = 'Eyring–Kramers: τ = 2π/|λ_s| · √(|det H_s| / det H_m) · exp(ΔF/T) in PDE time t = steps · lr_eff, '
  + 'λ_s the saddle\'s negative Hessian eigenvalue, H_s and H_m the Hessians at the saddle and the minimum, T the panel\'s temperature. '
  + 'The dashed line is the histogram an exponential law with that mean would give.';

/** float dust (a root at 7e-17) shown as 0 */
const clean = (v: number) => (Math.abs(v) < 1e-12 ? 0 : v);
const pt = (p: Vec2) => `(${formatNumber(clean(p[0]))}, ${formatNumber(clean(p[1]))})`;

@customElement('lab-escape')
export class LabEscape extends LitElement {
  static override styles = [unsafeCSS(uplotCss), controlStyles, css`
    :host { display: flex; flex-direction: column; min-width: 0; min-height: 0; font: 12px system-ui, sans-serif; color: #c9d1e0; background: #0d1016; --control-pad: 1px 6px; }
    .bar { display: flex; align-items: center; gap: 8px; padding: 3px 8px; flex-wrap: wrap; min-height: 22px; }
    .bar b { font-weight: 600; color: #e6ebf3; }
    .muted { color: #8b94a7; }
    .err { color: #ffb3a1; }
    select, button { font-size: 11px; max-width: 240px; }
    .help { cursor: help; color: #8fa0bd; text-decoration: underline dotted #5a6478; text-underline-offset: 2px; }
    .legend { margin-left: auto; flex: none; color: #8b94a7; font-size: 11px; }
    .row { display: flex; gap: 8px; padding: 0 8px 6px; overflow-x: auto; flex: 1 1 auto; min-height: 110px; }
    .card { flex: 1 1 0; min-width: 230px; display: flex; flex-direction: column; background: #151922; border: 1px solid #262c38; border-radius: 6px; padding: 3px 6px; }
    .head { display: flex; gap: 6px; align-items: center; white-space: nowrap; overflow: hidden; }
    .head b { overflow: hidden; text-overflow: ellipsis; }
    .sw { width: 10px; height: 10px; border-radius: 2px; flex: none; }
    .plot { flex: 1; min-height: 0; }
    .foot { font-size: 11px; line-height: 1.35; font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .foot span[title] { cursor: help; }
    .k { color: #f3f6fb; }
    .u-legend { display: none; }
  `];

  /** the running scenario (its analysis.escape, domain and start) */
  @property({ attribute: false }) scenario: Scenario | null = null;
  @property({ attribute: false }) surface: Surface | null = null;
  @property({ attribute: false }) watch: EscapeWatch | null = null;
  @property({ attribute: false }) snapshot: EscapeSnapshot | null = null;
  /** why the watch could not be set up */
  @property({ attribute: false }) error: string | null = null;
  @state() private problem: string | null = null;

  private plots = new Map<number, { plot: uPlot; key: string }>();

  constructor() {
    super();
    // plots follow the element's size while it is in the page; gone with it
    let observer: ResizeObserver | null = null;
    this.addController({
      hostConnected: () => { (observer = new ResizeObserver(() => this.resizePlots())).observe(this); },
      hostDisconnected: () => { observer?.disconnect(); observer = null; this.dropPlots(); },
    });
  }

  private get spec() {
    return this.scenario?.analysis?.escape ?? null;
  }

  private candidates(): EscapeCandidates | null {
    if (this.watch) return this.watch.candidates;
    if (!this.surface || !this.scenario) return null;
    return escapeCandidates(this.surface, this.scenario.domain);
  }

  // ---- editing ---------------------------------------------------------------

  private write(minimum: Vec2, saddle: Vec2): void {
    // the points only name the nearest critical point: 1e-6 of the domain's width is plenty (and drops float dust like 7e-17)
    const d = this.scenario?.domain;
    const q = d ? 1e-6 * Math.max(d.x[1] - d.x[0], d.y[1] - d.y[0]) : 1e-6;
    const digits = Math.max(0, Math.ceil(-Math.log10(q)));
    const round = (v: number) => Number(v.toFixed(digits)) + 0;
    this.dispatchEvent(new LabEditEvent((doc) => {
      const every = doc.analysis?.escape?.every;
      doc.analysis = { ...doc.analysis, escape: { minimum: [round(minimum[0]), round(minimum[1])], saddle: [round(saddle[0]), round(saddle[1])], ...(every !== undefined ? { every } : {}) } };
    }));
  }

  /** Steps between checks (1, the default, is left out of the scenario). */
  private writeEvery(every: number): void {
    this.dispatchEvent(new LabEditEvent((doc) => {
      const escape = doc.analysis?.escape;
      if (!escape) return;
      if (every === 1) delete escape.every;
      else escape.every = every;
    }));
  }

  private turnOff(): void {
    this.dispatchEvent(new LabEditEvent((doc) => {
      const analysis = doc.analysis;
      if (!analysis) return;
      delete analysis.escape;
      if (Object.keys(analysis).length === 0) delete doc.analysis;
    }));
  }

  /** The saddle to cross out of minimum `mi`: the lowest one joined to it, else the nearest. */
  private saddleFor(c: EscapeCandidates, mi: number): Vec2 | null {
    const joined = c.saddles.filter((s) => s.joins.includes(mi));
    if (joined.length) return joined[0].at;
    const m = c.minima[mi].at;
    let best: Vec2 | null = null, bestD = Infinity;
    for (const s of c.saddles) { const d = Math.hypot(s.at[0] - m[0], s.at[1] - m[1]); if (d < bestD) { bestD = d; best = s.at; } }
    return best;
  }

  /** On: the basin the cloud starts in (nearest minimum to its start), over its lowest saddle. */
  private turnOn(): void {
    let c: EscapeCandidates | null;
    try {
      c = this.candidates();
    } catch (e) {
      this.problem = (e as Error).message;
      return;
    }
    if (!c || !c.minima.length || !c.saddles.length) {
      this.problem = !c ? 'no simulation yet' : `no ${c.minima.length ? 'index-1 saddle' : 'non-degenerate minimum'} on this surface inside the domain (${c.source === 'catalogue' ? 'surface catalogue' : 'CPU critical-point search'}), so there is no basin exit to watch`;
      return;
    }
    this.problem = null;
    const init = this.scenario?.particles.init;
    const start = init?.kind === 'gaussian' ? init.mean : init?.kind === 'point' ? init.at : null;
    let mi = 0;
    if (start) {
      let bestD = Infinity;
      c.minima.forEach((m, i) => { const d = Math.hypot(m.at[0] - start[0], m.at[1] - start[1]); if (d < bestD) { bestD = d; mi = i; } });
    }
    this.write(c.minima[mi].at, this.saddleFor(c, mi)!);
  }

  private chooseMinimum(c: EscapeCandidates, mi: number): void {
    const s = this.saddleFor(c, mi);
    if (s) this.write(c.minima[mi].at, s);
  }

  // ---- rendering ---------------------------------------------------------------

  override render() {
    if (!this.spec) {
      return html`<div class="bar" data-escape="off">
        <b>Escape statistics</b><span class="muted">off</span>
        <button name="escape-on" title="record, for every particle of every panel, the step it first leaves a basin over a saddle; histogram, mean and the Eyring–Kramers prediction" @click=${() => this.turnOn()}>watch escapes from a basin…</button>
        ${this.problem ? html`<span class="err">${this.problem}</span>` : nothing}
      </div>`;
    }
    const w = this.watch;
    return html`<div class="bar" data-escape="on">
        <b>Escape statistics</b>
        ${this.picker()}
        ${w ? html`<span class="muted help" title=${`${w.target.exitNote}. Critical points ${w.target.source === 'catalogue' ? 'from the surface catalogue' : 'from the CPU critical-point search (24 × 24 Newton starts)'}.`}>
          ΔF = ${formatNumber(clean(w.target.barrier))} · ${w.target.source === 'catalogue' ? 'catalogue points' : 'CPU search'}</span>
          ${this.everyPicker()}` : nothing}
        ${this.error ? html`<span class="err">${this.error}</span>` : nothing}
        <button name="escape-off" title="stop recording escapes" @click=${() => this.turnOff()}>off</button>
      </div>
      ${w ? html`<div class="row">${this.snapshot ? this.snapshot.panels.map((p) => this.card(p)) : html`<div class="muted">waiting for the first read of the records…</div>`}</div>` : nothing}`;
  }

  private everyPicker(): TemplateResult {
    const every = this.spec?.every ?? 1;
    const choices = CHECK_EVERY.includes(every) ? CHECK_EVERY : [...CHECK_EVERY, every].sort((a, b) => a - b);
    return html`<label class="help" title=${RESOLUTION_HELP}>checked every
      <select name="escape-every" @change=${(e: Event) => this.writeEvery(Number((e.target as HTMLSelectElement).value))}>
        ${choices.map((k) => html`<option value=${k} ?selected=${k === every}>${k === 1 ? 'step (exact)' : `${k.toLocaleString('en')} steps`}</option>`)}
      </select></label>`;
  }

  private picker(): TemplateResult | typeof nothing {
    let c: EscapeCandidates | null = null;
    try {
      c = this.candidates();
    } catch {
      c = null;
    }
    if (!c || !c.minima.length) return nothing;
    const w = this.watch;
    const spec = this.spec!;
    const near = (list: { at: Vec2 }[], p: Vec2) => list.reduce((b, q, i) => (Math.hypot(q.at[0] - p[0], q.at[1] - p[1]) < Math.hypot(list[b].at[0] - p[0], list[b].at[1] - p[1]) ? i : b), 0);
    const mi = w ? c.minima.indexOf(w.target.minimum) : near(c.minima, spec.minimum);
    const si = !c.saddles.length ? -1 : w ? c.saddles.indexOf(w.target.saddle) : near(c.saddles, spec.saddle);
    const fm = c.minima[Math.max(mi, 0)].value;
    // saddles joined to the chosen minimum first
    const order = c.saddles.map((_, i) => i).sort((a, b) => Number(!c.saddles[a].joins.includes(mi)) - Number(!c.saddles[b].joins.includes(mi)) || c.saddles[a].value - c.saddles[b].value);
    const saddles = order.slice(0, MAX_LISTED);
    if (si >= 0 && !saddles.includes(si)) saddles.push(si);
    const minima = c.minima.slice(0, MAX_LISTED).map((_, i) => i);
    if (mi >= MAX_LISTED) minima.push(mi);
    return html`
      <label title="the minimum whose basin the particles leave">basin of
        <select name="escape-minimum" @change=${(e: Event) => this.chooseMinimum(c, Number((e.target as HTMLSelectElement).value))}>
          ${minima.map((i) => html`<option value=${i} ?selected=${i === mi}>min ${pt(c.minima[i].at)} f = ${formatNumber(clean(c.minima[i].value))}</option>`)}
        </select></label>
      <label title="the index-1 saddle crossed; those joined to the basin's minimum first">over
        <select name="escape-saddle" @change=${(e: Event) => this.write(c.minima[mi].at, c.saddles[Number((e.target as HTMLSelectElement).value)].at)}>
          ${saddles.map((i) => html`<option value=${i} ?selected=${i === si}>saddle ${pt(c.saddles[i].at)} ΔF = ${formatNumber(clean(c.saddles[i].value - fm))}${c.saddles[i].joins.includes(mi) ? '' : ' (not joined)'}</option>`)}
        </select></label>`;
  }

  private card(p: PanelEscape): TemplateResult {
    const s = p.stats;
    const color = PANEL_COLORS[p.panel % PANEL_COLORS.length];
    const se = s.meanSteps * s.relativeError;
    const mean = !s.escaped ? html`<span title=${MEAN_HELP}>mean: none escaped yet</span>`
      : p.lrEff !== null ? html`<span title=${MEAN_HELP}>mean <span class="k">t = ${formatNumber(s.meanTime)} ± ${formatNumber(se * p.lrEff, 2)}</span> (${formatNumber(s.meanSteps)} ± ${formatNumber(se, 2)} steps)</span>`
        : html`<span title=${MEAN_HELP}>mean <span class="k">${formatNumber(s.meanSteps)} ± ${formatNumber(se, 2)} steps</span></span>`;
    const k = p.kramers;
    const kramers = k.ok
      ? html`<span title=${`${KRAMERS_HELP}\nT = ${formatNumber(k.temperature)}, ΔF = ${formatNumber(k.prediction.barrier)}, prefactor ${formatNumber(k.prediction.prefactor)}${k.caution ? `\nCaution: ${k.caution}` : ''}`}>
          Kramers <span class="k">t = ${formatNumber(k.prediction.tau)}</span> (${formatNumber(k.tauSteps)} steps)${k.caution ? ' ⚠' : ''}${s.escaped ? html` · measured/Kramers ${formatNumber(s.meanSteps / k.tauSteps, 2)}` : nothing}</span>`
      : html`<span title=${`${KRAMERS_HELP}\nNot applicable here: ${k.why}`}>Kramers n/a: ${k.why}</span>`;
    return html`<div class="card" data-escape-panel=${p.panel}>
      <div class="head"><span class="sw" style=${`background:${color}`}></span><b>${p.label}</b>
        <span class="legend" title=${`${MEAN_HELP}\n${KRAMERS_HELP}`}>│ mean${k.ok ? ' ┆ Kramers' : ''}</span></div>
      <div class="plot" id=${`escape-plot-${p.panel}`}></div>
      <div class="foot">left ${s.escaped.toLocaleString('en')} of ${s.count.toLocaleString('en')} · inside (censored) ${s.censored.toLocaleString('en')} at step ${s.maxSteps.toLocaleString('en')}</div>
      <div class="foot">${mean}</div>
      <div class="foot">${kramers}</div>
    </div>`;
  }

  // ---- plots ---------------------------------------------------------------------

  protected override updated(changed: PropertyValues): void {
    if (!this.snapshot || !this.watch) {
      this.dropPlots();
      return;
    }
    if (changed.has('snapshot') || changed.has('watch')) this.drawPlots(this.snapshot);
  }

  private dropPlots(): void {
    for (const { plot } of this.plots.values()) plot.destroy();
    this.plots.clear();
  }

  private drawPlots(snap: EscapeSnapshot): void {
    const seen = new Set<number>();
    for (const p of snap.panels) {
      seen.add(p.panel);
      const target = this.renderRoot.querySelector<HTMLElement>(`#escape-plot-${p.panel}`);
      if (!target) continue;
      const key = `${p.lrEff}|${p.histogram.kramers !== null}`;
      let entry = this.plots.get(p.panel);
      if (entry && (entry.key !== key || entry.plot.root.parentElement !== target)) {
        entry.plot.destroy();
        entry = undefined;
      }
      if (!entry) {
        entry = { plot: this.makePlot(target, p), key };
        this.plots.set(p.panel, entry);
      }
      const h = p.histogram;
      // stepped series: one value per left edge, the last bin's value repeated at the right edge
      const y = [...h.counts, h.counts[h.counts.length - 1] ?? 0];
      const kramers = h.kramers ? [...h.kramers, h.kramers[h.kramers.length - 1] ?? 0] : [];
      entry.plot.setData(h.kramers ? [h.edges, y, kramers] : [h.edges, y]);
    }
    for (const [i, e] of this.plots) if (!seen.has(i)) { e.plot.destroy(); this.plots.delete(i); }
  }

  private makePlot(target: HTMLElement, p: PanelEscape): uPlot {
    const color = PANEL_COLORS[p.panel % PANEL_COLORS.length];
    const axis = { stroke: '#8b94a7', grid: { stroke: '#232937', width: 1 }, ticks: { stroke: '#2c3342', width: 1 }, font: '10px system-ui, sans-serif', labelFont: '10px system-ui, sans-serif' };
    const lrEff = p.lrEff;
    const axes: uPlot.Axis[] = [
      { ...axis, scale: 'x', side: 2, label: 'steps', labelSize: 12, size: 26, values: (_u, v) => v.map((x) => formatNumber(x)) },
      { ...axis, scale: 'y', side: 3, label: 'escapes / bin', labelSize: 12, size: 34, values: (_u, v) => v.map((x) => formatNumber(x)) },
    ];
    if (lrEff !== null) axes.push({ ...axis, scale: 'x', side: 0, label: 't = steps · lr_eff', labelSize: 12, size: 24, grid: { show: false }, values: (_u, v) => v.map((x) => formatNumber(x * lrEff)) });
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const series: uPlot.Series[] = [{ label: 'steps' }, { label: 'escapes', stroke: color, fill: `${color}55`, width: 1.2, paths: stepped, points: { show: false } }];
    if (p.histogram.kramers) series.push({ label: 'Kramers', stroke: '#e8edf5', width: 1, dash: [4, 3], paths: stepped, points: { show: false } });
    const { width, height } = this.plotSize(target);
    return new uPlot({
      width, height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.08] } },
      axes,
      series,
      hooks: { draw: [(u) => this.drawMarkers(u, p.panel, color)] },
    }, [[], ...series.slice(1).map(() => [])], target);
  }

  /** Vertical lines: the measured mean (solid, panel colour) and the Kramers tau (dashed white), when inside the plot. */
  private drawMarkers(u: uPlot, panel: number, color: string): void {
    const p = this.snapshot?.panels.find((q) => q.panel === panel);
    if (!p) return;
    const marks: { at: number; color: string; dash: number[] }[] = [];
    if (p.stats.escaped && Number.isFinite(p.stats.meanSteps)) marks.push({ at: p.stats.meanSteps, color, dash: [] });
    if (p.kramers.ok) marks.push({ at: p.kramers.tauSteps, color: '#e8edf5', dash: [4, 3] });
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    for (const m of marks) {
      const x = u.valToPos(m.at, 'x', true);
      if (!(x >= left && x <= left + width)) continue;
      ctx.save();
      ctx.strokeStyle = m.color;
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.setLineDash(m.dash.map((d) => d * devicePixelRatio));
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.restore();
    }
  }

  private plotSize(target: HTMLElement): { width: number; height: number } {
    const r = target.getBoundingClientRect();
    return { width: Math.max(160, Math.floor(r.width)), height: Math.max(70, Math.floor(r.height)) };
  }

  private resizePlots(): void {
    for (const [i, { plot }] of this.plots) {
      const target = this.renderRoot.querySelector<HTMLElement>(`#escape-plot-${i}`);
      if (target) plot.setSize(this.plotSize(target));
    }
  }
}
