// The network lab's worker tools, their state and their templates (split from
// network-lab.ts): the mode-connectivity path, the stationary cloud, noise
// against curvature and critical points. Each tool is a NetworkTool
// controller on the lab; this object holds which two networks the path joins
// and what the side column shows, starts the tools, and renders their sidebar
// sections and side views (into the lab's shadow root, with the lab's styles).
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { formatNumber } from '../model/format';
import { panelNetworkModel } from '../model/network/model';
import type { NetworkRun } from './network-doc';
import type { NetworkRunController } from './network-run';
import type { PlaneRequest } from './network-landscape';
import type { NetworkDecisionController, Selection } from './network-decision';
import { NetworkPathController, PAGE_CURVE_STEPS, type PathEnds } from './network-path';
import { NetworkStationaryController, STATIONARY_DIRECTIONS, stationaryUnsupported } from './network-stationary';
import { NetworkNoiseController } from './network-noise';
import { CRITICAL_MAX_PARAMS, NetworkCriticalController } from './network-critical';
import './network-path-chart';
import './network-stationary-chart';
import './network-noise-chart';
import './network-critical-chart';

/** What the lab's side column shows under the selected network's map: the mean map or one tool's result (the latest started). */
export type SideView = 'mean' | 'path' | 'stationary' | 'noise' | 'critical';

/** The lab as its tools see it. */
export interface ToolsHost extends ReactiveControllerHost {
  readonly run: NetworkRun | null;
  readonly runner: NetworkRunController;
  readonly decision: NetworkDecisionController;
  computePlane(change?: Partial<PlaneRequest>): Promise<void>;
}

export class NetworkLabTools {
  readonly path: NetworkPathController;
  readonly stationary: NetworkStationaryController;
  readonly noise: NetworkNoiseController;
  readonly critical: NetworkCriticalController;
  private side: SideView = 'mean';
  private ends: PathEnds = { panel: 0, ends: [0, 1] };

  constructor(private readonly host: ToolsHost) {
    this.path = new NetworkPathController(host, host.runner);
    this.stationary = new NetworkStationaryController(host, host.runner);
    this.noise = new NetworkNoiseController(host, host.runner);
    this.critical = new NetworkCriticalController(host, host.runner);
  }

  get sideView(): SideView { return this.side; }
  set sideView(v: SideView) { this.side = v; this.host.requestUpdate(); }

  /** the two networks the mode-connectivity path joins */
  get pathEnds(): PathEnds { return this.ends; }
  set pathEnds(v: PathEnds) { this.ends = v; this.host.requestUpdate(); }

  /** A new scenario: the path's ends within its panels and networks. */
  fitTo(panels: number, count: number): void {
    const fix = (i: number) => Math.min(i, count - 1);
    this.pathEnds = { panel: Math.min(this.pathEnds.panel, panels - 1), ends: [fix(0), fix(1)] };
  }

  /**
   * The mode-connectivity path between two networks (the current pathEnds, changed
   * by `change`), then the plane through its ends and its curve's midpoint.
   */
  async findPath(change: Partial<PathEnds> = {}): Promise<void> {
    this.pathEnds = { ...this.pathEnds, ...change };
    this.sideView = 'path';
    await this.path.compute(this.pathEnds);
    const r = this.path.result;
    if (this.path.status !== 'done' || !r) return;
    const curve = this.path.curvePoints(r.path.curve.points.length);
    await this.host.computePlane({ kind: 'path', panel: r.panel, path: { ends: r.ends, curve, curveLoss: r.path.curve.points.map((p) => p.trainLoss), lineLoss: r.path.straight.points.map((p) => p.trainLoss) } });
  }

  /** Puts every network of `panel` at the minimum near its network `index` and measures the cloud as it spreads (the stationary-cloud tool). */
  startStationary(panel: number, index: number): Promise<void> {
    this.sideView = 'stationary';
    return this.stationary.start(panel, index);
  }

