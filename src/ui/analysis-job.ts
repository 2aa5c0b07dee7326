// A landscape job the page can cancel (analysis-jobs.ts runs them: on the GPU
// or in a worker). Here on its own so the page can name a job before the job
// code, loaded with the first job, is there.

export interface Job<T> {
  promise: Promise<T>;
  cancel(): void;
}

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Seed grid of the critical-point search: 48 x 48 starts (2304 GPU threads). */
export const CRITICAL_SEEDS = 48;
/** Cells per side of the smoothed-loss field (its vertices are the quadrature points). */
export const SMOOTHING_GRID = 128;
