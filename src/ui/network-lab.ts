// <network-lab>: the live page of a network scenario (issue 14), shown by
// <sgd-lab> in place of the 2-D stage. Thin: the training loop and its
// metrics live in NetworkRunController, the weight-space plane in
// NetworkLandscapeController, the decision maps in NetworkDecisionController,
// the worker tools (path, stationary cloud, noise, critical points) and their
// templates in NetworkLabTools (network-lab-tools.ts), the styles in
// network-lab-styles.ts; this element lays them out (transport, scenario and plane controls, the
// plane view, the decision maps, the charts) and forwards what the user does.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { GpuContext } from '../gpu/device';
import { formatNumber, temperatureText } from '../model/format';
import { architectureText, panelNetworkModel } from '../model/network/model';
import { metricsCsv, networkRecordRows } from '../record/metric-rows';
import { downloadBlob } from '../record/save-target';
import { PANEL_COLORS } from './panel-colors';
import { networkLabStyles } from './network-lab-styles';
import { NetworkLabTools } from './network-lab-tools';
import type { PathEnds } from './network-path';
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

/** What the plane area shows: the top view, the oblique 3-D surface, or both side by side. */
export type PlaneViewMode = 'top' | '3d' | 'both';

/** Steps per batch offered by the speed control (the last entry, null, is automatic). */
const SPEEDS: (number | null)[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, MAX_STEPS_PER_BATCH, null];

const formatBytes = (n: number) => (n >= 1 << 20 ? `${formatNumber(n / (1 << 20), 3)} MiB` : n >= 1024 ? `${formatNumber(n / 1024, 3)} kB` : `${n} bytes`);

@customElement('network-lab')
export class NetworkLab extends LitElement {
  static override styles = networkLabStyles;

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
  /** the worker tools: mode-connectivity path, stationary cloud, noise against curvature, critical points */
  readonly tools = new NetworkLabTools(this);
  get path() { return this.tools.path; }
  get stationary() { return this.tools.stationary; }
  get noise() { return this.tools.noise; }
  get critical() { return this.tools.critical; }
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

  /** The mode-connectivity path between two networks (NetworkLabTools.findPath). */
  findPath(change: Partial<PathEnds> = {}): Promise<void> { return this.tools.findPath(change); }

  /** Puts every network of `panel` at the minimum near its network `index` (NetworkLabTools.startStationary). */
  startStationary(panel: number, index: number): Promise<void> { return this.tools.startStationary(panel, index); }

  /** Noise against curvature at network `index` of `panel` (NetworkLabTools.noiseAt). */
  noiseAt(panel: number, index: number): Promise<void> { return this.tools.noiseAt(panel, index); }

  /** Critical points of panel `panel`'s loss (NetworkLabTools.criticalPoints). */
  criticalPoints(panel: number): Promise<void> { return this.tools.criticalPoints(panel); }

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
      this.tools.fitTo(panels, count);
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
        <aside>${this.scenarioFacts()}${this.panelList()}${this.planeControls()}${this.tools.controls()}${this.selectionFacts()}</aside>
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
        ${this.tools.noiseButton(s)}
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
      ${this.tools.sideContent(html`<div class="map">
        <div class="cap"><b>Mean of ${d.mean ? d.mean.networks : Math.min(MEAN_NETWORKS, this.run!.scenario.particles.count)} networks</b><span class="muted">panel ${s.panel + 1}${d.mean ? `, step ${d.mean.step.toLocaleString('en')}` : ''}</span></div>
        <network-decision-map data-map="mean" .map=${d.mean} .samples=${ds} .box=${d.box}></network-decision-map>
      </div>`)}
      <div class="classes"><span><span class="dot" style="background:rgb(255,158,90)"></span>class 0</span><span><span class="dot" style="background:rgb(100,180,255)"></span>class 1</span>
        <span><span class="dot hollow" style="border-color:#c9d1e0"></span>test</span><span>white line: p = 0.5</span></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-lab': NetworkLab;
  }
}
