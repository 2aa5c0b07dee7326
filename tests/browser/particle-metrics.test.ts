import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { requireScenario } from '../../src/model/scenario';
import { particleRecordReference, LOSS_BINS, expectedDrift } from '../../src/sim/metrics/reference';
import { stepConfig } from '../../src/sim/particles/step-config';
import type { ParticleRecord } from '../../src/sim/metrics/record';
import type { LossRange } from '../../src/sim/metrics/loss-range';

const lab = useLabPage();

type Out = { position: Float32Array; status: Uint32Array; moment1: Float32Array; record: ParticleRecord; histogram: Uint32Array; basins: Uint32Array; loss: LossRange };

describe('particle metrics on the GPU', () => {
  it('match the CPU reference on the same particles (double well, with divergent particles)', async () => {
    const json = {
      seed: 3, surface: { name: 'double-well', params: {} }, steps: 50,
      particles: { count: 50_000, init: { kind: 'uniform' } },
      // lr 0.3 makes particles starting at |x| > ~1.6 blow up: divergence must be counted
      // heavy ball: the angular momentum's expected drift uses the momentum buffer too
      panels: [{ optimizer: { kind: 'sgd', lr: 0.3, momentum: 0.5 }, noise: { kind: 'gaussian', batchSize: 4, gradientStd: 0.5 } }],
    };
    const out = await lab.call<Out>('particles', 'runPanelMetrics', json, 0, 50, 64);
    const { scenario, surface } = requireScenario(json);
    const step = stepConfig(scenario.panels[0], scenario.domain);
    const ref = particleRecordReference(out.position, out.status, surface, scenario.domain, 64, out.basins, out.loss, 50, { moment1: out.moment1, optimizer: step });
    const g = out.record, r = ref.record;
    console.log('[metrics] gpu', JSON.stringify(g), '\n[metrics] cpu', JSON.stringify(r));
    expect(r.diverged).toBeGreaterThan(0);
    expect(g.diverged).toBe(r.diverged);
    expect(g.alive).toBe(r.alive);
    // histogram: a particle within float32 rounding of a cell edge may land in the neighbour
    let moved = 0;
    for (let c = 0; c < ref.histogram.length; c++) moved += Math.abs(out.histogram[c] - ref.histogram[c]);
    expect(moved).toBeLessThanOrEqual(4);
    // sums of n ~ 5e4 float32 terms in a tree: relative error ~ log2(n) * 2^-24 * (sum |term|) / |sum|
    const tol = (scale: number) => 16 * 2 ** -24 * scale * 4;
    // some particles are alive, so both records carry the moments (null only for an all-diverged panel)
    expect(r.alive).toBeGreaterThan(0);
    const gm = { loss: g.meanLoss!, mean: g.mean!, cov: g.cov!, q: g.lossQuantiles! };
    const rm = { loss: r.meanLoss!, mean: r.mean!, cov: r.cov!, q: r.lossQuantiles! };
    expect(Math.abs(gm.loss - rm.loss)).toBeLessThan(tol(Math.abs(rm.loss) + 1));
    for (let k = 0; k < 2; k++) expect(Math.abs(gm.mean[k] - rm.mean[k])).toBeLessThan(tol(2));
    for (let k = 0; k < 3; k++) expect(Math.abs(gm.cov[k] - rm.cov[k])).toBeLessThan(tol(4));
    // angular momentum: a sum of n terms (x - o) x u, then a difference of two
    // such sums; float32 error relative to the mean size of the terms |x - o||u| + |x̄ - o||ū|
    let size = 0;
    for (let i = 0; i < out.status.length; i++) {
      if (out.status[i] !== 0) continue;
      const x = out.position[2 * i], y = out.position[2 * i + 1];
      const u = expectedDrift(surface.gradient(x, y), [out.moment1[2 * i], out.moment1[2 * i + 1]], step);
      size += Math.hypot(x, y) * Math.hypot(...u);
    }
    size /= r.alive;
    expect(r.angularMomentum).not.toBeNull();
    expect(Math.abs(g.angularMomentum! - r.angularMomentum!)).toBeLessThan(tol(2 * size));
    // quantiles: equal, or one log-spaced bin apart when a loss sits on a bin edge
    const binRatio = Math.exp(out.loss.logSpan / LOSS_BINS);
    for (let k = 0; k < 3; k++) {
      const a = gm.q[k] - out.loss.min, b = rm.q[k] - out.loss.min;
      expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(binRatio * 1.0001);
    }
    expect(g.basinFractions.length).toBe(2);
    for (let k = 0; k < 2; k++) expect(Math.abs(g.basinFractions[k] - r.basinFractions[k])).toBeLessThanOrEqual(4 / 50_000);
    // the two wells hold nearly all alive particles, about half each by symmetry
    expect(g.basinFractions[0] + g.basinFractions[1]).toBeGreaterThan(0.95 * (g.alive / 50_000));
  });
});
