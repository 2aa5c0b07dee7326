// The lab in a browser without WebGPU (issue 18): the page sees no
// navigator.gpu (removed before any script runs, as in a browser that never
// had it), runs the scenario on the CPU at reduced scale in Web Workers, says
// so on the stage, draws the particles, and its cloud after N steps is the GPU
// page's cloud for the same scenario within sampling error. Both pages share
// the random streams (Threefry keyed by particle, panel and step), so the
// clouds are in fact the same particles up to float32 rounding; the check
// below is only the statistical one the issue asks for, with tolerances from
// the standard errors of two independent samples of n particles each (a
// weaker check than the shared streams allow, so it cannot pass by luck of
// correlation alone and would catch a cloud that drifted or spread wrongly).
// Screenshot: /tmp/sgd-lab-no-webgpu.png.
import { afterAll, describe, expect, it } from 'vitest';
import { labEval, openLab } from './harness/ui-lab';
import type { LabPage } from './support/page';
import { DEFAULT_SCENARIO, clone, scenarioToHash } from '../../src/ui/scenario-state';
import type { PanelRecord } from '../../src/scheduler/simulation';

const LONG = 240_000;
const STEPS = 100;
const COUNT = 4096;
const doc = clone(DEFAULT_SCENARIO) as Record<string, unknown>;
delete doc.fokkerPlanck;
doc.steps = STEPS;
// (the default's escape basin is kept: the page must say the statistics need WebGPU)
doc.particles = { count: COUNT, init: { kind: 'gaussian', mean: [-1, 0], std: 0.05 } };
const hash = scenarioToHash(doc);
const NO_GPU = "Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true })";

const pages: LabPage[] = [];
afterAll(async () => { for (const p of pages) await p.close(); });

/** Waits until the page's run has stopped at STEPS and its last record is for that step; returns the records. */
async function finalRecords(lab: LabPage): Promise<PanelRecord[]> {
  await lab.page.waitForFunction((n: number) => {
    const l = window.__sgdLab;
    return !!l && l.state === 'running' && l.stats?.stepsDone === n && !l.stats.playing && l.records.length > 0 && l.records.every((r) => r.step === n);
  }, { timeout: LONG, polling: 200 }, STEPS);
  return labEval<PanelRecord[]>(lab.page, 'window.__sgdLab.records');
}

let cpu: PanelRecord[] = [];
/** the stage's clear colour (render/background.ts) in 8-bit sRGB */
const BACKGROUND: [number, number, number] = [14, 16, 21];
interface Rect { x: number; y: number; w: number; h: number }

/** A screenshot (base64 PNG) after the paused page drew one more frame. */
async function redrawnShot(lab: LabPage): Promise<string> {
  await labEval(lab.page, '(async () => { const l = window.__sgdLab; l.engine.cpu.loop.invalidate(); await l.waitFrames(2); })()');
  return await lab.page.screenshot({ encoding: 'base64', captureBeyondViewport: false }) as string;
}

