// The lr/B sweep's points (src/sim/network/sweep.ts): which panels count,
// what B is for full batch, and each point's x and spread from its record.
import { describe, expect, it } from 'vitest';
import { isSweep, panelLrB, recordsAtEqualTime, sweepPoints } from '../../src/sim/network/sweep';
import type { PanelSpec } from '../../src/model/scenario-schema';
import type { NetworkPanelRecord } from '../../src/sim/network/network-record';
import { chartAxis } from '../../src/ui/network-chart-axis';

const sgd = (lr: number, noise: PanelSpec['noise']) => ({ optimizer: { kind: 'sgd', lr, momentum: 0, nesterov: false }, noise }) as PanelSpec;
const stats = (q50: number) => ({ mean: q50, q10: q50 - 0.1, q50, q90: q50 + 0.2 });
const rec = (loss: number, acc: number) => ({ step: 100, trainLoss: stats(loss), testAccuracy: stats(acc), sharpness: null } as unknown as NetworkPanelRecord);

describe('lr/B sweep', () => {
  const specs = [
    sgd(0.1, { kind: 'minibatch', batchSize: 10 }),
    sgd(0.4, { kind: 'minibatch', batchSize: 40 }),
    sgd(0.5, { kind: 'none' }),
    { optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, noise: { kind: 'none' } } as PanelSpec,
    sgd(0.2, { kind: 'langevin', temperature: 0.1 }),
  ];
  it('lr and B per panel: minibatch B, full batch = the training split, none for Adam or added noise', () => {
    expect(specs.map((s) => panelLrB(s, 200))).toEqual([{ lr: 0.1, batch: 10 }, { lr: 0.4, batch: 40 }, { lr: 0.5, batch: 200 }, null, null]);
    expect(isSweep(specs, 200)).toBe(true);
    expect(isSweep([specs[0], specs[0], specs[3]], 200)).toBe(false);
  });

  it('one point per panel with a record, x as the axis asks, spread from the record', () => {
    const records = [rec(0.3, 0.9), rec(0.31, 0.91), rec(0.2, 0.95), rec(0.5, 0.8), undefined];
    const byRatio = sweepPoints(specs, records, 200, 'ratio', 'trainLoss');
    expect(byRatio.map((p) => p.panel)).toEqual([0, 1, 2]);
    expect(byRatio.map((p) => p.x)).toEqual([0.01, 0.01, 0.0025]);
    expect(byRatio[0]).toMatchObject({ q10: 0.3 - 0.1, q50: 0.3, q90: 0.3 + 0.2 });
    expect(sweepPoints(specs, records, 200, 'batch', 'testAccuracy').map((p) => [p.x, p.q50])).toEqual([[10, 0.9], [40, 0.91], [200, 0.95]]);
    // a record without the quantity (sharpness not estimated) gives no point
    expect(sweepPoints(specs, records, 200, 'lr', 'sharpness')).toEqual([]);
  });
});

describe('records at equal lr·steps', () => {
  const specs = [
    sgd(0.1, { kind: 'minibatch', batchSize: 10 }),
    sgd(0.2, { kind: 'minibatch', batchSize: 20 }),
    sgd(0.4, { kind: 'minibatch', batchSize: 40 }),
  ];
  // records every 100 steps up to step 1000; the loss encodes (panel, step) so the pick is visible
  const history = Array.from({ length: 11 }, (_, k) => ({
    step: 100 * k,
    records: specs.map((_, p) => rec(p + (100 * k) / 1e4, 0.9)),
  }));

  it('takes each panel at the latest time all have reached: tau = min lr_p · last step', () => {
    const r = recordsAtEqualTime(specs, history, 'trainLoss');
    // lr·steps at step 1000: 100, 200, 400 -> tau = 100: steps 1000, 500, 250 -> 200 (the last record at or before)
    expect(r.tau).toBeCloseTo(100, 12);
    expect(r.steps).toEqual([1000, 500, 200]);
    expect(r.records.map((x) => x!.trainLoss!.q50)).toEqual([0 + 0.1, 1 + 0.05, 2 + 0.02]);
  });

  it('a quantity recorded less often (sharpness) is taken from the records that have it', () => {
    const sparse = history.map((s) => ({ ...s, records: s.records.map((r) => ({ ...r!, sharpness: s.step % 300 === 0 ? stats(s.step) : null })) }));
    const r = recordsAtEqualTime(specs, sparse as never, 'sharpness');
    // last sharpness records at step 900 for every panel: tau = min(0.1, 0.2, 0.4) · 900 = 90; steps <= 900, 450, 225 among multiples of 300
    expect(r.tau).toBeCloseTo(90, 12);
    expect(r.steps).toEqual([900, 300, 0]);
  });

  it('no history: tau 0 and no records', () => {
    expect(recordsAtEqualTime(specs, [], 'trainLoss')).toEqual({ tau: 0, records: [undefined, undefined, undefined], steps: [null, null, null] });
  });
});

describe('the network charts\' x axis', () => {
  it('steps: one slot per sample for every panel', () => {
    expect(chartAxis([0, 100, 200], 2, null)).toEqual({ xs: [0, 100, 200], slot: [[0, 1, 2], [0, 1, 2]] });
  });
  it('lr·steps: the panels\' times merged and sorted, each sample in its own slot', () => {
    const { xs, slot } = chartAxis([0, 100, 200], 2, [0.1, 0.2]);
    expect(xs).toEqual([0, 10, 20, 40]);
    expect(slot).toEqual([[0, 1, 2], [0, 2, 3]]);
  });
});
