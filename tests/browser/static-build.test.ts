// `npm run build`'s folder on a plain static host under a sub-path
// (/sgd-lab/), as issue 18 asks: the default scenario runs, the presets menu
// loads, the formula reader and the video encoder load only when first used,
// and the JavaScript fetched before the first frame stays within the budget
// (scripts/first-load.ts; measured twice: from the build's manifest and from
// what the browser actually fetched before its first frame was drawn).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { openPageAt, type LabPage } from './support/page';
import { serveStatic, type StaticServer } from './support/static-server';
import { waitRunning, labEval } from './harness/ui-lab';
import { FIRST_LOAD_BUDGET_KB, firstLoad } from '../../scripts/first-load';
import { FORMULA_LOADING } from '../../src/ui/formula-reader';
import type { RecordSettings } from '../../src/record/record-settings';

const LONG = 240_000;
let dist = '';
let server: StaticServer;
let lab: LabPage;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'sgd-lab-dist-'));
  // as `npm run build` does: vitest's NODE_ENV=test would keep development code in the bundle
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: resolve('vite.config.ts'), mode: 'production', build: { outDir: dist, emptyOutDir: true }, logLevel: 'error' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  server = await serveStatic(dist, '/sgd-lab/');
  lab = await openPageAt(server.url);
}, LONG);

afterAll(async () => {
  await lab?.close();
  await server?.close();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

/** The JavaScript files the page has fetched, with when each request started (ms since navigation). */
function scriptsFetched(): Promise<{ file: string; start: number }[]> {
  return labEval(lab.page, `performance.getEntriesByType('resource')
    .filter((e) => new URL(e.name).pathname.endsWith('.js'))
    .map((e) => ({ file: new URL(e.name).pathname.split('/').pop(), start: e.startTime }))`);
}

const fetched = (part: string) => server.requests.some((p) => basename(p).startsWith(part));

describe('the built folder on a static host under /sgd-lab/', () => {
  it('runs the default scenario; before its first frame it fetches only the first-load chunks, within the budget', async () => {
    await waitRunning(lab.page, 1, LONG);
    await lab.page.waitForFunction(() => window.__sgdLab!.engine.startup.firstFrame !== undefined, { timeout: LONG, polling: 50 });
    const startup = await labEval<Record<'gpu' | 'renderer' | 'simulation' | 'firstFrame', number>>(lab.page, 'window.__sgdLab.engine.startup');
    const firstFrameAt = startup.firstFrame;
    const nav = await labEval<{ domContentLoaded: number }>(lab.page, `(() => { const n = performance.getEntriesByType('navigation')[0]; return { domContentLoaded: n.domContentLoadedEventEnd }; })()`);
    const manifest = firstLoad(dist);
    const manifestFiles = new Set(manifest.files.map((f) => basename(f.file)));
    const before = (await scriptsFetched()).filter((s) => s.start <= firstFrameAt).map((s) => s.file);
    // everything the manifest says the first frame needs was fetched, through the sub-path
    for (const f of manifestFiles) expect(before).toContain(f);
    expect(server.requests.every((p) => p.startsWith('/sgd-lab/'))).toBe(true);
    // what the browser fetched before its first frame, gzipped as scripts/first-load.ts does
    const gzipKb = before.reduce((a, f) => a + gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length, 0) / 1000;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`static build: first frame ${s(firstFrameAt)} after navigation (SwiftShader): page loaded ${s(nav.domContentLoaded)}, ` +
      `GPU device ${s(startup.gpu)}, renderer ${s(startup.renderer)}, simulation built ${s(startup.simulation)}; ` +
      `${before.length} scripts, ${gzipKb.toFixed(1)} kB gzipped before it (manifest: ${(manifest.gzipTotal / 1000).toFixed(1)} kB); ` +
      `not in the manifest's first load: ${before.filter((f) => !manifestFiles.has(f)).join(', ') || 'none'}`);
    expect(gzipKb).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_KB);
    expect(manifest.gzipTotal / 1000).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_KB);
    // the big libraries of later features were not part of it
    for (const lazy of ['resolve-surface', 'mediabunny', 'network-lab']) expect(before.some((f) => f.startsWith(lazy))).toBe(false);
  }, LONG);

  it('lists the presets of presets/index.json in the menu', async () => {
    const index = JSON.parse(readFileSync(join(dist, 'presets/index.json'), 'utf8')) as unknown[];
    await lab.page.waitForFunction((n: number) => window.__sgdLab!.app.shadowRoot!.querySelectorAll('select[name=preset] option').length === n + 1,
      { timeout: 30_000, polling: 100 }, index.length);
  });

  it('loads the formula reader when a formula is first typed, then compiles and runs it', async () => {
    expect(fetched('resolve-surface')).toBe(false);
    const first = await labEval<string[]>(lab.page, `window.__sgdLab.app.draft.validateFormula('x^2 + 0.5*y^2')`);
    expect(first).toEqual([FORMULA_LOADING]);
    await lab.page.waitForFunction(() => window.__sgdLab!.app.draft.validateFormula('x^2 + 0.5*y^2').length === 0, { timeout: 60_000, polling: 100 });
    expect(fetched('resolve-surface')).toBe(true);
    const bad = await labEval<string[]>(lab.page, `window.__sgdLab.app.draft.validateFormula('x^2 + ')`);
    expect(bad.length).toBeGreaterThan(0);
    expect(bad).not.toContain(FORMULA_LOADING);
    const builds = await labEval<number>(lab.page, 'window.__sgdLab.builds');
    const state = await labEval<string>(lab.page, `window.__sgdLab.load({ seed: 3, surface: { expression: '(x^2 - 1)^2 + y^2' }, steps: 200,
      particles: { count: 1024, init: { kind: 'gaussian', mean: [0.5, 0], std: 0.1 } },
      panels: [{ optimizer: { kind: 'sgd', lr: 0.05 }, noise: { kind: 'langevin', temperature: 0.1 } }] })`);
    expect(state).toBe('running');
    expect(await labEval<number>(lab.page, 'window.__sgdLab.builds')).toBe(builds + 1);
    expect(await labEval<unknown>(lab.page, 'window.__sgdLab.scenario.surface')).toEqual({ expression: '(x^2 - 1)^2 + y^2' });
  }, LONG);

  it('records a short video, loading the encoder only then', async () => {
    expect(fetched('mediabunny')).toBe(false);
    const settings: RecordSettings = {
      format: 'webm', width: 320, height: 180, fps: 24, stepsPerFrame: 5, length: 6, lengthUnit: 'frames',
      bitrate: 1_000_000, charts: false, fromStart: true, destination: 'memory',
    };
    await lab.page.evaluate((s) => window.__sgdLab!.recorder.record(s), settings);
    const last = await labEval<{ frames: number; bytes: number } | null>(lab.page, 'window.__sgdLab.recorder.lastRecording');
    expect(await labEval(lab.page, 'window.__sgdLab.recorder.status')).toMatchObject({ kind: 'ok' });
    expect(last?.frames).toBe(6);
    expect(last!.bytes).toBeGreaterThan(1000);
    expect(fetched('mediabunny')).toBe(true);
    expect(lab.errors).toEqual([]);
  }, LONG);
});