  /** The Hessian's top eigenvalues against the gradient noise along them, at network `index` of `panel` as it is now. */
  noiseAt(panel: number, index: number): Promise<void> {
    this.sideView = 'noise';
    return this.noise.compute(panel, index);
  }

  /** Critical points of panel `panel`'s loss and their index (Dauphin et al.), beside the plane. */
  criticalPoints(panel: number): Promise<void> {
    this.sideView = 'critical';
    return this.critical.compute(panel);
  }

  /** The side column's second slot: the view of the tool started last, else `mean` (the mean decision map). */
  sideContent(mean: TemplateResult): TemplateResult | typeof nothing {
    if (this.sideView === 'path' && this.path.result) return this.pathProfile();
    if (this.sideView === 'stationary' && this.stationary.prediction) return this.stationaryView();
    if (this.sideView === 'noise' && this.noise.result) return this.noiseView();
    if (this.sideView === 'critical' && this.critical.result) return this.criticalView();
    return mean;
  }

  /** The sidebar's tool sections: mode connectivity, stationary cloud, critical points. */
  controls() {
    return html`${this.pathControls()}${this.stationaryControls()}${this.criticalControls()}`;
  }

  /** Noise against curvature at the selected network (its button under "Selected network"). */
  noiseButton(s: Selection) {
    const n = this.noise;
    return html`<div class="row"><button name="net-noise" ?disabled=${!this.host.runner.sim || n.status === 'running'}
          title="the Hessian's top eigenvalues at this network against the gradient noise along the same directions (per-sample gradient covariance Σ), and its panel's effective temperature lr tr Σ/(2BD); computed in a worker (about 6 s at 337 weights, 23 s at 1,185)"
          @click=${() => void this.noiseAt(s.panel, s.index)}>Noise vs curvature</button>
          <span class="muted" data-noise-status=${n.status}>${n.status === 'running' ? 'computing…' : n.status === 'done' ? `#${n.result!.index}, ${formatNumber(n.result!.seconds, 2)} s` : ''}</span></div>
        ${n.status === 'error' ? html`<div class="error">${n.error}</div>` : nothing}`;
  }

  private pathControls() {
    const run = this.host.run!;
    const count = run.scenario.particles.count;
    const panels = run.scenario.panels;
    const q = this.pathEnds;
    const pr = this.path;
    const sel = this.host.decision.selected;
    const edit = (change: Partial<PathEnds>) => { this.pathEnds = { ...this.pathEnds, ...change }; };
    const num = (v: string) => Math.max(0, Math.min(count - 1, Math.floor(Number(v)) || 0));
    const endInput = (k: 0 | 1) => html`<input type="number" name=${`net-path-${k + 1}`} min="0" max=${count - 1} step="1" .value=${String(q.ends[k])}
      title=${`network ${k + 1} of the path (index in panel ${q.panel + 1})`}
      @change=${(e: Event) => { const ends = [...q.ends] as PathEnds['ends']; ends[k] = num((e.target as HTMLInputElement).value); edit({ ends }); }}>`;
    const fromSelected = (k: 0 | 1) => html`<button name=${`net-path-${k + 1}-selected`} title=${`network ${k + 1} ← the selected network (click one on the plane)`}
      @click=${() => { const ends = [...q.ends] as PathEnds['ends']; ends[k] = sel.index; edit({ ends, panel: sel.panel }); }}>${k + 1} ← #${sel.index}</button>`;
    return html`<section>
      <h3 title="Garipov et al. 2018, Draxler et al. 2018: independently trained networks are joined by curves of nearly constant low loss">Mode connectivity</h3>
      ${panels.length > 1 ? html`<div class="row"><span>of panel</span>
        <select name="net-path-panel" @change=${(e: Event) => edit({ panel: Number((e.target as HTMLSelectElement).value) })}>
          ${panels.map((_, i) => html`<option value=${i} ?selected=${i === q.panel}>${this.host.runner.sim?.panels[i]?.label ?? `panel ${i + 1}`}</option>`)}
        </select></div>` : nothing}
      <div class="row"><span>networks</span>${endInput(0)}${endInput(1)}</div>
      <div class="row"><span></span>${fromSelected(0)}${fromSelected(1)}</div>
      <div class="row">
        ${pr.busy ? html`<button name="net-path-cancel" @click=${() => pr.cancel()}>Cancel</button>`
          : html`<button class="primary" name="net-path-find" ?disabled=${!this.host.runner.sim}
              title=${`train a quadratic Bézier curve between the two networks as they are now (${PAGE_CURVE_STEPS.toLocaleString('en')} Adam steps on the loss averaged along it, in a worker), then show the loss along it and along the straight line, and the plane through its ends and midpoint`}
              @click=${() => void this.findPath()}>Find path</button>`}
        <span class="muted" data-path-status=${pr.status}>${this.pathStatus()}</span>
      </div>
      ${pr.busy ? html`<progress max="1" .value=${pr.fraction} title="curve training steps done"></progress>` : nothing}
      ${pr.status === 'error' ? html`<div class="error">${pr.error}</div>` : nothing}
    </section>`;
  }

