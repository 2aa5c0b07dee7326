// <analysis-panel>: the sidebar's "Landscape" tools. It renders the state of
// the AnalysisController (critical points, minimum-energy path, smoothed
// loss: run as tasks there, drawn by the renderer from there) and raises
// edits: every choice is an edit of doc.analysis (a LabEditEvent), so the URL
// hash and presets carry the tools.
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controlStyles } from './styles';
import type { Scenario } from '../model/scenario';
import { panelSchema } from '../model/scenario-schema';
import type { Surface, Vec2 } from '../model/surface-types';
import type { CriticalPointInfo, CriticalReport } from '../sim/analysis/critical-points';
import type { MinimumEnergyPath } from '../sim/analysis/neb';
import { stepNoiseKernel, type SmoothingKernel } from '../sim/analysis/smoothing';
import { MARKER_COLORS, MARKER_SYMBOLS } from '../render/marker-colors';
import { CRITICAL_SEEDS, SMOOTHING_GRID } from './analysis-job';
import { analysisEdit, type AnalysisController, type AnalysisView, type CriticalView, type PathView, type SmoothView } from './analysis-controller';
import type { AnalysisDoc, ScenarioDoc } from './scenario-state';
import { formatNumber, countOf } from '../model/format';
import type { ProfilePoint } from './path-chart';

const IDLE: AnalysisView = { critical: { status: 'idle' }, path: { status: 'idle' }, smooth: { status: 'idle' }, picking: null };

@customElement('analysis-panel')
export class AnalysisPanel extends LitElement {
  static override styles = [controlStyles, css`
    :host { display: block; font: 13px/1.35 system-ui, sans-serif; color: #d7deea; --control-bg: #1c2330; --button-hover: #273044; --control-pad: 2px 7px; }
    section { border-bottom: 1px solid #232936; padding: 10px 12px; }
    h3 { margin: 0 0 8px; font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #8fa0bd; }
    h4 { margin: 10px 0 4px; font-size: 12px; font-weight: 600; color: #c9d1e0; }
    button, select { font-size: 12px; cursor: pointer; }
    input[type=checkbox] { padding: 0; border: none; background: none; }
    label.check { display: flex; gap: 6px; align-items: center; margin: 4px 0; cursor: pointer; }
    .row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin: 4px 0; }
    .note { color: #8b94a7; font-size: 12px; margin: 3px 0; }
    .busy { color: #8fb4ff; font-size: 12px; margin: 3px 0; }
    .err { color: #ff8f8f; font-size: 12px; margin: 3px 0; white-space: pre-wrap; }
    .list { max-height: 180px; overflow-y: auto; border: 1px solid #232936; border-radius: 4px; margin: 4px 0; }
    .item { display: grid; grid-template-columns: 14px 1fr auto; gap: 4px; align-items: center; padding: 2px 6px; font-size: 12px; font-variant-numeric: tabular-nums; border-bottom: 1px solid #1a1f2a; }
    .item:last-child { border-bottom: none; }
    .item .what { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .item .sub { color: #8b94a7; }
    .item button { padding: 0 5px; font-size: 11px; }
    .sym { font-size: 12px; text-align: center; }
    .deg { color: #d783ff; }
    .kv { display: grid; grid-template-columns: auto 1fr; gap: 1px 8px; font-size: 12px; font-variant-numeric: tabular-nums; margin: 4px 0; }
    .kv b { font-weight: 600; color: #f0f3f8; }
    .kv span:nth-child(odd) { color: #8b94a7; }
    .hint { color: #ffd28a; font-size: 12px; margin: 3px 0; }
  `];

  /** the draft scenario (its `analysis` drives the checkboxes) */
  @property({ attribute: false }) doc: ScenarioDoc | null = null;
  /** runs the tools; the panel asks it for a new search, for picking, for a path */
  @property({ attribute: false }) analysis: AnalysisController | null = null;
  /** analysis.view: what the tools found (a new object when anything changed) */
  @property({ attribute: false }) view: AnalysisView = IDLE;
  /** the running scenario (engine.scenario): what the tools compute for */
  @property({ attribute: false }) scenario: Scenario | null = null;
  /** the running surface (loss along the band while it relaxes) */
  @property({ attribute: false }) surface: Surface | null = null;
  /** engine.builds: a new simulation (possibly a new surface) */
  @property({ attribute: false }) builds = 0;

