// <sgd-lab>: the live lab page. Lays out the header (presets, transport), the
// controls, the canvas with its panel labels, the legend and the charts, and
// forwards what the user does. State and work live in controllers: the draft
// scenario and its URL hash (ScenarioDraft), the GPU (LabEngine), the
// landscape tools (AnalysisController), recording and export (RecordController).
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { controlStyles } from './styles';
import { LabEngine } from './lab-engine';
import type { LabCharts, BasinChoice, ChartPanel } from './charts';
import { PANEL_COLORS } from './panel-colors';
import { LabEditEvent, ViewEditEvent, type ViewSettings } from './controls';
import { DEFAULT_SCENARIO, type ScenarioDoc } from './scenario-state';
import type { HelpScenario } from './help-overlay';
import { ScenarioDraft } from './scenario-draft';
import { AnalysisController } from './analysis-controller';
import { formatNumber } from '../model/format';
import { noiseIsIsotropic } from '../model/panel-quantities';
import { loadPresetIndex, type PresetEntry } from './presets';
import './controls';
import './export-menu';
import { RecordController } from './record-controller';
import type { RecordStartEvent } from './record-dialog';
import type { ExportEvent, ImportEvent } from './export-menu';
import { panelOverlays } from './panel-overlays';
import type { MetricsSample } from '../scheduler/frame-loop';
import './legend';
import type { NetworkLab } from './network-lab';
import { readNetworkFile } from './network-doc';

const SPEED_MIN_LOG = 1; // 10 steps/s
const SPEED_MAX_LOG = 5; // 1e5 steps/s; the slider's end is "max"

