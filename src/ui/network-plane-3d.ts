// <network-plane-3d>: the oblique 3-D view of the weight-space plane (drag to
// orbit, wheel to zoom), the networks at their own training loss. Its three.js
// renderer is made on the page's device when the element is first shown (a
// lit Task) and released when it goes away.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { MARKER_COLORS } from '../render/marker-colors';
import { Task } from '@lit/task';
import { NetworkPlaneScene, type Dot3d } from '../render/network-plane-3d';
import { distanceColor, distanceScaleOf } from '../render/network-plane';
import type { LandscapeResult, Projections } from './network-landscape';
import type { Selection } from './network-decision';

@customElement('network-plane-3d')
export class NetworkPlane3d extends LitElement {
  static override styles = css`
    :host { display: block; position: relative; min-width: 0; min-height: 0; background: #0e1015; border-radius: 4px; overflow: hidden; }
    canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; touch-action: none; }
    .note { position: absolute; left: 8px; bottom: 6px; font: 11px system-ui, sans-serif; color: #8b94a7; pointer-events: none; }
  `;

  @property({ attribute: false }) device: GPUDevice | null = null;
  @property({ attribute: false }) result: LandscapeResult | null = null;
  @property({ attribute: false }) projections: Projections | null = null;
  /** per panel, count x 4 (train loss first) of the latest metrics */
  @property({ attribute: false }) perParticle: Float32Array[] | null = null;
  @property({ attribute: false }) status: Uint32Array[] | null = null;
  /** the panel whose cloud is drawn; -1: every panel */
  @property({ type: Number }) panel = 0;
  @property({ attribute: false }) selected: Selection | null = null;
  @query('canvas') private canvas!: HTMLCanvasElement;
  private observer: ResizeObserver | null = null;
  /** dots drawn for these inputs */
  private drawn: unknown[] = [];

  private readonly scene = new Task(this, {
    args: () => [this.device] as const,
    task: async ([device]) => {
      this.release();
      if (!device) return null;
      await this.updateComplete;
      const scene = await NetworkPlaneScene.create(this.canvas, device);
      if (!this.isConnected || device !== this.device) {
        scene.destroy();
        return null;
      }
      this.current = scene;
      this.resize();
      this.drawn = [];
      this.draw();
      return scene;
    },
  });
  private current: NetworkPlaneScene | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(() => {
      this.resize();
      this.current?.render();
    });
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
    this.release();
  }

  override render() {
    return html`<canvas></canvas>${this.scene.render({
      pending: () => html`<div class="note">starting the 3-D view…</div>`,
      error: (e) => html`<div class="note">the 3-D view failed: ${(e as Error).message}</div>`,
      complete: () => html`<div class="note">drag to orbit · wheel to zoom · height: each network's own training loss</div>`,
      initial: () => nothing,
    })}`;
  }

  protected override updated(_: PropertyValues): void {
    this.draw();
  }

  private release(): void {
    this.current?.destroy();
    this.current = null;
  }

  private resize(): void {
    const r = this.getBoundingClientRect();
    this.current?.resize(r.width, r.height, Math.min(window.devicePixelRatio || 1, 2));
  }

  private draw(): void {
    const s = this.current, r = this.result;
    if (!s || !r) return;
    const inputs = [r, this.projections, this.perParticle, this.status, this.panel, this.selected];
    if (inputs.every((v, i) => v === this.drawn[i])) return;
    this.drawn = inputs;
    s.setLandscape(r.field);
    const p = this.projections;
    const dots: Dot3d[] = [];
    if (p && this.perParticle) {
      const panels = this.panel < 0 ? p.coords.map((_, i) => i) : [this.panel];
      const scale = distanceScaleOf(p.coords, this.status, panels);
      for (const i of panels) {
        const co = p.coords[i], loss = this.perParticle[i], st = this.status?.[i];
        if (!co || !loss) continue;
        for (let k = 0; k < co.length / 4; k++) {
          if (st && st[k] !== 0) continue;
          const c = distanceColor(co[4 * k + 2] / scale);
          dots.push({ a: co[4 * k], b: co[4 * k + 1], loss: loss[4 * k], color: [c[0] / 255, c[1] / 255, c[2] / 255], big: this.selected?.panel === i && this.selected.index === k });
        }
      }
    }
    dots.push(...pathBeads(r));
    s.setDots(dots);
    s.render();
  }
}

/** A path's points drawn as small beads at their own train loss: the curve in its colour, the straight line grey. */
function pathBeads(r: LandscapeResult): Dot3d[] {
  const p = r.paths;
  if (!p?.curveLoss || !p.lineLoss || p.curveLoss.length !== p.curve.length) return [];
  const rgb = (css: string): [number, number, number] => [1, 2, 3].map((i) => parseInt(css.slice(2 * i - 1, 2 * i + 1), 16) / 255) as [number, number, number];
  const curve = rgb(MARKER_COLORS.path), line = rgb(MARKER_COLORS.straight);
  const [a0, b0] = p.line[0], [a1, b1] = p.line[p.line.length - 1];
  const n = p.lineLoss.length;
  return [
    ...p.curve.map(([a, b], k) => ({ a, b, loss: p.curveLoss![k], color: curve, size: 0.7 })),
    ...p.lineLoss.map((loss, k) => ({ a: a0 + (k / (n - 1)) * (a1 - a0), b: b0 + (k / (n - 1)) * (b1 - b0), loss, color: line, size: 0.55 })),
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'network-plane-3d': NetworkPlane3d;
  }
}
