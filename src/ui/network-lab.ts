// <network-lab>: the live page of a network scenario (issue 14), shown by
// <sgd-lab> in place of the 2-D stage. Thin: the training loop and its
// metrics live in NetworkRunController, the weight-space plane in
// NetworkLandscapeController, the decision maps in NetworkDecisionController;
// this element lays them out (transport, scenario and plane controls, the
// plane view, the decision maps, the charts) and forwards what the user does.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { GpuContext } from '../gpu/device';
import { formatNumber, temperatureText } from '../model/format';
import { architectureText, panelNetworkModel } from '../model/network/model';
import { metricsCsv, networkRecordRows } from '../record/metric-rows';
import { downloadBlob } from '../record/save-target';
import { PANEL_COLORS } from './panel-colors';
import { controlStyles } from './styles';
import type { NetworkRun } from './network-doc';
import { MAX_STEPS_PER_BATCH, NetworkRunController } from './network-run';
import { GRID_CHOICES, NetworkLandscapeController, PLANE_KINDS, type PlaneKind, type PlaneRequest } from './network-landscape';
import { MEAN_NETWORKS, NetworkDecisionController, type Selection } from './network-decision';
import type { NetworkChartPanel, NetworkCharts } from './network-charts';
import type { NetworkPickEvent } from './network-plane-view';
import './network-charts';
import './network-sweep';
import { isSweep, panelLr } from '../sim/network/sweep';
import './network-plane-view';
import './network-plane-3d';
import './network-path-chart';
import { NetworkPathController, PAGE_CURVE_STEPS, type PathEnds } from './network-path';
import { NetworkStationaryController, STATIONARY_DIRECTIONS, stationaryUnsupported } from './network-stationary';
import './network-stationary-chart';
import { NetworkNoiseController } from './network-noise';
import './network-noise-chart';
import { CRITICAL_MAX_PARAMS, NetworkCriticalController } from './network-critical';
import './network-critical-chart';

/** What the plane area shows: the top view, the oblique 3-D surface, or both side by side. */
export type PlaneViewMode = 'top' | '3d' | 'both';

/** Steps per batch offered by the speed control (the last entry, null, is automatic). */
const SPEEDS: (number | null)[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, MAX_STEPS_PER_BATCH, null];

const formatBytes = (n: number) => (n >= 1 << 20 ? `${formatNumber(n / (1 << 20), 3)} MiB` : n >= 1024 ? `${formatNumber(n / 1024, 3)} kB` : `${n} bytes`);

