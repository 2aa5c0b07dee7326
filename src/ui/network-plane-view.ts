// <network-plane-view>: the top view of the training loss over a plane of
// weight space (colour map and contours as the 2-D lab's surfaces) with the
// clouds of networks on it, placed by their projection and coloured by their
// distance from the plane. A click selects the nearest network (a
// 'network-pick' event); the pointer's plane coordinates and the loss there
// are printed under the map.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { cssGradient } from '../render/colormap';
import { distanceColor, distanceScaleOf, paintCloud, paintPaths, paintPlane, pickNetwork } from '../render/network-plane';
import { MARKER_COLORS } from '../render/marker-colors';
import { formatNumber } from '../model/format';
import type { LandscapeResult, Projections } from './network-landscape';
import type { Selection } from './network-decision';

export class NetworkPickEvent extends Event {
  constructor(readonly selection: Selection) {
    super('network-pick', { bubbles: true, composed: true });
  }
}

const rgb = (c: [number, number, number]) => `rgb(${c.join(', ')})`;

@customElement('network-plane-view')
export class NetworkPlaneView extends LitElement {
  static override styles = css`
    :host { display: flex; flex-direction: column; min-width: 0; min-height: 0; gap: 4px; }
    .map { position: relative; flex: 1; min-height: 0; }
    .square { position: absolute; top: 0; left: 50%; transform: translateX(-50%); background: #10131a; border-radius: 4px; overflow: hidden; }
    canvas { position: absolute; inset: 0; width: 100%; height: 100%; cursor: crosshair; display: block; }
    .empty { position: absolute; inset: 0; display: flex; flex-direction: column; gap: 8px; align-items: center; justify-content: center; color: #aab4c6; font: 12px system-ui, sans-serif; text-align: center; padding: 16px; background: rgba(11, 13, 18, 0.6); }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; font: 11px system-ui, sans-serif; color: #9aa6ba; font-variant-numeric: tabular-nums; }
    .bar { display: inline-block; width: 80px; height: 8px; border-radius: 2px; vertical-align: middle; margin: 0 4px; }
    .readout { color: #c9d1e0; min-height: 14px; }
  `;

