// The metric samples the live page has received, kept for export as CSV (the
// headless runner's metrics.csv rows: step,panel,metric,value) and JSON. The
// samples' PanelRecords come from Simulation.parseRecords, as the runner's do.
// Bounded: past MAX_SAMPLES the history is thinned to every other sample, so
// it still spans the whole run at a coarser spacing (and says so).
import type { Scenario } from '../model/scenario';
import type { PanelRecord } from '../scheduler/simulation';
import { metricsCsv, recordRows } from './metric-rows';

/** Samples kept (one sample: every panel's record at one step; ~25 numbers per panel). */
export const MAX_SAMPLES = 20_000;

export interface HistorySample {
  step: number;
  records: PanelRecord[];
}

export class MetricHistory {
  private items: HistorySample[] = [];
  /** samples received since the last reset; the history keeps one in `stride` */
  private received = 0;
  private strideValue = 1;

  constructor(private readonly max = MAX_SAMPLES) {}

  get samples(): readonly HistorySample[] {
    return this.items;
  }

  /** 1 while every sample is kept; 2, 4, ... once thinned */
  get stride(): number {
    return this.strideValue;
  }

  get receivedCount(): number {
    return this.received;
  }

  reset(): void {
    this.items = [];
    this.received = 0;
    this.strideValue = 1;
  }

  /** Adds a sample; a step below the last one means the run restarted (the history restarts too). */
  push(step: number, records: PanelRecord[]): void {
    const last = this.items[this.items.length - 1];
    if (last && step < last.step) this.reset();
    if (last && step === last.step) {
      // the same state measured again (a paused page re-rendering): keep the newest
      this.items[this.items.length - 1] = { step, records };
      return;
    }
    this.received++;
    if ((this.received - 1) % this.strideValue !== 0) return;
    this.items.push({ step, records });
    if (this.items.length > this.max) {
      this.items = this.items.filter((_, i) => i % 2 === 0);
      this.strideValue *= 2;
    }
  }

  /** One line for the UI: how many samples, over which steps, and whether thinned. */
  describe(): string {
    const n = this.items.length;
    if (!n) return 'no metric samples yet';
    const span = `steps ${this.items[0].step.toLocaleString('en')}–${this.items[n - 1].step.toLocaleString('en')}`;
    return `${n.toLocaleString('en')} samples, ${span}` +
      (this.strideValue > 1 ? ` (thinned: 1 in ${this.strideValue} of ${this.received.toLocaleString('en')} received kept, the page keeps at most ${this.max.toLocaleString('en')})` : '');
  }

  toCsv(): string {
    return metricsCsv(this.items.flatMap((s) => s.records.flatMap((r, p) => recordRows(r, p))));
  }

  toJson(scenario: Scenario | null): string {
    return JSON.stringify({
      format: 'sgd-lab live metrics',
      note: 'the samples the lab page received (every panel at one step each); see metrics.csv in README for the fields',
      scenario,
      samplesReceived: this.received,
      stride: this.strideValue,
      samples: this.items,
    }, null, 1) + '\n';
  }
}