  /** The tools' state as rendered (tests and scripts read these). */
  get critical(): CriticalView { return this.view.critical; }
  get path(): PathView { return this.view.path; }
  get smooth(): SmoothView { return this.view.smooth; }
  private get picking(): AnalysisView['picking'] { return this.view.picking; }

  private edit(apply: (analysis: AnalysisDoc, doc: ScenarioDoc) => void): void {
    this.dispatchEvent(analysisEdit(apply));
  }

  private get draft(): AnalysisDoc | Record<string, never> {
    return this.doc?.analysis ?? {};
  }

  private setPath(from: Vec2, to: Vec2): void {
    this.analysis?.setPath(from, to);
  }

  /** the build whose arrival scrolled the tools into view */
  private shownForBuild = -1;

  protected override updated(changed: PropertyValues<this>): void {
    // a scenario that arrives with tools (a preset, a link) shows them at once (again as results make the section longer)
    const a = this.scenario?.analysis;
    const arrived = changed.has('builds') && this.builds !== this.shownForBuild && (a?.critical || a?.path || a?.smoothing);
    const before = changed.get('view');
    const grew = this.shownForBuild === this.builds && !!before && (['critical', 'path', 'smooth'] as const).some((k) => before[k].status === 'busy' && this.view[k].status === 'done');
    if (arrived || grew) {
      this.shownForBuild = this.builds;
      this.scrollIntoView({ block: 'start' });
    }
  }

  // ---- rendering -------------------------------------------------------------------

  override render() {
    if (!this.doc) return nothing;
    return html`<section>
      <h3 title="critical points, minimum-energy paths between minima, and the loss as SGD feels it (smoothed by one step's noise)">Landscape</h3>
      ${this.criticalPart()}
      ${this.pathPart()}
      ${this.smoothingPart()}
    </section>`;
  }