@customElement('sgd-lab')
export class SgdLab extends LitElement {
  static override styles = [controlStyles, css`
    :host { display: grid; grid-template-rows: auto auto 1fr; height: 100vh; background: #0b0d12; color: #d7deea; font: 13px/1.35 system-ui, sans-serif; overflow: hidden; }
    header select[name=preset] { max-width: 280px; }
    .scenario-title { color: #c9d1e0; font-weight: 600; max-width: 280px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    header { display: flex; align-items: center; gap: 12px; padding: 6px 12px; border-bottom: 1px solid #232936; background: #10141c; flex-wrap: wrap; }
    .brand { font-weight: 700; font-size: 15px; letter-spacing: 0.02em; color: #f0f3f8; }
    .brand small { font-weight: 400; color: #8b94a7; margin-left: 6px; font-size: 12px; }
    button.primary { min-width: 74px; }
    .transport { display: flex; align-items: center; gap: 6px; }
    .speed { display: flex; align-items: center; gap: 6px; color: #aab4c6; }
    .speed input[type=range] { width: 120px; padding: 0; }
    .speed output { min-width: 86px; font-variant-numeric: tabular-nums; color: #d7deea; }
    .fixed input { width: 60px; }
    .status { margin-left: auto; max-width: 420px; color: #8b94a7; font-variant-numeric: tabular-nums; font-size: 12px; text-align: right; }
    .banner { background: #3a2a12; color: #ffd9a0; padding: 6px 12px; border-bottom: 1px solid #5a4320; white-space: pre-wrap; display: flex; gap: 12px; align-items: flex-start; }
    .banner.info { background: #132033; color: #bcd4ff; border-color: #22385a; }
    .banner button { margin-left: auto; padding: 0 8px; }
    main { display: grid; grid-template-columns: 300px 1fr; min-height: 0; }
    main[hidden] { display: none; }
    network-lab { min-height: 0; }
    aside { overflow-y: auto; border-right: 1px solid #232936; background: #0f1218; }
    .center { display: grid; grid-template-rows: 1fr auto auto minmax(150px, 27%); min-width: 0; min-height: 0; }
    .center.escape-tab { grid-template-rows: 1fr auto auto minmax(230px, 40%); }
    /* without WebGPU a note on what is reduced sits under the stage */
    .center.cpu { grid-template-rows: 1fr auto auto auto minmax(150px, 27%); }
    .center.cpu.escape-tab { grid-template-rows: 1fr auto auto auto minmax(230px, 40%); }
    .tabs { display: flex; gap: 2px; padding: 0 8px; border-top: 1px solid #232936; background: #0d1016; }
    .tabs button, .tabs button:hover { border: none; border-bottom: 2px solid transparent; border-radius: 0; background: none; color: #8b94a7; padding: 3px 10px; font-size: 12px; }
    .tabs button.on { color: #e6ebf3; border-bottom-color: #3f6fe0; }
    .tabs .dot { color: #7fd1a0; }
    .bottom { position: relative; min-height: 0; }
    .bottom > * { position: absolute; inset: 0; }
    .bottom > [hidden] { display: none; }
    .stage { position: relative; min-height: 0; overflow: hidden; }
    .cpu-tools { margin: 12px; color: #9aa6ba; font-size: 12px; line-height: 1.4; }
    .reduced { margin: 4px 8px 0; padding: 6px 10px; border-radius: 6px; font-size: 12px; line-height: 1.35; background: #1c2130; color: #e8edf5; border: 1px solid #4a5470; }
    canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; touch-action: none; }
    .label { position: absolute; pointer-events: none; font-size: 12px; line-height: 1.3; color: #e8edf5; overflow: hidden; }
    .label .title { display: flex; gap: 6px; align-items: center; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .label .sw { width: 10px; height: 10px; border-radius: 2px; flex: none; }
    .label .sub { color: #9aa6ba; font-weight: 400; white-space: nowrap; font-variant-numeric: tabular-nums; overflow: hidden; text-overflow: ellipsis; }
    .label .T { color: #ffd28a; pointer-events: auto; cursor: help; }
    .cap { position: absolute; pointer-events: none; font-size: 11px; color: #dfe6f2; background: rgba(8, 10, 14, 0.6); padding: 0 4px; border-radius: 0 0 3px 0; }
    .axis { position: absolute; pointer-events: none; font-size: 10px; color: #8b94a7; font-variant-numeric: tabular-nums; }
    .card { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; background: #0b0d12; padding: 24px; }
    .card > div { max-width: 560px; background: #151a24; border: 1px solid #3a4356; border-radius: 10px; padding: 20px 24px; box-shadow: 0 10px 40px rgba(0,0,0,.5); }
    .card h2 { margin: 0 0 10px; font-size: 18px; color: #ffb3a1; }
    .card p { margin: 0 0 14px; color: #c9d1e0; white-space: pre-wrap; }
    .busy { position: absolute; right: 10px; bottom: 8px; color: #8fa0bd; font-size: 12px; background: rgba(10, 12, 18, .8); padding: 2px 8px; border-radius: 4px; }
    .warn { position: absolute; left: 10px; bottom: 8px; right: 10px; color: #ffb3a1; font-size: 12px; background: rgba(40, 12, 12, .85); padding: 4px 8px; border-radius: 4px; white-space: pre-wrap; }
    lab-charts { min-height: 0; }
    .status .part { white-space: nowrap; }
    .drawer-toggle, .drawer-close, .scrim { display: none; }
    /* phones and narrow tablets: the controls in a drawer, the panels stacked at full width (the page scrolls) */
    @media (max-width: 900px) {
      :host { height: auto; min-height: 100vh; overflow: visible; }
      header { gap: 8px; padding: 6px 8px; }
      header select[name=preset] { flex: 1 1 0; min-width: 0; max-width: calc(100vw - 190px); }
      .status { margin-left: 0; max-width: none; text-align: left; flex-basis: 100%; }
      .drawer-toggle { display: inline-block; }
      main { grid-template-columns: minmax(0, 1fr); }
      aside { position: fixed; z-index: 30; top: 0; bottom: 0; left: 0; width: min(340px, 88vw); transform: translateX(-105%); transition: transform .2s ease; box-shadow: 4px 0 24px rgba(0,0,0,.5); }
      aside.open { transform: none; }
      .drawer-close { display: block; position: sticky; top: 0; z-index: 1; width: 100%; text-align: right; background: #0f1218; border: none; border-bottom: 1px solid #232936; border-radius: 0; padding: 8px 12px; }
      .scrim { display: block; position: fixed; inset: 0; z-index: 29; background: rgba(0, 0, 0, .45); }
      .center, .center.escape-tab { grid-template-rows: auto auto auto 240px; }
      .center.cpu, .center.cpu.escape-tab { grid-template-rows: auto auto auto auto 240px; }
      /* one panel per row, about as tall as wide (3-D view over the maps) */
      .stage { height: calc(var(--panels, 1) * clamp(320px, calc(100vw * 1.2 + 40px), 85vh)); }
      canvas { touch-action: pan-y; }
    }
    @media (prefers-reduced-motion: reduce) {
      aside { transition: none; }
    }
  `];

