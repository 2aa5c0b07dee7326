// The sidebar: every scenario field as a control. Thin: it shows the draft
// scenario it is given and emits `lab-edit` events carrying a mutation; the
// app validates the result (parseScenario) and shows the problems inline,
// next to the field they name.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controlStyles } from './styles';
import { FORMULA_LOADING, loadFormulaReader } from './formula-reader';
import { SURFACES, findSurface } from '../model/surfaces/index';
import { MAX_PANELS } from '../model/scenario-schema';
import type { PanelSpec } from '../model/scenario';
import { PANEL_COLORS } from './panel-colors';
import type { SurfaceShows } from '../render/stationary-view';
import { canAddPanel, clone, sameRatioPanel, scaledTemperaturePanel, type ScenarioDoc } from './scenario-state';
import {
  minibatchToGaussian, panelWithDefaults, reinit, setAdamBeta, setBatchSize, setDomainEnd, setGradientStd, setInitCoordinate,
  setInitStd, setLangevinTemperature, setMomentum, setNoiseKind, setOptimizerKind, setSurfaceParam, surfaceFormula, surfaceName,
} from './draft-edits';
import { formatNumber, temperatureText } from '../model/format';
import type { ViewMode } from '../render/layout';

/** A mutation of the draft scenario. */
export class LabEditEvent extends Event {
  constructor(readonly apply: (doc: ScenarioDoc) => void) {
    super('lab-edit', { bubbles: true, composed: true });
  }
}

/** Which panels draw current arrows: 'auto' those out of equilibrium (anisotropic or minibatch noise). */
export type ArrowMode = 'auto' | 'on' | 'off';

export interface ViewSettings {
  mode: ViewMode;
  /** what each panel's surface shows: the loss, its effective potential Φ, or ln(ρ_ss / Gibbs) */
  surface: SurfaceShows;
  arrows: ArrowMode;
  /** trails of a few hundred particles */
  trails: boolean;
  /** sprite diameter, CSS pixels */
  particleSize: number;
  /** sprite opacity in [0, 1] */
  particleOpacity: number;
}

export class ViewEditEvent extends Event {
  constructor(readonly settings: Partial<ViewSettings>) {
    super('lab-view', { bubbles: true, composed: true });
  }
}

/** Validates a formula for the surface field: returns its problems (empty when it compiles). */
export type FormulaValidator = (expression: string) => string[];

const COUNTS = [1024, 4096, 16384, 32768, 65536, 131072, 262144, 524288, 1048576];
const GRIDS = [64, 96, 128, 192, 256];
/** the coordinates of a point: 0 = x, 1 = y */
const AXES = [0, 1] as const;

/** What every panel card needs to know about the whole draft. */
interface PanelContext {
  /** panels in the draft */
  count: number;
  /** no room for another panel (MAX_PANELS) */
  full: boolean;
  /** the surface is a finite sum (minibatch noise possible) */
  finiteSum: boolean;
}

@customElement('lab-controls')
export class LabControls extends LitElement {
  static override styles = [controlStyles, css`
    :host { display: block; font: 13px/1.35 system-ui, sans-serif; color: #d7deea; --control-bg: #10141b; --button-bg: #1c2330; --button-hover: #273044; --control-pad: 3px 6px; }
    section { border-bottom: 1px solid #232936; padding: 10px 12px; }
    h3 { margin: 0 0 8px; font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #8fa0bd; display: flex; justify-content: space-between; align-items: center; }
    label { display: grid; grid-template-columns: 92px 1fr; align-items: center; gap: 6px; margin: 4px 0; }
    label > span { color: #aab4c6; cursor: help; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .pair { display: grid; grid-template-columns: 92px 1fr 1fr; gap: 6px; align-items: center; margin: 4px 0; }
    .pair > span { color: #aab4c6; cursor: help; }
    input, select, textarea, button { min-width: 0; box-sizing: border-box; }
    input[type=number], select { width: 100%; }
    input[type=range] { width: 100%; padding: 0; }
    input[type=checkbox] { width: auto; justify-self: start; }
    textarea { width: 100%; font-family: ui-monospace, monospace; font-size: 12px; resize: vertical; min-height: 44px; }
    input.bad, textarea.bad, select.bad { border-color: #ff6b6b; background: #2a1416; }
    .err { color: #ff8f8f; font-size: 12px; margin: 2px 0 4px; white-space: pre-wrap; }
    .note { color: #8b94a7; font-size: 12px; margin: 4px 0; }
    .formula { font-family: ui-monospace, monospace; font-size: 12px; color: #b9c6dc; margin: 4px 0 6px; }
    .card { border: 1px solid #2a3140; border-radius: 6px; padding: 6px 8px; margin: 0 0 8px; background: #131822; }
    .card-head { display: flex; align-items: center; gap: 6px; margin-bottom: 4px; }
    .swatch { width: 10px; height: 10px; border-radius: 2px; flex: none; }
    .card-head b { flex: 1; font-weight: 600; }
    .temp { color: #ffd28a; cursor: help; font-variant-numeric: tabular-nums; }
    .buttons { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
    .buttons button { font-size: 12px; padding: 2px 6px; }
    .x { padding: 0 6px; line-height: 1.2; }
  `];

