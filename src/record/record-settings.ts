// What the Record dialog asks for, and what it means before anything runs:
// frames, video length, the optimizer steps covered, the expected file size
// and, for a recording kept in memory, whether it fits the page's limit.
// Pure functions (no DOM, no GPU).
import { estimatedBytes, validateRecordOptions, type VideoFormat } from './video-format';

export interface RecordSettings {
  format: VideoFormat;
  /** video pixels; H.264 needs even sizes */
  width: number;
  height: number;
  /** video frames per second */
  fps: number;
  /** optimizer steps of every panel between two video frames */
  stepsPerFrame: number;
  /** the video's length, in `lengthUnit` */
  length: number;
  lengthUnit: 'seconds' | 'frames';
  /** bits per second of video */
  bitrate: number;
  /** draw line charts of the metrics under the panels */
  charts: boolean;
  /** start from the initial cloud (step 0) rather than where the live run is */
  fromStart: boolean;
  /** 'file': streamed to a file chosen first (File System Access); 'memory': kept in memory, then downloaded */
  destination: 'file' | 'memory';
}

export const DEFAULT_RECORD_SETTINGS: RecordSettings = {
  format: 'mp4', width: 1280, height: 720, fps: 30, stepsPerFrame: 10, length: 10, lengthUnit: 'seconds',
  bitrate: 4_000_000, charts: true, fromStart: true, destination: 'file',
};

/**
 * Largest estimated file recorded to memory (bytes). The muxer's buffer grows
 * by doubling and the download copies it once more, so the page holds up to
 * about 3x this at the end; 512 MiB keeps that within what one tab can
 * allocate on an ordinary machine.
 */
export const MEMORY_LIMIT_BYTES = 512 * 1024 * 1024;

export interface RecordPlan {
  frames: number;
  /** video seconds */
  seconds: number;
  /** optimizer steps of the first and last frame */
  firstStep: number;
  lastStep: number;
  /** expected file size at the target bitrate (bytes; the encoder may use less) */
  bytes: number;
  /** why the settings cannot be recorded (empty when they can) */
  problems: string[];
}

export function framesOf(s: Pick<RecordSettings, 'length' | 'lengthUnit' | 'fps'>): number {
  return s.lengthUnit === 'frames' ? Math.round(s.length) : Math.round(s.length * s.fps);
}

/** The plan for `s`, starting from `stepsDone` when the recording does not start from step 0. */
export function recordPlan(s: RecordSettings, stepsDone: number, canStream: boolean): RecordPlan {
  const frames = framesOf(s);
  const problems = validateRecordOptions({ ...s, frames });
  if (!Number.isInteger(s.stepsPerFrame) || s.stepsPerFrame < 0 || s.stepsPerFrame > 1_000_000) {
    problems.push(`steps per frame ${s.stepsPerFrame} must be a whole number in [0, 1,000,000]`);
  }
  const bytes = Number.isFinite(frames) && frames > 0 && s.fps > 0 ? estimatedBytes({ bitrate: s.bitrate, frames, fps: s.fps }) : 0;
  const inMemory = s.destination === 'memory' || !canStream;
  if (inMemory && bytes > MEMORY_LIMIT_BYTES) {
    problems.push(`about ${formatBytes(bytes)} is more than the ${formatBytes(MEMORY_LIMIT_BYTES)} a recording kept in memory may take: ` +
      (canStream ? 'record to a file instead, or ' : '') + 'shorten it or lower the bitrate');
  }
  const firstStep = s.fromStart ? 0 : stepsDone;
  return { frames, seconds: frames / s.fps, firstStep, lastStep: firstStep + Math.max(0, frames - 1) * s.stepsPerFrame, bytes, problems };
}

/** Bytes in binary units (KiB = 1024 B, MiB, GiB). */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n >= 100 * 1024 ** 2 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}

/** Wall seconds as "1 min 05 s" / "42 s". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  const r = Math.max(0, Math.round(s));
  return r >= 60 ? `${Math.floor(r / 60)} min ${String(r % 60).padStart(2, '0')} s` : `${r} s`;
}
