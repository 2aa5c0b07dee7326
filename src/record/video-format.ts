// Video formats the lab writes, their codecs' limits and the recording
// options' checks, without the encoder itself (the CLI reads these in Node,
// and the page before the encoder, mediabunny, has loaded).
import type { StreamTargetChunk } from 'mediabunny';

export type VideoFormat = 'mp4' | 'webm';

/** mediabunny codec names: H.264 in MP4, VP9 in WebM */
export const CODEC_OF = { mp4: 'avc', webm: 'vp9' } as const satisfies Record<VideoFormat, string>;
export const MIME_OF: Record<VideoFormat, string> = { mp4: 'video/mp4', webm: 'video/webm' };
/** Largest quantizer of each format's codec (H.264 QP, VP9 q index); lower is better quality. */
export const QUANTIZER_MAX: Record<VideoFormat, number> = { mp4: 51, webm: 63 };

export interface RecordOptions {
  format: VideoFormat;
  /** pixels; H.264 needs even sizes */
  width: number;
  height: number;
  /** frames per second of the video */
  fps: number;
  frames: number;
  /** bits per second: the encoder's target, or with `quantizer` only the size estimate */
  bitrate: number;
  /**
   * constant quantizer (H.264 0–51, VP9 0–63; lower is better): no rate
   * control, so the same frames decode to the same pictures in every run
   */
  quantizer?: number;
  /** stream the file here (File System Access, the CLI); without it the video is kept in memory */
  writable?: WritableStream<StreamTargetChunk>;
  signal?: AbortSignal;
  onProgress?: (p: RecordProgress) => void;
}

export interface RecordProgress {
  frame: number;
  frames: number;
  /** wall seconds since recording started */
  elapsed: number;
  /** estimated wall seconds left */
  left: number;
}

export interface RecordResult {
  /** the file, when recorded to memory */
  bytes: Uint8Array | null;
  mimeType: string;
  frames: number;
  wallSeconds: number;
}

/** Bytes a recording will take (bitrate x duration), to state the limit before an in-memory recording. */
export function estimatedBytes(o: Pick<RecordOptions, 'bitrate' | 'frames' | 'fps'>): number {
  return Math.ceil((o.bitrate * o.frames) / o.fps / 8);
}

export function validateRecordOptions(o: RecordOptions): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(o.width) || !Number.isInteger(o.height) || o.width < 16 || o.height < 16 || o.width > 4096 || o.height > 4096) {
    problems.push(`size ${o.width}x${o.height} must be whole pixels between 16 and 4096`);
  }
  if (o.format === 'mp4' && (o.width % 2 || o.height % 2)) problems.push(`H.264 needs an even width and height, not ${o.width}x${o.height}`);
  if (!(o.fps >= 1 && o.fps <= 240)) problems.push(`fps ${o.fps} must be in [1, 240]`);
  if (!Number.isInteger(o.frames) || o.frames < 1) problems.push(`frames ${o.frames} must be a whole number >= 1`);
  if (!(o.bitrate >= 1e4 && o.bitrate <= 2e8)) problems.push(`bitrate ${o.bitrate} bit/s must be in [1e4, 2e8]`);
  if (o.quantizer !== undefined) {
    const max = QUANTIZER_MAX[o.format];
    if (!Number.isInteger(o.quantizer) || o.quantizer < 0 || o.quantizer > max) problems.push(`quantizer ${o.quantizer} must be a whole number in [0, ${max}] for ${CODEC_OF[o.format]}`);
  }
  return problems;
}