  private criticalPart(): TemplateResult {
    const c = this.critical;
    const shown = !!this.draft.critical;
    const r = c.report;
    const count = (k: string) => r?.points.filter((p) => p.kind === k).length ?? 0;
    return html`
      <div class="row">
        <button name="find-critical" ?disabled=${c.status === 'busy' || !this.scenario}
          title=${`damped Newton on grad f from ${CRITICAL_SEEDS} x ${CRITICAL_SEEDS} starts on the GPU, polished in float64, deduplicated and classified by the Hessian's eigenvalues`}
          @click=${() => (shown ? this.analysis?.findCriticalAgain() : this.edit((a) => { a.critical = true; }))}>Find critical points</button>
        <label class="check" title="markers at the critical points in the 3-D view and the maps">
          <input type="checkbox" name="show-critical" .checked=${shown} @change=${(ev: Event) => { const v = (ev.target as HTMLInputElement).checked; this.edit((a) => { a.critical = v; }); }}>show</label>
      </div>
      ${c.status === 'busy' ? html`<div class="busy">searching from ${CRITICAL_SEEDS * CRITICAL_SEEDS} starts on the GPU…</div>` : nothing}
      ${c.status === 'error' ? html`<div class="err">critical points: ${c.error}</div>` : nothing}
      ${r ? html`
        <div class="note" data-critical-summary>${countOf(count('minimum'), 'minimum', 'minima')}, ${countOf(count('saddle'), 'saddle', 'saddles')}, ${countOf(count('maximum'), 'maximum', 'maxima')}${r.manifolds.length ? `, ${r.manifolds.length} curve${r.manifolds.length > 1 ? 's' : ''} of minima` : ''} · ${formatNumber(c.seconds ?? 0, 2)} s</div>
        <div class="list" data-critical-list>
          ${r.manifolds.map((m) => this.manifoldItem(m))}
          ${r.points.map((p) => this.pointItem(p))}
        </div>` : nothing}`;
  }

  private pointItem(p: CriticalPointInfo): TemplateResult {
    const color = MARKER_COLORS[p.degenerate ? 'degenerate' : p.kind];
    // short names keep a row on one line; the title says it in full
    const name = p.kind === 'saddle' ? `saddle i=${p.index}` : p.kind === 'minimum' ? 'min' : 'max';
    const ev = `${p.kind}${p.kind === 'saddle' ? ` of index ${p.index} (one negative Hessian eigenvalue)` : ''} at (${p.at[0]}, ${p.at[1]}), loss ${p.value}; Hessian eigenvalues ${formatNumber(p.eigenvalues[0])}, ${formatNumber(p.eigenvalues[1])}${p.degenerate ? ' (one is near zero: degenerate)' : ''}; ${p.starts} start(s) converged here`;
    return html`<div class="item" data-kind=${p.kind} data-x=${p.at[0]} data-y=${p.at[1]} data-loss=${p.value} title=${ev}>
      <span class="sym" style=${`color:${color}`}>${MARKER_SYMBOLS[p.kind]}</span>
      <span class="what">${name}${p.degenerate ? html` <span class="deg">degenerate</span>` : ''} <span class="sub">(${formatNumber(p.at[0], 4)}, ${formatNumber(p.at[1], 4)}) f ${formatNumber(p.value, 4)}</span></span>
      ${p.kind === 'minimum' ? this.endpointButtons(p.at) : html`<span></span>`}
    </div>`;
  }

  private manifoldItem(m: CriticalReport['manifolds'][number]): TemplateResult {
    const what = m.kind === 'minimum-manifold' ? 'curve of minima' : m.kind === 'maximum-manifold' ? 'curve of maxima' : 'curve of degenerate points';
    const pts = m.points;
    // two points a third of the way apart along the curve: a path between them stays on it
    const a = pts[0], b = pts[Math.floor(pts.length / 3)];
    return html`<div class="item" data-kind=${m.kind} title=${`a connected set of critical points: the loss is ${formatNumber(m.value, 4)} along it (range ${formatNumber(m.valueRange[0], 4)} to ${formatNumber(m.valueRange[1], 4)}); the Hessian has one zero eigenvalue along the curve and ${formatNumber(m.normalEigenvalue[0])} to ${formatNumber(m.normalEigenvalue[1])} across it`}>
      <span class="sym" style=${`color:${MARKER_COLORS.degenerate}`}><b>~</b></span>
      <span class="what">${what} <span class="sub">${m.closed ? 'closed, ' : ''}L ${formatNumber(m.length)}, f ${formatNumber(m.value, 3)}</span></span>
      ${m.kind === 'minimum-manifold' && pts.length > 3 ? html`<button title="a minimum-energy path between two points of this curve" @click=${() => this.setPath(a, b)}>path</button>` : html`<span></span>`}
    </div>`;
  }

  private endpointButtons(at: Vec2): TemplateResult {
    const p = this.draft.path;
    const isFrom = !!p && Math.hypot(p.from[0] - at[0], p.from[1] - at[1]) < 1e-4;
    const isTo = !!p && Math.hypot(p.to[0] - at[0], p.to[1] - at[1]) < 1e-4;
    return html`<span>
      <button class=${isFrom ? 'on' : ''} title="start the path here" @click=${() => this.setPath(at, p?.to ?? this.otherMinimum(at))}>A</button>
      <button class=${isTo ? 'on' : ''} title="end the path here" @click=${() => this.setPath(p?.from ?? this.otherMinimum(at), at)}>B</button></span>`;
  }

  /** The lowest found minimum other than `at` (the default other end of a path). */
  private otherMinimum(at: Vec2): Vec2 {
    const m = this.critical.report?.points.filter((p) => p.kind === 'minimum' && Math.hypot(p.at[0] - at[0], p.at[1] - at[1]) > 1e-6) ?? [];
    return m.length ? m[0].at : at;
  }

  private pathPart(): TemplateResult {
    const p = this.path, spec = this.draft.path;
    const r = p.result;
    return html`
      <h4 title="nudged elastic band: pivots joined by springs, the loss's force perpendicular to the path, a climbing image for the saddle, pivots added where the path bends or the loss changes fast (AutoNEB)">Minimum-energy path</h4>
      <div class="row">
        <button name="pick-path" class=${this.picking ? 'on' : ''} title="click two points on the surface (3-D view or map); each snaps to the nearest found minimum"
          @click=${() => this.analysis?.togglePicking()}>${this.picking ? 'picking…' : 'pick 2 minima'}</button>
        ${spec ? html`<button name="clear-path" title="remove the path" @click=${() => this.edit((a) => { delete a.path; })}>clear</button>` : nothing}
      </div>
      ${this.picking ? html`<div class="hint">${this.picking.from ? `from (${formatNumber(this.picking.from[0], 4)}, ${formatNumber(this.picking.from[1], 4)}): click the second minimum` : 'click the first minimum on the surface'}</div>` : nothing}
      ${spec && !this.picking ? html`<div class="note">from (${formatNumber(spec.from[0], 4)}, ${formatNumber(spec.from[1], 4)}) to (${formatNumber(spec.to[0], 4)}, ${formatNumber(spec.to[1], 4)})</div>` : nothing}
      ${p.status === 'busy' ? html`<div class="busy">relaxing the band… ${p.iterations ?? 0} iterations, ${p.band?.length ?? 0} pivots</div>` : nothing}
      ${p.status === 'error' ? html`<div class="err">path: ${p.error}</div>` : nothing}
      ${r ? this.pathReport(r, p.seconds ?? 0) : nothing}
      ${p.band && p.band.length > 1 ? html`${loadPathChart()}<path-chart .path=${this.pathProfile()} .straight=${this.straightProfile()}></path-chart>` : nothing}`;
  }

  private pathReport(r: MinimumEnergyPath, seconds: number): TemplateResult {
    const s = r.saddle;
    return html`<div class="kv" data-path-report data-barrier=${r.barrier} data-straight-barrier=${r.straightBarrier} data-saddle=${s ? JSON.stringify([s.at[0], s.at[1], s.loss]) : ''}>
      <span title="the path's highest loss minus the higher endpoint's loss">barrier</span><span><b>${formatNumber(r.barrier, 4)}</b></span>
      <span title="the same along the straight line between the two minima">straight line</span><span>${formatNumber(r.straightBarrier, 4)}</span>
      ${s ? html`<span title="the climbing image refined by Newton on grad f">saddle</span><span>(${formatNumber(s.at[0], 5)}, ${formatNumber(s.at[1], 5)}) f ${formatNumber(s.loss, 5)}</span>
        <span title="Hessian eigenvalues at the saddle (one negative: index 1)">eigenvalues</span><span>${formatNumber(s.eigenvalues[0], 4)}, ${formatNumber(s.eigenvalues[1], 4)} (index ${s.index})</span>`
      : html`<span>saddle</span><span>none: the path stays at the minima's loss</span>`}
      ${r.intermediateMinima.length ? html`<span>via</span><span>${r.intermediateMinima.length} intermediate minimum${r.intermediateMinima.length > 1 ? 'a' : ''}, ${r.saddles.length} saddles</span>` : nothing}
      <span>band</span><span>${r.pivots.length} pivots, ${r.iterations} iterations, ${formatNumber(seconds, 2)} s${r.converged ? '' : ' — did not converge'}</span>
    </div>`;
  }

  /** Loss along the band against arc length. */
  private pathProfile(): ProfilePoint[] {
    const r = this.path.result;
    if (r) return r.pivots.map((p) => ({ s: p.s, loss: p.loss }));
    const band = this.path.band ?? [], surface = this.surface;
    if (!surface) return [];
    let s = 0;
    return band.map((q, i) => {
      if (i > 0) s += Math.hypot(q[0] - band[i - 1][0], q[1] - band[i - 1][1]);
      return { s, loss: surface.value(q[0], q[1]) };
    });
  }

  /** Loss along the straight line between the path's ends, against distance from the start. */
  private straightProfile(): ProfilePoint[] {
    const r = this.path.result;
    if (r) {
      const L = Math.hypot(r.to.at[0] - r.from.at[0], r.to.at[1] - r.from.at[1]);
      return r.straightLine.map((q) => ({ s: q.t * L, loss: q.loss }));
    }
    const band = this.path.band ?? [], surface = this.surface;
    if (!surface || band.length < 2) return [];
    const a = band[0], b = band[band.length - 1];
    const L = Math.hypot(b[0] - a[0], b[1] - a[1]);
    return Array.from({ length: 65 }, (_, i) => {
      const t = i / 64;
      return { s: t * L, loss: surface.value(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])) };
    });
  }

  private smoothingPart(): TemplateResult {
    const panels = this.doc?.panels ?? [];
    const sgd = panels.map((p, i) => ({ p, i })).filter(({ p }) => p?.optimizer?.kind === 'sgd');
    const spec = this.draft.smoothing;
    const s = this.smooth, r = s.result;
    const chosen = spec?.panel ?? sgd[sgd.length - 1]?.i ?? 0;
    const vanished = r?.minima.filter((m) => !m.survives) ?? [];
    return html`
      <h4 title="SGD's iterate is gradient descent on the loss convolved with one step's noise kernel, f~(x) = E[f(x + u)] (Kleinberg, Li & Yuan 2018); minima narrower than the kernel vanish">Smoothed loss</h4>
      <div class="row">
        <label class="check"><input type="checkbox" name="show-smoothing" .checked=${!!spec} ?disabled=${sgd.length === 0}
          @change=${(ev: Event) => { const v = (ev.target as HTMLInputElement).checked; this.edit((a) => { if (v) a.smoothing = { panel: chosen }; else delete a.smoothing; }); }}>show, by the noise of</label>
        <select name="smoothing-panel" ?disabled=${sgd.length === 0} title="the panel whose one-step noise kernel smooths the loss (SGD panels only: Adam rescales its step per coordinate)"
          @change=${(ev: Event) => { const v = Number((ev.target as HTMLSelectElement).value); this.edit((a) => { a.smoothing = { panel: v }; }); }}>
          ${sgd.map(({ i }) => html`<option value=${i} ?selected=${i === chosen}>panel ${i + 1}</option>`)}
        </select>
      </div>
      ${sgd.length === 0 ? html`<div class="note">no SGD panel: Adam has no fixed noise kernel</div>` : nothing}
      ${spec && panels[spec.panel] ? html`<div class="note">${kernelText(panels[spec.panel])}</div>` : nothing}
      ${s.status === 'busy' ? html`<div class="busy">smoothing the loss on the GPU (${SMOOTHING_GRID + 1}² points, Gauss–Hermite quadrature at each)… ${Math.round(100 * (s.fraction ?? 0))}%</div>` : nothing}
      ${s.status === 'error' ? html`<div class="err">smoothed loss: ${s.error}</div>` : nothing}
      ${r ? html`
        <div class="note" data-smoothing-summary data-vanished=${vanished.length} data-minima=${r.minima.length}>${r.minima.length} raw minima: <span style=${`color:${MARKER_COLORS.vanished}`}>✕ ${vanished.length} vanish</span>, <span style=${`color:${MARKER_COLORS.survives}`}>○ ${r.minima.length - vanished.length} remain</span> under smoothing · ${formatNumber(s.seconds ?? 0, 2)} s, Gauss–Hermite ${r.order}×${r.order} points. The 3-D view and the maps show f~ in the loss's colour scale.</div>
        ${vanished.length ? html`<div class="list" data-vanished-list>${vanished.map((m) => html`<div class="item" data-x=${m.at[0]} data-y=${m.at[1]}>
          <span class="sym" style=${`color:${MARKER_COLORS.vanished}`}>✕</span>
          <span class="what">(${formatNumber(m.at[0], 4)}, ${formatNumber(m.at[1], 4)}) <span class="sub">f ${formatNumber(m.value, 4)} → f~ ${formatNumber(m.smoothedValue, 4)}</span></span><span></span></div>`)}</div>` : nothing}` : nothing}`;
  }
}

/** What the smoothing kernel of a panel is, in words. */
function kernelText(panel: ScenarioDoc['panels'][number]): string {
  const spec = panelSchema.safeParse(panel);
  if (!spec.success) return `this panel is not valid yet: ${spec.error.issues[0]?.message ?? 'see its fields'}`;
  let k: SmoothingKernel;
  try {
    k = stepNoiseKernel(spec.data);
  } catch (e) {
    return (e as Error).message;
  }
  switch (k.kind) {
    case 'none': return 'this panel has no noise: the smoothed loss is the loss';
    case 'gaussian': {
      const [a, b, c] = k.covariance;
      return b === 0 && a === c
        ? `kernel: isotropic Gaussian, σ = ${formatNumber(Math.sqrt(a))} per step (exact for this noise model)`
        : `kernel: Gaussian with covariance [[${formatNumber(a)}, ${formatNumber(b)}], [${formatNumber(b)}, ${formatNumber(c)}]] per step (exact for this noise model)`;
    }
    case 'gradient-covariance':
      return `kernel: minibatch noise, approximated by a Gaussian with the local per-sample gradient covariance × ${formatNumber(k.scale)} (lr²/B); the exact law of a minibatch mean is not Gaussian`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'analysis-panel': AnalysisPanel;
  }
}

/** The path profile's chart (uPlot) loads with the first path shown; renders nothing. */
let pathChartLoad: Promise<unknown> | null = null;
function loadPathChart(): typeof nothing {
  pathChartLoad ??= import('./path-chart').catch((e: unknown) => { pathChartLoad = null; console.warn('SGD Lab: the path chart did not load:', e); });
  return nothing;
}
