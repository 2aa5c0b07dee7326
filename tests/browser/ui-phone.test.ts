// The live lab at phone size (390 x 844 CSS px, touch, reduced motion asked
// for), as issue 18 checks it: no horizontal scroll, each panel's 3-D view
// at least 90% of the viewport's width (panels stacked), the controls in a
// drawer whose edits reach the URL, a tap on a map drops the cloud there, and
// the page opens paused. Device pixel ratio 1 keeps SwiftShader's frames cheap.
// Screenshot: /tmp/sgd-lab-phone.png.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ElementHandle } from 'puppeteer-core';
import { labEval, openLab, waitRunning } from './harness/ui-lab';
import type { LabPage } from './support/page';
import { scenarioFromHash } from '../../src/ui/scenario-state';

const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const LONG = 240_000;
let lab: LabPage;
afterAll(async () => { await lab?.close(); });

async function deep(selector: string): Promise<ElementHandle<Element>> {
  const el = await lab.page.$(`>>> ${selector}`);
  if (!el) throw new Error(`no ${selector} in the page`);
  return el;
}

const rectOf = (el: ElementHandle<Element>) => el.evaluate((e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; });

describe('the lab on a phone', () => {
  it('opens paused (reduced motion), panels stacked at full width, nothing wider than the screen', async () => {
    lab = await openLab({
      width: PHONE.width, height: PHONE.height,
      before: async (page) => {
        await page.setViewport(PHONE);
        await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
      },
    });
    await waitRunning(lab.page, 1, LONG);
    await lab.page.screenshot({ path: '/tmp/sgd-lab-phone.png', fullPage: true });
    expect(await labEval(lab.page, 'window.__sgdLab.engine.loop.playing')).toBe(false);
    expect(await labEval<string>(lab.page, 'window.__sgdLab.banner?.text ?? ""')).toMatch(/reduced motion/);
    const widths = await labEval<{ scroll: number; inner: number }>(lab.page, '({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth })');
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    const layouts = await labEval<{ view3d: { w: number } | null }[]>(lab.page, 'window.__sgdLab.engine.layouts');
    expect(layouts.length).toBe(3);
    for (const l of layouts) expect(l.view3d!.w).toBeGreaterThanOrEqual(0.9 * PHONE.width);
    // the metric charts scroll inside their strip, not the page
    await lab.page.waitForFunction(() => !!customElements.get('lab-charts'), { timeout: 60_000 });
    const charts = await rectOf(await deep('lab-charts'));
    expect(charts.x).toBeGreaterThanOrEqual(0);
    expect(charts.x + charts.w).toBeLessThanOrEqual(PHONE.width + 0.5);
  }, LONG);

  it('the help overlay says what the default scenario shows and lists keys and gestures; Escape closes it', async () => {
    await (await deep('button[name=help]')).tap();
    await lab.page.waitForFunction(() => !!window.__sgdLab!.app.shadowRoot!.querySelector('lab-help')?.shadowRoot?.querySelector('h3'), { timeout: 30_000, polling: 50 });
    const text = await labEval<string>(lab.page, 'window.__sgdLab.app.shadowRoot.querySelector("lab-help").shadowRoot.textContent');
    const index = JSON.parse(readFileSync('public/presets/index.json', 'utf8')) as { title: string; description: string }[];
    expect(text).toContain(`What to look at: ${index[0].title}`);
    expect(text).toContain(index[0].description.slice(0, 60));
    for (const k of ['Keyboard', 'Touch', 'pinch', 'tap on a top-view map']) expect(text).toContain(k);
    const box = await rectOf(await deep('lab-help >>> .box'));
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.w).toBeLessThanOrEqual(PHONE.width);
    await lab.page.keyboard.press('Escape');
    await lab.page.waitForFunction(() => !window.__sgdLab!.app.shadowRoot!.querySelector('lab-help'), { timeout: 10_000, polling: 50 });
  }, LONG);

  it('the controls open in a drawer; an edit there reaches the URL', async () => {
    const drawer = await deep('aside');
    expect((await rectOf(drawer)).x + (await rectOf(drawer)).w).toBeLessThanOrEqual(0);
    const toggle = await deep('button[name=drawer]');
    await toggle.tap();
    await lab.page.waitForFunction(() => {
      const r = window.__sgdLab!.app.shadowRoot!.querySelector('aside')!.getBoundingClientRect();
      return r.left >= 0 && r.width > 200;
    }, { timeout: 10_000, polling: 50 });
    const lr = await deep('input[name="panels[0].optimizer.lr"]');
    await lr.tap();
    await lr.evaluate((e) => { (e as HTMLInputElement).select(); });
    await lr.type('0.04');
    await lr.press('Enter');
    await lab.page.waitForFunction(() => decodeURIComponent(location.hash).includes('"lr":0.04'), { timeout: 30_000, polling: 100 });
    const r = scenarioFromHash(await labEval<string>(lab.page, 'location.hash'));
    expect(r.kind === 'ok' && r.doc.panels[0].optimizer.lr).toBe(0.04);
    await (await deep('button[name=drawer-close]')).tap();
    await lab.page.waitForFunction(() => window.__sgdLab!.app.shadowRoot!.querySelector('aside')!.getBoundingClientRect().right <= 0, { timeout: 10_000, polling: 50 });
  }, LONG);

  it('a tap on a panel’s map drops the cloud there', async () => {
    await waitRunning(lab.page, 1, LONG);
    const map = await labEval<{ x: number; y: number; w: number; h: number }>(lab.page,
      'window.__sgdLab.engine.layouts[0].maps.find((m) => m.kind === "particles").rect');
    const canvas = await rectOf(await deep('canvas'));
    // a point a quarter of the way into the map, clear of its edges
    const x = canvas.x + map.x + map.w * 0.75, y = canvas.y + map.y + map.h * 0.25;
    await lab.page.evaluate((top: number) => window.scrollTo(0, top), canvas.y + map.y - 100);
    const scrolled = await labEval<number>(lab.page, 'window.scrollY');
    const before = await labEval<number>(lab.page, 'window.__sgdLab.builds');
    await lab.page.touchscreen.tap(x, y - scrolled);
    await lab.page.waitForFunction((n: number) => window.__sgdLab!.builds > n && window.__sgdLab!.state === 'running', { timeout: LONG, polling: 100 }, before);
    const init = await labEval<{ kind: string; mean: [number, number] }>(lab.page, 'window.__sgdLab.scenario.particles.init');
    expect(init.kind).toBe('gaussian');
    // the map shows the domain [-2, 2]²: three quarters across is x ≈ 1, a quarter down is y ≈ 1 (y up)
    expect(init.mean[0]).toBeCloseTo(1, 0);
    expect(init.mean[1]).toBeCloseTo(1, 0);
    expect(lab.errors).toEqual([]);
  }, LONG);

  it('a network scenario stacks its views at the phone\'s width: no horizontal scroll, the weight-space plane and charts as wide as the screen', async () => {
    const preset = JSON.parse(readFileSync('public/presets/two-moons-temperatures.json', 'utf8')) as { particles: { count: number } };
    // a few networks per panel: the layout is what is checked, not the training
    preset.particles.count = 8;
    await lab.page.evaluate((doc) => { void window.__sgdLab!.load(doc); }, preset);
    await lab.page.waitForFunction(() => (window.__sgdLab!.app.networkLab?.runner.stats.stepsDone ?? 0) > 0, { timeout: LONG, polling: 200 });
    await lab.page.screenshot({ path: '/tmp/sgd-lab-phone-network.png', fullPage: true });
    const widths = await labEval<{ scroll: number; inner: number }>(lab.page, '({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth })');
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    for (const selector of ['network-lab >>> .plane', 'network-lab >>> network-charts', 'network-lab >>> aside']) {
      const r = await rectOf(await deep(selector));
      expect(r.x).toBeGreaterThanOrEqual(-0.5);
      expect(r.x + r.w).toBeLessThanOrEqual(PHONE.width + 0.5);
      expect(r.w).toBeGreaterThanOrEqual(0.9 * PHONE.width);
    }
    expect(lab.errors).toEqual([]);
  }, LONG);
});