@customElement('network-lab')
export class NetworkLab extends LitElement {
  static override styles = [controlStyles, css`
    :host { display: grid; grid-template-rows: auto 1fr; min-height: 0; min-width: 0; background: #0b0d12; color: #d7deea; font: 13px/1.35 system-ui, sans-serif; --control-pad: 2px 7px; }
    .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; padding: 5px 12px; border-bottom: 1px solid #232936; background: #0f131a; }
    .toolbar .group { display: flex; align-items: center; gap: 6px; }
    .toolbar label { color: #aab4c6; display: flex; align-items: center; gap: 6px; }
    button.primary { min-width: 74px; }
    .steps { font-variant-numeric: tabular-nums; color: #e6ebf3; min-width: 150px; }
    .rate { font-variant-numeric: tabular-nums; color: #8b94a7; font-size: 12px; }
    .body { display: grid; grid-template-columns: 290px 1fr; min-height: 0; }
    aside { overflow-y: auto; border-right: 1px solid #232936; background: #0f1218; padding: 8px 10px 16px; display: flex; flex-direction: column; gap: 12px; }
    aside h3 { margin: 0 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #8b94a7; font-weight: 600; }
    aside .row { display: flex; align-items: center; gap: 5px; margin: 4px 0; }
    aside .row > span:first-child { color: #9aa6ba; flex: 0 0 56px; }
    aside .row > select { min-width: 0; flex: 1; }
    aside input[type=number] { width: 46px; box-sizing: border-box; }
    aside select { max-width: 100%; }
    .facts { color: #c9d1e0; font-variant-numeric: tabular-nums; }
    .facts div { margin: 1px 0; }
    .muted { color: #8b94a7; }
    .panel { display: grid; grid-template-columns: 10px 1fr; gap: 2px 6px; align-items: baseline; margin: 4px 0; }
    .sw { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
    .panel .sub { grid-column: 2; color: #9aa6ba; font-size: 12px; font-variant-numeric: tabular-nums; }
    .panel .T { color: #ffd28a; cursor: help; }
    progress { width: 100%; height: 8px; }
    .error { color: #ffb3a1; white-space: pre-wrap; }
    .center { display: grid; grid-template-rows: minmax(260px, 1fr) minmax(170px, 36%); grid-auto-rows: auto; min-width: 0; min-height: 0; overflow-y: auto; }
    .center > network-sweep { padding: 4px 10px 10px; }
    .views { display: grid; grid-template-columns: minmax(0, 1fr) minmax(150px, 31%); gap: 10px; padding: 8px 10px 4px; min-height: 0; }
    .side { display: flex; flex-direction: column; gap: 6px; min-height: 0; overflow: hidden; }
    .side > .map { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; gap: 2px; }
    .cap { display: flex; justify-content: space-between; gap: 6px; font-size: 12px; color: #c9d1e0; white-space: nowrap; overflow: hidden; }
    .cap b { font-weight: 600; }
    .cap .muted { overflow: hidden; text-overflow: ellipsis; }
    .plane { display: flex; flex-direction: column; gap: 4px; min-height: 0; }
    .side > .path-profile { flex: none; display: flex; flex-direction: column; gap: 2px; }
    .path-profile .cap button { font-size: 11px; padding: 0 6px; line-height: 1.3; }
    .small { font-size: 11px; }
    .planes { flex: 1; min-height: 0; display: grid; grid-template-columns: 1fr; gap: 8px; }
    .planes.both { grid-template-columns: 1fr 1fr; }
    .planes > * { min-height: 0; min-width: 0; }
    .placeholder3d { display: flex; align-items: center; justify-content: center; color: #8b94a7; font-size: 12px; text-align: center; padding: 16px; background: #10131a; border-radius: 4px; }
    .modes { display: flex; gap: 0; flex: none; }
    .modes button { font-size: 11px; padding: 0 7px; border-radius: 0; }
    .modes button:first-child { border-radius: 4px 0 0 4px; }
    .modes button:last-child { border-radius: 0 4px 4px 0; }
    network-decision-map { flex: 1; min-height: 0; }
    .card { max-width: 560px; margin: 40px auto; background: #151a24; border: 1px solid #3a4356; border-radius: 10px; padding: 20px 24px; }
    .card h2 { margin: 0 0 10px; font-size: 18px; color: #ffb3a1; }
    .busy { padding: 40px; color: #8fa0bd; text-align: center; }
    .classes { display: flex; flex-wrap: wrap; gap: 2px 10px; font-size: 11px; color: #9aa6ba; }
    .classes > span { white-space: nowrap; }
    .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 3px; vertical-align: middle; }
    .hollow { background: none !important; border: 1.5px solid; box-sizing: border-box; }
    @media (max-width: 760px) {
      :host { overflow-y: auto; display: block; }
      .body { display: flex; flex-direction: column; }
      aside { order: 2; border-right: none; border-top: 1px solid #232936; overflow: visible; }
      .center { display: flex; flex-direction: column; }
      .views { display: flex; flex-direction: column; }
      .plane { height: min(100vw, 440px); }
      .plane > .cap { flex-wrap: wrap; }
      .planes.both { grid-template-columns: 1fr; grid-template-rows: 1fr 1fr; }
      .plane:has(.planes.both) { height: min(200vw, 860px); }
      .side { flex-direction: row; flex-wrap: wrap; overflow: visible; }
      .side > .map { flex: 1 1 40%; min-width: 0; }
      .classes { flex-basis: 100%; }
      network-decision-map { flex: none; aspect-ratio: 1; }
      network-charts { height: 640px; }
    }
  `];

  /** the scenario to run (a new object for every load) */
  @property({ attribute: false }) run: NetworkRun | null = null;
  /** the page's GPU (LabEngine.ensureGpu: one device for everything) */
  @property({ attribute: false }) gpu: (() => Promise<GpuContext>) | null = null;
  /** the device generation (a new device after a loss rebuilds) */
  @property({ type: Number }) generation = 1;
  /** the engine's message after a device loss (shown in place of the view) */
  @property({ attribute: false }) lost: { title: string; body: string } | null = null;
  /** makes a new device after a loss (LabEngine.recover; the view rebuilds on it) */
  @property({ attribute: false }) recover: (() => Promise<void>) | null = null;

  @state() private request: PlaneRequest = { kind: 'garipov', panel: 0, anchors: [0, 1, 2], centre: 0, grid: 32, zoom: 1, seed: 1 };
  /** the panel whose cloud the plane view draws (-1: all) */
  @state() private shownPanel = 0;
  @state() planeView: PlaneViewMode = 'top';
  @query('network-charts') private charts?: NetworkCharts;

