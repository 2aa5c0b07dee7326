// A frame-exact video of the live page: the capture stops the live loop,
// LiveFrames steps and renders each frame, recordVideo encodes and muxes it
// to a file target (streamed, committed when complete) or to memory. On
// cancel or error the file target is discarded and nothing is returned.
import { withCapture, type CaptureHost } from './live-capture';
import { LiveFrames, type LiveFrameOptions } from './live-frames';
import { framesOf, type RecordSettings } from './record-settings';
import type { FileTarget } from './save-target';
import { recordVideo, type RecordProgress, type RecordResult } from './video-recorder';

export interface LiveRecordRequest {
  settings: RecordSettings;
  title: string;
  colors: string[];
  /** streamed file, or null to record into memory */
  target: FileTarget | null;
  signal?: AbortSignal;
  onProgress?: (p: RecordProgress) => void;
  onRecords?: LiveFrameOptions['onRecords'];
}

export function recordLive(host: CaptureHost, r: LiveRecordRequest): Promise<RecordResult> {
  const s = r.settings;
  const frames = framesOf(s);
  return withCapture(host, async (rig, isCurrent) => {
    const source = new LiveFrames(rig, {
      width: s.width, height: s.height, pixelRatio: videoPixelRatio(s.width, s.height), stepsPerFrame: s.stepsPerFrame, frames, fromStart: s.fromStart, charts: s.charts,
      title: r.title, colors: r.colors, onRecords: r.onRecords, isCurrent,
    });
    try {
      const result = await recordVideo(source, {
        format: s.format, width: s.width, height: s.height, fps: s.fps, frames, bitrate: s.bitrate,
        writable: r.target?.writable, signal: r.signal, onProgress: r.onProgress,
      });
      await r.target?.commit();
      return result;
    } catch (e) {
      await r.target?.discard();
      throw e;
    }
  });
}

/**
 * Video pixels per layout pixel: 1 up to 1280x720; larger videos lay the
 * panels out as at 1280x720 and scale up, so labels keep their share of the frame.
 */
export function videoPixelRatio(width: number, height: number): number {
  return Math.max(1, Math.min(width / 1280, height / 720));
}
