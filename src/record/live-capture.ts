// Taking the live page's canvas for a recording or a snapshot: the live loop
// stops (no requestAnimationFrame frames draw in between), the engine holds
// its canvas size while the capture renders at its own, and afterwards the
// loop resumes as it was (playing or paused) at the page's size.
import type { FrameLoop } from '../scheduler/frame-loop';
import type { LiveRig } from './live-frames';
import { RecordingError } from './video-recorder';

/** The part of LabEngine a capture uses. */
export interface CaptureHost {
  state: string;
  gpu: { device: GPUDevice } | null;
  sim: LiveRig['sim'] | null;
  renderer: LiveRig['renderer'] | null;
  loop: FrameLoop | null;
  viewMode: LiveRig['viewMode'];
  /** true while a capture owns the canvas (the engine does not resize it) */
  capturing: boolean;
  /** ends the capture (capturing = false): the canvas goes back to the page's size */
  releaseCapture(): void;
}

/**
 * Runs `work` with the live loop stopped and the canvas held; `isCurrent`
 * tells it whether the page still runs the same simulation.
 */
export async function withCapture<T>(host: CaptureHost, work: (rig: LiveRig, isCurrent: () => boolean) => Promise<T>): Promise<T> {
  if (host.capturing) throw new RecordingError('a recording or snapshot is already in progress');
  const { gpu, sim, renderer, loop } = host;
  if (host.state !== 'running' || !gpu || !sim || !renderer || !loop) {
    throw new RecordingError(`the lab is not running a scenario (it is ${host.state}); wait until it runs`);
  }
  const wasPlaying = loop.playing;
  loop.pause();
  loop.stop();
  host.capturing = true;
  try {
    // frames already queued finish (and their metrics arrive) before the capture's first frame
    await gpu.device.queue.onSubmittedWorkDone();
    return await work({ device: gpu.device, sim, renderer, viewMode: host.viewMode, hooks: loop.hooks }, () => host.sim === sim && host.loop === loop);
  } finally {
    host.releaseCapture();
    // not after a device loss or a rebuild: the engine has stopped or replaced this loop
    if (host.loop === loop && host.state === 'running') {
      loop.invalidate();
      loop.start();
      if (wasPlaying) loop.play();
    }
  }
}
