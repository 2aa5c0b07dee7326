import { describe, expect, it } from 'vitest';
import { parseScenario, panelTemperature, pdeTime } from '../../src/model/scenario';

const base = {
  seed: 7,
  surface: { name: 'double-well', params: { h: 1 } },
  steps: 100,
  particles: { count: 1024, init: { kind: 'gaussian', mean: [-1, 0], std: 0.05 } },
  panels: [{ optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'gaussian', batchSize: 8, gradientStd: 1 } }],
};

const problems = (doc: unknown) => {
  const r = parseScenario(doc);
  return r.ok ? [] : r.problems;
};

describe('scenario validation', () => {
  it('accepts the design example and fills defaults (domain, params, momentum, record)', () => {
    const r = parseScenario(base);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.domain).toEqual({ x: [-2, 2], y: [-2, 2] });
    expect(r.scenario.surface).toEqual({ name: 'double-well', params: { h: 1, tilt: 0 } });
    expect(r.scenario.panels[0].optimizer).toEqual({ kind: 'sgd', lr: 0.01, momentum: 0, nesterov: false });
    expect(r.scenario.record.every).toBe(100);
  });

  it.each([
    [{ ...base, panels: [{ optimizer: { kind: 'sgd', lr: -1 } }] }, 'panels[0].optimizer.lr: -1 is too small; it must be > 0'],
    [{ ...base, particles: { count: 0 } }, 'particles.count: 0 is too small; it must be >= 1'],
    [{ ...base, surface: { name: 'nope' } }, 'surface.name: "nope" is not a catalogue surface'],
    [{ ...base, panels: [{ optimizer: { kind: 'sgdd', lr: 1 } }] }, `panels[0].optimizer.kind: "sgdd" is not an allowed kind; use one of 'sgd', 'adam'`],
    [{ ...base, surface: { name: 'double-well', params: { h: -3 } } }, 'surface.params.h: -3 is out of range; it must be in [0.01, 100]'],
    [{ ...base, surface: { name: 'double-well', params: { q: 1 } } }, "surface.params.q: 'double-well' has no parameter 'q'"],
    [{ ...base, panels: [{ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'minibatch', batchSize: 4 } }] }, "panels[0].noise.kind: 'minibatch' needs a finite-sum surface"],
    [{ ...base, extra: 1 }, "(scenario): unknown field 'extra'"],
    [{ ...base, domain: { x: [2, 1], y: [0, 1] } }, 'domain.x: must be [min, max] with min < max (got [2,1])'],
    [{ ...base, panels: [] }, 'panels: [] is too small; it must be >= 1 entries'],
    [{ ...base, panels: [{ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'langevin', temperature: 1, diffusion: [[1, 2], [2, 1]] } }] }, 'panels[0].noise.diffusion: [[1,2],[2,1]] must be symmetric positive definite'],
    ['nonsense', '(scenario): expected object, got "nonsense"'],
    [{ ...base, analysis: { smoothing: { panel: 3 } } }, 'analysis.smoothing.panel: 3 names no panel; there are 1 (0 to 0)'],
    [{ ...base, panels: [{ optimizer: { kind: 'adam', lr: 0.01 } }], analysis: { smoothing: { panel: 0 } } }, "analysis.smoothing.panel: panel 0 uses 'adam'"],
    [{ ...base, analysis: { path: { from: [0, 0] } } }, 'analysis.path.to'],
    [{ ...base, surface: { expression: 'sinn(x) + y' } }, "surface.expression: unknown function 'sinn' at 1:1"],
    [{ ...base, surface: { expression: 'log(x)' } }, 'surface.expression: f(x, y) is not finite on'],
  ])('names the field, the value and the allowed range: %#', (doc, message) => {
    const ps = problems(doc);
    expect(ps.length).toBeGreaterThan(0);
    expect(ps.some((p) => p.startsWith(message)), `got: ${ps.join(' | ')}`).toBe(true);
  });

  it('reports every problem, not only the first', () => {
    expect(problems({ ...base, seed: -1, steps: -5, particles: { count: 0 } }).length).toBe(3);
  });
});

