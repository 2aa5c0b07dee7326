// What the lab engine (lab-engine.ts) tells the page about itself: its state,
// and the message the stage shows instead of (or over) the canvas when the
// GPU is missing, the device was lost or a scenario could not run. Pure: the
// engine decides when; this says what.
import { GpuUnavailableError } from '../gpu/errors';

export type EngineState = 'starting' | 'building' | 'running' | 'no-gpu' | 'lost' | 'error';

/** A message on the stage; `recoverable` offers the button that makes a new device and builds again. */
export interface EngineMessage {
  title: string;
  body: string;
  recoverable: boolean;
}

/** The message for a lost GPU device (driver reset, GPU reclaimed, out of GPU memory). */
export function deviceLostMessage(info: GPUDeviceLostInfo): EngineMessage {
  return {
    title: 'The GPU device was lost',
    body: `The browser reported: ${info.message || 'no message'} (reason: ${info.reason}). ` +
      'This happens when the GPU driver resets, the GPU is reclaimed by the system, or the tab ran out of GPU memory. ' +
      'Recovering makes a new device and restarts the scenario from step 0.',
    recoverable: true,
  };
}

/**
 * The state and message after a failure: no WebGPU at all ('no-gpu', nothing
 * to retry), else the scenario could not run ('error'; recoverable when a GPU
 * context exists to recover).
 */
export function failureStatus(e: unknown, hasGpu: boolean): { state: 'no-gpu' | 'error'; message: EngineMessage } {
  if (e instanceof GpuUnavailableError) return { state: 'no-gpu', message: { title: 'WebGPU is not available', body: e.message, recoverable: false } };
  const msg = e instanceof Error ? e.message : String(e);
  return { state: 'error', message: { title: 'The scenario could not run', body: msg, recoverable: hasGpu } };
}
