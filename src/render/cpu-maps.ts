// The no-WebGPU lab's top views: each panel's map drawn with the Canvas 2-D
// API on a transparent canvas over the stage's (which holds the 3-D views,
// render/cpu-scene.ts, where WebGL 2 works), the loss image (paintLoss: the colours,
// contours and critical points of the GPU page's maps and recorded videos)
// under the particles, which are blended into the image's pixels (one
// ImageData per map, so tens of thousands of dots cost one putImageData).
import type { PanelLayout, Rect } from './layout';
import { paintSurfaceImage } from './surface-image';
import type { SurfaceField } from './surface-field';

/** What the maps read of one panel's cloud. */
export interface CpuCloudView {
  /** x, y per particle (domain units) */
  position: ArrayLike<number>;
  /** 0 alive (drawn), else diverged */
  status: ArrayLike<number>;
}

/** Dot colour (sRGB 0..255), the GPU particle layer's default orange. */
const DOT = [255, 140, 46] as const;

export class CpuMaps {
  private readonly ctx: CanvasRenderingContext2D;
  /** the loss image of the field, 512 px per side, scaled into each map */
  private readonly loss: HTMLCanvasElement;
  /** the loss image at a map's size in device pixels ('w x h'), read once, and the buffer each frame's dots are blended into */
  private readonly bases = new Map<string, { base: ImageData; work: ImageData }>();
  private pixelRatio = 1;

  constructor(readonly canvas: HTMLCanvasElement, readonly field: SurfaceField) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('CpuMaps: this canvas gives no 2-D context (it may already draw with WebGL or WebGPU)');
    this.ctx = ctx;
    this.loss = paintSurfaceImage(field, { size: 512 });
  }

  /** Sizes the canvas's backing store: `width` x `height` CSS px at `pixelRatio` device px each. */
  resize(width: number, height: number, pixelRatio: number): void {
    this.pixelRatio = pixelRatio;
    this.canvas.width = Math.max(1, Math.round(width * pixelRatio));
    this.canvas.height = Math.max(1, Math.round(height * pixelRatio));
  }

  /** Draws every panel's particle map; `opacity` per dot (0..1), `size` in CSS px. */
  draw(layouts: PanelLayout[], clouds: CpuCloudView[], style: { opacity: number; size: number }): void {
    const { ctx, canvas } = this;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const dot = Math.max(1, Math.round(style.size * this.pixelRatio));
    for (const l of layouts) {
      const cloud = clouds[l.index];
      const map = l.maps.find((m) => m.kind === 'particles');
      if (!cloud || !map) continue;
      const r = this.fit(map.rect);
      const { base, work: img } = this.base(r.w, r.h);
      img.data.set(base.data);
      splat(img, cloud, this.field.domain, dot, Math.min(Math.max(style.opacity, 0), 1));
      ctx.putImageData(img, r.x, r.y);
    }
  }

  /** The domain point under (px, py) CSS px of the canvas, inside some panel's map; null elsewhere. */
  pick(px: number, py: number, layouts: PanelLayout[]): [number, number] | null {
    const { x, y } = this.field.domain;
    const p = this.pixelRatio;
    for (const l of layouts) {
      for (const m of l.maps) {
        const r = this.fit(m.rect);
        const u = (px * p - r.x) / r.w, v = (py * p - r.y) / r.h;
        if (u >= 0 && u <= 1 && v >= 0 && v <= 1) return [x[0] + u * (x[1] - x[0]), y[1] - v * (y[1] - y[0])];
      }
    }
    return null;
  }

  /** The map's rectangle in device pixels, narrowed to the domain's aspect and centred. */
  private fit(rect: Rect): Rect {
    const { x, y } = this.field.domain;
    const aspect = (x[1] - x[0]) / (y[1] - y[0]);
    const p = this.pixelRatio;
    let w = rect.w * p, h = rect.h * p;
    if (aspect > w / h) h = w / aspect;
    else w = h * aspect;
    return {
      x: Math.round(rect.x * p + (rect.w * p - w) / 2), y: Math.round(rect.y * p + (rect.h * p - h) / 2),
      w: Math.max(1, Math.round(w)), h: Math.max(1, Math.round(h)),
    };
  }

  private base(w: number, h: number): { base: ImageData; work: ImageData } {
    const key = `${w}x${h}`;
    let img = this.bases.get(key);
    if (!img) {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const cx = c.getContext('2d')!;
      cx.imageSmoothingQuality = 'high';
      cx.drawImage(this.loss, 0, 0, w, h);
      img = { base: cx.getImageData(0, 0, w, h), work: new ImageData(w, h) };
      if (this.bases.size > 8) this.bases.clear();
      this.bases.set(key, img);
    }
    return img;
  }
}

/** Blends a `dot` x `dot` square of DOT at `opacity` into `img` for every alive particle inside the domain. */
export function splat(img: ImageData, cloud: CpuCloudView, domain: { x: [number, number]; y: [number, number] }, dot: number, opacity: number): void {
  const { width: w, height: h, data } = img;
  const sx = w / (domain.x[1] - domain.x[0]), sy = h / (domain.y[1] - domain.y[0]);
  const half = Math.floor(dot / 2);
  const keep = 1 - opacity;
  const n = cloud.status.length;
  for (let i = 0; i < n; i++) {
    if (cloud.status[i] !== 0) continue;
    const col = Math.floor((cloud.position[2 * i] - domain.x[0]) * sx) - half;
    const row = Math.floor((domain.y[1] - cloud.position[2 * i + 1]) * sy) - half;
    for (let dy = 0; dy < dot; dy++) {
      const yy = row + dy;
      if (yy < 0 || yy >= h) continue;
      for (let dx = 0; dx < dot; dx++) {
        const xx = col + dx;
        if (xx < 0 || xx >= w) continue;
        const o = 4 * (yy * w + xx);
        data[o] = data[o] * keep + DOT[0] * opacity;
        data[o + 1] = data[o + 1] * keep + DOT[1] * opacity;
        data[o + 2] = data[o + 2] * keep + DOT[2] * opacity;
      }
    }
  }
}
