// Frame-exact video recording: the caller's FrameSource advances the
// simulation by a fixed number of steps and renders; each frame is composited
// with its overlay onto a 2-D canvas and encoded with WebCodecs, muxed by
// mediabunny into MP4 (H.264) or WebM (VP9). A slow machine makes the same
// video, only more slowly. With a constant quantizer (no rate control) the
// same frames also encode to the same pictures, run after run; with a target
// bitrate the encoder's rate control may decide differently between runs.
import { BufferTarget, CanvasSource, Mp4OutputFormat, Output, Quality, StreamTarget, WebMOutputFormat, canEncodeVideo } from 'mediabunny';

import {
  CODEC_OF, MIME_OF, QUANTIZER_MAX, estimatedBytes, validateRecordOptions,
  type RecordOptions, type RecordProgress, type RecordResult, type VideoFormat,
} from './video-format';

export { CODEC_OF, MIME_OF, QUANTIZER_MAX, estimatedBytes, validateRecordOptions, type RecordOptions, type RecordProgress, type RecordResult, type VideoFormat };

export interface FrameSource {
  /** Advances the simulation for frame `index` (a fixed number of steps) and renders it. */
  frame(index: number): Promise<void>;
  /** Draws the rendered frame, and any labels, onto the 2-D context at the video's size. */
  draw(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number, index: number): void;
}

export class RecordingError extends Error {
  override name = 'RecordingError';
}

export async function recordVideo(source: FrameSource, o: RecordOptions): Promise<RecordResult> {
  const problems = validateRecordOptions(o);
  if (problems.length) throw new RecordingError(problems.join('; '));
  const codec = CODEC_OF[o.format];
  // an explicit quantizer without a bitrate fallback: mediabunny refuses it where the encoder has no quantizer mode
  const quality = o.quantizer === undefined ? new Quality({ bitrate: o.bitrate }) : new Quality({ quantizer: o.quantizer });
  if (!(await canEncodeVideo(codec, { width: o.width, height: o.height, quality }))) {
    const how = o.quantizer === undefined ? '' : ` with a constant quantizer (${o.quantizer})`;
    throw new RecordingError(`this browser cannot encode ${codec} at ${o.width}x${o.height}${how}; try ${o.format === 'mp4' ? 'webm' : 'mp4'}${how ? ', a bitrate instead' : ''} or a smaller size`);
  }
  const canvas = new OffscreenCanvas(o.width, o.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new RecordingError('no 2-D canvas context for compositing frames');
  const bufferTarget = o.writable ? null : new BufferTarget();
  const output = new Output({
    format: o.format === 'mp4' ? new Mp4OutputFormat({ fastStart: o.writable ? false : 'in-memory' }) : new WebMOutputFormat(),
    target: bufferTarget ?? new StreamTarget(o.writable!, { chunked: true }),
  });
  // one key frame a second; a fixed bitrate (predictable size) or a fixed quantizer (reproducible pictures)
  const video = new CanvasSource(canvas, { codec, quality, keyFrameInterval: 1, latencyMode: 'quality' });
  output.addVideoTrack(video, { frameRate: o.fps });
  const t0 = performance.now();
  try {
    await output.start();
    for (let f = 0; f < o.frames; f++) {
      if (o.signal?.aborted) throw new DOMException('recording cancelled', 'AbortError');
      await source.frame(f);
      ctx.clearRect(0, 0, o.width, o.height);
      source.draw(ctx, o.width, o.height, f);
      // timestamps from the frame index: frame-exact whatever the wall clock did
      await video.add(f / o.fps, 1 / o.fps);
      const elapsed = (performance.now() - t0) / 1000;
      o.onProgress?.({ frame: f + 1, frames: o.frames, elapsed, left: (elapsed / (f + 1)) * (o.frames - f - 1) });
    }
    await output.finalize();
  } catch (e) {
    if (output.state !== 'finalized' && output.state !== 'canceled') await output.cancel();
    throw e;
  }
  return {
    bytes: bufferTarget?.buffer ? new Uint8Array(bufferTarget.buffer) : null,
    mimeType: MIME_OF[o.format],
    frames: o.frames,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}