  @state() private presets: PresetEntry[] = [];
  /** what the area under the canvas shows */
  @state() private bottomTab: 'charts' | 'escape' | 'laws' = 'charts';
  @state() private view: ViewSettings = { mode: 'both', surface: 'loss', arrows: 'auto', trails: false, particleSize: 2.5, particleOpacity: 0.55 };
  @state() private speedLog = Math.log10(600);
  @state() private fixed = 0;
  /** the controls drawer (narrow screens) is open */
  @state() private drawerOpen = false;
  /** the help overlay (help-overlay.ts, loaded when first opened) is open */
  @state() private helpOpen = false;
  @query('canvas') private canvas!: HTMLCanvasElement;
  @query('.stage') private stage!: HTMLElement;
  @query('lab-charts') private chartsElement!: LabCharts;

  /** the metric charts once their module (uPlot) has loaded: it loads after the first frame is drawn */
  private get charts(): LabCharts | null {
    return this.chartsLoaded ? this.chartsElement : null;
  }
  private chartsLoaded = false;
  private chartsLoad: Promise<unknown> | null = null;

  /**
   * Loads what the first frame does not draw (the metric and escape charts,
   * the landscape tools' panel, the record dialog); then shows the panels and
   * the metrics received so far in the charts.
   */
  private loadCharts(): void {
    this.chartsLoad ??= Promise.all([import('./charts'), import('./escape-chart'), import('./law-table'), import('./analysis-panel'), import('./record-dialog')]).then(async () => {
      await this.updateComplete;
      this.chartsLoaded = true;
      this.updateChartPanels();
      for (const s of this.recorder.history.samples) this.charts?.push(s);
    }, (e: unknown) => {
      this.chartsLoad = null;
      this.showBanner(`The charts could not be loaded: ${(e as Error).message}`, 'warn');
    });
  }

  /** latest metrics record per panel */
  records: MetricsSample['records'] = [];
  /** metrics samples received (tests wait on it) */
  metricsSamples = 0;

  readonly engine = new LabEngine(this, {
    onMetrics: (s) => {
      this.showMetrics(s);
      this.recorder.onLiveSample(s);
    },
    onRebuilt: () => {
      this.records = [];
      this.recorder.history.reset();
      this.charts?.reset();
      this.updateChartPanels();
    },
    // a click picks a path endpoint while the landscape panel asks for one, else drops the cloud there
    onPick: (x, y) => { if (!this.analysis.takePick(x, y)) this.draft.dropCloud(x, y); },
  });

  /** the scenario being edited, its URL hash, presets and the banner */
  readonly draft = new ScenarioDraft(this, this.engine);

  /** the landscape tools: critical points, minimum-energy path, smoothed loss */
  readonly analysis = new AnalysisController(this, this.engine, (e) => this.draft.edit(e));

  /** recording, snapshot, metric history, export and import (src/record/) */
  readonly recorder = new RecordController(this);

  /** Shows a metrics sample: labels, charts (the live loop's, or a recording frame's). */
  showMetrics(s: MetricsSample): void {
    this.records = s.records;
    this.metricsSamples++;
    this.charts?.push(s);
  }

