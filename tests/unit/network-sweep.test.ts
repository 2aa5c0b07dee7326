// The lr/B sweep's points (src/sim/network/sweep.ts): which panels count,
// what B is for full batch, and each point's x and spread from its record.
import { describe, expect, it } from 'vitest';
import { isSweep, panelLrB, sweepPoints } from '../../src/sim/network/sweep';
import type { PanelSpec } from '../../src/model/scenario-schema';
import type { NetworkPanelRecord } from '../../src/sim/network/network-record';

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
