// The page's scenario draft as a lit ReactiveController: the document being
// edited (a typed ScenarioDoc), its validation problems, the URL hash that
// carries it, the preset it came from and the banner that says what
// happened. A valid draft is handed to the engine to build (a burst of edits
// builds once); <sgd-lab> only renders this state and forwards edits.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LabEditEvent } from './controls';
import type { LabEngine } from './lab-engine';
import { loadPreset } from './presets';
import { DEFAULT_SCENARIO, checkDoc, clone, hashDocument, scenarioFromHash, scenarioToHash, splitPreset, withTitle, type ScenarioDoc } from './scenario-state';
import { FORMULA_LOADING, formulaReaderLoaded, loadFormulaReader, whenFormulasReadable } from './formula-reader';
import { checkNetworkDoc, isNetworkDocument, networkFromHash, type NetworkRun } from './network-doc';
import type { NetworkScenario } from '../model/network/scenario';
import type { NetworkModel } from '../model/network/model';

export interface Banner { text: string; kind: 'warn' | 'info' }

/** Quiet time (ms) after the last edit of a burst (typing, sliders) before the draft is built. */
const EDIT_SETTLE_MS = 200;

const round4 = (v: number) => Number(v.toPrecision(4));

export class ScenarioDraft implements ReactiveController {
  doc: ScenarioDoc = clone(DEFAULT_SCENARIO);
  /** what is wrong with the draft (field path first), empty when it is valid */
  problems: string[] = [];
  banner: Banner | null = null;
  /** the preset file the draft came from ('' once edited or loaded otherwise) */
  presetFile = '';
  /** the network scenario the page runs instead of a 2-D one (ui/network-lab.ts); null while the draft is 2-D */
  network: NetworkRun | null = null;
  private lastHash = '';
  private applyTimer = 0;
  /** the link's scenario has been read (after the formula reader, where the link names a formula) */
  private hashRead: Promise<void> = Promise.resolve();

  constructor(private readonly host: ReactiveControllerHost, private readonly engine: LabEngine) {
    host.addController(this);
  }

