// The CPU side of the live page's escape statistics: which minimum and saddle
// a scenario's analysis.escape names (catalogue or CPU search), which minima
// a saddle joins (Müller–Brown's published topology), the lateness correction
// of checks every k steps, the histogram, and where the Kramers law applies.
import { describe, expect, it } from 'vitest';
import { requireScenario } from '../../src/model/scenario';
import type { PanelSpec } from '../../src/model/scenario-schema';
import { findSurface } from '../../src/model/surfaces';
import { escapeStatistics, kramersTime } from '../../src/sim/analysis/escape';
import { kramersForPanel, summarizePanel } from '../../src/sim/analysis/escape-summary';
import { escapeCandidates, resolveEscape } from '../../src/sim/analysis/escape-target';

const panel = (p: unknown): PanelSpec => requireScenario({ particles: { count: 1 }, surface: { name: 'double-well' }, panels: [p] }).scenario.panels[0];
const doubleWell = findSurface('double-well')!.create({ h: 1 }, 0);

describe('escape target', () => {
  it('double well: the catalogue\'s minima and saddle; the exit half way to the other minimum', () => {
    const r = resolveEscape(doubleWell, doubleWell.domain, { minimum: [-0.9, 0.1], saddle: [0.1, 0] });
    expect(r.source).toBe('catalogue');
    expect(Math.hypot(r.minimum.at[0] + 1, r.minimum.at[1])).toBeLessThan(1e-12);
    expect(r.beyond![0]).toBeCloseTo(1, 12);
    expect(r.barrier).toBeCloseTo(1, 12);
    expect(r.exit.direction[0]).toBeCloseTo(1, 12);
    expect(r.exit.margin).toBeCloseTo(0.5, 12);
    // from the right well the exit points the other way
    const back = resolveEscape(doubleWell, doubleWell.domain, { minimum: [1, 0], saddle: [0, 0] });
    expect(back.exit.direction[0]).toBeCloseTo(-1, 12);
    expect(back.beyond![0]).toBeCloseTo(-1, 12);
  });

  it('Müller–Brown: each published saddle joins the published pair of minima (Müller & Brown 1979)', () => {
    const s = findSurface('muller-brown')!.create({}, 0);
    const c = escapeCandidates(s, s.domain);
    const idx = (at: number[]) => c.minima.findIndex((m) => Math.hypot(m.at[0] - at[0], m.at[1] - at[1]) < 1e-3);
    const A = idx([-0.558, 1.442]), B = idx([0.623, 0.028]), C = idx([-0.050, 0.467]);
    expect([A, B, C].every((i) => i >= 0)).toBe(true);
    const saddle = (at: number[]) => c.saddles.find((q) => Math.hypot(q.at[0] - at[0], q.at[1] - at[1]) < 1e-3)!;
    expect([...saddle([-0.822, 0.624]).joins].sort()).toEqual([A, C].sort());
    expect([...saddle([0.212, 0.293]).joins].sort()).toEqual([B, C].sort());
    const r = resolveEscape(s, s.domain, { minimum: [-0.05, 0.47], saddle: [0.2, 0.3] });
    expect(r.beyond![0]).toBeCloseTo(0.623, 3);
    expect(r.barrier).toBeCloseTo(-72.24894011232522 + 80.76781812965903, 6);
  });

  it('a typed formula has no catalogue: the CPU critical-point search finds the pair', () => {
    const { surface } = requireScenario({ surface: { expression: '(x^2 - 1)^2 + y^2 / 2' }, domain: { x: [-2, 2], y: [-2, 2] }, particles: { count: 1 }, panels: [{ optimizer: { kind: 'sgd', lr: 0.01 } }] });
    const r = resolveEscape(surface, { x: [-2, 2], y: [-2, 2] }, { minimum: [-1, 0], saddle: [0, 0] });
    expect(r.source).toBe('cpu-search');
    expect(Math.hypot(r.minimum.at[0] + 1, r.minimum.at[1])).toBeLessThan(1e-8);
    expect(Math.hypot(r.saddle.at[0], r.saddle.at[1])).toBeLessThan(1e-8);
    expect(r.exit.margin).toBeCloseTo(0.5, 6);
  });

  it('the monkey saddle is degenerate: a clear error, no exit', () => {
    const s = findSurface('monkey-saddle')!.create({ confine: 0.5 }, 0);
    expect(() => resolveEscape(s, s.domain, { minimum: [-1.5, 0], saddle: [0, 0] })).toThrow(/no index-1 saddle.*degenerate/);
  });
});

