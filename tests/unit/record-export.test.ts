// The Record dialog's plan (frames, steps covered, expected size, in-memory
// limit) and the live page's metric history (bounded, restarting with the
// run, exported as the runner's metrics.csv rows).
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORD_SETTINGS, MEMORY_LIMIT_BYTES, recordPlan } from '../../src/record/record-settings';
import { MetricHistory } from '../../src/record/metric-history';
import { panelPdeRecord, PdeClock } from '../../src/scheduler/panel-pde';
import { recordRows } from '../../src/record/metric-rows';
import type { PanelRecord } from '../../src/scheduler/simulation';
import type { PanelSpec } from '../../src/model/scenario';

const record = (step: number, meanLoss = 0.5): PanelRecord => ({
  step, alive: 100, diverged: 0, meanLoss, mean: [0.1, -0.2], cov: [0.3, 0.01, 0.2], lossQuantiles: [0.1, 0.4, 0.9], basinFractions: [0.75, 0.25], angularMomentum: 0.02,
});

describe('recordPlan', () => {
  it('counts frames, video seconds, the steps covered and the size at the target bitrate', () => {
    const p = recordPlan(DEFAULT_RECORD_SETTINGS, 1234, true);
    // 10 s at 30 fps; frame f shows step 10 f, the last f = 299
    expect(p.frames).toBe(300);
    expect(p.seconds).toBe(10);
    expect([p.firstStep, p.lastStep]).toEqual([0, 2990]);
    // 4 Mbit/s for 10 s = 40e6 bits = 5e6 bytes
    expect(p.bytes).toBe(5_000_000);
    expect(p.problems).toEqual([]);
    const fromNow = recordPlan({ ...DEFAULT_RECORD_SETTINGS, fromStart: false, length: 7, lengthUnit: 'frames' }, 1234, true);
    expect([fromNow.frames, fromNow.firstStep, fromNow.lastStep]).toEqual([7, 1234, 1294]);
  });

  it('refuses an in-memory recording over the limit, naming the way out, and allows it streamed to a file', () => {
    // bytes = bitrate * seconds / 8 > MEMORY_LIMIT_BYTES
    const seconds = Math.ceil((MEMORY_LIMIT_BYTES * 8) / 20e6) + 1;
    const big = { ...DEFAULT_RECORD_SETTINGS, bitrate: 20e6, length: seconds };
    expect(recordPlan(big, 0, true).problems).toEqual([]);
    expect(recordPlan({ ...big, destination: 'memory' }, 0, true).problems.join()).toMatch(/more than the 512 MiB .* record to a file instead/);
    expect(recordPlan(big, 0, false).problems.join()).toMatch(/more than the 512 MiB a recording kept in memory may take: shorten it/);
  });

  it('passes on the recorder\'s checks (even H.264 sizes) and its own (steps per frame)', () => {
    const p = recordPlan({ ...DEFAULT_RECORD_SETTINGS, width: 641, stepsPerFrame: 1.5 }, 0, true);
    expect(p.problems.join('\n')).toMatch(/H\.264 needs an even width and height, not 641x720/);
    expect(p.problems.join('\n')).toMatch(/steps per frame 1\.5 must be a whole number/);
  });
});

describe('MetricHistory', () => {
  it('exports the runner\'s metrics.csv rows for every sample kept', () => {
    const h = new MetricHistory();
    h.push(0, [record(0), record(0, 0.7)]);
    h.push(50, [record(50, 0.4), record(50, 0.6)]);
    const lines = h.toCsv().trimEnd().split('\n');
    expect(lines[0]).toBe('step,panel,metric,value');
    const expected = [record(0), record(0, 0.7)].flatMap((r, p) => recordRows(r, p)).concat([record(50, 0.4), record(50, 0.6)].flatMap((r, p) => recordRows(r, p)));
    expect(lines.slice(1)).toEqual(expected.map((r) => r.join(',')));
    expect(lines).toContain('50,1,mean_loss,0.6');
    expect(JSON.parse(h.toJson(null)).samples).toHaveLength(2);
  });

  it('restarts when the run restarts, replaces a re-measured step, and thins past its bound', () => {
    const h = new MetricHistory(8);
    for (let s = 0; s < 5; s++) h.push(10 * s, [record(10 * s)]);
    h.push(40, [record(40, 9)]);
    expect(h.samples.map((x) => x.step)).toEqual([0, 10, 20, 30, 40]);
    expect(h.samples[4].records[0].meanLoss).toBe(9);
    h.push(0, [record(0)]);
    expect(h.samples.map((x) => x.step)).toEqual([0]);
    // 20 samples into 8 places: thinned to every 2nd at the 9th, every 4th at the 17th
    for (let s = 1; s < 20; s++) h.push(s, [record(s)]);
    expect(h.stride).toBe(4);
    expect(h.receivedCount).toBe(20);
    expect(h.samples.map((x) => x.step)).toEqual([0, 4, 8, 12, 16]);
    expect(h.describe()).toMatch(/thinned: 1 in 4 of 20 received kept/);
  });

  it('keeps the PDE record (the density\'s own time in whole substeps, stationarity) and exports its rows', () => {
    const spec = { optimizer: { kind: 'sgd', lr: 0.01, momentum: 0 }, noise: { kind: 'langevin', temperature: 0.1 } } as PanelSpec;
    // records every 3 steps (PDE time 0.03) in substeps of at most 0.003: 10 substeps of 0.003
    const clock = new PdeClock(spec, 3, 0.003);
    expect([clock.substepsPerRecord, clock.dt]).toEqual([10, 0.03 / 10]);
    const fp = { mass: 1, meanLoss: 0.2, entropy: 1, freeEnergy: 0.1, klStationary: 0.05, klHistogram: 0.01, histogramCount: 100, circulation: 0, currentL1: 0, basinMasses: [] };
    const r: PanelRecord = { ...record(70), pde: panelPdeRecord(fp, clock, 70, true) };
    // particles at t = 70 * 0.01 = 0.7; the density at floor(70 * 10 / 3) = 233 substeps of 0.003 = 0.699
    expect(r.pde!.time).toBeCloseTo(0.699, 12);
    expect(r.pde!.gibbsIsStationary).toBe(true);
    // on record multiples the density is at the particles' time
    expect(clock.timeAt(69)).toBeCloseTo(0.69, 12);
    const h = new MetricHistory();
    h.push(70, [r]);
    const rows = h.toCsv().trimEnd().split('\n');
    expect(rows).toContain('70,0,kl_stationary,0.05');
    expect(rows).toContain(`70,0,pde_time,${233 * clock.dt}`);
  });
});

