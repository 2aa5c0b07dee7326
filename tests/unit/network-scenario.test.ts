// Network scenario documents (src/model/network/scenario.ts, lab-scenario.ts):
// defaults, each bad field named with its value and range, the 2-D-only fields
// refused with what to do, and the 2-D parser's one-line answer to a network document.
import { describe, expect, it } from 'vitest';
import { networkPanelLabel, parseNetworkScenario } from '../../src/model/network/scenario';
import { panelNetworkModel } from '../../src/model/network/model';
import { isNetworkDocument, parseLabScenario } from '../../src/model/lab-scenario';
import { parseScenario } from '../../src/model/scenario';

/** The example. */
const base = {
  surface: { network: {
    dataset: { kind: 'two-moons', samples: 1024, noise: 0.1, labelNoise: 0.0, testFraction: 0.2 },
    hidden: [32, 32], activation: 'tanh', weightDecay: 0 } },
  particles: { count: 1024, init: { kind: 'fan-in' } },
  panels: [{ optimizer: { kind: 'sgd', lr: 0.5 }, noise: { kind: 'minibatch', batchSize: 32 } }],
};

type Doc = Record<string, unknown>;
const withNetwork = (network: Doc): Doc => ({ ...base, surface: { network: { ...base.surface.network, ...network } } });
const withDataset = (dataset: Doc): Doc => withNetwork({ dataset: { ...base.surface.network.dataset, ...dataset } });
const withPanel = (panel: Doc): Doc => ({ ...base, panels: [panel] });

const problems = (doc: unknown) => {
  const r = parseNetworkScenario(doc);
  return r.ok ? [] : r.problems;
};

