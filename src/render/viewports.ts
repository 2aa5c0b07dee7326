// Drawing several views into one canvas with three.js: clear the whole
// canvas once, then draw each view inside its own rectangle (viewport and
// scissor). Used by the GPU page's renderer and the no-WebGPU 3-D views.
import type { WebGPURenderer } from 'three/webgpu';
import type { Rect } from './layout';

/** Clears the whole `width` x `height` (CSS px) canvas, then leaves the scissor test on for the views. */
export function clearForViews(r: WebGPURenderer, width: number, height: number): void {
  r.setScissorTest(false);
  r.setViewport(0, 0, width, height);
  r.clear();
  r.setScissorTest(true);
}

/** Confines the next render call to `rect` (CSS px from the canvas's top-left corner). */
export function drawInto(r: WebGPURenderer, rect: Rect): void {
  r.setViewport(rect.x, rect.y, rect.w, rect.h);
  r.setScissor(rect.x, rect.y, rect.w, rect.h);
}