  private pathStatus(): string {
    const pr = this.path;
    switch (pr.status) {
      case 'idle': return 'no path yet';
      case 'running': return `training the curve… ${Math.round(100 * pr.fraction)}%`;
      case 'cancelled': return 'cancelled';
      case 'error': return 'failed';
      case 'done': {
        const r = pr.result!;
        return `#${r.ends[0]} → #${r.ends[1]}: ${formatNumber(r.seconds, 2)} s`;
      }
    }
  }

  /** The loss and test accuracy along the path and the straight line (under the plane), once a path exists. */
  private pathProfile() {
    const r = this.path.result;
    if (!r) return nothing;
    const p = r.path;
    return html`<div class="path-profile">
      <div class="cap"><b>Path #${r.ends[0]} → #${r.ends[1]} of panel ${r.panel + 1}</b>
        <button name="net-path-close" title="close the path (the mean decision map returns)" @click=${() => { this.path.clear(); this.sideView = 'mean'; }}>×</button></div>
      <div class="muted small" title="Euclidean distances in parameter space">distance ${formatNumber(p.distance, 3)} · curve length ${formatNumber(p.curveLength, 3)} · networks at step ${r.step.toLocaleString('en')}</div>
      <network-path-chart .curve=${p.curve} .straight=${p.straight}></network-path-chart>
    </div>`;
  }