  /** the draft scenario (may be invalid) */
  @property({ attribute: false }) doc: ScenarioDoc | null = null;
  /** problems of the draft, each starting with the field path */
  @property({ attribute: false }) problems: string[] = [];
  @property({ attribute: false }) view: ViewSettings = { mode: 'both', surface: 'loss', arrows: 'auto', trails: false, particleSize: 2.5, particleOpacity: 0.55 };
  /** per panel: whether a Fokker–Planck density is drawn (false where the PDE is requested but not built) */
  @property({ attribute: false }) pdeShown: boolean[] = [];
  @property({ attribute: false }) validateFormula: FormulaValidator = () => [];
  @state() private formulaDraft: string | null = null;
  @state() private formulaProblems: string[] = [];

  private edit(apply: (doc: ScenarioDoc) => void): void {
    this.dispatchEvent(new LabEditEvent(apply));
  }

  private problemsAt(prefix: string): string[] {
    return this.problems.filter((p) => p.startsWith(prefix + ':') || p.startsWith(prefix + '.') || p.startsWith(prefix + '['));
  }

  private errorsFor(prefix: string): TemplateResult | typeof nothing {
    const ps = this.problemsAt(prefix);
    return ps.length ? html`<div class="err">${ps.join('\n')}</div>` : nothing;
  }

  /** A number input bound to a field; commits on change (enter or blur). */
  private num(label: string, help: string, path: string, value: unknown, set: (doc: ScenarioDoc, v: number) => void, opts: { step?: number; min?: number; max?: number } = {}): TemplateResult {
    const bad = this.problemsAt(path).length > 0;
    return html`<label><span title=${help}>${label}</span><input type="number" name=${path} class=${bad ? 'bad' : ''} title=${help}
      .value=${String(value ?? '')} step=${opts.step ?? 'any'} min=${opts.min ?? nothing} max=${opts.max ?? nothing}
      @change=${(e: Event) => { const v = Number((e.target as HTMLInputElement).value); this.edit((d) => set(d, v)); }}></label>`;
  }

  override render() {
    const d = this.doc;
    if (!d) return nothing;
    return html`
      ${this.surfaceSection(d)}
      ${this.particlesSection(d)}
      ${this.panelsSection(d)}
      ${this.pdeSection(d)}
      ${this.viewSection()}
      ${this.otherProblems()}`;
  }