  showBanner(text: string, kind: 'warn' | 'info'): void {
    this.draft.showBanner(text, kind);
  }

  /** The network view while the page runs a network scenario (issue 14) and its module has loaded, else null. */
  get networkLab(): NetworkLab | null {
    return customElements.get('network-lab') ? this.renderRoot.querySelector('network-lab') : null;
  }

  /** the network view's module (its kernels, charts and views) loads with the first network scenario */
  private networkLabLoad: Promise<unknown> | null = null;

  protected override willUpdate(): void {
    if (this.draft.network && !this.networkLabLoad) {
      this.networkLabLoad = import('./network-lab').catch((e: unknown) => {
        this.networkLabLoad = null;
        this.showBanner(`The network view could not be loaded: ${(e as Error).message}`, 'warn');
      });
    }
  }

  /** An imported file: a network scenario runs in the network view, anything else goes to the 2-D import. */
  private async importFile(file: File): Promise<void> {
    const n = await readNetworkFile(file);
    if (!n) {
      await this.recorder.importFile(file);
      return;
    }
    if (!n.ok) {
      this.showBanner(`${file.name} could not be imported: it is not a valid network scenario:\n${n.problems.slice(0, 12).join('\n')}`, 'warn');
      return;
    }
    await this.draft.loadJson(JSON.parse(await file.text()), true);
    this.showBanner(`Imported ${file.name}${n.scenario.title ? `: ${n.scenario.title}` : ''}`, 'info');
  }

  private exportFile(kind: ExportEvent['kind']): void {
    const lab = this.draft.network ? this.networkLab : null;
    if (!lab) {
      void this.recorder.exportFile(kind);
      return;
    }
    const problem = lab.exportFile(kind);
    if (problem) this.showBanner(`Export failed: ${problem}`, 'warn');
  }

  /** Makes a validated scenario document the draft and runs it (imported files). */
  loadScenario(doc: ScenarioDoc): Promise<void> {
    return this.draft.load(doc);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.engine.firstFrame.then(() => this.loadCharts());
    window.addEventListener('keydown', this.onKey);
    void loadPresetIndex().then((p) => { this.presets = p; }, (e) => console.warn('SGD Lab: no preset index:', (e as Error).message));
    if (this.hasUpdated) this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
  }

  protected override firstUpdated(): void {
    // after this update completes: starting sets state that renders again
    void this.updateComplete.then(() => this.start());
  }

  private start(): void {
    this.engine.hostConnected();
    this.engine.attach(this.canvas, this.stage);
    // a device that asks for reduced motion gets the first frame, paused
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    void this.draft.applyNow(!still);
    if (still && !this.draft.banner) this.showBanner('Opened paused: this device asks for reduced motion. Press ▶ Play (or the space bar) to run the clouds.', 'info');
  }

  // ---- view and transport ----------------------------------------------------

  private onView(e: ViewEditEvent): void {
    this.view = { ...this.view, ...e.settings };
    if (e.settings.mode) this.engine.setViewMode(e.settings.mode);
    if (e.settings.surface) void this.engine.setSurfaceShows(e.settings.surface).catch((err: unknown) => this.showBanner(`The surface view could not be drawn: ${(err as Error).message}`, 'warn'));
    if (e.settings.arrows || e.settings.trails !== undefined) void this.engine.setFlowView(this.view);
    if (e.settings.particleSize !== undefined || e.settings.particleOpacity !== undefined) {
      this.engine.setParticleStyle({ size: this.view.particleSize, opacity: this.view.particleOpacity });
    }
  }

  /** Reads every panel's Fokker–Planck density of `sim` (one reader per simulation, so the law table's property changes only with it). */
  private densityReader(sim: NonNullable<LabEngine['sim']>): () => Promise<(Float32Array | null)[]> {
    if (this.densityReaderFor?.sim !== sim) this.densityReaderFor = { sim, read: () => Promise.all(sim.panels.map((p) => sim.readDensity(p))) };
    return this.densityReaderFor.read;
  }
  private densityReaderFor: { sim: NonNullable<LabEngine['sim']>; read: () => Promise<(Float32Array | null)[]> } | null = null;