describe('network scenarios', () => {
  it('accept the issue example, fill defaults and build the model', () => {
    const r = parseNetworkScenario({ surface: { network: { dataset: { kind: 'spirals' }, hidden: [8] } }, particles: { count: 16 }, panels: [{ optimizer: { kind: 'adam', lr: 0.01 } }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario).toMatchObject({ seed: 7, steps: 1000, record: { every: 100 }, particles: { count: 16, init: { kind: 'fan-in' } } });
    expect(r.scenario.surface.network).toEqual({ dataset: { kind: 'spirals', samples: 1024, noise: 0.1, labelNoise: 0, testFraction: 0.2 }, hidden: [8], activation: 'tanh', weightDecay: 0 });
    expect(r.scenario.panels[0].noise).toEqual({ kind: 'none' });
    expect(r.network.layout.params).toBe(8 * 2 + 8 + 8 + 1);
    expect([r.network.dataset.nTrain, r.network.dataset.nTest]).toEqual([819, 205]);
    const full = parseNetworkScenario(base);
    expect(full.ok && full.network.layout.params).toBe(1185);
  });

  const bad: [unknown, string][] = [
    [withNetwork({ hidden: [32, 65] }), 'surface.network.hidden[1]: 65 is too large; it must be <= 64'],
    [withNetwork({ hidden: [1] }), 'surface.network.hidden[0]: 1 is too small; it must be >= 2'],
    [withNetwork({ hidden: [] }), 'surface.network.hidden: [] is too small; it must be >= 1 entries'],
    [withNetwork({ hidden: [8, 8, 8, 8] }), 'surface.network.hidden: [8,8,8,8] is too large; it must be <= 3 entries'],
    [withNetwork({ hidden: [8.5] }), 'surface.network.hidden[0]: expected int, got 8.5'],
    [withNetwork({ activation: 'sigmoid' }), `surface.network.activation: "sigmoid" is not one of "tanh", "relu"`],
    [withNetwork({ weightDecay: 11 }), 'surface.network.weightDecay: 11 is too large; it must be <= 10'],
    [withNetwork({ depth: 2 }), `surface.network: unknown field 'depth'`],
    [withDataset({ kind: 'moons' }), `surface.network.dataset.kind: "moons" is not one of "two-moons", "spirals", "xor", "circles", "blobs"`],
    [withDataset({ samples: 10 }), 'surface.network.dataset.samples: 10 is too small; it must be >= 64'],
    [withDataset({ samples: 20_000 }), 'surface.network.dataset.samples: 20000 is too large; it must be <= 16384'],
    [withDataset({ noise: -0.1 }), 'surface.network.dataset.noise: -0.1 is too small; it must be >= 0'],
    [withDataset({ labelNoise: 0.7 }), 'surface.network.dataset.labelNoise: 0.7 is too large; it must be <= 0.5'],
    [withDataset({ testFraction: 0.95 }), 'surface.network.dataset.testFraction: 0.95 is too large; it must be <= 0.9'],
    [{ ...base, particles: { count: 70_000 } }, 'particles.count: 70000 is too large; it must be <= 65536'],
    [{ ...base, particles: { count: 8, init: { kind: 'point', at: [0, 0] } } }, `particles.init.kind: "point" is not an allowed kind; use one of 'fan-in', 'shared'`],
    [withPanel({ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'minibatch', batchSize: 5000 } }), 'panels[0].noise.batchSize: 5000 is too large; it must be <= 4096'],
    [withPanel({ optimizer: { kind: 'sgd', lr: 20 } }), 'panels[0].optimizer.lr: 20 is too large; it must be <= 10'],
    [{ ...base, seed: -1 }, 'seed: -1 is too small; it must be >= 0'],
  ];
  it.each(bad.map(([doc, message]) => [message, doc]))('%s', (message, doc) => {
    expect(problems(doc)).toEqual([message]);
  });

  it('a panel may have its own hidden widths: same dataset and activation, its own layout and label', () => {
    const r = parseNetworkScenario({ ...base, panels: [base.panels[0], { ...base.panels[0], hidden: [4, 4] }] });
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const [a, b] = r.scenario.panels.map((p) => panelNetworkModel(r.network, p.hidden));
    expect(a).toBe(r.network);
    expect(b.layout.sizes).toEqual([2, 4, 4, 1]);
    // 2·4 + 4 + 4·4 + 4 + 4 + 1
    expect(b.layout.params).toBe(37);
    expect(b.dataset).toBe(r.network.dataset);
    expect(b.activation).toBe(r.network.activation);
    expect(networkPanelLabel(r.scenario.panels[1], 1)).toBe('2: SGD lr 0.5, B 32 · hidden [4, 4]');
    expect(networkPanelLabel(r.scenario.panels[0], 0)).toBe('1: SGD lr 0.5, B 32');
    // the widths' own rules, named with the panel; unknown panel fields are still refused
    expect(problems({ ...base, panels: [{ ...base.panels[0], hidden: [1, 65] }] }).join('\n')).toMatch(/panels\[0\]\.hidden\[0\]: 1 .*2/);
    expect(problems({ ...base, panels: [{ ...base.panels[0], hidden: [8, 8, 8, 8] }] }).join('\n')).toMatch(/panels\[0\]\.hidden/);
    expect(problems({ ...base, panels: [{ ...base.panels[0], width: 8 }] }).join('\n')).toMatch(/panels\[0\].*width/);
  });

  it('sharpness is off unless asked for; asked for, it fills its defaults and refuses bad counts by name', () => {
    const off = parseNetworkScenario(base);
    expect(off.ok && off.scenario.sharpness).toBeUndefined();
    const on = parseNetworkScenario({ ...base, sharpness: { every: 5 } });
    expect(on.ok && on.scenario.sharpness).toEqual({ every: 5, iterations: 20, probes: 16 });
    const bad = problems({ ...base, sharpness: { iterations: 0, probes: 2.5, extra: 1 } });
    expect(bad.join('\n')).toMatch(/sharpness\.iterations: 0/);
    expect(bad.join('\n')).toMatch(/sharpness\.probes: expected int, got 2\.5/);
    expect(bad.join('\n')).toMatch(/sharpness: unknown field 'extra'/);
  });

  it('reports every bad field at once', () => {
    expect(problems({ ...withDataset({ samples: 1, labelNoise: 2 }), steps: -1 })).toHaveLength(3);
  });

  it.each([
    ['domain', { x: [-1, 1], y: [-1, 1] }],
    ['fokkerPlanck', { grid: 128 }],
    ['analysis', { critical: true }],
  ])('refuses %s, the 2-D surfaces\' field, with what to do (and still checks the rest)', (field, value) => {
    const ps = problems({ ...base, [field]: value });
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatch(new RegExp(`^${field}: .*2-D.*remove it`));
    const more = problems({ ...withNetwork({ hidden: [100] }), [field]: value });
    expect(more).toEqual([ps[0], 'surface.network.hidden[0]: 100 is too large; it must be <= 64']);
  });

  it('refuses a Langevin diffusion matrix and float32 hazards, naming panel and field', () => {
    expect(problems(withPanel({ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'langevin', temperature: 0.1, diffusion: [[1, 0], [0, 2]] } })))
      .toEqual(['panels[0].noise.diffusion: [[1,0],[0,2]] is a 2 × 2 matrix for 2-D surfaces; a network\'s Langevin noise is isotropic (one temperature for every parameter): remove diffusion']);
    expect(problems(withPanel({ optimizer: { kind: 'sgd', lr: 1e-31 } }))).toEqual(['panels[0].optimizer.lr: 1e-31 is too small for float32 (the GPU divides by it); it must be >= 1e-30']);
    expect(problems(withPanel({ optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.99999999 } }))[0]).toMatch(/^panels\[0\]\.optimizer\.momentum: 0\.99999999 rounds to 1 in float32; it must be <= 0\.99999994/);
    expect(problems(withPanel({ optimizer: { kind: 'adam', lr: 0.1, beta2: 0.999999999 } }))[0]).toMatch(/^panels\[0\]\.optimizer\.beta2: .* rounds to 1 in float32/);
    expect(problems(withPanel({ optimizer: { kind: 'adam', lr: 0.1, eps: 1e-40 } }))).toEqual(['panels[0].optimizer.eps: 1e-40 is too small for float32 (the GPU divides by it); it must be >= 1e-30']);
    // langevin and gaussian noise without a matrix are fine
    expect(problems(withPanel({ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'langevin', temperature: 0.1 } }))).toEqual([]);
    expect(problems(withPanel({ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'gaussian', batchSize: 100_000, gradientStd: 1 } }))).toEqual([]);
  });

  it('never throws on hostile input; problems are one line each', () => {
    for (const doc of [null, 3, 'x', [], [base], { surface: { network: null } }, { surface: { network: [] } }, { ...base, surface: { network: base.surface.network, name: 'x' } }]) {
      const ps = problems(doc);
      expect(ps.length).toBeGreaterThan(0);
      for (const p of ps) expect(p).not.toMatch(/\n/);
    }
    expect(problems({ ...base, 'a\u001b[31m\nforged': 1 })[0]).toBe('(scenario): unknown field "a\\u001b[31m\\nforged"');
  });
});

