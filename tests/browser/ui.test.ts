// The live lab page end to end: what `npm start` shows, its URL (good, garbage
// and tampered hashes), its readbacks, device loss and recovery, and a browser
// without WebGPU. Pages are reused where a test allows it: each page load and
// each scenario build costs seconds of shader compilation on SwiftShader.
// Screenshots go to /tmp/sgd-lab-ui-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabPage } from './support/page';
import { labEval, openLab, waitRunning } from './harness/ui-lab';
import { logMapAsync } from './harness/ui-escape';
import type { Rect } from './harness/ui-pixels';
import { DEFAULT_SCENARIO, scenarioFromHash } from '../../src/ui/scenario-state';
import { parseScenario } from '../../src/model/scenario';

const LONG = 300_000;
const opened: LabPage[] = [];
afterAll(async () => { for (const l of opened) await l.close().catch(() => {}); });

async function open(options: Parameters<typeof openLab>[0] = {}): Promise<LabPage> {
  const lab = await openLab(options);
  opened.push(lab);
  return lab;
}

interface LayoutInfo { canvas: Rect; layouts: { index: number; view3d: Rect | null; maps: { kind: string; rect: Rect }[] }[] }

/** Panel rectangles and the canvas position, in page coordinates. */
async function layoutInfo(lab: LabPage): Promise<LayoutInfo> {
  return labEval<LayoutInfo>(lab.page, `(() => {
    const c = window.__sgdLab.app.shadowRoot.querySelector('canvas').getBoundingClientRect();
    return { canvas: { x: c.left, y: c.top, w: c.width, h: c.height }, layouts: window.__sgdLab.engine.layouts };
  })()`);
}

/**
 * Re-renders the paused picture once and waits until the GPU is idle: a paused
 * lab draws one frame per invalidate(), and a screenshot is quick once the
 * page has no GPU work queued.
 */
async function settle(lab: LabPage): Promise<void> {
  await labEval(lab.page, `(async () => {
    const lab = window.__sgdLab;
    lab.engine.loop.invalidate();
    await lab.waitFrames(1);
    await lab.gpu.device.queue.onSubmittedWorkDone();
  })()`);
  await new Promise((r) => setTimeout(r, 300));
}

/** A screenshot as base64 PNG, also written to `path`. */
async function shot(lab: LabPage, path: string): Promise<string> {
  const b64 = await lab.page.screenshot({ encoding: 'base64', captureBeyondViewport: false }) as string;
  writeFileSync(path, Buffer.from(b64, 'base64'));
  return b64;
}

const offset = (r: Rect, o: Rect): Rect => ({ x: r.x + o.x, y: r.y + o.y, w: r.w, h: r.h });
/** the canvas clear colour (render/lab-renderer.ts BACKGROUND) in 8-bit sRGB */
const BACKGROUND: [number, number, number] = [14, 16, 21];
const defaultScenario = (() => {
  const r = parseScenario(DEFAULT_SCENARIO);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.scenario;
})();

/** the page opened on a garbage hash (it shows the default scenario) */
let main: LabPage | undefined;
/** the page restored from a URL, reused by the device-loss test */
let restored: LabPage | undefined;