  readonly runner = new NetworkRunController(this, () => ({
    run: this.run,
    generation: this.generation,
    gpu: () => (this.gpu ? this.gpu() : Promise.reject(new Error('no GPU'))),
  }));
  readonly landscape = new NetworkLandscapeController(this, this.runner);
  readonly decision = new NetworkDecisionController(this, this.runner);
  readonly path = new NetworkPathController(this, this.runner);
  readonly stationary = new NetworkStationaryController(this, this.runner);
  readonly noise = new NetworkNoiseController(this, this.runner);
  readonly critical = new NetworkCriticalController(this, this.runner);
  /** what the side column shows under the selected network's map: the mean map, the path's profile or the stationary cloud (the latest started) */
  @state() private sideView: 'mean' | 'path' | 'stationary' | 'noise' | 'critical' = 'mean';
  /** the two networks the mode-connectivity path joins */
  @state() private pathEnds: PathEnds = { panel: 0, ends: [0, 1] };
  /** the landscape was computed by itself for this build (at the run's end) */
  private autoFor = -1;
  private gridChosen = false;

  constructor() {
    super();
    this.runner.onSample = () => {
      this.charts?.refresh();
      this.decision.invalidate();
    };
    this.runner.onRestart = () => {
      this.charts?.refresh();
      this.decision.invalidate();
    };
  }

  // ---- actions (also the tests' and the header's entry points) -------------------

  toggle(): void { this.runner.toggle(); }

  step(): void {
    this.runner.pause();
    this.runner.step(1);
  }

  reset(): void { this.runner.reset(); }

  /** The keys <sgd-lab> forwards (space, '.', r). */
  key(k: string): void {
    if (k === ' ') this.toggle();
    else if (k === '.') this.step();
    else if (k === 'r' || k === 'R') this.reset();
  }