  /** Opens or closes the help overlay (its module loads the first time). */
  private setHelp(open: boolean): void {
    if (open) void import('./help-overlay').catch((e: unknown) => this.showBanner(`The help could not be loaded: ${(e as Error).message}`, 'warn'));
    this.helpOpen = open;
    if (!open) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('button[name=help]')?.focus());
  }

  /** What the help says the scenario on screen shows: the chosen preset's description (the default is the first preset). */
  private helpScenario(): HelpScenario {
    const d = this.draft;
    const isDefault = !d.network && !d.presetFile && JSON.stringify(d.doc) === JSON.stringify(DEFAULT_SCENARIO);
    const preset = this.presets.find((p) => p.file === d.presetFile) ?? (isDefault ? this.presets[0] : undefined);
    if (preset) return { title: preset.title, description: preset.description };
    const title = d.network ? d.network.scenario.title : d.doc.title;
    return { title: title ?? 'your scenario' };
  }

  /** Opens or closes the controls drawer (narrow screens); focus goes into it and back to its button. */
  private setDrawer(open: boolean): void {
    this.drawerOpen = open;
    void this.updateComplete.then(() => {
      const target = this.renderRoot.querySelector<HTMLElement>(open ? 'button[name=drawer-close]' : 'button[name=drawer]');
      if (target && getComputedStyle(target).display !== 'none') target.focus();
    });
  }

  private setSpeed(pos: number): void {
    this.speedLog = pos;
    this.engine.setSpeed(pos > SPEED_MAX_LOG ? Infinity : 10 ** pos);
  }

  private setFixed(n: number): void {
    this.fixed = Math.max(0, Math.floor(n) || 0);
    this.engine.setFixedSteps(this.fixed > 0 ? this.fixed : null);
  }

  private togglePlay(): void {
    const loop = this.engine.transport;
    if (!loop) return;
    loop.toggle();
    this.requestUpdate();
  }

  private stepOnce(): void {
    const loop = this.engine.transport;
    if (!loop) return;
    loop.pause();
    loop.step(1);
    this.requestUpdate();
  }

  private reset(): void {
    const loop = this.engine.transport;
    if (!loop) return;
    loop.reset();
    this.records = [];
    this.charts?.reset();
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && (target as HTMLInputElement).type !== 'range') return;
    if (e.key === 'Escape' && this.helpOpen) { this.setHelp(false); return; }
    if (e.key === 'Escape' && this.drawerOpen) { this.setDrawer(false); return; }
    if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); this.setHelp(!this.helpOpen); return; }
    if (this.helpOpen) return;
    if (e.ctrlKey || e.metaKey || e.altKey || this.recorder.busy || this.recorder.dialogOpen) return;
    if (this.draft.network) {
      if (e.key === ' ' || e.key === '.' || e.key === 'r' || e.key === 'R') { e.preventDefault(); this.networkLab?.key(e.key); }
      return;
    }
    if (e.key === ' ') { e.preventDefault(); this.togglePlay(); }
    else if (e.key === '.') { e.preventDefault(); this.stepOnce(); }
    else if (e.key === 'r' || e.key === 'R') { e.preventDefault(); this.reset(); }
  };

  private updateChartPanels(): void {
    const sim = this.engine.view;
    if (!sim || !this.charts) return;
    const panels: ChartPanel[] = sim.panels.map((p, i) => ({ label: p.label, color: PANEL_COLORS[i % PANEL_COLORS.length], isotropic: noiseIsIsotropic(p.spec) }));
    const minima = sim.surface.criticalPoints.filter((c) => c.kind === 'minimum').slice(0, 16);
    const basins: BasinChoice[] = minima.map((m, i) => ({ index: i, label: `min ${i + 1} at (${formatNumber(m.at[0], 2)}, ${formatNumber(m.at[1], 2)})` }));
    this.charts.panels = panels;
    this.charts.basins = basins;
    // the basin worth watching: the minimum farthest from where the cloud starts
    const init = sim.scenario.particles.init;
    const start = init.kind === 'gaussian' ? init.mean : init.kind === 'point' ? init.at : null;
    let pick = 0;
    if (start && minima.length > 1) {
      let far = -1;
      minima.forEach((m, i) => { const d = Math.hypot(m.at[0] - start[0], m.at[1] - start[1]); if (d > far) { far = d; pick = i; } });
    }
    this.charts.setBasin(pick);
  }

  // ---- rendering -------------------------------------------------------------

  override render() {
    const e = this.engine;
    const loop = e.transport;
    const playing = loop?.playing ?? false;
    const d = this.draft, a = this.analysis.view;
    return html`
      <header>
        <div class="brand" title="stochastic gradient descent as physics: particle clouds, their Fokker–Planck density, and equilibrium theory">SGD Lab</div>
        ${d.network ? nothing : html`<button class="drawer-toggle" name="drawer" aria-controls="lab-controls-drawer" aria-expanded=${this.drawerOpen ? 'true' : 'false'}
          title="surface, optimizers, noise, particles and the landscape tools" @click=${() => this.setDrawer(!this.drawerOpen)}>☰ Controls</button>`}
        <select name="preset" title="scenarios that reproduce the lab's claims" @change=${(ev: Event) => this.draft.choosePreset((ev.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!d.presetFile}>presets…</option>
          ${this.presets.map((p) => html`<option value=${p.file} ?selected=${p.file === d.presetFile} title=${p.description ?? ''}>${p.title}</option>`)}
        </select>
        ${d.network ? (d.network.scenario.title && !d.presetFile ? html`<span class="scenario-title" title=${`this scenario's title: ${d.network.scenario.title}`}>${d.network.scenario.title}</span>` : nothing)
          : d.doc.title && !d.presetFile ? html`<span class="scenario-title" title=${`this scenario's title: ${d.doc.title}`}>${d.doc.title}</span>` : nothing}
        ${d.network ? nothing : html`<div class="transport">
          <button class="primary" name="play" title="play / pause (space)" @click=${() => this.togglePlay()}>${playing ? '❚❚ Pause' : '▶ Play'}</button>
          <button name="step" title="one optimizer step (.)" @click=${() => this.stepOnce()}>Step</button>
          <button name="reset" title="back to the initial cloud (r)" @click=${() => this.reset()}>Reset</button>
        </div>
        <label class="speed" title="optimizer steps per second (every panel); at the right end, as many as the GPU time budget per frame allows">speed
          <input type="range" name="speed" min=${SPEED_MIN_LOG} max=${SPEED_MAX_LOG + 0.25} step="0.05" .value=${String(this.speedLog)} @input=${(ev: Event) => this.setSpeed(Number((ev.target as HTMLInputElement).value))}>
          <output>${this.speedLog > SPEED_MAX_LOG ? 'max' : `${formatNumber(10 ** this.speedLog, 2)} steps/s`}</output></label>
        <label class="speed fixed" title="fixed optimizer steps per frame for frame-exact recording (0: follow speed and GPU budget)">steps/frame
          <input type="number" name="fixed" min="0" step="1" .value=${String(this.fixed)} @change=${(ev: Event) => this.setFixed(Number((ev.target as HTMLInputElement).value))}></label>
        <button name="record" title=${e.cpu ? 'recording needs WebGPU, which this browser lacks' : 'record a frame-exact video of the panels (MP4 or WebM)'} ?disabled=${e.state !== 'running' || !!e.cpu} @click=${() => this.recorder.openDialog()}>● Record</button>`}
        <lab-export-menu .historyNote=${d.network ? '' : this.recorder.history.describe()} @lab-export=${(ev: ExportEvent) => this.exportFile(ev.kind)}
          @lab-import=${(ev: ImportEvent) => this.importFile(ev.file)}></lab-export-menu>
        <button name="help" title="what this scenario shows, the keyboard shortcuts and the mouse and touch gestures (?)" aria-haspopup="dialog" @click=${() => this.setHelp(true)}>? Help</button>
        ${d.network ? nothing : html`<div class="status" aria-live="off">${this.statusText().map((t, i) => html`${i ? ' · ' : ''}<span class="part">${t}</span>`)}</div>`}
      </header>
      ${d.banner ? html`<div class="banner ${d.banner.kind === 'info' ? 'info' : ''}" role="status"><span>${d.banner.text}</span><button title="dismiss" aria-label="dismiss this message" @click=${() => d.dismissBanner()}>×</button></div>` : html`<div></div>`}
      <main ?hidden=${!!d.network}>
        ${this.drawerOpen ? html`<div class="scrim" @click=${() => this.setDrawer(false)}></div>` : nothing}
        <aside id="lab-controls-drawer" class=${this.drawerOpen ? 'open' : ''} aria-label="scenario controls">
          <button class="drawer-close" name="drawer-close" aria-label="close the controls" @click=${() => this.setDrawer(false)}>Close ✕</button>
          <lab-controls .doc=${d.doc} .problems=${d.problems} .view=${this.view} .validateFormula=${d.validateFormula}
            .pdeShown=${(e.sim?.panels ?? []).map((_, i) => e.hasPde(i))}
            @lab-edit=${(ev: LabEditEvent) => d.edit(ev)} @lab-view=${(ev: ViewEditEvent) => this.onView(ev)}></lab-controls>
          ${e.cpu ? html`<p class="cpu-tools" role="note">Landscape tools (critical points, minimum-energy paths, the smoothed loss) run on WebGPU, which this browser lacks.</p>`
            : html`<analysis-panel .doc=${d.doc} .analysis=${this.analysis} .view=${a} .scenario=${e.scenario} .surface=${e.sim?.surface ?? null} .builds=${e.builds}
            @lab-edit=${(ev: LabEditEvent) => d.edit(ev)}></analysis-panel>`}
        </aside>
        <div class="center ${this.bottomTab === 'escape' ? 'escape-tab' : ''} ${e.cpu && e.reducedNote ? 'cpu' : ''}" style=${`--panels: ${Math.max(1, e.sim?.panels.length ?? d.doc.panels?.length ?? 1)}`}>
          <div class="stage">
            <canvas></canvas>
            ${e.message ? nothing : panelOverlays(e, this.records)}
            ${e.state === 'starting' || e.state === 'building' ? html`<div class="busy">${e.state === 'starting' ? 'starting the GPU…' : 'building the scenario…'}</div>` : nothing}
            ${e.gpuErrors.length || e.buildError ? html`<div class="warn" role="status">${[e.buildError, ...e.gpuErrors].filter(Boolean).join('\n')}</div>` : nothing}
            ${e.message ? this.messageCard() : nothing}
          </div>
          ${e.cpu && e.reducedNote ? html`<div class="reduced" role="note">${e.reducedNote}</div>` : nothing}
          <lab-legend .field=${e.field} .foundCritical=${!!e.scenario?.analysis?.critical && !!a.critical.report} .surfaceShows=${e.surfaceShown.some(Boolean) ? e.surfaceShows : 'loss'} .ratioRange=${e.ratioRange}></lab-legend>
          <div class="tabs" role="tablist">
            <button role="tab" name="tab-charts" class=${this.bottomTab === 'charts' ? 'on' : ''} @click=${() => { this.bottomTab = 'charts'; }}
              title="mean loss, basin fractions, KL divergences and free energy per panel, over optimizer steps">Metrics over time</button>
            <button role="tab" name="tab-escape" class=${this.bottomTab === 'escape' ? 'on' : ''} @click=${() => { this.bottomTab = 'escape'; }}
              title="first-passage times out of a basin, per panel, against the Eyring–Kramers law">Escape times${e.escape ? html` <span class="dot" title="escapes are being recorded">●</span>` : nothing}</button>
            <button role="tab" name="tab-laws" class=${this.bottomTab === 'laws' ? 'on' : ''} @click=${() => { this.bottomTab = 'laws'; }}
              title="each panel's latest record against the law that predicts it (stationary covariance, angular momentum, Gibbs basin shares)">Laws</button>
          </div>
          <div class="bottom">
            <lab-charts ?hidden=${this.bottomTab !== 'charts'}></lab-charts>
            <lab-laws ?hidden=${this.bottomTab !== 'laws'} .scenario=${e.scenario} .surface=${e.sim?.surface ?? null} .records=${this.records} .escape=${e.escape?.latest ?? null}
              .readDensities=${e.sim ? this.densityReader(e.sim) : null}></lab-laws>
            <lab-escape ?hidden=${this.bottomTab !== 'escape'} .scenario=${e.scenario} .surface=${e.sim?.surface ?? null} .watch=${e.escape} .snapshot=${e.escape?.latest ?? null} .error=${e.escapeError}
              @lab-edit=${(ev: LabEditEvent) => { this.bottomTab = 'escape'; d.edit(ev); }}></lab-escape>
          </div>
        </div>
      </main>
      ${d.network ? html`<network-lab .run=${d.network} .gpu=${() => e.ensureGpu()} .generation=${e.gpu?.generation ?? 1}
        .lost=${e.state === 'lost' ? e.message : null} .recover=${() => e.recover()}></network-lab>` : nothing}
      ${this.helpOpen ? html`<lab-help .scenario=${this.helpScenario()} @help-close=${() => this.setHelp(false)}></lab-help>` : nothing}
      <lab-record-dialog ?hidden=${!this.recorder.dialogOpen} .stepsDone=${e.stats?.stepsDone ?? 0} ?canStream=${this.recorder.canStream}
        ?recording=${this.recorder.recording} .progress=${this.recorder.progress} .status=${this.recorder.status}
        @record-start=${(ev: RecordStartEvent) => this.recorder.record(ev.detail)} @record-cancel=${() => this.recorder.cancel()}
        @record-close=${() => this.recorder.closeDialog()}></lab-record-dialog>`;
  }

  /** The status line's parts (drawn joined by ' · ', each kept on one line). */
  private statusText(): string[] {
    const e = this.engine;
    const s = e.stats;
    const sc = e.scenario;
    if (!s || !sc) return e.state === 'no-gpu' ? ['no WebGPU'] : [];
    const ms = s.msPerStep === null ? '' : e.cpu ? `${formatNumber(s.msPerStep, 2)} ms/step (CPU, ${e.cpu.sim.workers} worker${e.cpu.sim.workers === 1 ? '' : 's'})`
      : `${formatNumber(s.msPerStep, 2)} ms/step (${s.timing === 'timestamp-query' ? 'GPU timestamps' : 'submit-to-done'})`;
    return [`step ${s.stepsDone.toLocaleString('en')} / ${sc.steps.toLocaleString('en')}`, `${formatNumber(s.stepsPerSecond, 3)} steps/s`,
      `${Math.round(s.fps)} fps`, e.cpu ? `${s.budgetSteps} steps/request` : `budget ${s.budgetSteps < 10 ? s.budgetSteps.toFixed(1) : Math.floor(s.budgetSteps)} steps/frame`, ...(ms ? [ms] : []), ...this.stationaryText()];
  }

  /** While a non-isotropic panel's stationary density is being found: how far along (KL charts wait for it). */
  private stationaryText(): string[] {
    const q = this.engine.stationaryProgress();
    return q === null ? [] : [`finding ρ_ss ${Math.round(100 * q)} %`];
  }

  private messageCard(): TemplateResult {
    const m = this.engine.message!;
    return html`<div class="card gpu-message" role="alert"><div>
      <h2>${m.title}</h2>
      <p>${m.body}</p>
      ${m.recoverable ? html`<button class="primary" name="recover" @click=${() => this.engine.recover()}>Recover</button>` : nothing}
    </div></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sgd-lab': SgdLab;
  }
}
