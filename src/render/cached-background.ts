// The 3-D views' background drawn once and reused: the surface mesh (and
// what sits still on it: the landscape tools' marks) rendered into an
// off-screen colour + depth target only when something it shows changed
// (surface, panels, camera, size, layout, landscape tools), then copied into
// the canvas at the start of every frame, colour and depth both, so that the
// particles and flow layers drawn over it each frame are still hidden behind
// the surface's hills. On SwiftShader the mesh is most of a frame's drawing.
import { DepthTexture, MeshBasicNodeMaterial, QuadMesh, RenderTarget, Vector2, type WebGPURenderer } from 'three/webgpu';
import { screenUV, texture } from 'three/tsl';
import type { Rect } from './layout';

export class CachedBackground {
  /** times the background was drawn (tests and the bench read it) */
  renders = 0;
  /** false: every frame draws the surface itself (the check that the cache changes no pixel, and the bench's before) */
  enabled = true;
  private readonly target = new RenderTarget(1, 1, { depthBuffer: true });
  private readonly copy: QuadMesh;
  private readonly material = new MeshBasicNodeMaterial({ depthTest: false, depthWrite: true });
  private dirty = true;
  private key = '';
  private readonly size = new Vector2();

  constructor() {
    this.target.depthTexture = new DepthTexture(1, 1);
    const material = this.material;
    material.colorNode = texture(this.target.texture, screenUV);
    material.depthNode = texture(this.target.depthTexture, screenUV).x;
    this.copy = new QuadMesh(material);
  }

  /** the background's depth (device px, the canvas's size), what the dots are depth-tested against */
  get depthTexture(): DepthTexture | null {
    return this.target.depthTexture;
  }

  /** Something the background shows changed: draw it again before the next frame. */
  invalidate(): void {
    this.dirty = true;
  }

  /**
   * Draws the background into the target if it is stale (the canvas's device
   * size or the views' rectangles changed, or invalidate() was called):
   * `draw(rect)` renders one view's static content, the target already
   * confined to that rectangle (CSS px); `pixelRatio` device px per CSS px.
   */
  update(r: WebGPURenderer, views: Rect[], pixelRatio: number, draw: (view: Rect, index: number) => void): void {
    r.getDrawingBufferSize(this.size);
    const key = JSON.stringify([this.size.x, this.size.y, views]);
    if (key !== this.key) {
      this.key = key;
      this.dirty = true;
      if (this.target.width !== this.size.x || this.target.height !== this.size.y) this.target.setSize(this.size.x, this.size.y);
    }
    if (!this.dirty) return;
    this.dirty = false;
    this.renders++;
    const t = this.target;
    r.setRenderTarget(t);
    t.scissorTest = false;
    t.viewport.set(0, 0, t.width, t.height);
    r.clear();
    t.scissorTest = true;
    views.forEach((v, i) => {
      const p = pixelRatio;
      t.viewport.set(v.x * p, v.y * p, v.w * p, v.h * p);
      t.scissor.set(v.x * p, v.y * p, v.w * p, v.h * p);
      draw(v, i);
    });
    r.setRenderTarget(null);
  }

  /** Copies the background's colour and depth into the canvas (the renderer's viewport must be the full canvas; a scissor may cut it to a view). */
  drawInto(r: WebGPURenderer): void {
    this.copy.render(r);
  }

  destroy(): void {
    this.target.depthTexture?.dispose();
    this.target.dispose();
    this.material.dispose();
  }
}