  private surfaceSection(d: ScenarioDoc): TemplateResult {
    const formula = surfaceFormula(d.surface), name = surfaceName(d.surface);
    const isFormula = formula !== null;
    const def = name !== undefined && this.formulaDraft === null ? findSurface(name) : undefined;
    const params = 'params' in d.surface ? d.surface.params : undefined;
    const expression = this.formulaDraft ?? formula ?? '';
    return html`<section>
      <h3>Surface</h3>
      <label><span title="the loss f(x, y) the particles descend">loss</span>
        <select name="surface" @change=${(e: Event) => this.chooseSurface((e.target as HTMLSelectElement).value)}>
          ${SURFACES.map((s) => html`<option value=${s.name} ?selected=${!isFormula && this.formulaDraft === null && s.name === name} title=${s.blurb}>${s.title}</option>`)}
          <option value="__formula" ?selected=${isFormula || this.formulaDraft !== null}>formula f(x, y)…</option>
        </select></label>
      ${def ? html`<div class="note" title=${def.blurb}>${def.blurb}</div>` : nothing}
      ${def ? def.params.map((p) => this.num(p.name, `${p.description}; range [${p.min}, ${p.max}], default ${p.default}`, `surface.params.${p.name}`, params?.[p.name] ?? p.default,
        (doc, v) => setSurfaceParam(doc, p.name, v), { min: p.min, max: p.max })) : nothing}
      ${isFormula || this.formulaDraft !== null ? html`
        <textarea name="formula" rows="2" spellcheck="false" class=${this.formulaProblems.length || this.problemsAt('surface.expression').length ? 'bad' : ''}
          title="f(x, y) in x and y: + - * / ^, sin, cos, exp, log, sqrt, abs, tanh, ...; Ctrl+Enter applies"
          .value=${expression}
          @input=${(e: Event) => this.formulaInput((e.target as HTMLTextAreaElement).value)}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.applyFormula(); } }}></textarea>
        ${this.formulaProblems.length ? html`<div class="err">${this.formulaProblems.join('\n')}</div>` : nothing}
        <div class="buttons"><button name="apply-formula" ?disabled=${this.formulaProblems.length > 0 || this.formulaDraft === null} @click=${() => this.applyFormula()}>Apply formula</button></div>` : nothing}
      ${this.errorsFor('surface')}
      <div class="pair"><span title="x range of the domain shown and of the histogram / PDE grid">x range</span>
        ${this.rangeInput('domain.x', d.domain?.x, 0)}${this.rangeInput('domain.x', d.domain?.x, 1)}</div>
      <div class="pair"><span title="y range of the domain">y range</span>
        ${this.rangeInput('domain.y', d.domain?.y, 0)}${this.rangeInput('domain.y', d.domain?.y, 1)}</div>
      ${this.errorsFor('domain')}
    </section>`;
  }

  private rangeInput(path: 'domain.x' | 'domain.y', range: [number, number] | undefined, k: 0 | 1): TemplateResult {
    const axis = path === 'domain.x' ? 'x' : 'y';
    return html`<input type="number" step="any" name=${`${path}.${k}`} class=${this.problemsAt(path).length ? 'bad' : ''} title=${`${axis} ${k ? 'maximum' : 'minimum'} (domain units)`}
      .value=${String(range?.[k] ?? '')}
      @change=${(e: Event) => { const v = Number((e.target as HTMLInputElement).value); this.edit((doc) => setDomainEnd(doc, axis, k, v)); }}>`;
  }

  private chooseSurface(name: string): void {
    if (name === '__formula') {
      const text = (this.doc && surfaceFormula(this.doc.surface)) ?? '(x^2 - 1)^2 + 0.5*y^2';
      this.formulaInput(text);
      return;
    }
    this.formulaDraft = null;
    this.formulaProblems = [];
    const def = findSurface(name);
    if (!def) return;
    this.edit((doc) => {
      doc.surface = { name, params: Object.fromEntries(def.params.map((p) => [p.name, p.default])) };
      doc.domain = clone(def.defaultDomain);
      if (!def.finiteSum) minibatchToGaussian(doc);
    });
  }

  private formulaInput(text: string): void {
    this.formulaDraft = text;
    this.formulaProblems = this.validateFormula(text);
    // the formula reader loads on first use: check again once it is there
    if (this.formulaProblems.includes(FORMULA_LOADING)) {
      void loadFormulaReader().then(() => { if (this.formulaDraft === text) this.formulaProblems = this.validateFormula(text); }, () => {});
    }
  }

  private applyFormula(): void {
    const text = this.formulaDraft;
    if (text === null || this.formulaProblems.length) return;
    this.formulaDraft = null;
    this.edit((doc) => {
      doc.surface = { expression: text };
      minibatchToGaussian(doc);
    });
  }

  private particlesSection(d: ScenarioDoc): TemplateResult {
    const p = d.particles;
    const init = p.init ?? { kind: 'uniform' };
    return html`<section>
      <h3>Particles</h3>
      <label><span title="particles per panel (each panel runs its own cloud from the same start)">count</span>
        <select name="particles.count" @change=${(e: Event) => { const v = Number((e.target as HTMLSelectElement).value); this.edit((doc) => { doc.particles.count = v; }); }}>
          ${[...new Set([...COUNTS, p.count])].sort((a, b) => a - b).map((c) => html`<option value=${c} ?selected=${c === p.count}>${c.toLocaleString('en')}</option>`)}
        </select></label>
      <label><span title="initial cloud; click the surface (3-D view or map) to drop a new Gaussian cloud there">start</span>
        <select name="particles.init.kind" @change=${(e: Event) => this.chooseInit((e.target as HTMLSelectElement).value)}>
          ${['gaussian', 'uniform', 'point'].map((k) => html`<option value=${k} ?selected=${k === init.kind}>${k === 'uniform' ? 'uniform over the domain' : k}</option>`)}
        </select></label>
      ${init.kind === 'gaussian' ? html`
        <div class="pair"><span title="centre of the Gaussian cloud (domain units)">mean</span>
          ${AXES.map((k) => html`<input type="number" step="any" name=${`particles.init.mean.${k}`} .value=${String(init.mean[k])} title=${k ? 'y' : 'x'}
            @change=${(e: Event) => { const v = Number((e.target as HTMLInputElement).value); this.edit((doc) => setInitCoordinate(doc, k, v)); }}>`)}</div>
        ${this.num('std', 'standard deviation of the cloud (domain units)', 'particles.init.std', init.std, setInitStd, { min: 0 })}` : nothing}
      ${init.kind === 'point' ? html`
        <div class="pair"><span title="every particle starts here (domain units)">at</span>
          ${AXES.map((k) => html`<input type="number" step="any" name=${`particles.init.at.${k}`} .value=${String(init.at[k])}
            @change=${(e: Event) => { const v = Number((e.target as HTMLInputElement).value); this.edit((doc) => setInitCoordinate(doc, k, v)); }}>`)}</div>` : nothing}
      ${this.num('seed', 'seed of the counter-based random streams (uint32): same seed, same particles', 'seed', d.seed, (doc, v) => { doc.seed = v; }, { min: 0, step: 1 })}
      ${this.num('steps', 'optimizer steps per panel: the run pauses when it gets there (play continues)', 'steps', d.steps, (doc, v) => { doc.steps = v; }, { min: 0, step: 1 })}
      ${this.errorsFor('particles')}${this.errorsFor('seed')}${this.errorsFor('steps')}
    </section>`;
  }

  private chooseInit(kind: string): void {
    this.edit((doc) => reinit(doc, kind));
  }

  private panelsSection(d: ScenarioDoc): TemplateResult {
    // the panels as the schema completes them (defaults filled in), for their temperatures and copies
    const panels = d.panels.map(panelWithDefaults);
    const name = surfaceName(d.surface);
    const ctx: PanelContext = { count: panels.length, full: !canAddPanel({ panels }), finiteSum: name !== undefined && !!findSurface(name)?.finiteSum };
    return html`<section>
      <h3><span>Panels (${panels.length}/${MAX_PANELS})</span></h3>
      ${panels.map((p, i) => this.panelCard(p, i, ctx))}
      ${this.errorsFor('panels')}
    </section>`;
  }

  private panelCard(p: PanelSpec, i: number, { count: n, full, finiteSum }: PanelContext): TemplateResult {
    const o = p.optimizer, noise = p.noise;
    const t = temperatureText(p);
    const hotter = scaledTemperaturePanel(p, 2), colder = scaledTemperaturePanel(p, 0.5), ratio = sameRatioPanel(p, 2);
    const path = `panels[${i}]`;
    const add = (panel: PanelSpec | null) => panel && this.edit((doc) => { doc.panels.splice(i + 1, 0, panel); });
    return html`<div class="card" data-panel=${i}>
      <div class="card-head"><span class="swatch" style=${`background:${PANEL_COLORS[i % PANEL_COLORS.length]}`}></span>
        <b>Panel ${i + 1}</b>
        <span class="temp" title=${t.formula}>${t.value === null ? 'no T (Adam)' : `T = ${formatNumber(t.value)}`}</span>
        <button class="x" title="remove this panel" aria-label=${`remove panel ${i + 1}`} ?disabled=${n <= 1} @click=${() => this.edit((doc) => { doc.panels.splice(i, 1); })}>×</button></div>
      <label><span title="update rule">optimizer</span><select name=${`${path}.optimizer.kind`} @change=${(e: Event) => this.chooseOptimizer(i, (e.target as HTMLSelectElement).value)}>
        <option value="sgd" ?selected=${o.kind === 'sgd' && !o.momentum}>SGD</option>
        <option value="momentum" ?selected=${o.kind === 'sgd' && !!o.momentum}>SGD + momentum</option>
        <option value="adam" ?selected=${o.kind === 'adam'}>Adam</option></select></label>
      ${this.num('lr', 'learning rate (domain units² per loss unit per step); PDE time t = steps · lr', `${path}.optimizer.lr`, o.lr, (doc, v) => { doc.panels[i].optimizer.lr = v; }, { min: 0 })}
      ${o.kind === 'sgd' && o.momentum ? this.num('momentum β', 'heavy-ball coefficient β in [0, 1): lr_eff = lr / (1 - β)', `${path}.optimizer.momentum`, o.momentum, (doc, v) => setMomentum(doc.panels[i], v), { min: 0, max: 0.999 }) : nothing}
      ${o.kind === 'adam' ? html`${this.num('β1', 'first-moment decay', `${path}.optimizer.beta1`, o.beta1, (doc, v) => setAdamBeta(doc.panels[i], 'beta1', v))}
        ${this.num('β2', 'second-moment decay', `${path}.optimizer.beta2`, o.beta2, (doc, v) => setAdamBeta(doc.panels[i], 'beta2', v))}` : nothing}
      <label><span title="noise added to the gradient the optimizer sees">noise</span><select name=${`${path}.noise.kind`} @change=${(e: Event) => this.chooseNoise(i, (e.target as HTMLSelectElement).value)}>
        <option value="gaussian" ?selected=${noise.kind === 'gaussian'} title="g = ∇f + (s/√B) ξ">Gaussian gradient noise</option>
        <option value="minibatch" ?selected=${noise.kind === 'minibatch'} ?disabled=${!finiteSum} title="mean gradient of B samples of the dataset (finite-sum surfaces)">minibatch${finiteSum ? '' : ' (finite sums only)'}</option>
        <option value="langevin" ?selected=${noise.kind === 'langevin'} title="x += -lr ∇f + sqrt(2 lr T) ξ">Langevin</option>
        <option value="none" ?selected=${noise.kind === 'none'}>none (gradient descent)</option></select></label>
      ${noise.kind === 'gaussian' || noise.kind === 'minibatch' ? this.num('batch B', 'batch size B: noise variance ∝ 1/B, T = lr s² / (2B)', `${path}.noise.batchSize`, noise.batchSize, (doc, v) => setBatchSize(doc.panels[i], v), { min: 1, step: 1 }) : nothing}
      ${noise.kind === 'gaussian' ? this.num('grad std s', 'per-sample gradient standard deviation s (loss units per domain unit)', `${path}.noise.gradientStd`, noise.gradientStd, (doc, v) => setGradientStd(doc.panels[i], v), { min: 0 }) : nothing}
      ${noise.kind === 'langevin' ? this.num('temperature', 'T (loss units): x += -lr ∇f + sqrt(2 lr T) ξ', `${path}.noise.temperature`, noise.temperature, (doc, v) => setLangevinTemperature(doc.panels[i], v), { min: 0 }) : nothing}
      ${this.errorsFor(path)}
      <div class="buttons">
        <button name="hotter" ?disabled=${full || !hotter} title="add a copy of this panel at twice the temperature (B halved, or s·√2)" @click=${() => add(hotter)}>+ copy at 2T</button>
        <button name="colder" ?disabled=${full || !colder} title="add a copy at half the temperature (B doubled)" @click=${() => add(colder)}>+ copy at T/2</button>
        <button name="same-ratio" ?disabled=${full || !ratio} title="same lr/B: add a copy with lr ×2 and B ×2 (the same temperature T = lr s²/(2B)): the clouds should agree" @click=${() => add(ratio)}>+ same lr/B</button>
      </div>
    </div>`;
  }

  private chooseOptimizer(i: number, kind: string): void {
    this.edit((doc) => setOptimizerKind(doc.panels[i], kind));
  }

  private chooseNoise(i: number, kind: string): void {
    this.edit((doc) => setNoiseKind(doc.panels[i], kind));
  }

  private pdeSection(d: ScenarioDoc): TemplateResult {
    const on = !!d.fokkerPlanck;
    const requestedButMissing = on && this.pdeShown.length > 0 && !this.pdeShown.some(Boolean);
    return html`<section>
      <h3>Fokker–Planck</h3>
      <label><span title="solve ∂ρ/∂t = ∇·(ρ∇f) + ∇·∇(Dρ) on a grid next to the particles (PDE time t = steps · lr)">PDE</span>
        <input type="checkbox" name="pde" .checked=${on} @change=${(e: Event) => { const c = (e.target as HTMLInputElement).checked; this.edit((doc) => { if (c) doc.fokkerPlanck = { grid: 128 }; else delete doc.fokkerPlanck; }); }}></label>
      <label><span title="cells per side of the PDE grid and of the particle histogram">grid</span>
        <select name="pde.grid" ?disabled=${!on} @change=${(e: Event) => { const v = Number((e.target as HTMLSelectElement).value); this.edit((doc) => { doc.fokkerPlanck = { grid: v }; }); }}>
          ${[...new Set([...GRIDS, d.fokkerPlanck?.grid ?? 128])].sort((a, b) => a - b).map((g) => html`<option value=${g} ?selected=${g === (d.fokkerPlanck?.grid ?? 128)}>${g} × ${g}</option>`)}
        </select></label>
      ${requestedButMissing ? html`<div class="note">The Fokker–Planck solver is not part of this build yet: only the particle histogram is drawn (on this grid).</div>` : nothing}
      ${this.errorsFor('fokkerPlanck')}
    </section>`;
  }

  private viewSection(): TemplateResult {
    const v = this.view;
    const set = (s: Partial<ViewSettings>) => this.dispatchEvent(new ViewEditEvent(s));
    return html`<section>
      <h3>View</h3>
      <label><span title="what each panel shows">layout</span><select name="view.mode" @change=${(e: Event) => set({ mode: (e.target as HTMLSelectElement).value as ViewMode })}>
        <option value="both" ?selected=${v.mode === 'both'}>3-D and top view</option>
        <option value="3d" ?selected=${v.mode === '3d'}>3-D only</option>
        <option value="map" ?selected=${v.mode === 'map'}>top view only</option></select></label>
      <label><span title="what each panel's surface and map show. Φ = f − T ln(ρ_ss / Gibbs) is the effective potential whose Gibbs density is the panel's stationary density ρ_ss (equal to f at equilibrium); ln(ρ_ss / Gibbs) is blue where the steady state holds less mass than Gibbs, red where more. Panels with a PDE only, once ρ_ss is found">surface</span><select name="view.surface" @change=${(e: Event) => set({ surface: (e.target as HTMLSelectElement).value as SurfaceShows })}>
        ${[['loss', 'loss f'], ['potential', 'effective potential Φ'], ['ratio', 'ln(ρ_ss / Gibbs)']].map(([k, t]) => html`<option value=${k} ?selected=${v.surface === k}>${t}</option>`)}</select></label>
      <label><span title="probability velocity J/ρ of the PDE; length against |∇f|, colour |J|">arrows</span><select name="view.arrows" @change=${(e: Event) => set({ arrows: (e.target as HTMLSelectElement).value as ArrowMode })}>
        ${[['auto', 'out of equilibrium'], ['on', 'all PDE panels'], ['off', 'off']].map(([k, t]) => html`<option value=${k} ?selected=${v.arrows === k}>${t}</option>`)}</select></label>
      <label><span title="recent paths of 128 particles per panel">trails</span><input type="checkbox" name="view.trails" .checked=${v.trails} @change=${(e: Event) => set({ trails: (e.target as HTMLInputElement).checked })}></label>
      <label><span title="particle sprite diameter (CSS pixels)">dot size</span><input type="range" min="1" max="8" step="0.5" .value=${String(v.particleSize)} @input=${(e: Event) => set({ particleSize: Number((e.target as HTMLInputElement).value) })}></label>
      <label><span title="particle opacity">opacity</span><input type="range" min="0.05" max="1" step="0.05" .value=${String(v.particleOpacity)} @input=${(e: Event) => set({ particleOpacity: Number((e.target as HTMLInputElement).value) })}></label>
      <div class="note">Drag a 3-D view to orbit (all panels share the camera), wheel to zoom; click the surface or a map to drop a new cloud there. Keys: space play/pause, . step, r reset.</div>
    </section>`;
  }

  private otherProblems(): TemplateResult | typeof nothing {
    const known = ['surface', 'domain', 'particles', 'seed', 'steps', 'panels', 'fokkerPlanck'];
    const rest = this.problems.filter((p) => !known.some((k) => p.startsWith(k)));
    return rest.length ? html`<section><div class="err">${rest.join('\n')}</div></section>` : nothing;
  }
}
