// The runner's stepping loop, shared by 2-D and network scenarios: advance
// every panel to a target step in short submits, recording metrics at each
// multiple of record.every (and at the end), reporting progress as it goes.

export interface RunProgress {
  step: number;
  steps: number;
  /** seconds since the run started */
  elapsed: number;
}

/** What the loop drives: Simulation and NetworkSimulation both are one. */
export interface SteppedSimulation<R> {
  readonly stepsDone: number;
  encodeSteps(encoder: GPUCommandEncoder, steps: number): void;
  encodeMetrics(encoder: GPUCommandEncoder): void;
  readRecords(): Promise<R[]>;
}

/** Most steps per submit between records (keeps each submit short on slow adapters). */
export const STEPS_PER_SUBMIT = 1024;

export class RunLoop<R> {
  /** the latest record of every panel */
  last: R[] = [];
  constructor(
    private readonly device: GPUDevice,
    private readonly sim: SteppedSimulation<R>,
    private readonly totalSteps: number,
    private readonly every: number,
    private readonly onRecord: (records: R[]) => void,
    private readonly progress: (p: RunProgress) => void,
    /** performance.now() when the run started (before its pipelines were built) */
    readonly t0 = performance.now(),
    private readonly stepsPerSubmit = STEPS_PER_SUBMIT,
  ) {}

  get elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  async record(): Promise<void> {
    const enc = this.device.createCommandEncoder({ label: 'headless.record' });
    this.sim.encodeMetrics(enc);
    this.device.queue.submit([enc.finish()]);
    this.last = await this.sim.readRecords();
    this.onRecord(this.last);
  }

  /** Advances every panel to `target`, recording metrics at each multiple of `every` and at the scenario's last step. */
  async advanceTo(target: number): Promise<void> {
    const { sim, every } = this;
    while (sim.stepsDone < target) {
      const nextRecord = (Math.floor(sim.stepsDone / every) + 1) * every;
      const stop = Math.min(target, nextRecord, sim.stepsDone + this.stepsPerSubmit);
      const enc = this.device.createCommandEncoder({ label: 'headless.steps' });
      sim.encodeSteps(enc, stop - sim.stepsDone);
      this.device.queue.submit([enc.finish()]);
      await this.device.queue.onSubmittedWorkDone();
      if (sim.stepsDone % every === 0 || sim.stepsDone === this.totalSteps) await this.record();
      this.progress({ step: sim.stepsDone, steps: this.totalSteps, elapsed: this.elapsed });
    }
  }

  finish(): void {
    this.progress({ step: this.sim.stepsDone, steps: this.totalSteps, elapsed: this.elapsed });
  }
}