  private stationaryControls() {
    const run = this.host.run!;
    const st = this.stationary;
    const sel = this.host.decision.selected;
    const spec = run.scenario.panels[sel.panel];
    const model = panelNetworkModel(run.model, spec?.hidden);
    const why = spec ? stationaryUnsupported(spec, model.spec.weightDecay, model.layout.params) : 'no panel';
    return html`<section>
      <h3 title="Near an isolated minimum, minibatch SGD settles into a cloud whose covariance S solves S = (I − lr H) S (I − lr H) + lr² Σ/B (H the Hessian, Σ the per-sample gradient covariance), not the Gibbs covariance T H⁻¹">Stationary cloud</h3>
      <div class="row">
        <button class="primary" name="net-stationary-start" ?disabled=${!this.host.runner.sim || st.busy || why !== null}
          title=${why ?? `find the minimum of panel ${sel.panel + 1}'s loss near network #${sel.index} (in a worker), put all its networks there, and measure how the cloud spreads along the Hessian's top ${STATIONARY_DIRECTIONS} directions against SGD's and Gibbs's predictions`}
          @click=${() => void this.startStationary(sel.panel, sel.index)}>Start at the minimum</button>
        <span class="muted" data-stationary-status=${st.status}>${st.status === 'preparing' ? `${st.stage}…` : st.status === 'running' ? `panel ${st.panel + 1}, since step ${st.startStep.toLocaleString('en')}` : st.status === 'error' ? 'failed' : `near #${sel.index} of panel ${sel.panel + 1}`}</span>
      </div>
      ${why ? html`<div class="muted small">Panel ${sel.panel + 1} ${why}.</div>` : nothing}
      ${st.status === 'error' ? html`<div class="error">${st.error}</div>` : nothing}
    </section>`;
  }

  /** The stationary cloud against its two predictions (beside the plane, in place of the mean map). */
  private stationaryView() {
    const st = this.stationary, m = st.minimum!;
    return html`<div class="path-profile">
      <div class="cap"><b>Stationary cloud, panel ${st.panel + 1}</b>
        <button name="net-stationary-close" title="close (the networks stay where they are)" @click=${() => { this.sideView = 'mean'; }}>×</button></div>
      <div class="muted small" title="the minimum of the training loss with weight decay, found by gradient descent then Newton with the exact Hessian">minimum: loss ${formatNumber(m.loss, 4)} nats, |∇L| ${m.gradientNorm.toExponential(1)}, ${formatNumber(m.seconds, 2)} s</div>
      <network-stationary-chart .prediction=${st.prediction} .measurement=${st.latest} .directions=${STATIONARY_DIRECTIONS}></network-stationary-chart>
    </div>`;
  }

  private criticalControls() {
    const run = this.host.run!;
    const c = this.critical;
    const sel = this.host.decision.selected;
    const D = panelNetworkModel(run.model, run.scenario.panels[sel.panel]?.hidden).layout.params;
    const tooBig = D > CRITICAL_MAX_PARAMS;
    return html`<section>
      <h3 title="Dauphin et al. 2014: in high dimensions most critical points are saddles, and their index (the share of descent directions) grows with the loss">Critical points</h3>
      <div class="row">
        <button name="net-critical" ?disabled=${!this.host.runner.sim || c.status === 'running' || tooBig}
          title=${tooBig ? `for networks of at most ${CRITICAL_MAX_PARAMS} weights; panel ${sel.panel + 1}'s have ${D}` : `critical points of panel ${sel.panel + 1}'s training loss from 60 starts along gradient-descent runs of 10 initialisations (Levenberg–Marquardt on ∇L = 0 on the GPU, every start at once, then polished in float64 in a worker), each with its index: a scatter of index against loss`}
          @click=${() => void this.criticalPoints(sel.panel)}>Index vs loss</button>
        <span class="muted" data-critical-status=${c.status}>${c.status === 'running' ? 'searching…' : tooBig ? `≤ ${CRITICAL_MAX_PARAMS} weights` : `panel ${sel.panel + 1}`}</span>
      </div>
      ${c.status === 'error' ? html`<div class="error">${c.error}</div>` : nothing}
    </section>`;
  }

  /** The critical points' index against loss (beside the plane, in place of the mean map). */
  private criticalView() {
    const c = this.critical.result!;
    return html`<div class="path-profile">
      <div class="cap"><b>Critical points, panel ${c.panel + 1}</b>
        <button name="net-critical-close" title="close (the mean decision map returns)" @click=${() => { this.sideView = 'mean'; }}>×</button></div>
      <div class="muted small">index: share of the ${c.params} Hessian eigenvalues that are negative</div>
      <network-critical-chart .data=${c}></network-critical-chart>
    </div>`;
  }

  /** Noise against curvature at a network (beside the plane, in place of the mean map). */
  private noiseView() {
    const n = this.noise.result!;
    return html`<div class="path-profile">
      <div class="cap"><b>Noise vs curvature, #${n.index} of panel ${n.panel + 1}</b>
        <button name="net-noise-close" title="close (the mean decision map returns)" @click=${() => { this.sideView = 'mean'; }}>×</button></div>
      <div class="muted small">at step ${n.step.toLocaleString('en')}; Σ: covariance of one training sample's gradient</div>
      <network-noise-chart .data=${n}></network-noise-chart>
    </div>`;
  }
}
