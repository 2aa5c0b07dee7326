// A panel whose particles all diverged has no loss and no moments: the CPU
// reference reports null (as the GPU record's parser does, tested through the
// runner in tests/browser/cli-outputs.test.ts), metrics.csv leaves the field
// empty, and the page's and videos' panel label says "all diverged", not "E[f] 0".
import { describe, expect, it } from 'vitest';
import { findSurface } from '../../src/model/surfaces/index';
import { particleRecordReference } from '../../src/sim/metrics/reference';
import { basinMap, lossRange } from '../../src/sim/metrics/loss-range';
import { metricsCsv, recordRows } from '../../src/record/metric-rows';
import { panelTexts } from '../../src/record/live-overlay';
import type { PanelSpec } from '../../src/model/scenario-schema';

const surface = findSurface('double-well')!.create({}, 0);
const domain = { x: [-2, 2] as [number, number], y: [-2, 2] as [number, number] };
const record = (status: number[]) =>
  particleRecordReference([-1, 0, 1, 0], status, surface, domain, 8, basinMap(surface, domain, 8), lossRange(surface, domain), 5).record;
const spec: PanelSpec = { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: 0.2 } } as PanelSpec;

describe('all particles diverged', () => {
  it('the reference record has no loss, mean, covariance or quantiles; one alive particle has them all', () => {
    const dead = record([3, 4]);
    expect(dead).toMatchObject({ alive: 0, diverged: 2, meanLoss: null, mean: null, cov: null, lossQuantiles: null });
    const one = record([0, 4]);
    expect(one.alive).toBe(1);
    expect(one.meanLoss).toBeCloseTo(surface.value(-1, 0), 12);
    expect(one.mean).toEqual([-1, 0]);
  });

  it('metrics.csv leaves those fields empty and keeps the counts', () => {
    const csv = metricsCsv(recordRows(record([3, 4]), 0)).trim().split('\n');
    expect(csv).toContain('5,0,mean_loss,');
    expect(csv).toContain('5,0,cov_xx,');
    expect(csv).toContain('5,0,diverged,2');
    expect(csv).toContain('5,0,alive,0');
  });

  it('the panel label says "all diverged" instead of a mean loss', () => {
    expect(panelTexts(spec, 0, 0.05, record([3, 4])).sub).toContain('all diverged');
    expect(panelTexts(spec, 0, 0.05, record([3, 4])).sub).not.toMatch(/E\[f\]/);
    expect(panelTexts(spec, 0, 0.05, record([0, 4])).sub).toMatch(/E\[f\] \S+ · diverged 1/);
  });
});