describe('temperature and PDE time', () => {
  const panel = (optimizer: object, noise: object) => parseScenario({ ...base, panels: [{ optimizer, noise }] });
  it('T = lr s^2 / (2B) for Gaussian noise, T for Langevin, lr_eff / (2B) for minibatch; momentum beta scales lr by 1/(1-beta)', () => {
    const g = panel({ kind: 'sgd', lr: 0.02 }, { kind: 'gaussian', batchSize: 4, gradientStd: 3 });
    const m = panel({ kind: 'sgd', lr: 0.02, momentum: 0.5 }, { kind: 'gaussian', batchSize: 4, gradientStd: 3 });
    const l = panel({ kind: 'sgd', lr: 0.02 }, { kind: 'langevin', temperature: 0.3 });
    const a = panel({ kind: 'adam', lr: 0.02 }, { kind: 'none' });
    if (!g.ok || !m.ok || !l.ok || !a.ok) throw new Error('valid');
    expect(panelTemperature(g.scenario.panels[0])).toBeCloseTo((0.02 * 9) / 8, 12);
    expect(panelTemperature(m.scenario.panels[0])).toBeCloseTo((0.04 * 9) / 8, 12);
    expect(panelTemperature(l.scenario.panels[0])).toBe(0.3);
    expect(panelTemperature(a.scenario.panels[0])).toBeNull();
    expect(pdeTime(m.scenario.panels[0], 100)).toBeCloseTo(4, 12);
    expect(pdeTime(a.scenario.panels[0], 100)).toBeNull();
  });
});

describe('hostile values (issue 13)', () => {
  it('a value nested 5,000 deep is shown shortened, without exhausting the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    const ps = problems({ ...base, seed: deep });
    expect(ps).toEqual(['seed: expected number, got [[[[[[[[...]]]]]]]]']);
  });

  it('field names from the file are escaped like values and shortened', () => {
    const ps = problems({ ...base, 'a\u001b[31m\nforged': 1, ['k'.repeat(100_000)]: 2 });
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatch(/^\(scenario\): unknown fields "a\\u001b\[31m\\nforged", "kkk/);
    expect(ps[0].length).toBeLessThanOrEqual(400);
  });

  it('numbers float32 cannot carry are refused, naming the field', () => {
    expect(problems({ ...base, panels: [{ optimizer: { kind: 'adam', lr: 0.01, eps: 1e-50 } }] })[0]).toMatch(/^panels\[0\]\.optimizer\.eps: 1e-50 is too small for float32/);
    expect(problems({ ...base, panels: [{ optimizer: { kind: 'sgd', lr: 1e-300 } }] })[0]).toMatch(/^panels\[0\]\.optimizer\.lr: 1e-300 is too small for float32/);
    expect(problems({ ...base, domain: { x: [1, 1 + 1e-12], y: [0, 1] } })[0]).toMatch(/^domain\.x: .* is too narrow for float32/);
    expect(problems({ ...base, domain: { x: [-1e38, 1e38], y: [0, 1] } })[0]).toMatch(/^domain\.x: .* is too far out for float32/);
    expect(problems({ ...base, particles: { count: 4, init: { kind: 'point', at: [1e308, 0] } } })[0]).toMatch(/^particles\.init\.at: /);
    expect(problems({ ...base, panels: [{ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'langevin', temperature: 1, diffusion: [[1e300, 0], [0, 1]] } }] })[0]).toMatch(/^panels\[0\]\.noise\.diffusion: /);
  });

  it("'adi' with a correlated diffusion is refused by validation, not when the run starts", () => {
    const doc = { ...base, fokkerPlanck: { grid: 32, integrator: 'adi' }, panels: [{ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'langevin', temperature: 1, diffusion: [[1, 0.5], [0.5, 1]] } }] };
    expect(problems(doc)[0]).toMatch(/^fokkerPlanck\.integrator: 'adi' needs a diagonal diffusion/);
  });

  it('formulas: float32 overflow, poles between samples, 0/0 like 1/0', () => {
    const formula = (expression: string) => problems({ ...base, surface: { expression } });
    expect(formula('exp(100*x)')[0]).toMatch(/^surface\.expression: f\(x, y\) is beyond ±3\.40e35 \(float32 overflows near there\) on 29\.7% /);
    expect(formula('1/x')[0]).toMatch(/^surface\.expression: f\(x, y\) has a pole near \(0, /);
    expect(formula('tan(10*x)')[0]).toMatch(/^surface\.expression: f\(x, y\) has a pole near/);
    expect(formula('x + 0/0')[0]).toMatch(/^surface\.expression: '0 \/ 0' is not a real number/);
    expect(formula('0/x + y^2')).toEqual([]);
    expect(formula('1/(x^2 + y^2 + 0.5)')).toEqual([]);
  });
});

describe('scenarioFromHash on a hostile link', () => {
  it('a value nested 5,000 deep is a problem, not a stack overflow', async () => {
    const { scenarioFromHash } = await import('../../src/ui/scenario-state');
    const doc = `{"seed":${'['.repeat(5000)}1${']'.repeat(5000)},"surface":{"name":"double-well"},"particles":{"count":4},"panels":[{"optimizer":{"kind":"sgd","lr":0.01}}]}`;
    expect(scenarioFromHash(`#s=${encodeURIComponent(doc)}`)).toEqual({ kind: 'bad', problems: ['seed: expected number, got [[[[[[[[...]]]]]]]]'] });
  });
});
