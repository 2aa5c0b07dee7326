// The no-WebGPU lab's CPU clouds (src/sim/particles/cpu-cloud.ts): workers
// each step a slice of every panel, so the slices must partition the cloud
// and together be the whole cloud's reference run bit for bit (the random
// streams are keyed by the global particle index, never by the slice).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from '../../src/model/scenario';
import { CpuCloud, sliceRanges } from '../../src/sim/particles/cpu-cloud';
import { initialState, stepParticle } from '../../src/sim/particles/reference';
import { initConfig, stepConfig } from '../../src/sim/particles/step-config';

describe('CPU cloud slices', () => {
  it('sliceRanges partitions 0..count into contiguous slices differing in size by at most one', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 64 }), (count, parts) => {
      const r = sliceRanges(count, parts);
      expect(r[0][0]).toBe(0);
      expect(r[r.length - 1][1]).toBe(count);
      for (let j = 1; j < r.length; j++) expect(r[j][0]).toBe(r[j - 1][1]);
      const sizes = r.map(([a, b]) => b - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }));
  });

  it('three slices stepped apart equal the whole cloud stepped by the reference, bit for bit (SGD with momentum, Gaussian noise)', () => {
    const r = parseScenario({
      seed: 11, surface: { name: 'double-well', params: { h: 1, tilt: 0.2 } }, domain: { x: [-2, 2], y: [-2, 2] }, steps: 100,
      particles: { count: 300, init: { kind: 'gaussian', mean: [-1, 0], std: 0.3 } },
      panels: [{ optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.5 }, noise: { kind: 'gaussian', batchSize: 1, gradientStd: 4 } }],
    });
    if (!r.ok) throw new Error(r.problems.join('; '));
    const { scenario, surface } = r;
    const n = scenario.particles.count;
    const step = stepConfig(scenario.panels[0], scenario.domain);
    const init = initConfig(scenario.particles.init, scenario.domain);
    const whole = initialState(init, scenario.seed, n);
    for (let i = 0; i < n; i++) { stepParticle(whole, surface, step, scenario.seed, 0, i, 0, 7); stepParticle(whole, surface, step, scenario.seed, 0, i, 7, 13); }
    const slices = sliceRanges(n, 3).map(([a, b]) => new CpuCloud(surface, step, init, scenario.seed, 0, n, a, b));
    for (const c of slices) { c.advance(0, 7); c.advance(7, 13); }
    const position = new Float64Array(2 * n);
    for (const c of slices) position.set(c.snapshot().position, 2 * c.from);
    expect(Array.from(position)).toEqual(Array.from(whole.position));
    // and the steps moved the cloud (a slice that did nothing would fail above only if the reference did nothing too)
    expect(Array.from(position)).not.toEqual(Array.from(initialState(init, scenario.seed, n).position));
  });
});
