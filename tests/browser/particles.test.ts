import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { requireScenario } from '../../src/model/scenario';
import { compareWithTolerance } from '../support/particle-tolerance';
import { maxCurvature } from '../support/curvature';
import { SURFACES } from '../../src/model/surfaces/index';
import { initConfig, stepConfig } from '../../src/sim/particles/step-config';

const lab = useLabPage();

type Run = { position: Float32Array; status: Uint32Array };

function scenario(over: Record<string, unknown> = {}) {
  return {
    seed: 7,
    surface: { name: 'double-well', params: {} },
    steps: 100,
    particles: { count: 4096, init: { kind: 'gaussian', mean: [-1, 0.3], std: 0.5 } },
    panels: [{ optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'gaussian', batchSize: 8, gradientStd: 1 } }],
    ...over,
  };
}

describe('particle step kernel', () => {
  it('1 x 100 steps and 10 x 10 steps (and 100 dispatches of 1) give bitwise-identical particles', async () => {
    const json = scenario();
    const a = await lab.call<Run>('particles', 'runPanel', json, 0, [100]);
    const b = await lab.call<Run>('particles', 'runPanel', json, 0, Array(10).fill(10));
    const c = await lab.call<Run>('particles', 'runPanel', json, 0, [100], 1);
    expect(Buffer.from(b.position.buffer).equals(Buffer.from(a.position.buffer))).toBe(true);
    expect(Buffer.from(c.position.buffer).equals(Buffer.from(a.position.buffer))).toBe(true);
    const other = await lab.call<Run>('particles', 'runPanel', { ...json, seed: 8 }, 0, [100]);
    expect(Buffer.from(other.position.buffer).equals(Buffer.from(a.position.buffer))).toBe(false);
  });

  it('GPU matches the CPU reference after 100 steps (double well, SGD + Gaussian noise)', async () => {
    const json = scenario();
    const gpu = await lab.call<Run>('particles', 'runPanel', json, 0, [100]);
    const { scenario: s, surface } = requireScenario(json);
    const cmp = compareWithTolerance(gpu, surface, stepConfig(s.panels[0], s.domain), initConfig(s.particles.init, s.domain), s.seed, 0, 100);
    console.log(`[particles] median |gpu - cpu| ${cmp.medianError.toExponential(2)}, worst error/tolerance ${cmp.worstRatio.toFixed(3)}`);
    expect(cmp.statusMismatches).toBe(0);
    expect(cmp.failures).toBe(0);
    // a systematic bug moves typical particles far more than rounding (8 ulp of |x| <= 2 per step)
    expect(cmp.medianError).toBeLessThan(100 * 8 * 2 * 2 ** -24);
  });

  // Every catalogue surface with every optimizer: lr = 0.05 / L_max keeps each step
  // stable, Gaussian gradient noise (s = 1, B = 4), 512 particles uniform over the domain.
  const OPTIMIZERS = [
    { kind: 'sgd' },
    { kind: 'sgd', momentum: 0.9, nesterov: true },
    { kind: 'sgd', momentum: 0.5 },
    { kind: 'adam' },
  ];
  const cases = SURFACES.flatMap((def) => [
    ...OPTIMIZERS.map((o) => ({ surface: def.name, optimizer: o, noise: { kind: 'gaussian', batchSize: 4, gradientStd: 1 } })),
    ...(def.finiteSum ? [{ surface: def.name, optimizer: { kind: 'sgd' }, noise: { kind: 'minibatch', batchSize: 8 } }] : []),
  ]);
  const FORMULA = 'sin(3*x)*cos(2*y) + 0.1*(x^2+y^2)';
  const formulaCases = OPTIMIZERS.map((o) => ({ surface: 'formula', optimizer: o, noise: { kind: 'gaussian', batchSize: 4, gradientStd: 1 } }));
  it.each([...cases, ...formulaCases])('GPU matches the CPU reference: $surface, $optimizer.kind $optimizer.momentum, $noise.kind', async (c) => {
    const field = c.surface === 'formula' ? { expression: FORMULA } : { name: c.surface, params: {} };
    const probe = requireScenario(scenario({ surface: field })).surface;
    const lr = Math.min(0.05, 0.05 / maxCurvature(probe));
    const json = scenario({
      surface: field,
      particles: { count: 512, init: { kind: 'uniform' } },
      panels: [{ optimizer: { ...c.optimizer, lr: c.optimizer.kind === 'adam' ? 0.01 : lr }, noise: c.noise }],
    });
    const gpu = await lab.call<Run>('particles', 'runPanel', json, 0, [100]);
    const { scenario: s, surface } = requireScenario(json);
    const cmp = compareWithTolerance(gpu, surface, stepConfig(s.panels[0], s.domain), initConfig(s.particles.init, s.domain), s.seed, 0, 100);
    expect(cmp.statusMismatches).toBe(0);
    expect(cmp.failures, `worst error/tolerance ${cmp.worstRatio}`).toBe(0);
  });
});
