// Screenshots of the live lab page in headless Chromium (how docs/*.png are
// made, and a quick look at the page after a change):
//   npx tsx scripts/screenshot.ts default|PRESET OUT.png [--size 1280x720]
//       [--run SECONDS] [--steps-per-frame N] [--tab charts|escape] [--tools critical,path,smooth] [--dot PX] [--phone]
//       [--surface potential|ratio] [--particles N] [--net-path PANEL:I,J] [--net-stationary PANEL:I] [--net-noise PANEL:I] [--net-critical PANEL] [--net-view top|3d|both]
// --particles: networks per panel of a network scenario (a quicker run than the preset's; say so in a caption).
// --net-path: a network scenario trains to its last step, then the mode-connectivity path between networks I and J of PANEL is found.
// --net-sweep QUANTITY: a network scenario trains to its last step, then the Sweep chart (trainLoss|testAccuracy|sharpness against lr/B) is scrolled into view.
// --net-end: a network scenario trains to its last step before anything else (its plane is then computed by itself).
// --net-critical: after the first records, the critical points of PANEL's loss (index against loss).
// --net-noise: after the first records (and the stationary cloud, if asked), noise vs curvature at network I of PANEL.
// --net-stationary: after the first records, every network of PANEL is put at the minimum near network I; captured 600 steps later.
// --surface: View → surface chosen in the controls before the run (the capture waits until some panel shows it).
// --phone: a touch phone (mobile viewport of --size, e.g. 390x844, device pixel ratio 2), the whole page captured.
// --no-webgpu: the page sees no navigator.gpu (a browser without WebGPU), so it runs the CPU fallback.
// PRESET is a file name in public/presets without .json. The page plays for
// --run seconds (default 10) of wall time after the scenario runs and any
// --tools of the Landscape panel are done, then pauses and is captured.
import { readFileSync } from 'node:fs';
import { createServer } from 'vite';
import { launchBrowser } from '../src/cli/browser';
import { parseScenario } from '../src/model/scenario';
import { isNetworkDocument } from '../src/model/network/spec';
import { parseNetworkScenario } from '../src/model/network/scenario';
import { DEFAULT_SCENARIO, scenarioToHash, splitPreset } from '../src/ui/scenario-state';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const [which, out] = process.argv.slice(2);
if (!which || !out || which.startsWith('--')) {
  console.error('usage: npx tsx scripts/screenshot.ts default|PRESET OUT.png [--size WxH] [--run SECONDS] [--steps-per-frame N] [--tab charts|escape] [--tools critical,path,smooth] [--dot PX] [--phone] [--no-webgpu] [--surface potential|ratio]');
  process.exit(2);
}
const [width, height] = flag('size', '1280x720').split('x').map(Number);
const runSeconds = Number(flag('run', '10'));
const stepsPerFrame = Number(flag('steps-per-frame', '0'));
const tab = flag('tab', 'charts');
const tools = flag('tools', '').split(',').filter(Boolean);
/** particle dot size in CSS px (0: the page's default) */
const dot = Number(flag('dot', '0'));
const phone = process.argv.includes('--phone');
/** the page sees no navigator.gpu (a browser without WebGPU): the CPU fallback runs */
const noWebGpu = process.argv.includes('--no-webgpu');
const surfaceShows = flag('surface', '');
const particles = Number(flag('particles', '0'));
const netPath = /^(\d+):(\d+),(\d+)$/.exec(flag('net-path', ''));
const netStationary = /^(\d+):(\d+)$/.exec(flag('net-stationary', ''));
const netNoise = /^(\d+):(\d+)$/.exec(flag('net-noise', ''));
const netCritical = /^(\d+)$/.exec(flag('net-critical', ''));
const netView = flag('net-view', '');
const netSweep = flag('net-sweep', '');
const netEnd = process.argv.includes('--net-end');

const doc = which === 'default' ? DEFAULT_SCENARIO : splitPreset(JSON.parse(readFileSync(`public/presets/${which}.json`, 'utf8'))).scenario;
if (particles > 0) (doc as { particles: { count: number } }).particles.count = particles;
// network scenarios open the network view (issue 14); the rest the 2-D lab
const network = isNetworkDocument(doc);
const parsed = network ? parseNetworkScenario(doc) : parseScenario(doc);
if (!parsed.ok) throw new Error(`${which}: ${parsed.problems.join('; ')}`);