  hostConnected(): void {
    const hash = location.hash;
    this.hashRead = whenFormulasReadable(hashDocument(hash)).then(() => this.readHash(hash, true), (e: unknown) => {
      this.readHash('', true);
      this.showBanner(`The formula reader could not be loaded (${(e as Error).message}), so the default scenario is shown instead of the link's.`, 'warn');
    });
    window.addEventListener('hashchange', this.onHashChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    clearTimeout(this.applyTimer);
  }

  showBanner(text: string, kind: Banner['kind']): void {
    this.set({ banner: { text, kind } });
  }

  dismissBanner(): void {
    this.set({ banner: null });
  }

  /** Applies an edit to the draft; a valid result is built after the burst settles. */
  edit(e: LabEditEvent): void {
    const next = clone(this.doc);
    e.apply(next);
    const r = checkDoc(next);
    this.set({ doc: next, presetFile: '', problems: r.ok ? [] : r.problems, network: null });
    if (!r.ok) {
      // a formula typed before the reader loaded: check again once it has
      if (r.problems.includes(FORMULA_LOADING)) void loadFormulaReader().then(() => { if (this.doc === next) this.edit(new LabEditEvent(() => {})); });
      return;
    }
    clearTimeout(this.applyTimer);
    this.applyTimer = window.setTimeout(() => this.applyNow(this.engine.transport?.playing ?? true), EDIT_SETTLE_MS);
  }

  /** Validates the draft and (re)builds the simulation; writes the URL hash. Resolves when the latest build is done. */
  async applyNow(play: boolean): Promise<void> {
    clearTimeout(this.applyTimer);
    await this.hashRead;
    if (this.network) {
      // a network scenario: the network view builds it; the 2-D loop stops meanwhile
      this.set({ network: { ...this.network, play }, problems: [] });
      this.writeHash(this.network.scenario);
      this.engine.suspend();
      return;
    }
    const doc = this.doc;
    await whenFormulasReadable(doc);
    if (doc !== this.doc) return this.applyNow(play);
    const r = checkDoc(doc);
    if (!r.ok) {
      this.set({ problems: r.problems });
      return;
    }
    this.set({ problems: [] });
    this.writeHash(r.scenario);
    return this.engine.load(r.scenario, r.surface, play);
  }

  /** Makes a validated scenario document the draft and runs it (imported files). */
  async load(doc: ScenarioDoc): Promise<void> {
    this.set({ doc: clone(doc), presetFile: '', network: null });
    await this.applyNow(true);
  }

  /** Loads a scenario or preset document as it is (title kept); an invalid one only shows its problems. */
  async loadJson(json: unknown, play: boolean): Promise<void> {
    if (isNetworkDocument(json)) {
      const n = checkNetworkDoc(json);
      if (!n.ok) {
        this.set({ problems: n.problems });
        return;
      }
      this.takeNetwork(n);
      this.set({ presetFile: '' });
      await this.applyNow(play);
      return;
    }
    this.set({ network: null });
    await whenFormulasReadable(json);
    const r = checkDoc(withTitle(json));
    if (!r.ok) {
      this.set({ problems: r.problems });
      return;
    }
    this.set({ doc: r.doc });
    await this.applyNow(play);
  }

  async choosePreset(file: string): Promise<void> {
    if (!file) return;
    this.set({ presetFile: file });
    try {
      const json = await loadPreset(file);
      const { title, description } = splitPreset(json);
      const banner: Banner | null = title || description ? { kind: 'info', text: `${title ?? file}${description ? ' — ' + description : ''}` } : null;
      if (isNetworkDocument(json)) {
        const n = checkNetworkDoc(json);
        if (!n.ok) {
          this.showBanner(`Preset ${file} is not a valid network scenario:\n${n.problems.join('\n')}`, 'warn');
          return;
        }
        this.takeNetwork(n);
        this.set({ banner });
        await this.applyNow(true);
        return;
      }
      await whenFormulasReadable(json);
      const r = checkDoc(withTitle(json));
      if (!r.ok) {
        this.showBanner(`Preset ${file} is not a valid scenario:\n${r.problems.join('\n')}`, 'warn');
        return;
      }
      this.set({ doc: r.doc, banner, network: null });
      await this.applyNow(true);
    } catch (e) {
      this.showBanner(`Preset ${file} could not be loaded: ${(e as Error).message}`, 'warn');
    }
  }

  /** Restarts the cloud as a small Gaussian at a clicked domain point. */
  dropCloud(x: number, y: number): void {
    const dom = this.engine.scenario?.domain ?? this.doc.domain;
    const std = dom ? 0.03 * Math.min(dom.x[1] - dom.x[0], dom.y[1] - dom.y[0]) : 0.05;
    this.edit(new LabEditEvent((doc) => { doc.particles.init = { kind: 'gaussian', mean: [round4(x), round4(y)], std: round4(std) }; }));
    void this.applyNow(true);
  }

  /**
   * Problems of the draft with `expression` as its surface (the formula
   * compiler's messages); [FORMULA_LOADING] until the reader has loaded (the
   * editor awaits loadFormulaReader and asks again).
   */
  readonly validateFormula = (expression: string): string[] => {
    if (!formulaReaderLoaded()) void loadFormulaReader().catch(() => {});
    const r = checkDoc({ ...clone(this.doc), surface: { expression } });
    return r.ok ? [] : r.problems;
  };

  private readHash(hash: string, initial: boolean): void {
    const n = networkFromHash(hash);
    if (n.kind === 'ok') {
      this.takeNetwork(n);
      if (!initial) this.set({ banner: null });
      return;
    }
    this.set({ network: null });
    if (n.kind === 'bad') {
      this.set({
        doc: clone(DEFAULT_SCENARIO), problems: [],
        banner: { kind: 'warn', text: `The network scenario in this link could not be used, so the default is shown instead:\n${n.problems.slice(0, 6).join('\n')}` },
      });
      return;
    }
    const r = scenarioFromHash(hash);
    if (r.kind === 'ok') {
      this.set({ doc: r.doc, problems: [], ...(initial ? {} : { banner: null }) });
    } else if (r.kind === 'bad') {
      this.set({
        doc: clone(DEFAULT_SCENARIO), problems: [],
        banner: { kind: 'warn', text: `The scenario in this link could not be used, so the default is shown instead:\n${r.problems.slice(0, 6).join('\n')}` },
      });
    } else if (!initial) {
      this.set({ doc: clone(DEFAULT_SCENARIO) });
    }
  }

  private readonly onHashChange = (): void => {
    const hash = location.hash;
    if (hash === this.lastHash) return;
    this.hashRead = whenFormulasReadable(hashDocument(hash)).then(() => this.readHash(hash, false), () => this.readHash(hash, false));
    void this.applyNow(true);
  };

  /** Makes a validated network scenario the page's (built by the next applyNow). */
  private takeNetwork(n: { scenario: NetworkScenario; model: NetworkModel }): void {
    this.set({ network: { scenario: n.scenario, model: n.model, play: true }, problems: [] });
  }

  private writeHash(scenario: object): void {
    const hash = scenarioToHash(scenario);
    if (hash === location.hash) return;
    this.lastHash = hash;
    history.replaceState(null, '', hash);
  }

  private set(change: Partial<Pick<ScenarioDraft, 'doc' | 'problems' | 'banner' | 'presetFile' | 'network'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}
