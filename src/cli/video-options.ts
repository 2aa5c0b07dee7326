// --video's flags as the page's VideoRequest, and the line the runner prints
// about the file it wrote (Node only: no encoder code is loaded here).
import { extname } from 'node:path';
import type { VideoRequest } from '../headless/video-request';
import { CODEC_OF, QUANTIZER_MAX, type VideoFormat } from '../record/video-format';
import { CliError } from './errors';

/**
 * How --video encodes without --bitrate or --quantizer. WebM: VP9 at a
 * constant quantizer (mid-range q 36 of 0–63), so there is no rate control to
 * decide differently between runs. MP4: H.264 at 4 Mbit/s — Chromium's H.264
 * encoder has no constant-quantizer mode, and its rate control (variable or
 * constant bitrate alike) gave different pictures for the same frames in
 * repeated runs here (2026-12-04), so MP4 videos are not reproducible.
 */
const DEFAULT_QUANTIZER: Record<VideoFormat, number | null> = { mp4: null, webm: 36 };
/** Bits per second: the MP4 default, and the encoder's buffer size hint alongside a quantizer. */
const DEFAULT_BITRATE = 4_000_000;

/** --video FILE.mp4|.webm and its settings, as parsed from the flags. */
export interface VideoFlags {
  file: string;
  /** pixels */
  width: number;
  height: number;
  /** frames per second of the video */
  fps: number;
  /** optimizer steps between frames; default: the whole run fits `seconds` */
  stepsPerFrame?: number;
  /** video length in seconds (when stepsPerFrame is not given) */
  seconds: number;
  /** bits per second: rate-controlled encoding (pictures may differ between runs) */
  bitrate?: number;
  /** constant quantizer: the same run gives the same pictures */
  quantizer?: number;
}

/** The page-side video settings from the CLI's: format from the extension, steps per frame from the length. */
export function videoRequest(v: VideoFlags, steps: number): VideoRequest {
  const ext = extname(v.file).toLowerCase();
  if (ext !== '.mp4' && ext !== '.webm') throw new CliError(`--video: '${v.file}' must end in .mp4 (H.264) or .webm (VP9)`, 2);
  // by default the whole run fits the requested length
  const stepsPerFrame = v.stepsPerFrame ?? Math.max(1, Math.ceil(steps / Math.max(1, Math.round(v.fps * v.seconds) - 1)));
  const format = ext === '.mp4' ? 'mp4' : 'webm';
  const quantizer = v.bitrate !== undefined ? null : v.quantizer ?? DEFAULT_QUANTIZER[format];
  if (quantizer === null) return { format, width: v.width, height: v.height, fps: v.fps, stepsPerFrame, bitrate: v.bitrate ?? DEFAULT_BITRATE };
  if (quantizer > QUANTIZER_MAX[format]) throw new CliError(`--quantizer must be in [0, ${QUANTIZER_MAX[format]}] for ${format} (${CODEC_OF[format]}), not ${quantizer}`, 2);
  // the bitrate only sizes the encoder's buffers here: the quantizer sets the quality
  return { format, width: v.width, height: v.height, fps: v.fps, stepsPerFrame, bitrate: DEFAULT_BITRATE, quantizer };
}

/** What the runner says about the video it wrote: format, size, frames, and whether its pictures are reproducible. */
export function videoLine(file: string, video: VideoRequest, frames: number): string {
  const how = video.quantizer === undefined
    ? `${video.bitrate} bit/s, rate-controlled: pictures may differ between runs${video.format === 'mp4' ? ' (for reproducible pictures record .webm)' : ''}`
    : `constant quantizer ${video.quantizer}: the same run gives the same pictures`;
  return `video: ${file} (${video.format}, ${video.width}x${video.height}, ${video.fps} fps, ${frames} frames, ${video.stepsPerFrame} steps per frame); ${how}`;
}