  @property({ attribute: false }) result: LandscapeResult | null = null;
  @property({ attribute: false }) projections: Projections | null = null;
  /** per panel, the networks' status (0 alive) */
  @property({ attribute: false }) status: Uint32Array[] | null = null;
  /** the panel whose cloud is drawn; -1: every panel */
  @property({ type: Number }) panel = 0;
  @property({ attribute: false }) selected: Selection | null = null;
  /** a message in place of the map (no plane yet, computing…) */
  @property() placeholder = '';
  @query('canvas') private canvas!: HTMLCanvasElement;
  @query('.map') private mapBox?: HTMLElement;
  @state() private readout = '';
  /** CSS pixels of the map's side (the map area's smaller side) */
  @state() private side = 0;
  /** distance from the plane drawn fully red: the 90% quantile of the drawn networks' distances (parameter units) */
  @state() private distanceScale = 1;
  /** the landscape painted at the canvas size, reused until the plane or the size changes */
  private image: { result: LandscapeResult; size: number; bitmap: HTMLCanvasElement } | null = null;
  private observer: ResizeObserver | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(() => {
      const r = this.mapBox?.getBoundingClientRect();
      const side = r ? Math.max(0, Math.floor(Math.min(r.width, r.height))) : 0;
      if (side !== this.side) this.side = side;
      else this.paint();
    });
    if (this.mapBox) this.observer.observe(this.mapBox);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
  }

  override render() {
    const r = this.result;
    const f = r?.field;
    return html`
      <div class="map"><div class="square" style=${`width:${this.side}px;height:${this.side}px`}>
        <canvas @click=${(e: MouseEvent) => this.onClick(e)} @pointermove=${(e: PointerEvent) => this.onMove(e)} @pointerleave=${() => { this.readout = ''; }}></canvas>
        ${!r || this.placeholder ? html`<div class="empty">${this.placeholder || 'no plane yet'}<slot></slot></div>` : nothing}
      </div></div>
      ${r && f ? html`<div class="legend">
        <span title="mean training cross-entropy of the network at each point of the plane (${f.mode} colour scale, capped at the 90% quantile)">train loss
          ${formatNumber(f.min, 3)}<span class="bar" style="background:${cssGradient('viridis')}"></span>${formatNumber(f.cap, 3)}${f.cap < f.max ? '+' : ''} nats</span>
        <span title="distance of each network from the plane, in parameter units (white: on the plane)">distance from plane
          0<span class="bar" style="background:linear-gradient(to right, ${rgb(distanceColor(0))}, ${rgb(distanceColor(0.5))}, ${rgb(distanceColor(1))})"></span>${formatNumber(this.distanceScale, 2)}</span>
        <span title="plane coordinates are Euclidean distances in parameter space">a ${formatNumber(r.range.a[0], 3)} … ${formatNumber(r.range.a[1], 3)}, b ${formatNumber(r.range.b[0], 3)} … ${formatNumber(r.range.b[1], 3)}</span>
        <span class="readout">${this.readout}</span>
      </div>` : nothing}`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('projections') || changed.has('status') || changed.has('panel')) this.distanceScale = this.measureDistances();
  }

  protected override firstUpdated(): void {
    // the map area's size sets the square's (it shrinks when the legend appears)
    if (this.mapBox) this.observer?.observe(this.mapBox);
  }

  protected override updated(_: PropertyValues): void {
    this.paint();
  }

  private size(): number {
    return Math.max(16, Math.floor(this.side * Math.min(window.devicePixelRatio || 1, 2)));
  }

  private shownPanels(): number[] {
    const p = this.projections;
    if (!p) return [];
    return this.panel < 0 ? p.coords.map((_, i) => i) : [this.panel];
  }

  /** The colour scale's top: the 90% quantile of the drawn networks' distances from the plane. */
  private measureDistances(): number {
    return this.projections ? distanceScaleOf(this.projections.coords, this.status, this.shownPanels()) : 1;
  }

  private paint(): void {
    const c = this.canvas;
    const r = this.result;
    if (!c) return;
    const size = this.size();
    if (c.width !== size || c.height !== size) { c.width = size; c.height = size; }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    if (!r) {
      ctx.clearRect(0, 0, size, size);
      return;
    }
    if (!this.image || this.image.result !== r || this.image.size !== size) {
      const bitmap = document.createElement('canvas');
      bitmap.width = size;
      bitmap.height = size;
      paintPlane(bitmap.getContext('2d')!, r.field, size);
      this.image = { result: r, size, bitmap };
    }
    ctx.drawImage(this.image.bitmap, 0, 0);
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const paths = () => { if (r.paths) paintPaths(ctx, r.range, size, r.paths, { curve: MARKER_COLORS.path, line: MARKER_COLORS.straight }, dpr); };
    const p = this.projections;
    if (!p) { paths(); return; }
    const scale = this.distanceScale;
    for (const i of this.shownPanels()) {
      const co = p.coords[i];
      if (!co) continue;
      const count = co.length / 4;
      const mine = r.request.panel === i;
      paintCloud(ctx, r.range, size, {
        coords: co, status: this.status?.[i] ?? null, distanceScale: scale,
        radius: dpr * (count > 2000 ? 1.6 : count > 500 ? 2.2 : 3),
        selected: this.selected?.panel === i ? this.selected.index : null,
        anchors: !mine ? [] : r.request.kind === 'garipov' ? r.request.anchors : r.request.kind === 'filter' ? [r.request.centre] : r.request.kind === 'path' && r.request.path ? r.request.path.ends : [],
      });
    }
    paths();
  }

  /** Plane coordinates under a pointer event. */
  private planeAt(e: MouseEvent): { a: number; b: number; x: number; y: number } | null {
    const r = this.result;
    if (!r || !this.canvas) return null;
    const box = this.canvas.getBoundingClientRect();
    const u = (e.clientX - box.left) / box.width, v = (e.clientY - box.top) / box.height;
    return {
      a: r.range.a[0] + u * (r.range.a[1] - r.range.a[0]),
      b: r.range.b[1] - v * (r.range.b[1] - r.range.b[0]),
      x: (e.clientX - box.left) * (this.canvas.width / box.width) || 0,
      y: (e.clientY - box.top) * (this.canvas.height / box.height) || 0,
    };
  }

  private onMove(e: PointerEvent): void {
    const at = this.planeAt(e);
    const r = this.result;
    if (!at || !r) return;
    const loss = r.field.surface.value(at.a, at.b);
    this.readout = `(a, b) = (${formatNumber(at.a, 3)}, ${formatNumber(at.b, 3)}): loss ${formatNumber(loss, 3)} nats`;
  }

  private onClick(e: MouseEvent): void {
    const at = this.planeAt(e);
    const r = this.result, p = this.projections;
    if (!at || !r || !p) return;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const panels = this.panel < 0 ? p.coords.map((_, i) => i) : [this.panel];
    let best: Selection | null = null, bestD = Infinity;
    for (const i of panels) {
      const co = p.coords[i];
      if (!co) continue;
      const k = pickNetwork(r.range, this.canvas.width, co, this.status?.[i] ?? null, at.x, at.y, 12 * dpr);
      if (k === null) continue;
      const sa = this.canvas.width / (r.range.a[1] - r.range.a[0]);
      const d = Math.hypot((co[4 * k] - at.a) * sa, (co[4 * k + 1] - at.b) * sa);
      if (d < bestD) { bestD = d; best = { panel: i, index: k }; }
    }
    if (best) this.dispatchEvent(new NetworkPickEvent(best));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-plane-view': NetworkPlaneView;
  }
}