describe('lab scenarios: either kind', () => {
  it('isNetworkDocument looks at the surface field only', () => {
    expect(isNetworkDocument(base)).toBe(true);
    expect(isNetworkDocument({ surface: { network: 1 } })).toBe(true);
    expect(isNetworkDocument({ surface: { name: 'double-well' } })).toBe(false);
    expect(isNetworkDocument({ network: {} })).toBe(false);
    expect(isNetworkDocument(null)).toBe(false);
  });

  it('parseLabScenario reads both kinds and passes problems through', () => {
    const n = parseLabScenario(base);
    expect(n.ok && n.kind).toBe('network');
    const s = parseLabScenario({ surface: { name: 'double-well' }, particles: { count: 4 }, panels: [{ optimizer: { kind: 'sgd', lr: 0.01 } }] });
    expect(s.ok && s.kind).toBe('surface');
    expect(parseLabScenario(withNetwork({ hidden: [] }))).toEqual({ ok: false, problems: ['surface.network.hidden: [] is too small; it must be >= 1 entries'] });
    expect(parseLabScenario({ surface: { name: 'double-well' }, particles: { count: 0 }, panels: [{ optimizer: { kind: 'sgd', lr: 0.01 } }] }))
      .toEqual({ ok: false, problems: ['particles.count: 0 is too small; it must be >= 1'] });
  });

  it('the 2-D parser answers a network document with one problem instead of a union error', () => {
    const r = parseScenario(base);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^surface\.network: this is a network scenario; this check takes 2-D surface scenarios/);
  });
});
