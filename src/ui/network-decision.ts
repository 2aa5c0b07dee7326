// The decision function over input space of the selected network, and the
// cloud's mean prediction (mean of sigmoid over up to MEAN_NETWORKS alive
// networks of the selected panel): a ReactiveController that reads those
// networks' parameters back from the GPU at a modest rate (at most every
// REFRESH_MS, one readback at a time) and evaluates them on the CPU in slices
// of a few milliseconds per animation frame; and <network-decision-map>, the
// canvas that paints one such map with the dataset.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Dataset } from '../model/network/datasets';
import { decisionJob, inputBox, paintDecision, type InputBox } from '../render/network-decision';
import type { NetworkRunController } from './network-run';

/** Networks averaged in the mean prediction (the first alive ones of the panel). */
export const MEAN_NETWORKS = 64;
/** Grid cells per side of the maps. */
const SINGLE_GRID = 64;
const MEAN_GRID = 48;
/** Parameters are read back at most this often while the networks train (wall-clock ms). */
const REFRESH_MS = 1000;
/** CPU milliseconds of evaluation per animation frame. */
const SLICE_MS = 6;

export interface DecisionMap {
  probs: Float32Array;
  grid: number;
  /** training step of the parameters */
  step: number;
  /** networks averaged */
  networks: number;
}

export interface Selection {
  panel: number;
  index: number;
}

export class NetworkDecisionController implements ReactiveController {
  selected: Selection = { panel: 0, index: 0 };
  single: DecisionMap | null = null;
  mean: DecisionMap | null = null;
  box: InputBox | null = null;
  /** maps finished (tests wait for a count) */
  updates = 0;
  private busy = false;
  private dirty = true;
  private lastStart = -Infinity;
  private raf = 0;
  private job: (() => boolean) | null = null;
  private token = 0;
  /** the dataset `box` was made for */
  private boxFor: Dataset | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly run: NetworkRunController) {
    host.addController(this);
  }

  hostConnected(): void {
    this.raf = requestAnimationFrame(this.frame);
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.job = null;
    this.token++;
  }

  hostUpdate(): void {
    // a new dataset (new scenario): new box, maps out of date
    const dataset = this.run.sim?.network.dataset ?? null;
    if (dataset === this.boxFor) return;
    this.boxFor = dataset;
    this.box = dataset ? inputBox(dataset) : null;
    this.single = null;
    this.mean = null;
    this.dirty = true;
  }

  select(s: Selection): void {
    this.selected = { ...s };
    this.single = null;
    this.dirty = true;
    this.lastStart = -Infinity;
    this.host.requestUpdate();
  }

  /** The maps are out of date (new parameters: a step, a reset). */
  invalidate(): void {
    this.dirty = true;
  }

  private readonly frame = (now: number): void => {
    this.raf = requestAnimationFrame(this.frame);
    if (this.job) {
      if (this.job()) this.job = null;
      return;
    }
    const sim = this.run.sim;
    if (!sim || this.busy || !this.run.latest) return;
    // while training, at most every REFRESH_MS; when paused, once after each change
    const due = this.run.playing ? now - this.lastStart >= REFRESH_MS : this.dirty;
    if (!due) return;
    this.dirty = false;
    this.lastStart = now;
    void this.refresh();
  };

  private async refresh(): Promise<void> {
    const sim = this.run.sim;
    const latest = this.run.latest;
    if (!sim || !latest || !this.box) return;
    const token = ++this.token;
    this.busy = true;
    try {
      const { panel, index } = this.selected;
      const p = sim.panels[panel];
      if (!p) return;
      const D = p.model.layout.params;
      const step = latest.step;
      const status = latest.status[panel];
      const n = Math.min(p.system.count, MEAN_NETWORKS);
      const single = await this.run.readParams(panel, index);
      const many = await this.run.readParams(panel, 0, n);
      if (token !== this.token || sim !== this.run.sim) return;
      const alive: number[] = [];
      for (let i = 0; i < n; i++) if (!status || status[i] === 0) alive.push(i * D);
      const { layout, activation } = p.model;
      const box = this.box;
      const sProbs = new Float32Array(SINGLE_GRID * SINGLE_GRID), mProbs = new Float32Array(MEAN_GRID * MEAN_GRID);
      const a = decisionJob(layout, activation, single, [0], box, SINGLE_GRID, sProbs);
      const b = decisionJob(layout, activation, many, alive, box, MEAN_GRID, mProbs);
      let first = true;
      await new Promise<void>((resolve) => {
        this.job = () => {
          if (token !== this.token) { resolve(); return true; }
          if (first) {
            if (!a(SLICE_MS)) return false;
            first = false;
            this.single = { probs: sProbs, grid: SINGLE_GRID, step, networks: 1 };
            this.host.requestUpdate();
            return false;
          }
          if (!b(SLICE_MS)) return false;
          this.mean = { probs: mProbs, grid: MEAN_GRID, step, networks: alive.length };
          this.updates++;
          this.host.requestUpdate();
          resolve();
          return true;
        };
      });
    } catch (e) {
      console.warn('SGD Lab: the decision maps could not be updated:', (e as Error).message);
    } finally {
      if (token === this.token) this.busy = false;
    }
  }
}

/** One decision map: probabilities on a grid over `box`, with the dataset drawn in. */
@customElement('network-decision-map')
export class NetworkDecisionMap extends LitElement {
  static override styles = css`
    :host { display: block; position: relative; min-width: 0; min-height: 0; }
    .square { position: absolute; left: 50%; top: 0; transform: translateX(-50%); background: #10131a; border-radius: 4px; overflow: hidden; }
    canvas { position: absolute; inset: 0; width: 100%; height: 100%; }
    .empty { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; color: #6d7689; font: 12px system-ui, sans-serif; text-align: center; padding: 8px; }
  `;

  @property({ attribute: false }) map: DecisionMap | null = null;
  @property({ attribute: false }) samples: Dataset | null = null;
  @property({ attribute: false }) box: InputBox | null = null;
  @query('canvas') private canvas!: HTMLCanvasElement;
  /** CSS pixels of the square's side: the host's smaller side */
  @state() private side = 0;
  private observer: ResizeObserver | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(() => {
      const r = this.getBoundingClientRect();
      const side = Math.max(0, Math.floor(Math.min(r.width, r.height)));
      if (side !== this.side) this.side = side;
      else this.paint();
    });
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
  }

  override render() {
    return html`<div class="square" style=${`width:${this.side}px;height:${this.side}px`}><canvas></canvas>${this.map ? '' : html`<div class="empty">evaluating…</div>`}</div>`;
  }

  protected override updated(_: PropertyValues): void {
    this.paint();
  }

  private paint(): void {
    const c = this.canvas;
    if (!c || !this.map || !this.samples || !this.box) return;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const size = Math.max(16, Math.floor(this.side * dpr));
    if (c.width !== size || c.height !== size) { c.width = size; c.height = size; }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    paintDecision(ctx, this.map.probs, this.map.grid, this.samples, this.box, size);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-decision-map': NetworkDecisionMap;
  }
}
