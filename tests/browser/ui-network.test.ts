// The live page with a network scenario (issue 14): the network view replaces
// the 2-D stage; the networks train (steps advance, step and reset work); the
// charts receive records with finite losses; the weight-space plane computes
// with progress to 100%, its projections arrive, a click on a network selects
// it; a larger plane can be cancelled mid-way; the decision maps are
// probabilities; and a 2-D scenario afterwards runs as before. One page, one
// small scenario (width 8, 64 networks, 512 samples) to stay quick on SwiftShader.
import { afterAll, describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/model/format';
import type { LabPage } from './support/page';
import { openLab } from './harness/ui-lab';
import { scenarioToHash, DEFAULT_SCENARIO } from '../../src/ui/scenario-state';
import { parseNetworkScenario } from '../../src/model/network/scenario';
import { isNetworkDocument } from '../../src/model/network/spec';
import { readFileSync } from 'node:fs';

const LONG = 120_000;

/** 2 -> 8 -> 8 -> 1 tanh (97 parameters), two moons 384 train + 128 test, two panels of 64 networks. */
const SCENARIO = {
  title: 'ui-network test',
  seed: 11,
  surface: { network: { dataset: { kind: 'two-moons', samples: 512, noise: 0.1, testFraction: 0.25 }, hidden: [8, 8], activation: 'tanh' } },
  steps: 100_000,
  particles: { count: 64, init: { kind: 'fan-in' } },
  panels: [
    { optimizer: { kind: 'sgd', lr: 0.3 }, noise: { kind: 'minibatch', batchSize: 16 } },
    { optimizer: { kind: 'sgd', lr: 0.3 }, noise: { kind: 'minibatch', batchSize: 64 } },
  ],
  record: { every: 100 },
};

let lab: LabPage | undefined;
afterAll(async () => { await lab?.close().catch(() => {}); });

const t0 = Date.now();
const mark = (what: string) => console.log(`[ui-network] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);

describe('the live page with a network scenario', () => {
  it('shows the network view, trains, charts finite records, computes and cancels planes, selects by click', async () => {
    const parsed = parseNetworkScenario(SCENARIO);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    lab = await openLab({ hash: scenarioToHash(parsed.scenario), width: 1100, height: 760 });
    const page = lab.page;
    await page.waitForFunction(() => !!window.__sgdLab?.app.networkLab?.runner.sim, { timeout: LONG, polling: 100 });
    mark('built');

    // the network view in place of the 2-D stage; the 2-D engine built nothing
    const shown = await page.evaluate(() => {
      const app = window.__sgdLab!.app;
      const main = app.shadowRoot!.querySelector('main')!;
      return { mainHidden: getComputedStyle(main).display === 'none', builds: window.__sgdLab!.builds, title: app.shadowRoot!.querySelector('.scenario-title')?.textContent };
    });
    expect(shown).toEqual({ mainHidden: true, builds: 0, title: 'ui-network test' });

    // steps advance while playing; records arrive with finite losses (BCE > 0) and accuracies in [0, 1]
    await page.waitForFunction(() => {
      const r = window.__sgdLab!.app.networkLab!.runner;
      return r.stats.stepsDone >= 10 && r.history.length >= 3;
    }, { timeout: LONG, polling: 100 });
    mark('10 steps');
    const recs = await page.evaluate(() => window.__sgdLab!.app.networkLab!.runner.history.map((s) => ({ step: s.step, records: s.records })));
    expect(recs[0].step).toBe(0);
    for (const s of recs) {
      expect(s.records.length).toBe(2);
      for (const r of s.records) {
        expect(r.alive).toBe(64);
        for (const st of [r.trainLoss, r.testLoss]) {
          expect(Number.isFinite(st!.mean) && st!.mean > 0 && st!.q10 <= st!.mean && st!.mean <= st!.q90).toBe(true);
        }
        expect(r.trainAccuracy!.mean).toBeGreaterThanOrEqual(0);
        expect(r.trainAccuracy!.mean).toBeLessThanOrEqual(1);
        expect(Number.isFinite(r.spread!)).toBe(true);
      }
    }
    // steps strictly increase between samples
    for (let k = 1; k < recs.length; k++) expect(recs[k].step).toBeGreaterThan(recs[k - 1].step);
    // the charts draw them: the headers print the latest means, the plots have canvases
    const charts = await page.evaluate(() => {
      const c = window.__sgdLab!.app.networkLab!.shadowRoot!.querySelector('network-charts')!.shadowRoot!;
      return [...c.querySelectorAll('.chart')].map((el) => ({
        id: el.getAttribute('data-chart'), now: [...el.querySelectorAll('.now span')].map((s) => s.textContent), canvas: !!el.querySelector('canvas'),
      }));
    });
    expect(charts.map((c) => c.id)).toEqual(['train-loss', 'test-loss', 'train-accuracy', 'test-accuracy', 'spread']);
    for (const c of charts) {
      expect(c.canvas).toBe(true);
      expect(c.now.length).toBe(2);
      for (const v of c.now) expect(Number.isFinite(Number(v))).toBe(true);
    }
    // the lr/B sweep: the two panels differ in B (16, 64), so one point each at lr/B, whose median is the
    // latest record's (the chart's own title text, as formatNumber writes it; both panels have lr 0.3, so
    // the records at equal lr·steps, the default comparison, are the latest ones)
    const sweep = await page.evaluate(async () => {
      const lab = window.__sgdLab!.app.networkLab!;
      lab.requestUpdate();
      await lab.updateComplete;
      const el = lab.shadowRoot!.querySelector('network-sweep');
      if (!el) return null;
      await el.updateComplete;
      // read in one task: the titles and the records they were drawn from
      return { titles: [...el.shadowRoot!.querySelectorAll('g[data-sweep-panel] title')].map((t) => t.textContent ?? ''), q50: el.records.map((r) => r!.trainLoss!.q50) };
    });
    expect(sweep?.titles).toHaveLength(2);
    sweep!.titles.forEach((t, p) => {
      expect(t).toContain(`lr/B ${formatNumber(0.3 / [16, 64][p])}`);
      expect(t).toContain(`train loss median ${formatNumber(sweep!.q50[p])}`);
    });

    // x axis in lr·steps: the train-loss chart's last x is lr (0.3 for both panels) times the last sample's step
    const xs = await page.evaluate(async () => {
      const charts = window.__sgdLab!.app.networkLab!.shadowRoot!.querySelector('network-charts')!;
      charts.shadowRoot!.querySelector<HTMLButtonElement>('button[name="net-x-time"]')!.click();
      // the switch marks the plots stale (drawnLength -1); they are drawn again on a later animation
      // frame, at most every 200 ms (a slow frame on SwiftShader can take longer than that: wait for it)
      const drawn = charts as unknown as { plots: Map<string, { data: number[][] }>; drawnLast: { step: number }; drawnLength: number };
      for (let t0 = performance.now(); drawn.drawnLength === -1 && performance.now() - t0 < 20_000;) await new Promise((r) => setTimeout(r, 50));
      // the sample last drawn (training goes on: the history may have grown since)
      const lastX = drawn.plots.get('train-loss')!.data[0].at(-1)!;
      const lastStep = drawn.drawnLast.step;
      charts.shadowRoot!.querySelector<HTMLButtonElement>('button[name="net-x-steps"]')!.click();
      return { lastX, lastStep };
    });
    expect(xs.lastX).toBeCloseTo(0.3 * xs.lastStep, 9);

    // the memory line
    const memory = await page.evaluate(() => window.__sgdLab!.app.networkLab!.shadowRoot!.querySelector('[data-memory]')?.textContent?.trim() ?? '');
    expect(memory).toMatch(/^[\d.]+ (bytes|kB|MiB) of GPU memory per network; this adapter \(.+\) holds at most [\d,]+ networks per panel$/);

    // the plane through networks 0, 1, 2 of panel 1 on a 16 x 16 grid: progress to 100%, finite losses
    // (polled, not awaited inside evaluate: the protocol loses track of long GPU promises: 'Promise was collected')
    await page.evaluate(() => {
      const lab = window.__sgdLab!.app.networkLab!;
      const w = window as unknown as { __seen: number[]; __watch: number };
      w.__seen = [];
      w.__watch = window.setInterval(() => w.__seen.push(lab.landscape.fraction), 5);
      void lab.computePlane({ kind: 'garipov', panel: 0, anchors: [0, 1, 2], grid: 16 });
    });
    await page.waitForFunction(() => !window.__sgdLab!.app.networkLab!.landscape.busy, { timeout: LONG, polling: 50 });
    const plane = await page.evaluate(() => {
      const lab = window.__sgdLab!.app.networkLab!;
      const w = window as unknown as { __seen: number[]; __watch: number };
      clearInterval(w.__watch);
      const r = lab.landscape.result!;
      return { status: lab.landscape.status, fraction: lab.landscape.fraction, seen: w.__seen, n: r.values.length, finite: r.values.every(Number.isFinite), points: r.points, range: r.range };
    });
    mark('plane 16');
    expect(plane.status).toBe('done');
    expect(plane.fraction).toBe(1);
    expect(plane.n).toBe(256);
    expect(plane.finite).toBe(true);
    // the three networks lie inside the range drawn
    for (const [a, b] of plane.points) {
      expect(a).toBeGreaterThan(plane.range.a[0]);
      expect(a).toBeLessThan(plane.range.a[1]);
      expect(b).toBeGreaterThan(plane.range.b[0]);
      expect(b).toBeLessThan(plane.range.b[1]);
    }
    // the networks' projections come with the next metrics sample
    await page.waitForFunction(() => window.__sgdLab!.app.networkLab!.landscape.projections !== null, { timeout: LONG, polling: 100 });
    mark('projections');

    // a click on network 2 of panel 1 (where the plane view draws it) selects it
    await page.evaluate(() => { window.__sgdLab!.app.networkLab!.runner.pause(); });
    await new Promise((r) => setTimeout(r, 200));
    const target = await page.evaluate(() => {
      const lab = window.__sgdLab!.app.networkLab!;
      const view = lab.shadowRoot!.querySelector('network-plane-view')!;
      const box = view.shadowRoot!.querySelector('canvas')!.getBoundingClientRect();
      const { range } = lab.landscape.result!;
      const co = lab.landscape.projections!.coords[0];
      const k = 2;
      return { x: box.left + ((co[4 * k] - range.a[0]) / (range.a[1] - range.a[0])) * box.width, y: box.top + ((range.b[1] - co[4 * k + 1]) / (range.b[1] - range.b[0])) * box.height };
    });
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(() => window.__sgdLab!.app.networkLab!.decision.selected.index !== 0, { timeout: 10_000, polling: 50 });
    expect(await page.evaluate(() => window.__sgdLab!.app.networkLab!.decision.selected)).toEqual({ panel: 0, index: 2 });

    // the decision maps: probabilities in [0, 1] for the selected network and the mean of 64
    await page.waitForFunction(() => {
      const d = window.__sgdLab!.app.networkLab!.decision;
      return d.single !== null && d.mean !== null && d.selected.index === 2;
    }, { timeout: LONG, polling: 100 });
    const maps = await page.evaluate(() => {
      const d = window.__sgdLab!.app.networkLab!.decision;
      const ok = (p: Float32Array) => p.every((v) => v >= 0 && v <= 1);
      return { single: ok(d.single!.probs), mean: ok(d.mean!.probs), networks: d.mean!.networks };
    });
    expect(maps).toEqual({ single: true, mean: true, networks: 64 });
    mark('decision maps');

    // a 128 x 128 plane (several chunks) cancelled with the Cancel button after its first chunk: the 16 x 16 plane stays
    await page.evaluate(() => { void window.__sgdLab!.app.networkLab!.computePlane({ kind: 'pca', panel: 0, grid: 128 }); });
    await page.waitForFunction(() => window.__sgdLab!.app.networkLab!.landscape.fraction > 0, { timeout: LONG, polling: 5 });
    const at = await page.evaluate(async () => {
      const lab = window.__sgdLab!.app.networkLab!;
      const f = lab.landscape.fraction;
      await lab.updateComplete;
      (lab.shadowRoot!.querySelector('button[name="net-cancel"]') as HTMLButtonElement).click();
      return f;
    });
    await page.waitForFunction(() => !window.__sgdLab!.app.networkLab!.landscape.busy, { timeout: LONG, polling: 50 });
    const cancelled = await page.evaluate(() => {
      const l = window.__sgdLab!.app.networkLab!.landscape;
      return { at: 0, status: l.status, fraction: l.fraction, grid: l.result?.grid };
    });
    cancelled.at = at;
    mark('cancelled');
    console.log('[ui-network] cancelled at', cancelled.at);
    expect(cancelled.at).toBeLessThan(1);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.fraction).toBeLessThan(1);
    expect(cancelled.grid).toBe(16);

    // Step: one optimizer step of every network; Reset: back to step 0
    const stepped = await page.evaluate(async () => {
      const lab = window.__sgdLab!.app.networkLab!;
      const before = lab.runner.stats.stepsDone;
      (lab.shadowRoot!.querySelector('button[name="net-step"]') as HTMLButtonElement).click();
      await new Promise<void>((resolve) => {
        const poll = () => ((lab.runner.latest?.step ?? 0) > before ? resolve() : setTimeout(poll, 10));
        poll();
      });
      return { before, after: lab.runner.latest!.step, playing: lab.runner.playing };
    });
    expect(stepped.after).toBe(stepped.before + 1);
    expect(stepped.playing).toBe(false);
    const reset = await page.evaluate(async () => {
      const lab = window.__sgdLab!.app.networkLab!;
      (lab.shadowRoot!.querySelector('button[name="net-reset"]') as HTMLButtonElement).click();
      await new Promise<void>((resolve) => {
        const poll = () => (lab.runner.latest ? resolve() : setTimeout(poll, 10));
        poll();
      });
      return { step: lab.runner.latest!.step, history: lab.runner.history.length, steps: lab.runner.stats.stepsDone };
    });
    expect(reset).toEqual({ step: 0, history: 1, steps: 0 });
    mark('step and reset');
    await page.screenshot({ path: '/tmp/sgd-lab-ui-network.png' });
    expect(lab.errors).toEqual([]);
  }, LONG);

  it('each network preset loads in the page (16 networks per panel) and trains; a plane shows only its own architecture\'s networks', async () => {
    const page = lab!.page;
    const index = JSON.parse(readFileSync('public/presets/index.json', 'utf8')) as { file: string; title: string }[];
    const files = index.map((p) => p.file).filter((f) => isNetworkDocument(JSON.parse(readFileSync(`public/presets/${f}`, 'utf8'))));
    expect(files.length).toBeGreaterThanOrEqual(2);
    // spirals last: the plane check below needs its two architectures loaded
    expect(files).toContain('spirals-narrow-wide.json');
    files.sort((a, b) => Number(a === 'spirals-narrow-wide.json') - Number(b === 'spirals-narrow-wide.json'));
    for (const file of files) {
      const doc = JSON.parse(readFileSync(`public/presets/${file}`, 'utf8'));
      // without the sharpness estimates (their Hessian-vector kernels compile for seconds; the runner's
      // presets test runs the presets with them, network-sharpness.test.ts checks them)
      const { sharpness: _sharpness, ...plain } = doc;
      await page.evaluate((json) => { void window.__sgdLab!.load(json); }, { ...plain, particles: { ...doc.particles, count: 16 } });
      await page.waitForFunction((title: string) => {
        const r = window.__sgdLab!.app.networkLab?.runner;
        return r?.sim?.scenario.title === title && r.history.length >= 2;
      }, { timeout: LONG, polling: 100 }, doc.title);
      const recs = await page.evaluate(() => window.__sgdLab!.app.networkLab!.runner.history.at(-1)!.records.map((r) => ({ alive: r.alive, loss: r.trainLoss?.mean ?? null })));
      mark(file);
      expect(recs).toHaveLength(doc.panels.length);
      for (const r of recs) {
        expect(r.alive).toBe(16);
        expect(r.loss).toBeGreaterThan(0);
      }
    }
    // spirals, narrow vs wide: a plane through three narrow networks (panel 1) projects panel 1's networks
    // and none of panel 2's, whose weight space has another dimension
    await page.evaluate(() => { void window.__sgdLab!.app.networkLab!.computePlane({ kind: 'garipov', panel: 0, anchors: [0, 1, 2], grid: 16 }); });
    await page.waitForFunction(() => {
      const l = window.__sgdLab!.app.networkLab!.landscape;
      return !l.busy && l.result !== null;
    }, { timeout: LONG, polling: 50 });
    await page.waitForFunction(() => window.__sgdLab!.app.networkLab!.landscape.projections !== null, { timeout: LONG, polling: 100 });
    const lengths = await page.evaluate(() => window.__sgdLab!.app.networkLab!.landscape.projections!.coords.map((c) => c.length));
    expect(lengths).toEqual([16 * 4, 0]);

    // mode connectivity between two narrow networks: the curve trains in a worker, the plane through its ends
    // and midpoint follows, the profile replaces the mean decision map until it is closed
    await page.evaluate(() => { void window.__sgdLab!.app.networkLab!.findPath({ panel: 0, ends: [3, 7] }); });
    await page.waitForFunction(() => {
      const l = window.__sgdLab!.app.networkLab!;
      return l.path.status === 'error' || (l.path.status === 'done' && !l.landscape.busy && l.landscape.result?.request.kind === 'path');
    }, { timeout: LONG, polling: 100 });
    const path = await page.evaluate(() => {
      const l = window.__sgdLab!.app.networkLab!;
      const r = l.path.result!, res = l.landscape.result!;
      const root = l.shadowRoot!;
      const chart = root.querySelector('network-path-chart');
      return {
        error: l.path.error, ends: r.ends, panel: r.panel, points: r.path.curve.points.length,
        barrier: r.path.curve.barrier, straightBarrier: r.path.straight.barrier, distance: r.path.distance,
        onPlane: res.paths!.curve, line: res.paths!.line,
        shown: chart?.shadowRoot?.querySelector('[data-barrier="curve"]')?.textContent ?? null,
        meanMap: root.querySelector('network-decision-map[data-map="mean"]') !== null,
        step: r.step,
      };
    });
    expect(path.error).toBeNull();
    expect(path).toMatchObject({ ends: [3, 7], panel: 0, points: 41, meanMap: false });
    // the page shows the barrier it computed
    expect(Number(path.shown)).toBeCloseTo(path.barrier, 2);
    // the plane's origin is network 3 and its u axis points at network 7: the ends sit at (0, 0) and (|b - a|, 0)
    // up to the float32 plane's rounding (relative 1e-6 of the distance, ~ sqrt(D) roundings of 6e-8)
    const tol = 1e-5 * path.distance;
    expect(Math.abs(path.onPlane[0][0]) + Math.abs(path.onPlane[0][1])).toBeLessThan(tol);
    expect(Math.abs(path.onPlane[40][0] - path.distance)).toBeLessThan(tol);
    expect(Math.abs(path.onPlane[40][1])).toBeLessThan(tol);
    expect(path.line).toEqual([path.onPlane[0], path.onPlane[40]]);
    await page.evaluate(() => window.__sgdLab!.app.networkLab!.shadowRoot!.querySelector<HTMLButtonElement>('button[name="net-path-close"]')!.click());
    await page.waitForFunction(() => window.__sgdLab!.app.networkLab!.shadowRoot!.querySelector('network-decision-map[data-map="mean"]') !== null, { timeout: LONG, polling: 50 });
    expect(lab!.errors).toEqual([]);
  }, 4 * LONG);

  it('the stationary cloud: Start at the minimum puts the panel at a minimum (worker) and measures the cloud against both predictions', async () => {
    const page = lab!.page;
    // the preset with 512 networks and 64 data points: this test checks the tools' wiring (the workers' numbers
    // reach the page); their science is checked in the unit tests and network-stationary.test.ts
    const doc = JSON.parse(readFileSync('public/presets/stationary-not-gibbs.json', 'utf8'));
    doc.surface.network.dataset.samples = 64;
    await page.evaluate((json) => { void window.__sgdLab!.load(json); }, { ...doc, particles: { ...doc.particles, count: 512 } });
    await page.waitForFunction((title: string) => {
      const r = window.__sgdLab!.app.networkLab?.runner;
      return r?.sim?.scenario.title === title && r.history.length >= 2;
    }, { timeout: LONG, polling: 100 }, doc.title);
    await page.evaluate(() => { void window.__sgdLab!.app.networkLab!.startStationary(0, 3); });
    await page.waitForFunction(() => {
      const s = window.__sgdLab!.app.networkLab!.stationary;
      return s.status === 'error' || (s.status === 'running' && (s.latest?.since ?? 0) >= 100);
    }, { timeout: LONG, polling: 100 });
    const st = await page.evaluate(async () => {
      const l = window.__sgdLab!.app.networkLab!;
      await l.updateComplete;
      const s = l.stationary;
      const chart = l.shadowRoot!.querySelector('network-stationary-chart');
      await chart?.updateComplete;
      return {
        error: s.error, gradientNorm: s.minimum?.gradientNorm ?? null,
        lyapunov: Array.from(s.prediction!.lyapunov.slice(0, 10)), variance: Array.from(s.latest!.variance),
        groups: chart?.shadowRoot?.querySelectorAll('g[data-direction]').length ?? 0,
        ratios: [...(chart?.shadowRoot?.querySelectorAll('text[data-ratio]') ?? [])].map((t) => Number(t.getAttribute('data-ratio'))),
        meanMap: l.shadowRoot!.querySelector('network-decision-map[data-map="mean"]') !== null,
      };
    });
    expect(st.error).toBeNull();
    expect(st.gradientNorm).toBeLessThan(1e-10);
    expect(st.groups).toBe(10);
    expect(st.meanMap).toBe(false);
    expect(st.ratios).toHaveLength(10);
    for (const r of st.ratios) expect(r).toBeGreaterThan(0);
    // every direction has spread from the minimum (the networks all started there: variance 0) and stays finite
    for (const v of st.variance) expect(v).toBeGreaterThan(0);
    for (const v of st.lyapunov) expect(v).toBeGreaterThan(0);

    // noise against curvature at a network of that cloud: the chart shows the worker's numbers
    // (training paused: the workers' CPU time is the test's)
    await page.evaluate(() => { const l = window.__sgdLab!.app.networkLab!; l.runner.pause(); void l.noiseAt(0, 5); });
    await page.waitForFunction(() => ['done', 'error'].includes(window.__sgdLab!.app.networkLab!.noise.status), { timeout: LONG, polling: 100 });
    const noise = await page.evaluate(async () => {
      const l = window.__sgdLab!.app.networkLab!;
      await l.updateComplete;
      const chart = l.shadowRoot!.querySelector('network-noise-chart');
      await chart?.updateComplete;
      const r = l.noise.result;
      return {
        error: l.noise.error, temperature: r?.result.temperature ?? null, overlap: r?.result.overlap ?? null, batch: r?.batch ?? null,
        groups: chart?.shadowRoot?.querySelectorAll('g[data-direction]').length ?? 0,
        shownT: chart?.shadowRoot?.querySelector('[data-teff]')?.textContent ?? null,
        shownOverlap: Number(chart?.shadowRoot?.querySelector('[data-overlap]')?.getAttribute('data-overlap')),
      };
    });
    expect(noise.error).toBeNull();
    expect(noise.groups).toBe(6);
    expect(noise.batch).toBe(32);
    expect(Number(noise.shownT)).toBeCloseTo(noise.temperature!, 3);
    expect(noise.shownOverlap).toBe(noise.overlap);
    expect(noise.overlap).toBeGreaterThan(0);
    expect(noise.overlap).toBeLessThanOrEqual(1 + 1e-12);

    // critical points of the panel's loss (17 weights): searched on the GPU, polished in the worker; the scatter draws every point
    await page.evaluate(() => { void window.__sgdLab!.app.networkLab!.criticalPoints(0); });
    await page.waitForFunction(() => ['done', 'error'].includes(window.__sgdLab!.app.networkLab!.critical.status), { timeout: LONG, polling: 100 });
    const crit = await page.evaluate(async () => {
      const l = window.__sgdLab!.app.networkLab!;
      await l.updateComplete;
      const chart = l.shadowRoot!.querySelector('network-critical-chart');
      await chart?.updateComplete;
      const r = l.critical.result;
      return {
        error: l.critical.error, points: r?.points.map((p) => ({ index: p.index, g: p.gradientNorm })) ?? [], rho: r?.rankCorrelation ?? null, gpuOutcome: r?.gpuOutcome ?? '',
        minima: chart?.shadowRoot?.querySelectorAll('g[data-critical="minimum"]').length ?? 0,
        saddles: chart?.shadowRoot?.querySelectorAll('g[data-critical="saddle"]').length ?? 0,
        shownRho: Number(chart?.shadowRoot?.querySelector('[data-rho]')?.getAttribute('data-rho')),
      };
    });
    expect(crit.error).toBeNull();
    expect(crit.points.length).toBeGreaterThan(0);
    expect(crit.gpuOutcome).toMatch(/^\d+ searching, \d+ converged, \d+ stalled, \d+ not finite$/);
    for (const p of crit.points) expect(p.g).toBeLessThan(1e-9);
    expect(crit.minima).toBe(crit.points.filter((p) => p.index === 0).length);
    expect(crit.saddles).toBe(crit.points.filter((p) => p.index > 0).length);
    if (crit.points.length > 2) expect(crit.shownRho).toBe(crit.rho);
    expect(lab!.errors).toEqual([]);
  }, 2 * LONG);

  it('runs a 2-D scenario again after the network view', async () => {
    const page = lab!.page;
    // a small 2-D scenario (no Fokker–Planck grid, no escape statistics: few pipelines to compile)
    const { fokkerPlanck: _pde, analysis: _analysis, ...plain } = DEFAULT_SCENARIO;
    await page.evaluate((json) => { void window.__sgdLab!.load(json); }, { ...plain, particles: { ...plain.particles, count: 1024 }, panels: plain.panels.slice(0, 1) });
    await page.waitForFunction(() => {
      const lab = window.__sgdLab!;
      return lab.state === 'running' && (lab.stats?.frames ?? 0) >= 3 && lab.app.networkLab === null;
    }, { timeout: LONG, polling: 100 });
    mark('2-D running');
    const shown = await page.evaluate(() => getComputedStyle(window.__sgdLab!.app.shadowRoot!.querySelector('main')!).display);
    expect(shown).toBe('grid');
    expect(lab!.errors).toEqual([]);
  }, LONG);
});