describe('escape summary', () => {
  it('checks every k steps: each escape late by (k - 1) / 2 on average, carried into the mean', () => {
    const spec = panel({ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'langevin', temperature: 0.5 } });
    const k = kramersForPanel(spec, doubleWell, [-1, 0], [0, 0]);
    const times = new Uint32Array([8, 24, 0, 16, 24]);
    const p = summarizePanel({ index: 0, label: 'p', spec }, times, 24, 8, k);
    expect(p.stats.resolution).toBe(8);
    // the corrected mean: escape steps minus the lateness 3.5 each, plus the censored time, over the escapes
    expect(p.stats.meanSteps).toBeCloseTo((8 + 24 + 16 + 24 - 4 * 3.5 + 24) / 4, 12);
    expect(p.stats.meanSteps).toBeCloseTo(escapeStatistics(times, 24, 0.1, { resolution: 8 }).meanSteps, 12);
    // exact steps (k = 1): no correction
    expect(summarizePanel({ index: 0, label: 'p', spec }, times, 24, 1, k).stats.meanSteps).toBeCloseTo((8 + 24 + 16 + 24 + 24) / 4, 12);
  });

  it('histogram: every escape spread over its check\'s steps; counts add up to the escapes', () => {
    const spec = panel({ optimizer: { kind: 'sgd', lr: 0.05 }, noise: { kind: 'langevin', temperature: 0.5 } });
    const k = kramersForPanel(spec, doubleWell, [-1, 0], [0, 0]);
    const p = summarizePanel({ index: 0, label: 'p', spec }, new Uint32Array([8, 16, 16, 0]), 16, 8, k, 4);
    expect(p.histogram.edges).toEqual([0, 4, 8, 12, 16]);
    expect(p.histogram.counts).toEqual([0.5, 0.5, 1, 1]);
    expect(p.stats.censored).toBe(1);
    // the Kramers histogram: 4 particles, exponential law with the Kramers mean
    const tau = kramersTime(doubleWell, [-1, 0], [0, 0], 0.5).tau / 0.05;
    expect(p.histogram.kramers![0]).toBeCloseTo(4 * (1 - Math.exp(-4 / tau)), 12);
  });

  it('Kramers applies to SGD with isotropic noise only, with T from the panel', () => {
    const at = (p: unknown) => kramersForPanel(panel(p), doubleWell, [-1, 0], [0, 0]);
    const g = at({ optimizer: { kind: 'sgd', lr: 0.05 }, noise: { kind: 'gaussian', batchSize: 2, gradientStd: 4 } });
    // T = lr s^2 / (2B) = 0.2
    expect(g.ok && g.temperature).toBeCloseTo(0.2, 12);
    expect(g.ok && g.tauSteps).toBeCloseTo(kramersTime(doubleWell, [-1, 0], [0, 0], 0.2).tau / 0.05, 6);
    // M = 2 I doubles the temperature
    const m = at({ optimizer: { kind: 'sgd', lr: 0.05 }, noise: { kind: 'langevin', temperature: 0.25, diffusion: [[2, 0], [0, 2]] } });
    expect(m.ok && m.temperature).toBeCloseTo(0.5, 12);
    expect(m.ok && m.caution).toMatch(/ΔF\/T = 2/);
    const why = (p: unknown) => { const r = at(p); return r.ok ? '' : r.why; };
    expect(why({ optimizer: { kind: 'adam', lr: 0.01 }, noise: { kind: 'langevin', temperature: 0.2 } })).toMatch(/Adam/);
    expect(why({ optimizer: { kind: 'sgd', lr: 0.05 }, noise: { kind: 'none' } })).toMatch(/T = 0/);
    // minibatch noise needs a finite-sum surface; the Kramers check looks only at the panel
    const minibatch = requireScenario({ particles: { count: 1 }, surface: { name: 'logistic-2d' }, panels: [{ optimizer: { kind: 'sgd', lr: 0.05 }, noise: { kind: 'minibatch', batchSize: 4 } }] }).scenario.panels[0];
    const mb = kramersForPanel(minibatch, doubleWell, [-1, 0], [0, 0]);
    expect(!mb.ok && mb.why).toMatch(/state-dependent/);
    expect(why({ optimizer: { kind: 'sgd', lr: 0.05 }, noise: { kind: 'langevin', temperature: 0.2, diffusion: [[2, 0], [0, 1]] } })).toMatch(/anisotropic/);
  });
});
