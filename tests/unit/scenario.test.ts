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
