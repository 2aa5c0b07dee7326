// A PNG of the live lab: the canvas rendered once more at its own size (no
// steps), with the panel labels, map captions and a footer (title, step)
// drawn as in recorded frames.
import { withCapture, type CaptureHost } from './live-capture';
import { LiveFrames } from './live-frames';

export interface SnapshotRequest {
  /** layout (CSS) pixels of the picture, e.g. the lab canvas's size on the page */
  width: number;
  height: number;
  /** PNG pixels per CSS pixel (the page renders at min(devicePixelRatio, 2)) */
  pixelRatio: number;
  title: string;
  colors: string[];
  /** false: the rendered canvas alone, without labels and footer */
  overlay?: boolean;
}

export function snapshotLive(host: CaptureHost, r: SnapshotRequest): Promise<Blob> {
  const width = Math.round(r.width * r.pixelRatio), height = Math.round(r.height * r.pixelRatio);
  return withCapture(host, async (rig) => {
    const frames = new LiveFrames(rig, {
      width, height, pixelRatio: r.pixelRatio, stepsPerFrame: 0, frames: 1, fromStart: false, charts: false,
      overlay: r.overlay, title: r.title, colors: r.colors,
    });
    await frames.frame(0);
    const canvas = new OffscreenCanvas(width, height);
    frames.draw(canvas.getContext('2d')!);
    return canvas.convertToBlob({ type: 'image/png' });
  });
}