describe('the live lab page', () => {
  it('opens the default scenario, with a message, when the URL hash is garbage', async () => {
    main = await open({ hash: '#s=%7Bthis%20is%20not%20json', before: (page) => page.evaluateOnNewDocument(logMapAsync) });
    await waitRunning(main.page, 2, LONG);
    const banner = await labEval<{ text: string }>(main.page, 'window.__sgdLab.banner');
    expect(banner.text).toMatch(/could not be used/);
    expect(banner.text).toMatch(/not valid JSON/);
    expect(await main.page.$eval('pierce/.banner', (el) => el.textContent ?? '')).toMatch(/default is shown/);
    expect(await labEval(main.page, 'window.__sgdLab.scenario')).toEqual(defaultScenario);
    await main.page.screenshot({ path: '/tmp/sgd-lab-ui-bad-hash.png' });
    expect(main.errors).toEqual([]);
  }, LONG);

  it('runs the double well in three non-empty panels, particles visible over the surface; only the metrics ring is read back', async () => {
    const lab = main!;
    const t0 = Date.now();
    const mark = (what: string) => console.log(`[ui] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // dismissing the message gives the canvas its full height
    await (await lab.page.waitForSelector('pierce/.banner button'))!.click();
    await waitRunning(lab.page, 6, LONG);
    mark('6 frames');
    const scenario = await labEval<{ panels: unknown[]; surface: { name: string } }>(lab.page, 'window.__sgdLab.scenario');
    expect(scenario.surface.name).toBe('double-well');
    expect(scenario.panels.length).toBe(3);
    expect(await labEval<boolean>(lab.page, 'window.__sgdLab.engine.loop.playing')).toBe(true);

    // readbacks: only the loop's rings were mapped: the metrics ring, at most two maps (records, timing) per
    // frame, and the escape statistics' ring (the default watches the left well), at most one per frame
    const { log, labels, frames } = await labEval<{ log: string[]; labels: string[]; frames: number }>(lab.page,
      '({ log: window.__mapLog.slice(), labels: window.__sgdLab.readbackLabels, frames: window.__sgdLab.stats.frames })');
    console.log(`[ui] ${log.length} mapAsync calls in ${frames} frames`);
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((l) => !labels.includes(l))).toEqual([]);
    const escapeMaps = log.filter((l) => l.startsWith('EscapeReadback')).length;
    expect(log.length - escapeMaps).toBeLessThanOrEqual(2 * frames);
    expect(escapeMaps).toBeLessThanOrEqual(frames);
    expect(await labEval<number>(lab.page, 'window.__sgdLab.records.length')).toBe(3);

    // the same frame with and without particles
    await labEval(lab.page, 'window.__sgdLab.engine.loop.pause()');
    const info = await layoutInfo(lab);
    expect(info.layouts.length).toBe(3);
    await settle(lab);
    mark('settled');
    const withParticles = await shot(lab, '/tmp/sgd-lab-ui-default.png');
    await labEval(lab.page, 'window.__sgdLab.engine.setParticleStyle({ opacity: 0 })');
    await settle(lab);
    const bare = await shot(lab, '/tmp/sgd-lab-ui-bare.png');
    mark('screenshots');
    await labEval(lab.page, 'window.__sgdLab.engine.setParticleStyle({ opacity: 0.55 })');

    const views = info.layouts.map((l) => offset(l.view3d!, info.canvas));
    const maps = info.layouts.map((l) => offset(l.maps[0].rect, info.canvas));
    const stats = await lab.call<{ drawn: number; colours: number }[]>('ui-pixels', 'rectStats', withParticles, [...views, ...maps], BACKGROUND);
    console.log('[ui] drawn fraction / colours per 3-D view and map:', JSON.stringify(stats));
    for (const s of stats) {
      expect(s.drawn).toBeGreaterThan(0.3);
      expect(s.colours).toBeGreaterThan(20);
    }
    const diff = await lab.call<number[]>('ui-pixels', 'diffCounts', withParticles, bare, views);
    console.log('[ui] pixels changed by the particles per 3-D view:', diff);
    mark('pixels');
    for (const d of diff) expect(d).toBeGreaterThan(150);

    // 3-px dots are quads (two triangles per particle); the default on SwiftShader is 1-px point primitives
    // (elsewhere 2.5-px quads): the wider dots, centred on the same particles, change at least as many pixels
    const dotSize = await labEval<number>(lab.page, 'window.__sgdLab.engine.particleStyle.size');
    await labEval(lab.page, 'window.__sgdLab.engine.setParticleStyle({ size: 3 })');
    await settle(lab);
    const quads = await shot(lab, '/tmp/sgd-lab-ui-quads.png');
    await labEval(lab.page, `window.__sgdLab.engine.setParticleStyle({ size: ${dotSize} })`);
    const quadDiff = await lab.call<number[]>('ui-pixels', 'diffCounts', quads, bare, views);
    console.log(`[ui] pixels changed by 3-px quads per 3-D view (default dots ${dotSize} px):`, quadDiff);
    quadDiff.forEach((d, k) => expect(d).toBeGreaterThanOrEqual(diff[k]));
    expect(quadDiff.some((d, k) => d > diff[k])).toBe(true);
    expect(lab.errors).toEqual([]);
  }, LONG);

  it('shows a message naming the field for a tampered hash, and keeps the default', async () => {
    const lab = main!;
    const builds = await labEval<number>(lab.page, 'window.__sgdLab.builds');
    const tampered = { ...DEFAULT_SCENARIO, panels: [{ optimizer: { kind: 'sgd', lr: -1 }, noise: { kind: 'none' } }] };
    await labEval(lab.page, `location.hash = ${JSON.stringify('#s=' + encodeURIComponent(JSON.stringify(tampered)))}`);
    await lab.page.waitForFunction(() => /panels\[0\]\.optimizer\.lr/.test(window.__sgdLab?.banner?.text ?? ''), { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await labEval(lab.page, 'window.__sgdLab.scenario')).toEqual(defaultScenario);
    // the default already runs: nothing was rebuilt
    expect(await labEval<number>(lab.page, 'window.__sgdLab.builds')).toBe(builds);
    expect(await labEval<string>(lab.page, 'window.__sgdLab.state')).toBe('running');
    expect(lab.errors).toEqual([]);
  }, LONG);

  it('puts a control change in the URL, and that URL restores the scenario', async () => {
    const lab = main!;
    const builds = await labEval<number>(lab.page, 'window.__sgdLab.builds');
    // the run length: a scenario field that needs no rebuild (the running clouds go on)
    const input = await lab.page.waitForSelector('pierce/input[name="steps"]');
    await input!.evaluate((el) => {
      (el as HTMLInputElement).value = '12345';
      el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    });
    await lab.page.waitForFunction(() => window.__sgdLab?.scenario?.steps === 12345, { timeout: 30_000 });
    const { hash, scenario } = await labEval<{ hash: string; scenario: { steps: number } }>(lab.page,
      '({ hash: location.hash, scenario: window.__sgdLab.scenario })');
    expect(await labEval<number>(lab.page, 'window.__sgdLab.builds')).toBe(builds);
    expect(await labEval<number>(lab.page, 'window.__sgdLab.engine.loop.stopAt')).toBe(12345);
    const fromHash = scenarioFromHash(hash);
    expect(fromHash.kind === 'ok' && fromHash.doc).toEqual(scenario);
    expect(scenario).toEqual({ ...defaultScenario, steps: 12345 });
    // one GPU process serves every page: the old page must not compete with the new one
    await labEval(lab.page, 'window.__sgdLab.engine.loop.stop()');

    restored = await open({ hash });
    await waitRunning(restored.page, 2, LONG);
    expect(await labEval(restored.page, 'window.__sgdLab.scenario')).toEqual(scenario);
    expect(await labEval(restored.page, 'window.__sgdLab.banner')).toBe(null);
    expect([...lab.errors, ...restored.errors]).toEqual([]);
  }, LONG);

  it('shows a message with a Recover button when the device is lost, and recovery resumes the simulation', async () => {
    const lab = restored ?? await open();
    await waitRunning(lab.page, 3, LONG);
    const generation = await labEval<number>(lab.page, 'window.__sgdLab.gpu.generation');
    // a real loss, not the lab's own shutdown: destroy the device behind the GpuContext's back
    await labEval(lab.page, 'window.__sgdLab.gpu.device.destroy()');
    await lab.page.waitForFunction(() => window.__sgdLab?.state === 'lost', { timeout: 30_000 });
    const text = await lab.page.$eval('pierce/.gpu-message', (el) => el.textContent ?? '');
    expect(text).toMatch(/GPU device was lost/);
    expect(text).toMatch(/destroyed/);
    await lab.page.screenshot({ path: '/tmp/sgd-lab-ui-device-lost.png' });

    await (await lab.page.waitForSelector('pierce/button[name="recover"]'))!.click();
    await waitRunning(lab.page, 1, LONG);
    expect(await labEval<number>(lab.page, 'window.__sgdLab.gpu.generation')).toBe(generation + 1);
    const before = await labEval<number>(lab.page, 'window.__sgdLab.stats.stepsDone');
    await labEval(lab.page, 'window.__sgdLab.waitFrames(4)');
    const after = await labEval<{ steps: number; playing: boolean; message: unknown }>(lab.page,
      '({ steps: window.__sgdLab.stats.stepsDone, playing: window.__sgdLab.engine.loop.playing, message: window.__sgdLab.message })');
    expect(after.playing).toBe(true);
    expect(after.message).toBe(null);
    expect(after.steps).toBeGreaterThan(before);
    expect(await lab.page.$('pierce/.gpu-message')).toBe(null);
    await lab.page.screenshot({ path: '/tmp/sgd-lab-ui-recovered.png' });
    expect(lab.errors).toEqual([]);
  }, LONG);

  // (a 2-D scenario without WebGPU runs on the CPU: tests/browser/ui-no-webgpu.test.ts)
  it('says clearly that a network scenario needs WebGPU where the browser has none, instead of a blank page', async () => {
    const lab = await open({ before: (page) => page.evaluateOnNewDocument(() => { delete (Navigator.prototype as { gpu?: unknown }).gpu; }) });
    await lab.page.waitForFunction(() => window.__sgdLab?.state === 'running' && !!window.__sgdLab.engine.cpu, { timeout: 60_000 });
    const preset = JSON.parse(readFileSync('public/presets/two-moons-temperatures.json', 'utf8')) as unknown;
    await lab.page.evaluate((doc) => { void window.__sgdLab!.load(doc); }, preset);
    await lab.page.waitForFunction(() => /could not be built/.test(window.__sgdLab!.app.networkLab?.shadowRoot?.textContent ?? ''), { timeout: 60_000, polling: 100 });
    const text = await labEval<string>(lab.page, 'window.__sgdLab.app.networkLab.shadowRoot.querySelector(".card").textContent');
    expect(text).toMatch(/navigator\.gpu is missing/);
    await lab.page.screenshot({ path: '/tmp/sgd-lab-ui-no-webgpu-network.png' });
    expect(lab.errors).toEqual([]);
  }, LONG);
});
