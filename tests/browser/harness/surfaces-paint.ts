// Page side of the loss-painter test: one catalogue surface's loss map as the
// page paints it (the top-view texture) and as a video frame shows it (the
// headless runner's --video top view), pixel for pixel.
import { findSurface } from '../../../src/model/surfaces';
import { LOSS_FIELD_GRID, SurfaceField } from '../../../src/render/surface-field';
import { paintSurfaceImage } from '../../../src/render/surface-image';
import { drawTopView, topViewMapRect, videoLossMap } from '../../../src/record/top-view';

/**
 * The first panel's map of a width x height video frame of `panels` panels
 * with no particles, and the page's loss image at that map's size: RGBA8 rows
 * of `side` pixels each.
 */
export function pageAndVideoLoss(name: string, params: Record<string, number>, seed: number, width: number, height: number, panels: number) {
  const def = findSurface(name);
  if (!def) throw new Error(`no catalogue surface '${name}'`);
  const surface = def.create(params, seed);
  const { x: x0, y: y0, side } = topViewMapRect(width, height, panels, 0);

  // the page: the field the lab engine builds, painted as the top-view texture
  const pageCanvas = paintSurfaceImage(new SurfaceField(surface, surface.domain, LOSS_FIELD_GRID), { size: side });
  const page = pageCanvas.getContext('2d')!.getImageData(0, 0, side, side).data;

  // the video: SimulationFrames' map, drawn by the top view with empty histograms
  const grid = 8;
  const frame = new OffscreenCanvas(width, height);
  const ctx = frame.getContext('2d')!;
  const empty = Array.from({ length: panels }, (_, k) => ({ label: `panel ${k}`, temperature: 0.1, histogram: new Uint32Array(grid * grid), diverged: 0 }));
  drawTopView(ctx, width, height, videoLossMap(surface, surface.domain, side), grid, empty, 0, '');
  const video = ctx.getImageData(x0, y0, side, side).data;
  return { side, page: new Uint8Array(page.buffer.slice(0)), video: new Uint8Array(video.buffer.slice(0)) };
}