  /** Computes the plane (the current request, changed by `change`). */
  computePlane(change: Partial<PlaneRequest> = {}): Promise<void> {
    this.request = { ...this.request, ...change };
    return this.landscape.compute(this.request);
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
    await this.computePlane({ kind: 'path', panel: r.panel, path: { ends: r.ends, curve, curveLoss: r.path.curve.points.map((p) => p.trainLoss), lineLoss: r.path.straight.points.map((p) => p.trainLoss) } });
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

  select(s: Selection): void {
    this.decision.select(s);
    if (this.shownPanel >= 0) this.shownPanel = s.panel;
    this.requestUpdate();
  }

  /** Exports of the header's menu, for a network scenario. */
  exportFile(kind: string): string | null {
    const run = this.run, h = this.runner.history;
    const stem = `sgd-lab-${(run?.scenario.title ?? 'network').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'network'}`;
    if (kind === 'scenario' && run) {
      downloadBlob(new Blob([JSON.stringify(run.scenario, null, 2) + '\n'], { type: 'application/json' }), `${stem}-scenario.json`);
      return null;
    }
    if (kind === 'metrics-csv' || kind === 'metrics-json') {
      if (!h.length) return 'no metric samples yet: let the networks train first';
      if (kind === 'metrics-csv') {
        downloadBlob(new Blob([metricsCsv(h.flatMap((s) => s.records.flatMap((r, p) => networkRecordRows(r, p))))], { type: 'text/csv' }), `${stem}-metrics.csv`);
      } else {
        const body = { scenario: run?.scenario, samples: h.map((s) => ({ step: s.step, panels: s.records })) };
        downloadBlob(new Blob([JSON.stringify(body) + '\n'], { type: 'application/json' }), `${stem}-metrics.json`);
      }
      return null;
    }
    return 'a snapshot of network views is not available yet; use the browser\'s screenshot';
  }

  // ---- lifecycle --------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('run') && this.run) {
      const count = this.run.scenario.particles.count;
      const panels = this.run.scenario.panels.length;
      const fix = (i: number) => Math.min(i, count - 1);
      this.request = { ...this.request, panel: Math.min(this.request.panel, panels - 1), anchors: [fix(0), fix(1), fix(2)], centre: 0 };
      if (this.shownPanel >= panels) this.shownPanel = 0;
      this.pathEnds = { panel: Math.min(this.pathEnds.panel, panels - 1), ends: [fix(0), fix(1)] };
      if (this.decision.selected.panel >= panels || this.decision.selected.index >= count) this.decision.select({ panel: 0, index: 0 });
    }
    const r = this.runner;
    if (r.sim && !this.gridChosen && r.adapter) {
      // a CPU-emulated GPU takes ~1 s per 1,000 grid networks at width 32: a coarser default
      this.gridChosen = true;
      this.request = { ...this.request, grid: /swiftshader|fallback/i.test(r.adapter) ? 32 : 64 };
    }
  }

  protected override updated(changed: PropertyValues): void {
    const r = this.runner;
    const sim = r.sim;
    // the run's end: the plane through three networks of the first panel, once per build
    const steps = this.run?.scenario.steps ?? Infinity;
    if (sim && this.autoFor !== r.builds && r.latest && r.latest.step >= steps && !this.landscape.busy && !this.landscape.result) {
      this.autoFor = r.builds;
      // after this update: the compute's progress updates the element again
      setTimeout(() => void this.landscape.compute(this.request));
    }
    if (changed.has('run')) this.charts?.refresh();
  }

  // ---- rendering --------------------------------------------------------------------

  override render() {
    if (this.lost) {
      return html`<div></div><div class="card" role="alert"><h2>${this.lost.title}</h2><p>${this.lost.body}</p>
        ${this.recover ? html`<button class="primary" name="recover" @click=${() => this.recover?.()}>Recover</button>` : nothing}</div>`;
    }
    const run = this.run;
    if (!run) return html`<div></div><div class="busy">no network scenario</div>`;
    const r = this.runner;
    if (r.error && !r.sim) {
      return html`${this.toolbar()}<div class="card" role="alert"><h2>The network scenario could not be built</h2><p class="error">${r.error}</p></div>`;
    }
    return html`${this.toolbar()}
      <div class="body">
        <aside>${this.scenarioFacts()}${this.panelList()}${this.planeControls()}${this.pathControls()}${this.stationaryControls()}${this.criticalControls()}${this.selectionFacts()}</aside>
        <div class="center">
          <div class="views">
            <div class="plane">
              <div class="cap"><b>Training loss over a plane of weight space</b>
                <span class="muted">${this.planeCaption()}</span>
                <span class="modes" role="group" title="top view (click a network to select it), oblique 3-D view (networks at their own loss), or both">
                  ${(['top', '3d', 'both'] as const).map((m) => html`<button name=${`net-view-${m}`} class=${this.planeView === m ? 'on' : ''} @click=${() => { this.planeView = m; }}>${m === 'top' ? 'top' : m === '3d' ? '3-D' : 'both'}</button>`)}
                </span></div>
              <div class="planes ${this.planeView}">
                ${this.planeView !== '3d' ? html`<network-plane-view .result=${this.landscape.result} .projections=${this.landscape.projections} .status=${r.latest?.status ?? null}
                  .panel=${this.shownPanel} .selected=${this.decision.selected} .placeholder=${this.planePlaceholder()}
                  @network-pick=${(e: NetworkPickEvent) => this.select(e.selection)}></network-plane-view>` : nothing}
                ${this.planeView !== 'top' ? (this.landscape.result ? html`<network-plane-3d .device=${r.sim?.device ?? null} .result=${this.landscape.result} .projections=${this.landscape.projections}
                  .perParticle=${r.latest?.perParticle ?? null} .status=${r.latest?.status ?? null} .panel=${this.shownPanel} .selected=${this.decision.selected}></network-plane-3d>`
                  : html`<div class="placeholder3d">${this.planePlaceholder()}</div>`) : nothing}
              </div>
            </div>
            <div class="side">${this.decisionMaps()}</div>
          </div>
          <network-charts .panels=${this.chartPanels()} .lrs=${this.panelLrs()} .history=${r.history} .hasTest=${run.model.dataset.nTest > 0} ?sharpness=${r.sharpness}
            @network-sharpness=${(e: CustomEvent<{ on: boolean }>) => void this.runner.setSharpness(e.detail.on)}></network-charts>
          ${isSweep(run.scenario.panels, run.model.dataset.nTrain) ? html`<network-sweep .specs=${run.scenario.panels} .records=${r.latest?.records ?? []}
            .nTrain=${run.model.dataset.nTrain} .step=${r.latest?.step ?? 0} .history=${r.history}></network-sweep>` : nothing}
        </div>
      </div>`;
  }

  /** The charts' panels (the same array until the labels change: a new one rebuilds the plots). */
  private chartPanels(): NetworkChartPanel[] {
    const labels = this.run!.scenario.panels.map((_, i) => this.runner.sim?.panels[i]?.label ?? `panel ${i + 1}`);
    const key = labels.join('\n');
    if (this.chartPanelsMemo?.key !== key) {
      this.chartPanelsMemo = { key, panels: labels.map((label, i) => ({ label, color: PANEL_COLORS[i % PANEL_COLORS.length] })) };
    }
    return this.chartPanelsMemo.panels;
  }

  private chartPanelsMemo: { key: string; panels: NetworkChartPanel[] } | null = null;

  /** Each panel's learning rate (the charts' lr·steps axis); the same array while the scenario stays. */
  private panelLrs(): number[] {
    const scenario = this.run!.scenario;
    if (this.lrsMemo?.scenario !== scenario) this.lrsMemo = { scenario, lrs: scenario.panels.map(panelLr) };
    return this.lrsMemo.lrs;
  }

  private lrsMemo: { scenario: object; lrs: number[] } | null = null;

  private toolbar() {
    const r = this.runner;
    const s = r.stats;
    const steps = this.run?.scenario.steps ?? 0;
    const speedIndex = SPEEDS.indexOf(r.stepsPerBatch);
    return html`<div class="toolbar">
      <div class="group">
        <button class="primary" name="net-play" title="play / pause (space)" ?disabled=${!r.sim} @click=${() => this.toggle()}>${r.playing ? '❚❚ Pause' : '▶ Play'}</button>
        <button name="net-step" title="one optimizer step of every network (.)" ?disabled=${!r.sim} @click=${() => this.step()}>Step</button>
        <button name="net-reset" title="back to the initial networks (r)" ?disabled=${!r.sim} @click=${() => this.reset()}>Reset</button>
      </div>
      <label title="optimizer steps per batch; a batch is submitted only when the previous one is done, so a slow GPU lowers the step rate, not the frame rate. auto: about 30 ms of GPU time per batch">steps/batch
        <select name="net-speed" @change=${(e: Event) => r.setStepsPerBatch(SPEEDS[Number((e.target as HTMLSelectElement).value)])}>
          ${SPEEDS.map((v, i) => html`<option value=${i} ?selected=${i === speedIndex}>${v === null ? 'auto' : v}</option>`)}
        </select></label>
      <span class="steps" data-steps=${s.stepsDone}>step ${s.stepsDone.toLocaleString('en')} / ${steps.toLocaleString('en')}</span>
      <span class="rate">${this.rateText()}</span>
    </div>`;
  }

  private rateText(): string {
    const r = this.runner, s = r.stats;
    if (r.building) return 'building the networks…';
    if (!r.sim) return '';
    if (r.error) return r.error;
    const ms = s.msPerStep !== null ? ` · ${formatNumber(s.msPerStep, 2)} ms per step of every network` : '';
    if (!r.playing) return `${s.stepsDone >= (this.run?.scenario.steps ?? Infinity) ? 'finished (▶ goes on)' : 'paused'}${ms}`;
    return `${formatNumber(s.stepsPerSecond, 3)} steps/s · ${s.batchSteps} steps/batch${ms}`;
  }

  private scenarioFacts() {
    const run = this.run!;
    const { spec, layout, dataset } = run.model;
    const own = run.scenario.panels.map((p, i) => ({ i, m: panelNetworkModel(run.model, p.hidden) })).filter(({ m }) => m !== run.model);
    const d = spec.dataset;
    const m = this.runner.memory;
    return html`<section>
      <h3>Networks</h3>
      <div class="facts">
        <div title="layer widths from the 2 inputs to the one logit">${architectureText(run.model)} · ${spec.activation}${spec.weightDecay ? ` · weight decay ${spec.weightDecay}` : ''}</div>
        <div>${layout.params.toLocaleString('en')} parameters per network</div>
        ${own.map(({ i, m }) => html`<div title="this panel's own hidden widths (panels[${i}].hidden), same dataset and activation">panel ${i + 1}: ${architectureText(m)} · ${m.layout.params.toLocaleString('en')} parameters</div>`)}
        <div>${run.scenario.particles.count.toLocaleString('en')} networks per panel · init ${run.scenario.particles.init.kind}</div>
        <div title="samples generated from the seed; the last ones are held out">${d.kind}: ${dataset.nTrain.toLocaleString('en')} train + ${dataset.nTest.toLocaleString('en')} test samples, noise ${d.noise}${d.labelNoise ? `, ${formatNumber(100 * d.labelNoise, 3)}% labels flipped` : ''}</div>
        ${m ? html`<div class="muted" data-memory title="GPU memory per network in a panel: parameters, two optimizer moments and a status word (the gradient lives in the kernel's registers; the metrics add about 50 bytes); and the most networks per panel whose buffers this adapter can bind">${formatBytes(m.bytesPerNetwork)} of GPU memory per network; this adapter (${this.runner.adapter || 'unknown'}) holds at most ${m.maxNetworks.toLocaleString('en')} networks per panel</div>` : nothing}
        <div class="muted">loss: mean binary cross-entropy (nats)</div>
      </div>
    </section>`;
  }

  private panelList() {
    const run = this.run!;
    const latest = this.runner.latest;
    return html`<section>
      <h3>Panels</h3>
      ${run.scenario.panels.map((p, i) => {
        const t = temperatureText(p);
        const rec = latest?.records[i];
        const o = p.optimizer, n = p.noise;
        const label = this.runner.sim?.panels[i]?.label ?? `${o.kind} lr ${o.lr}${n.kind === 'minibatch' || n.kind === 'gaussian' ? `, B ${n.batchSize}` : ''}`;
        return html`<div class="panel" data-panel=${i}>
          <span class="sw" style="background:${PANEL_COLORS[i % PANEL_COLORS.length]}"></span>
          <span>${label} ${t.value !== null ? html`<span class="T" title=${t.formula}>T = ${formatNumber(t.value, 2)}</span>` : nothing}</span>
          <span class="sub">${rec ? html`train ${rec.trainAccuracy ? formatNumber(100 * rec.trainAccuracy.mean, 3) : '–'}%${rec.testAccuracy ? html` · test ${formatNumber(100 * rec.testAccuracy.mean, 3)}%` : nothing} · ${rec.alive} alive${rec.diverged ? html`, <span class="error">${rec.diverged} diverged</span>` : nothing}` : 'no metrics yet'}</span>
        </div>`;
      })}
    </section>`;
  }

  private planeControls() {
    const q = this.request;
    const l = this.landscape;
    const run = this.run!;
    const count = run.scenario.particles.count;
    const panels = run.scenario.panels;
    const sel = this.decision.selected;
    const kind = PLANE_KINDS.find((k) => k.kind === q.kind)!;
    const edit = (change: Partial<PlaneRequest>) => { this.request = { ...this.request, ...change }; };
    const num = (v: string) => Math.max(0, Math.min(count - 1, Math.floor(Number(v)) || 0));
    const anchorInput = (k: 0 | 1 | 2) => html`<input type="number" name=${`net-anchor-${k + 1}`} min="0" max=${count - 1} step="1" .value=${String(q.anchors[k])}
      title=${`network ${k + 1} of the plane (index in panel ${q.panel + 1})`}
      @change=${(e: Event) => { const a = [...q.anchors] as PlaneRequest['anchors']; a[k] = num((e.target as HTMLInputElement).value); edit({ anchors: a }); }}>`;
    return html`<section>
      <h3>Weight-space plane</h3>
      <div class="row"><span>plane</span>
        <select name="net-plane-kind" title=${kind.help} @change=${(e: Event) => edit({ kind: (e.target as HTMLSelectElement).value as PlaneKind })}>
          ${PLANE_KINDS.map((k) => html`<option value=${k.kind} ?selected=${k.kind === q.kind} title=${k.help}>${k.title}</option>`)}
        </select></div>
      ${panels.length > 1 ? html`<div class="row"><span>of panel</span>
        <select name="net-plane-panel" @change=${(e: Event) => edit({ panel: Number((e.target as HTMLSelectElement).value) })}>
          ${panels.map((_, i) => html`<option value=${i} ?selected=${i === q.panel}>${this.runner.sim?.panels[i]?.label ?? `panel ${i + 1}`}</option>`)}
        </select></div>` : nothing}
      ${q.kind === 'garipov' ? html`<div class="row"><span>networks</span>${anchorInput(0)}${anchorInput(1)}${anchorInput(2)}</div>
        <div class="row"><span></span><button name="net-anchor-selected" title="replace network 3 by the selected network (click one on the plane)" ?disabled=${sel.panel !== q.panel}
          @click=${() => edit({ anchors: [q.anchors[0], q.anchors[1], sel.index] })}>3 ← selected #${sel.index}</button></div>` : nothing}
      ${q.kind === 'filter' ? html`<div class="row"><span>around</span><input type="number" name="net-centre" min="0" max=${count - 1} .value=${String(q.centre)}
          @change=${(e: Event) => edit({ centre: num((e.target as HTMLInputElement).value) })}>
        <button name="net-centre-selected" ?disabled=${sel.panel !== q.panel} @click=${() => edit({ centre: sel.index })}>← selected</button></div>
        <div class="row"><span>seed</span><input type="number" name="net-seed" min="0" .value=${String(q.seed)} @change=${(e: Event) => edit({ seed: Math.max(0, Math.floor(Number((e.target as HTMLInputElement).value)) || 0) })}></div>` : nothing}
      <div class="row"><span>grid</span>
        <select name="net-grid" title="grid nodes per side; every node is a network evaluated on the whole training split" @change=${(e: Event) => { this.gridChosen = true; edit({ grid: Number((e.target as HTMLSelectElement).value) }); }}>
          ${GRID_CHOICES.map((g) => html`<option value=${g} ?selected=${g === q.grid}>${g} × ${g}</option>`)}
        </select>
        <span title="the plane's extent: 1× shows the defining networks with margins (random directions: Li et al.'s ±1; principal directions: the cloud); 2× twice as wide">range</span>
        <select name="net-zoom" @change=${(e: Event) => edit({ zoom: Number((e.target as HTMLSelectElement).value) })}>
          ${[0.5, 1, 1.5, 2, 3, 5].map((z) => html`<option value=${z} ?selected=${z === q.zoom}>${z}×</option>`)}
        </select></div>
      <div class="row">
        ${l.busy ? html`<button name="net-cancel" @click=${() => l.cancel()}>Cancel</button>`
          : html`<button class="primary" name="net-compute" ?disabled=${!this.runner.sim} title="compute the loss over the plane with the networks as they are now" @click=${() => this.computePlane()}>Compute plane</button>`}
        <span class="muted" data-plane-status=${l.status}>${this.planeStatus()}</span>
      </div>
      ${l.busy ? html`<progress max="1" .value=${l.fraction} title="grid nodes evaluated"></progress>` : nothing}
      ${l.status === 'error' ? html`<div class="error">${l.error}</div>` : nothing}
      ${panels.length > 1 ? html`<div class="row"><span>show</span>
        <select name="net-show" title="whose networks are drawn on the plane" @change=${(e: Event) => { this.shownPanel = Number((e.target as HTMLSelectElement).value); }}>
          ${panels.map((_, i) => html`<option value=${i} ?selected=${i === this.shownPanel}>cloud of panel ${i + 1}</option>`)}
          <option value="-1" ?selected=${this.shownPanel < 0}>every panel's cloud</option>
        </select></div>` : nothing}
    </section>`;
  }

  private pathControls() {
    const run = this.run!;
    const count = run.scenario.particles.count;
    const panels = run.scenario.panels;
    const q = this.pathEnds;
    const pr = this.path;
    const sel = this.decision.selected;
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
          ${panels.map((_, i) => html`<option value=${i} ?selected=${i === q.panel}>${this.runner.sim?.panels[i]?.label ?? `panel ${i + 1}`}</option>`)}
        </select></div>` : nothing}
      <div class="row"><span>networks</span>${endInput(0)}${endInput(1)}</div>
      <div class="row"><span></span>${fromSelected(0)}${fromSelected(1)}</div>
      <div class="row">
        ${pr.busy ? html`<button name="net-path-cancel" @click=${() => pr.cancel()}>Cancel</button>`
          : html`<button class="primary" name="net-path-find" ?disabled=${!this.runner.sim}
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
    const run = this.run!;
    const st = this.stationary;
    const sel = this.decision.selected;
    const spec = run.scenario.panels[sel.panel];
    const model = panelNetworkModel(run.model, spec?.hidden);
    const why = spec ? stationaryUnsupported(spec, model.spec.weightDecay, model.layout.params) : 'no panel';
    return html`<section>
      <h3 title="Near an isolated minimum, minibatch SGD settles into a cloud whose covariance S solves S = (I − lr H) S (I − lr H) + lr² Σ/B (H the Hessian, Σ the per-sample gradient covariance), not the Gibbs covariance T H⁻¹">Stationary cloud</h3>
      <div class="row">
        <button class="primary" name="net-stationary-start" ?disabled=${!this.runner.sim || st.busy || why !== null}
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
    const run = this.run!;
    const c = this.critical;
    const sel = this.decision.selected;
    const D = panelNetworkModel(run.model, run.scenario.panels[sel.panel]?.hidden).layout.params;
    const tooBig = D > CRITICAL_MAX_PARAMS;
    return html`<section>
      <h3 title="Dauphin et al. 2014: in high dimensions most critical points are saddles, and their index (the share of descent directions) grows with the loss">Critical points</h3>
      <div class="row">
        <button name="net-critical" ?disabled=${!this.runner.sim || c.status === 'running' || tooBig}
          title=${tooBig ? `for networks of at most ${CRITICAL_MAX_PARAMS} weights; panel ${sel.panel + 1}'s have ${D}` : `critical points of panel ${sel.panel + 1}'s training loss from starts along gradient-descent runs of 6 initialisations (Levenberg–Marquardt on ∇L = 0, in a worker), each with its index: a scatter of index against loss`}
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

  private planeStatus(): string {
    const l = this.landscape;
    switch (l.status) {
      case 'idle': return 'not computed yet';
      case 'preparing': return 'choosing the plane…';
      case 'computing': return `${Math.round(100 * l.fraction)}% of ${this.request.grid}² networks`;
      case 'cancelled': return 'cancelled';
      case 'error': return 'failed';
      case 'done': {
        const r = l.result!;
        return `${r.grid}² in ${formatNumber(r.seconds, 2)} s (step ${r.step.toLocaleString('en')})`;
      }
    }
  }

  private planeCaption(): string {
    const r = this.landscape.result;
    if (!r) return '';
    const q = r.request;
    const what = q.kind === 'garipov' ? `through networks ${q.anchors.join(', ')}` : q.kind === 'filter' ? `random directions around network ${q.centre}`
      : q.kind === 'path' && q.path ? `through the path #${q.path.ends[0]} → #${q.path.ends[1]} (ends and curve midpoint)` : 'principal directions';
    return `${what} of panel ${q.panel + 1}, taken at step ${r.step.toLocaleString('en')}`;
  }

  private planePlaceholder(): string {
    const l = this.landscape;
    if (l.busy) return `computing the loss at ${this.request.grid}² points of the plane… ${Math.round(100 * l.fraction)}%`;
    if (l.result) return '';
    if (l.status === 'error') return `the plane failed: ${l.error}`;
    return 'No plane yet: choose one on the left and press "Compute plane" (it is computed by itself when the run reaches its last step). The networks then move over it as they train.';
  }

  private selectionFacts() {
    const s = this.decision.selected;
    const latest = this.runner.latest;
    const pp = latest?.perParticle[s.panel];
    const st = latest?.status[s.panel]?.[s.index];
    const v = (c: number) => (pp ? pp[4 * s.index + c] : NaN);
    return html`<section>
      <h3>Selected network</h3>
      <div class="facts" data-selected=${`${s.panel}:${s.index}`}>
        <div>panel ${s.panel + 1}, network #${s.index}${st ? html` · <span class="error">diverged at step ${st - 1}</span>` : nothing}</div>
        ${pp ? html`<div>train loss ${formatNumber(v(0), 3)} nats · ${formatNumber(100 * v(1), 3)}%</div>
          ${Number.isFinite(v(2)) ? html`<div>test loss ${formatNumber(v(2), 3)} nats · ${formatNumber(100 * v(3), 3)}%</div>` : nothing}` : nothing}
        ${this.onPlane(s)}
        <div class="muted">click a network on the plane to select it</div>
        <div class="row"><button name="net-noise" ?disabled=${!this.runner.sim || this.noise.status === 'running'}
          title="the Hessian's top eigenvalues at this network against the gradient noise along the same directions (per-sample gradient covariance Σ), and its panel's effective temperature lr tr Σ/(2BD); computed in a worker (about 6 s at 337 weights, 23 s at 1,185)"
          @click=${() => void this.noiseAt(s.panel, s.index)}>Noise vs curvature</button>
          <span class="muted" data-noise-status=${this.noise.status}>${this.noise.status === 'running' ? 'computing…' : this.noise.status === 'done' ? `#${this.noise.result!.index}, ${formatNumber(this.noise.result!.seconds, 2)} s` : ''}</span></div>
        ${this.noise.status === 'error' ? html`<div class="error">${this.noise.error}</div>` : nothing}
      </div>
    </section>`;
  }

  /** Where the selected network projects onto the plane, its distance from it, and the plane's loss there. */
  private onPlane(s: Selection) {
    const l = this.landscape, r = l.result, co = l.projections?.coords[s.panel];
    if (!r || !co || 4 * s.index + 2 >= co.length) return nothing;
    const a = co[4 * s.index], b = co[4 * s.index + 1], dist = co[4 * s.index + 2];
    const inside = a >= r.range.a[0] && a <= r.range.a[1] && b >= r.range.b[0] && b <= r.range.b[1];
    const loss = inside ? l.lossAt(a, b) : null;
    return html`<div title="plane coordinates of its projection (parameter units), its distance from the plane, and the loss the plane shows there (the network at the projection, not this one)">
      on the plane at (${formatNumber(a, 3)}, ${formatNumber(b, 3)}), ${formatNumber(dist, 3)} off it${loss !== null ? html`; the plane's loss there ${formatNumber(loss, 3)} nats` : nothing}</div>`;
  }

  private decisionMaps() {
    const d = this.decision;
    const ds = this.run!.model.dataset;
    const s = d.selected;
    return html`
      <div class="map">
        <div class="cap"><b>Network #${s.index} of panel ${s.panel + 1}</b><span class="muted">${d.single ? `step ${d.single.step.toLocaleString('en')}` : ''}</span></div>
        <network-decision-map data-map="single" .map=${d.single} .samples=${ds} .box=${d.box}></network-decision-map>
      </div>
      ${this.sideView === 'path' && this.path.result ? this.pathProfile() : this.sideView === 'stationary' && this.stationary.prediction ? this.stationaryView()
        : this.sideView === 'noise' && this.noise.result ? this.noiseView()
        : this.sideView === 'critical' && this.critical.result ? this.criticalView() : html`<div class="map">
        <div class="cap"><b>Mean of ${d.mean ? d.mean.networks : Math.min(MEAN_NETWORKS, this.run!.scenario.particles.count)} networks</b><span class="muted">panel ${s.panel + 1}${d.mean ? `, step ${d.mean.step.toLocaleString('en')}` : ''}</span></div>
        <network-decision-map data-map="mean" .map=${d.mean} .samples=${ds} .box=${d.box}></network-decision-map>
      </div>`}
      <div class="classes"><span><span class="dot" style="background:rgb(255,158,90)"></span>class 0</span><span><span class="dot" style="background:rgb(100,180,255)"></span>class 1</span>
        <span><span class="dot hollow" style="border-color:#c9d1e0"></span>test</span><span>white line: p = 0.5</span></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-lab': NetworkLab;
  }
}
