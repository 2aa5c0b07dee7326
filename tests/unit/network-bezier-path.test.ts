// Mode connectivity (src/sim/network/bezier-path.ts): the curve objective's
// gradient against central differences, the start on the straight line, the
// profiles' ends, and Garipov et al.'s finding that two independently trained
// networks are joined by a curve of nearly constant low loss where the straight
// line between them climbs.
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/model/network/datasets';
import { lossGradient, evaluateNetwork } from '../../src/model/network/mlp';
import { networkLayout } from '../../src/model/network/spec';
import { bezierPath, bezierPoint, curveDraw, curveGradient, linePoint, type PathProblem } from '../../src/sim/network/bezier-path';
import { initialNetworkParams, minibatchIndices } from '../../src/sim/network/reference';

const dataset = makeDataset({ kind: 'two-moons', samples: 512, noise: 0.1, labelNoise: 0, testFraction: 0.25 }, 7);
const layout = networkLayout([8, 8]);
const problem = (weightDecay = 0): PathProblem => ({ layout, activation: 'tanh', inputs: dataset.inputs, labels: dataset.labels, nTrain: dataset.nTrain, nTest: dataset.nTest, weightDecay });

/** Network p trained by plain minibatch SGD (lr 0.5, B 32) from its own fan-in start: an independent minimum per p. */
function trained(p: number, steps = 3000): Float64Array {
  const x = initialNetworkParams(layout, 'tanh', { kind: 'fan-in' }, 7, p);
  const g = new Float64Array(layout.params);
  const idx = new Uint32Array(32);
  for (let k = 0; k < steps; k++) {
    minibatchIndices(7, 1, p, k, 32, dataset.nTrain, idx);
    lossGradient(layout, 'tanh', x, 0, dataset.inputs, dataset.labels, idx, g);
    for (let d = 0; d < x.length; d++) x[d] -= 0.5 * g[d];
  }
  return x;
}

describe('Bézier mode-connecting curve', () => {
  const a = initialNetworkParams(layout, 'tanh', { kind: 'fan-in' }, 3, 0);
  const b = initialNetworkParams(layout, 'tanh', { kind: 'fan-in' }, 3, 1);
  const c = initialNetworkParams(layout, 'tanh', { kind: 'fan-in' }, 3, 2);

  it('the gradient with respect to the control point matches central differences (weight decay on)', () => {
    const pr = problem(0.01);
    const idx = new Uint32Array(16);
    const t = curveDraw(5, 0, 16, pr.nTrain, idx);
    expect(t).toBeGreaterThan(0);
    expect(t).toBeLessThan(1);
    const g = new Float64Array(layout.params);
    curveGradient(pr, a, c, b, t, idx, g);
    // central difference: truncation h^2 f'''/6 ~ 1e-8 · f''' and rounding ~ 1e-16 |f| / h ~ 1e-12 at h = 1e-4,
    // far below the 1e-6 allowed (a wrong chain-rule factor 2t(1-t) or a missing decay term is off by O(|g|))
    const h = 1e-4, cp = Float64Array.from(c), scratch = new Float64Array(layout.params);
    for (const d of [0, 5, 17, 40, 80, layout.params - 1]) {
      cp[d] = c[d] + h;
      const up = curveGradient(pr, a, cp, b, t, idx, scratch);
      cp[d] = c[d] - h;
      const down = curveGradient(pr, a, cp, b, t, idx, scratch);
      cp[d] = c[d];
      expect(Math.abs((up - down) / (2 * h) - g[d])).toBeLessThan(1e-6 * Math.max(1, Math.abs(g[d])));
    }
  });

  it('starts on the straight line: with c = (a + b)/2 the curve is a + t (b - a) to rounding', () => {
    const mid = Float64Array.from(a, (x, d) => 0.5 * (x + b[d]));
    for (const t of [0, 0.1, 0.5, 0.77, 1]) {
      const p = bezierPoint(a, mid, b, t), q = linePoint(a, b, t);
      for (let d = 0; d < p.length; d++) expect(Math.abs(p[d] - q[d])).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(q[d])));
    }
    const r = bezierPath(problem(), a, b, { steps: 0, points: 9 });
    r.curve.points.forEach((p, k) => expect(Math.abs(p.trainLoss - r.straight.points[k].trainLoss)).toBeLessThan(1e-12));
    expect(Math.abs(r.curve.barrier - r.straight.barrier)).toBeLessThan(1e-12);
    expect(Math.abs(r.curveLength - r.distance)).toBeLessThan(1e-9 * r.distance);
  });

  it('rejects networks of another size and diverged ones', () => {
    expect(() => bezierPath(problem(), a, b.subarray(1))).toThrow(/parameters/);
    const bad = Float64Array.from(b);
    bad[3] = NaN;
    expect(() => bezierPath(problem(), a, bad)).toThrow(/non-finite/);
  });

  it('two independently trained networks: the line between them climbs, the trained curve stays low (Garipov et al. 2018)', { timeout: 30_000 }, () => {
    const na = trained(0), nb = trained(1);
    const r = bezierPath(problem(), na, nb, { steps: 2000, points: 33 });
    const ends = [evaluateNetwork(layout, 'tanh', na, 0, dataset, 0, dataset.nTrain), evaluateNetwork(layout, 'tanh', nb, 0, dataset, 0, dataset.nTrain)];
    // the profiles start and end at the two networks themselves
    for (const prof of [r.curve, r.straight]) {
      expect(prof.points[0].trainLoss).toBeCloseTo(ends[0].loss, 12);
      expect(prof.points.at(-1)!.trainLoss).toBeCloseTo(ends[1].loss, 12);
    }
    const endLoss = Math.max(ends[0].loss, ends[1].loss);
    // different minima: the straight line rises well above both ends (measured 0.24 nats over ends of ~0.002)
    expect(r.straight.barrier).toBeGreaterThan(10 * endLoss);
    // the curve removes nearly all of it (Garipov et al.: "nearly constant" train loss along the curve);
    // measured about 1% of the line's barrier here
    expect(r.curve.barrier).toBeLessThan(0.1 * r.straight.barrier);
    const mean = (p: typeof r.curve) => p.points.reduce((s, q) => s + q.trainLoss, 0) / p.points.length;
    expect(mean(r.curve)).toBeLessThan(0.2 * mean(r.straight));
    // a detour, not a shortcut: the curve is longer than the chord
    expect(r.curveLength).toBeGreaterThan(r.distance);
  });
});
