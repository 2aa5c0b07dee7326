// The live page's pure logic, checked in Node (no page needed): the step
// budget and pacer, the panel layout, the URL hash codec and the panel helpers.
import { describe, expect, it } from 'vitest';
import { StepBudget, StepPacer } from '../../src/scheduler/budget';
import { layoutPanels } from '../../src/render/layout';
import { panelTemperature, parseScenario, type PanelSpec } from '../../src/model/scenario';
import { DEFAULT_SCENARIO, sameRatioPanel, scaledTemperaturePanel, scenarioFromHash, scenarioToHash, withTitle } from '../../src/ui/scenario-state';

describe('step budget', () => {
  it('converges to the steps that fill the target GPU time, fixed overhead included', () => {
    const b = new StepBudget({ targetMs: 8, maxSteps: 100_000 });
    // GPU time of a frame: 2 ms overhead + 0.05 ms per step; the target is met at 120 steps
    for (let i = 0; i < 60; i++) {
      const steps = b.stepsPerFrame;
      b.observe(2 + 0.05 * steps, steps);
    }
    expect(b.stepsPerFrame).toBeGreaterThanOrEqual(110);
    expect(b.stepsPerFrame).toBeLessThanOrEqual(121);
  });

  it('grows at most 1.5x per frame and shrinks at once after a slow frame', () => {
    const b = new StepBudget({ targetMs: 8 });
    const start = b.stepsPerFrame;
    b.observe(0.1, start);
    expect(b.stepsPerFrame).toBeLessThanOrEqual(Math.floor(start * 1.5));
    const before = b.stepsPerFrame;
    b.observe(80, before);
    expect(b.stepsPerFrame).toBeLessThan(before);
    expect(b.stepsPerFrame).toBeGreaterThanOrEqual(1);
  });

  it('paces a speed in steps per second into whole steps per frame, capped by the budget', () => {
    const p = new StepPacer();
    let total = 0;
    for (let i = 0; i < 60; i++) total += p.next(600, 1000 / 60, 1000);
    expect(total).toBeGreaterThanOrEqual(599);
    expect(total).toBeLessThanOrEqual(600);
    expect(new StepPacer().next(600, 1000, 7)).toBe(7);
    expect(new StepPacer().next(Infinity, 16, 42)).toBe(42);
    // as fast as the budget allows, a fractional budget is run on average: 1.6 steps per frame as 1 or 2
    const q = new StepPacer();
    const frames = Array.from({ length: 10 }, () => q.next(Infinity, 16, 1.6));
    expect(frames.reduce((a, b) => a + b, 0)).toBe(16);
    expect(new Set(frames)).toEqual(new Set([1, 2]));
  });
});

describe('panel layout', () => {
  it('gives 1 to 8 panels disjoint viewports inside the canvas', () => {
    for (let n = 1; n <= 8; n++) {
      for (const mode of ['both', '3d', 'map'] as const) {
        const ls = layoutPanels(n, 800, 500, mode, n % 2 === 0);
        expect(ls.length).toBe(n);
        const rects = ls.flatMap((l) => [l.view3d, ...l.maps.map((m) => m.rect)].filter((r) => r !== null));
        for (const r of rects) {
          expect(r.x).toBeGreaterThanOrEqual(0);
          expect(r.y).toBeGreaterThanOrEqual(0);
          expect(r.x + r.w).toBeLessThanOrEqual(800);
          expect(r.y + r.h).toBeLessThanOrEqual(500);
          expect(r.w).toBeGreaterThan(0);
        }
        for (let i = 0; i < rects.length; i++) {
          for (let j = i + 1; j < rects.length; j++) {
            const a = rects[i], b = rects[j];
            const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            expect(overlap).toBe(false);
          }
        }
      }
    }
  });
});

describe('scenario in the URL hash', () => {
  it('round-trips the default scenario', () => {
    const r = parseScenario(DEFAULT_SCENARIO);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const back = scenarioFromHash(scenarioToHash(r.scenario));
    expect(back).toEqual({ kind: 'ok', doc: r.scenario });
  });

  it('turns garbage, foreign and tampered hashes into problems, never throws', () => {
    expect(scenarioFromHash('')).toEqual({ kind: 'none' });
    for (const h of ['#s=%7B', '#s=%E0%A4%A', '#x=1', '#s=null', '#s=42', '#s=%5B%5D']) {
      const r = scenarioFromHash(h);
      expect(r.kind, h).toBe('bad');
    }
    const tampered = scenarioFromHash(scenarioToHash({ ...DEFAULT_SCENARIO, particles: { count: -5 } }));
    expect(tampered.kind).toBe('bad');
    expect(tampered.kind === 'bad' && tampered.problems.join('\n')).toMatch(/particles\.count/);
  });

  it('keeps a scenario\'s title (a preset\'s description stays out of the link)', () => {
    const preset = { title: 'Double well, titled', description: 'a long text for the banner', ...DEFAULT_SCENARIO };
    const r = scenarioFromHash(scenarioToHash(withTitle(preset)));
    expect(r.kind).toBe('ok');
    expect(r.kind === 'ok' && r.doc.title).toBe('Double well, titled');
    expect(r.kind === 'ok' && r.doc.description).toBe(undefined);
    expect(withTitle(DEFAULT_SCENARIO)).toEqual(DEFAULT_SCENARIO);
  });
});

describe('panel helpers', () => {
  const gaussian: PanelSpec = { optimizer: { kind: 'sgd', lr: 0.05, momentum: 0, nesterov: false }, noise: { kind: 'gaussian', batchSize: 4, gradientStd: 4 } };
  const odd: PanelSpec = { optimizer: { kind: 'sgd', lr: 0.05, momentum: 0, nesterov: false }, noise: { kind: 'gaussian', batchSize: 1, gradientStd: 4 } };
  const langevin: PanelSpec = { optimizer: { kind: 'sgd', lr: 0.01, momentum: 0, nesterov: false }, noise: { kind: 'langevin', temperature: 0.3 } };
  const T = (p: PanelSpec | null) => panelTemperature(p!)!;

  it('doubles and halves the temperature T = lr s^2/(2B)', () => {
    for (const p of [gaussian, odd, langevin]) {
      expect(T(scaledTemperaturePanel(p, 2))).toBeCloseTo(2 * T(p), 12);
      expect(T(scaledTemperaturePanel(p, 0.5))).toBeCloseTo(0.5 * T(p), 12);
    }
    expect(scaledTemperaturePanel(gaussian, 2)!.noise).toEqual({ kind: 'gaussian', batchSize: 2, gradientStd: 4 });
    expect(scaledTemperaturePanel({ ...gaussian, noise: { kind: 'none' } }, 2)).toBe(null);
  });

  it('keeps lr/B (and T) while lr and B change', () => {
    const p = sameRatioPanel(gaussian, 2)!;
    expect(p.optimizer.lr).toBe(0.1);
    expect(p.noise).toEqual({ kind: 'gaussian', batchSize: 8, gradientStd: 4 });
    expect(T(p)).toBeCloseTo(T(gaussian), 12);
    expect(sameRatioPanel(langevin, 2)).toBe(null);
  });
});