describe('the lab without WebGPU', () => {
  it('runs the scenario on the CPU in workers, says what is reduced, and draws the particles', async () => {
    const lab = await openLab({ hash, before: (page) => page.evaluateOnNewDocument(NO_GPU) });
    pages.push(lab);
    cpu = await finalRecords(lab);
    await lab.page.screenshot({ path: '/tmp/sgd-lab-no-webgpu.png' });
    expect(await labEval(lab.page, 'window.__sgdLab.gpu')).toBe(null);
    expect(await labEval(lab.page, '!!window.__sgdLab.engine.cpu')).toBe(true);
    const workers = await labEval<number>(lab.page, 'window.__sgdLab.engine.cpu.sim.workers');
    expect(workers).toBeGreaterThanOrEqual(1);
    const note = await labEval<string>(lab.page, 'window.__sgdLab.app.shadowRoot.querySelector(".reduced")?.textContent ?? ""');
    expect(note).toMatch(/No WebGPU here \(navigator\.gpu is missing\)/);
    expect(note).toContain(`${COUNT.toLocaleString('en')} particles per panel`);
    expect(note).toMatch(/no Fokker–Planck grid/);
    // the landscape tools and the recorder say they need WebGPU instead of doing nothing
    expect(await labEval<string>(lab.page, 'window.__sgdLab.app.shadowRoot.querySelector(".cpu-tools")?.textContent ?? ""')).toMatch(/run on WebGPU/);
    expect(await labEval<boolean>(lab.page, 'window.__sgdLab.app.shadowRoot.querySelector("button[name=record]").disabled')).toBe(true);
    expect(await labEval<string>(lab.page, 'window.__sgdLab.engine.escapeError ?? ""')).toMatch(/escape statistics run on WebGPU/);
    // the particle colour (orange, blended at the dots' opacity) is on the canvas, inside each panel's map
    const dots = await labEval<number[]>(lab.page, `(() => {
      const e = window.__sgdLab.engine;
      const c = e.cpu.maps.canvas, g = c.getContext('2d'), ratio = c.width / c.getBoundingClientRect().width;
      return e.layouts.map((l) => {
        const r = l.maps[0].rect;
        const d = g.getImageData(Math.round(r.x * ratio), Math.round(r.y * ratio), Math.round(r.w * ratio), Math.round(r.h * ratio)).data;
        let n = 0;
        for (let o = 0; o < d.length; o += 4) if (d[o] > 150 && d[o] > d[o + 2] + 60) n++;
        return n;
      });
    })()`);
    expect(dots.length).toBe(3);
    // thousands of particles, most on pixels of their own: at least a tenth of the count shows
    for (const n of dots) expect(n).toBeGreaterThan(COUNT / 10);

    // the 3-D views (three.js on WebGL 2): the surface fills much of each view, and the particles
    // change pixels there (the same frame drawn with the dots' opacity at 0 for comparison)
    expect(await labEval(lab.page, '!!window.__sgdLab.engine.cpuScene')).toBe(true);
    const views = await labEval<Rect[]>(lab.page, `(() => {
      const c = window.__sgdLab.app.shadowRoot.querySelector('canvas').getBoundingClientRect();
      return window.__sgdLab.engine.layouts.map((l) => ({ x: l.view3d.x + c.left, y: l.view3d.y + c.top, w: l.view3d.w, h: l.view3d.h }));
    })()`);
    const withDots = await redrawnShot(lab);
    await labEval(lab.page, 'window.__sgdLab.engine.setParticleStyle({ opacity: 0 })');
    const bare = await redrawnShot(lab);
    await labEval(lab.page, 'window.__sgdLab.engine.setParticleStyle({ opacity: 0.55 })');
    const stats = await lab.call<{ drawn: number }[]>('ui-pixels', 'rectStats', withDots, views, BACKGROUND);
    const diff = await lab.call<number[]>('ui-pixels', 'diffCounts', withDots, bare, views);
    console.log('[no-webgpu] 3-D views: drawn fraction', stats.map((s) => s.drawn.toFixed(2)), 'pixels changed by the particles', diff);
    for (const s of stats) expect(s.drawn).toBeGreaterThan(0.2);
    for (const d of diff) expect(d).toBeGreaterThan(150);
    expect(lab.errors).toEqual([]);
  }, LONG);

  it('a click on a map drops the cloud there, as on the GPU page', async () => {
    const lab = pages[0];
    const before = await labEval<number>(lab.page, 'window.__sgdLab.builds');
    // three quarters across panel 1's square map, half way up: the domain point (1, 0) of [-2, 2]²
    const at = await labEval<{ x: number; y: number }>(lab.page, `(() => {
      const e = window.__sgdLab.engine, s = window.__sgdLab.app.shadowRoot.querySelector('.stage').getBoundingClientRect();
      const r = e.layouts[0].maps[0].rect, side = Math.min(r.w, r.h);
      return { x: s.left + r.x + (r.w - side) / 2 + 0.75 * side, y: s.top + r.y + (r.h - side) / 2 + 0.5 * side };
    })()`);
    await lab.page.mouse.click(at.x, at.y);
    await lab.page.waitForFunction((n: number) => window.__sgdLab!.builds > n && window.__sgdLab!.state === 'running', { timeout: 60_000, polling: 100 }, before);
    const mean = await labEval<[number, number]>(lab.page, 'window.__sgdLab.scenario.particles.init.mean');
    // one CSS pixel is 4 / side domain units; the click lands within two of them
    expect(Math.abs(mean[0] - 1)).toBeLessThan(0.05);
    expect(Math.abs(mean[1])).toBeLessThan(0.05);
  }, LONG);

  it('its clouds after the run match the GPU page\'s for the same scenario within sampling error', async () => {
    const lab = await openLab({ hash });
    pages.push(lab);
    const gpu = await finalRecords(lab);
    expect(await labEval(lab.page, '!!window.__sgdLab.gpu')).toBe(true);
    expect(cpu.length).toBe(3);
    expect(gpu.length).toBe(3);
    for (let p = 0; p < 3; p++) {
      const a = cpu[p], b = gpu[p];
      expect(a.alive).toBe(COUNT);
      expect(b.alive).toBe(COUNT);
      const [vx, , vy] = b.cov!;
      // two independent samples of n: SE of a difference of means sqrt(2 var / n); of variances
      // sqrt(2 · 2 var² / n) (Gaussian fourth moment; the clouds are near-Gaussian in one well, and
      // 5 SE leaves room for a heavier tail); of basin fractions sqrt(2 p (1 - p) / n) (at least 1/n)
      const se = (v: number) => Math.sqrt((2 * v) / COUNT);
      expect(Math.abs(a.mean![0] - b.mean![0])).toBeLessThan(5 * se(vx));
      expect(Math.abs(a.mean![1] - b.mean![1])).toBeLessThan(5 * se(vy));
      expect(Math.abs(a.cov![0] - vx)).toBeLessThan(5 * Math.sqrt((4 * vx * vx) / COUNT));
      expect(Math.abs(a.cov![2] - vy)).toBeLessThan(5 * Math.sqrt((4 * vy * vy) / COUNT));
      a.basinFractions.forEach((f, k) => {
        const q = b.basinFractions[k];
        expect(Math.abs(f - q)).toBeLessThan(5 * Math.sqrt(Math.max(2 * q * (1 - q), 1 / COUNT) / COUNT));
      });
      console.log(`panel ${p + 1}: mean (${a.mean!.map((v) => v.toFixed(4))}) CPU vs (${b.mean!.map((v) => v.toFixed(4))}) GPU; ` +
        `var (${a.cov![0].toFixed(4)}, ${a.cov![2].toFixed(4)}) vs (${vx.toFixed(4)}, ${vy.toFixed(4)}); basins ${a.basinFractions.map((v) => v.toFixed(3))} vs ${b.basinFractions.map((v) => v.toFixed(3))}`);
    }
  }, LONG);
});
