// Screenshots of the live lab page running a network scenario (issue 14), in
// headless Chromium (the network counterpart of scripts/screenshot.ts):
//   npx tsx scripts/network-screenshot.ts PRESET|FILE.json OUT.png [--size 1280x800]
//       [--steps N] [--plane garipov|filter|pca|none] [--grid G] [--select P:I] [--show P|-1]
//       [--steps-per-batch N] [--view top|3d|both] [--gpu hardware]
// PRESET is a file name in public/presets without .json. The page trains until
// every panel has done --steps steps (default: the scenario's steps), computes
// the --plane (default garipov through networks 0, 1, 2 of panel 1) on a
// --grid (default 32) grid, waits for the decision maps, then pauses and is
// captured.
import { readFileSync } from 'node:fs';
import { createServer } from 'vite';
import { launchBrowser } from '../src/cli/browser';
import { parseNetworkScenario } from '../src/model/network/scenario';
import { scenarioToHash, withTitle } from '../src/ui/scenario-state';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const [which, out] = process.argv.slice(2);
if (!which || !out || which.startsWith('--')) {
  console.error('usage: npx tsx scripts/network-screenshot.ts PRESET|FILE.json OUT.png [--size WxH] [--steps N] [--plane garipov|filter|pca|none] [--grid G] [--select P:I] [--show P|-1] [--steps-per-batch N]');
  process.exit(2);
}
const [width, height] = flag('size', '1280x800').split('x').map(Number);
const json = JSON.parse(readFileSync(which.endsWith('.json') ? which : `public/presets/${which}.json`, 'utf8'));
const parsed = parseNetworkScenario(withTitle(json));
if (!parsed.ok) throw new Error(`${which}: ${parsed.problems.join('; ')}`);
const scenario = parsed.scenario;
const steps = Number(flag('steps', String(scenario.steps)));
const plane = flag('plane', 'garipov');
const grid = Number(flag('grid', '32'));
const [selPanel, selIndex] = flag('select', '0:0').split(':').map(Number);
const show = Number(flag('show', '-2'));
const perBatch = Number(flag('steps-per-batch', '0'));
const view = flag('view', 'top');

const server = await createServer({ configFile: 'vite.config.ts', cacheDir: 'node_modules/.vite-lab', server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'warn' });
await server.listen();
const url = server.resolvedUrls!.local[0].replace(/\/$/, '');
const launched = await launchBrowser(flag('gpu', 'swiftshader') === 'hardware' ? 'hardware' : 'swiftshader');
try {
  const page = await launched.browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') console.error(`[page ${m.type()}]`, m.text()); });
  page.on('pageerror', (e) => console.error('[page error]', String(e)));
  await page.setViewport({ width, height });
  const t0 = Date.now();
  await page.goto(`${url}/${scenarioToHash({ ...scenario, steps })}`, { waitUntil: 'load' });
  await page.waitForFunction(() => !!window.__sgdLab?.app.networkLab?.runner.sim, { timeout: 300_000, polling: 200 });
  if (perBatch > 0) await page.evaluate((n: number) => window.__sgdLab!.app.networkLab!.runner.setStepsPerBatch(n), perBatch);
  await page.waitForFunction((n: number) => (window.__sgdLab!.app.networkLab!.runner.latest?.step ?? 0) >= n, { timeout: 600_000, polling: 500 }, steps);
  console.log(`trained to step ${steps} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.evaluate((kind: string, g: number, p: number, i: number, s: number, v: string) => {
    const lab = window.__sgdLab!.app.networkLab!;
    lab.runner.pause();
    lab.select({ panel: p, index: i });
    if (s > -2) (lab as unknown as { shownPanel: number }).shownPanel = s;
    // not awaited here: the protocol may lose a long GPU promise ('Promise was collected'); polled below
    if (kind !== 'none') void lab.computePlane({ kind: kind as 'garipov', grid: g, panel: p });
    lab.planeView = v as 'top';
  }, plane, grid, selPanel, selIndex, show, view);
  await page.waitForFunction(() => !window.__sgdLab!.app.networkLab!.landscape.busy, { timeout: 600_000, polling: 300 });
  const err = await page.evaluate(() => window.__sgdLab!.app.networkLab!.landscape.error);
  if (err) console.error('plane:', err);
  // projections come with the next metrics sample; the decision maps after their readback
  await page.waitForFunction(() => {
    const lab = window.__sgdLab!.app.networkLab!;
    return (lab.landscape.projections !== null || !lab.landscape.result) && lab.decision.mean !== null;
  }, { timeout: 120_000, polling: 300 });
  // the 3-D view starts its renderer when first shown
  await new Promise((r) => setTimeout(r, view === 'top' ? 800 : 6000));
  await page.screenshot({ path: out });
  const at = await page.evaluate(() => window.__sgdLab!.app.networkLab!.runner.stats.stepsDone);
  console.log(`${out}: ${width}x${height}, step ${at}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  await launched.close();
  await server.close();
}
