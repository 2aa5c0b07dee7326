// The runner's --video settings as the page receives them (no GPU code here:
// the CLI imports this in Node).
import type { VideoFormat } from '../record/video-format';

export interface VideoRequest {
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  /** optimizer steps between frames; the video has ceil(steps / stepsPerFrame) + 1 frames */
  stepsPerFrame: number;
  /** bits per second (the target, or with a quantizer only the size estimate) */
  bitrate: number;
  /** constant quantizer: reproducible pictures across runs (record/video-recorder.ts) */
  quantizer?: number;
}

/** Frames of a video of a whole run: the initial state, then one every stepsPerFrame steps (the last may be shorter). */
export function videoFrames(steps: number, stepsPerFrame: number): number {
  return Math.ceil(steps / Math.max(1, stepsPerFrame)) + 1;
}