const server = await createServer({ configFile: 'vite.config.ts', cacheDir: 'node_modules/.vite-lab', server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'warn' });
await server.listen();
const url = server.resolvedUrls!.local[0].replace(/\/$/, '');
const launched = await launchBrowser('swiftshader');
try {
  const page = await launched.browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') console.error('[page]', m.text()); });
  page.on('pageerror', (e) => console.error('[page error]', String(e)));
  await page.setViewport(phone ? { width, height, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { width, height });
  // (a string: tsx's helpers do not exist in the page)
  if (noWebGpu) await page.evaluateOnNewDocument("Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true })");
  const t0 = Date.now();
  await page.goto(`${url}/${which === 'default' ? '' : scenarioToHash(parsed.scenario)}`, { waitUntil: 'load' });
  if (network) await page.waitForFunction(() => (window.__sgdLab?.app.networkLab?.runner.stats.stepsDone ?? 0) > 0, { timeout: 300_000, polling: 200 });
  else await page.waitForFunction(() => window.__sgdLab?.state === 'running' && (window.__sgdLab.stats?.frames ?? 0) > 2, { timeout: 300_000, polling: 200 });
  if (stepsPerFrame > 0) await page.evaluate((n: number) => window.__sgdLab!.engine.setFixedSteps(n), stepsPerFrame);
  if (dot > 0) await page.evaluate((size: number) => window.__sgdLab!.engine.setParticleStyle({ size }), dot);
  if (tools.length) {
    await page.waitForFunction((want: string[]) => {
      const a = window.__sgdLab!.analysis.view;
      const status: Record<string, string> = { critical: a.critical.status, path: a.path.status, smooth: a.smooth.status };
      return want.every((k) => status[k] === 'done');
    }, { timeout: 300_000, polling: 500 }, tools);
  }
  if (surfaceShows) {
    await page.evaluate((v: string) => {
      const controls = window.__sgdLab!.app.shadowRoot!.querySelector('lab-controls')!;
      const select = controls.shadowRoot!.querySelector<HTMLSelectElement>('select[name="view.surface"]')!;
      select.value = v;
      select.dispatchEvent(new Event('change'));
    }, surfaceShows);
    // every panel with a PDE shows it (the non-isotropic ones once their ρ_ss is relaxed)
    await page.waitForFunction(() => { const e = window.__sgdLab!.engine; return !!e.sim && e.sim.panels.every((p, i) => !p.pde || e.surfaceShown[i]); }, { timeout: 300_000, polling: 500 });
  }
  if (network && (netPath || netSweep || netEnd)) {
    const steps = (parsed.scenario as { steps: number }).steps;
    await page.evaluate(() => window.__sgdLab!.app.networkLab!.runner.setStepsPerBatch(200));
    await page.waitForFunction((n: number) => (window.__sgdLab!.app.networkLab!.runner.latest?.step ?? 0) >= n, { timeout: 1_800_000, polling: 500 }, steps);
  }
  if (network && netPath) {
    await page.evaluate(async (panel: number, i: number, j: number) => {
      await window.__sgdLab!.app.networkLab!.findPath({ panel, ends: [i, j] });
    }, Number(netPath[1]), Number(netPath[2]), Number(netPath[3]));
  }
  if (network && netStationary) {
    await page.evaluate(() => window.__sgdLab!.app.networkLab!.runner.setStepsPerBatch(100));
    await page.waitForFunction(() => window.__sgdLab!.app.networkLab!.runner.history.length >= 2, { timeout: 600_000, polling: 200 });
    await page.evaluate(async (panel: number, i: number) => {
      await window.__sgdLab!.app.networkLab!.startStationary(panel, i);
    }, Number(netStationary[1]), Number(netStationary[2]));
    await page.waitForFunction(() => (window.__sgdLab!.app.networkLab!.stationary.latest?.since ?? 0) >= 600, { timeout: 600_000, polling: 200 });
    // the cloud on the plane of its own top two principal directions
    await page.evaluate(async (panel: number) => { await window.__sgdLab!.app.networkLab!.computePlane({ kind: 'pca', panel, grid: 32 }); }, Number(netStationary[1]));
  }
  if (network && netNoise) {
    await page.waitForFunction(() => window.__sgdLab!.app.networkLab!.runner.history.length >= 2, { timeout: 600_000, polling: 200 });
    await page.evaluate(async (panel: number, i: number) => { await window.__sgdLab!.app.networkLab!.noiseAt(panel, i); }, Number(netNoise[1]), Number(netNoise[2]));
  }
  if (network && netCritical) {
    await page.waitForFunction(() => window.__sgdLab!.app.networkLab!.runner.history.length >= 2, { timeout: 600_000, polling: 200 });
    await page.evaluate(async (panel: number) => { await window.__sgdLab!.app.networkLab!.criticalPoints(panel); }, Number(netCritical[1]));
  }
  if (network && netView) await page.evaluate((v: string) => { window.__sgdLab!.app.networkLab!.planeView = v as 'top' | '3d' | 'both'; }, netView);
  await new Promise((r) => setTimeout(r, runSeconds * 1000));
  if (network && netSweep) {
    await page.evaluate(async (quantity: string) => {
      const sweep = window.__sgdLab!.app.networkLab!.shadowRoot!.querySelector('network-sweep')!;
      const select = sweep.shadowRoot!.querySelector<HTMLSelectElement>('select[name="sweep-quantity"]')!;
      select.value = quantity;
      select.dispatchEvent(new Event('change'));
      await sweep.updateComplete;
      // the training charts above the sweep stay in the picture where they fit
      sweep.scrollIntoView({ block: 'end' });
    }, netSweep);
  }
  await page.evaluate(async (t: string, showTools: boolean) => {
    const lab = window.__sgdLab!;
    lab.engine.transport?.pause();
    lab.app.shadowRoot?.querySelector<HTMLButtonElement>(`button[name="tab-${t}"]`)?.click();
    if (showTools) lab.app.shadowRoot?.querySelector('analysis-panel')?.scrollIntoView({ block: 'start' });
    lab.engine.loop?.invalidate();
    lab.engine.cpu?.loop.invalidate();
    await lab.waitFrames(1);
    await lab.gpu?.device.queue.onSubmittedWorkDone();
  }, tab, tools.length > 0);
  await new Promise((r) => setTimeout(r, 500));
  const steps = await page.evaluate(() => window.__sgdLab?.stats?.stepsDone ?? 0);
  await page.screenshot({ path: out, fullPage: phone });
  console.log(`${out}: ${width}x${height}, step ${steps}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  await launched.close();
  await server.close();
}
