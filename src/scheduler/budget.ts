// How many optimizer steps fit in one frame: the measured GPU time per step
// (from timestamp queries, or the submit-to-done time of whole frames) sets
// the steps per frame so that the simulation takes about `targetMs` of GPU
// time per frame. The speed setting (steps per second) and the fixed mode
// (recording) sit on top of it.

export interface StepBudgetOptions {
  /** GPU milliseconds the simulation may use per frame */
  targetMs?: number;
  /** bounds on steps per frame */
  minSteps?: number;
  maxSteps?: number;
}

export class StepBudget {
  targetMs: number;
  readonly minSteps: number;
  readonly maxSteps: number;
  /** smoothed GPU milliseconds per optimizer step (all panels together); null until measured */
  msPerStep: number | null = null;
  /** the most steps a frame may take under the budget (fractional; floor it) */
  private limit: number;

  constructor(options: StepBudgetOptions = {}) {
    this.targetMs = options.targetMs ?? 8;
    this.minSteps = options.minSteps ?? 1;
    this.maxSteps = options.maxSteps ?? 8192;
    // start modestly: a slow (CPU-emulated) GPU must not be handed a huge first frame
    this.limit = Math.min(this.maxSteps, 8);
  }

  /** Steps the budget allows in the next frame. */
  get stepsPerFrame(): number {
    return Math.floor(this.stepsAllowed);
  }

  /**
   * The budget's steps per frame before rounding down (e.g. 1.6 when a step
   * takes a little more than half the target): StepPacer carries the
   * fraction, so frames alternate 1 and 2 steps instead of always taking 1.
   */
  get stepsAllowed(): number {
    return Math.max(this.minSteps, Math.min(this.maxSteps, this.limit));
  }

  /**
   * Records that `steps` steps took `gpuMs` milliseconds of GPU time. Grows
   * the limit by at most 1.5x per observation and shrinks it at once when a
   * frame ran over.
   */
  observe(gpuMs: number, steps: number): void {
    if (!(steps > 0) || !Number.isFinite(gpuMs) || gpuMs < 0) return;
    // timestamps are quantised (Chromium: 100 us); never believe a step is free
    const perStep = Math.max(gpuMs, 0.02) / steps;
    this.msPerStep = this.msPerStep === null ? perStep : 0.7 * this.msPerStep + 0.3 * perStep;
    const wanted = this.targetMs / this.msPerStep;
    this.limit = Math.max(this.minSteps, Math.min(this.maxSteps, wanted < this.limit ? wanted : Math.min(wanted, this.limit * 1.5)));
  }
}

/**
 * Turns a speed (steps per second; Infinity for "as fast as the budget
 * allows") into whole steps per frame, carrying the fractional remainder.
 */
export class StepPacer {
  private carry = 0;
  /** the fractional part of the budget's steps not yet run (speed Infinity) */
  private budgetCarry = 0;

  /**
   * `dtMs`: wall time since the last frame; `cap`: the budget's steps per
   * frame, possibly fractional (StepBudget.stepsAllowed): at speed Infinity
   * the frames run it on average, whole steps each.
   */
  next(speed: number, dtMs: number, cap: number): number {
    if (!Number.isFinite(speed)) {
      this.carry = 0;
      this.budgetCarry += cap;
      const steps = Math.floor(this.budgetCarry);
      this.budgetCarry -= steps;
      return steps;
    }
    this.budgetCarry = 0;
    cap = Math.floor(cap);
    // a stalled tab must not come back with a burst of steps
    const dt = Math.min(Math.max(dtMs, 0), 100);
    this.carry += (speed * dt) / 1000;
    const steps = Math.min(cap, Math.floor(this.carry));
    this.carry = Math.min(this.carry - steps, cap);
    return steps;
  }

  reset(): void {
    this.carry = 0;
    this.budgetCarry = 0;
  }
}
