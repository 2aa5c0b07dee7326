// Frames and particle-steps per second of the live lab page (index.html,
// <sgd-lab>) in headless Chromium at a 1280 x 720 viewport, for the default
// scenario and for 4 panels x 2^18 particles, with the GPU time per frame
// split between simulation and rendering. Same-run baselines: the bare
// engine (the page's own Simulation stepped alone, no rendering) and the
// frame rate rendering alone would allow.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Page } from 'puppeteer-core';
import type { LabSession } from '../src/cli/lab-session';
import { callInPage } from '../src/cli/page-call';
import { collectPageErrors } from '../src/cli/page-errors';
import { DEFAULT_SCENARIO, clone, type ScenarioDoc } from '../src/ui/scenario-state';
import type { LiveLoadResult, LiveSplitResult, LiveWallResult } from './pages/live';
import type { BenchRow } from './rows';

export const LIVE_VIEWPORT = { width: 1280, height: 720 };
const PAGE = '/bench/pages/live.ts';
/** the speed `npm start` opens with (src/ui/lab-app.ts speedLog), optimizer steps per second per panel */
export const OPENING_SPEED = 600;

export interface LiveOptions {
  /** speed settings to measure, steps/s per panel (null: the slider's "max") */
  speeds: (number | null)[];
  warmupSeconds: number;
  seconds: number;
  /** wall ms each part of the GPU split is timed for */
  splitMs: number;
  /** where to save one screenshot per scenario (none when undefined) */
  shotsDir?: string;
}

// At max speed the live figure compares with the bare engine. On SwiftShader the GPU budget
// holds the page at 1 step per frame, so OPENING_SPEED (600 steps/s) measures the same thing.
export const DEFAULT_LIVE_OPTIONS: LiveOptions = { speeds: [null], warmupSeconds: 2, seconds: 6, splitMs: 1500 };

/** The default scenario with 4 panels at temperatures T, T/2, T/4, T/8 (B = 1, 2, 4, 8) and 2^18 particles each. */
export function fourByTwo18(): ScenarioDoc {
  const s = clone(DEFAULT_SCENARIO);
  const first = s.panels[0];
  s.panels = [1, 2, 4, 8].map((b) => {
    const p = clone(first);
    if (p.noise?.kind === 'gaussian') p.noise.batchSize = b;
    return p;
  });
  s.particles = { ...s.particles, count: 1 << 18 };
  return s;
}

function describe(s: ScenarioDoc): string {
  const panels = s.panels.length, count = s.particles.count;
  return `${panels} panels x 2^${Math.log2(count)}`;
}

/** Opens index.html in a new tab of the session's browser and waits until the lab runs; fails on any page error. */
async function openLivePage(session: LabSession): Promise<{ page: Page; errors: string[] }> {
  const page = await session.page.browser().newPage();
  const errors = collectPageErrors(page);
  await page.setViewport(LIVE_VIEWPORT);
  await page.goto(`${session.url}/`, { waitUntil: 'load' });
  await page.bringToFront();
  const t0 = Date.now();
  for (;;) {
    if (errors.length) throw new Error(`the live page failed: ${errors[0]}`);
    const state = await page.evaluate(() => window.__sgdLab?.state ?? 'loading');
    if (state === 'running') return { page, errors };
    if (state === 'no-gpu' || state === 'error' || state === 'lost') throw new Error(`the live page did not start: state '${state}'`);
    if (Date.now() - t0 > 120_000) throw new Error(`the live page did not start within 120 s (state '${state}')`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function benchLivePage(session: LabSession, log: (s: string) => void, opts: LiveOptions = DEFAULT_LIVE_OPTIONS): Promise<BenchRow[]> {
  log(`live page: opening index.html at ${LIVE_VIEWPORT.width}x${LIVE_VIEWPORT.height} (machine load average ${loadavg()[0].toFixed(1)}) ...`);
  const { page, errors } = await openLivePage(session);
  const call = async <T>(fn: string, ...args: unknown[]): Promise<T> => {
    const r = await callInPage<T>(page, PAGE, fn, ...args);
    if (errors.length) throw new Error(`the live page logged an error: ${errors[0]}`);
    return r;
  };
  const rows: BenchRow[] = [];
  try {
    rows.push(...await firstFrameRows(page));
    for (const [label, scenario] of [['default scenario', clone(DEFAULT_SCENARIO)], ['4 panels x 2^18', fourByTwo18()]] as const) {
      const name = `${label} (${describe(scenario)})`;
      log(`live page: ${name}: loading (load average ${loadavg()[0].toFixed(1)}) ...`);
      const info = await call<LiveLoadResult>('loadLive', scenario);
      log(`  built in ${info.buildSeconds.toFixed(1)} s; canvas ${info.canvas.join('x')} px; GPU timing by ${info.timing}`);
      const walls: LiveWallResult[] = [];
      for (const speed of opts.speeds) {
        log(`  speed ${speed ?? 'max'}: ${opts.warmupSeconds} s warm-up, ${opts.seconds} s measured ...`);
        const w = await call<LiveWallResult>('measureWall', speed, opts.warmupSeconds, opts.seconds);
        log(`    ${w.frames} frames, ${w.fps.toFixed(1)} fps, ${w.stepsPerFrame.toFixed(1)} steps/frame/panel, ${w.throttled} frames throttled`);
        walls.push(w);
      }
      const last = walls[walls.length - 1];
      log(`  GPU split at ${Math.round(last.stepsPerFrame)} steps/frame ...`);
      const split = await call<LiveSplitResult>('measureSplit', last.stepsPerFrame, opts.splitMs);
      const total = split.simMs + split.renderMs;
      log(`    sim ${split.simMs.toFixed(1)} ms/frame (${((100 * split.simMs) / total).toFixed(0)} %), render ${split.renderMs.toFixed(1)} ms/frame (${((100 * split.renderMs) / total).toFixed(0)} %; maps alone ${split.mapsMs.toFixed(1)} ms; while orbiting ${split.orbitMs.toFixed(1)} ms, without the background cache ${split.uncachedMs.toFixed(1)} ms), metrics ${split.metricsMs.toFixed(1)} ms/reduction (${split.metricsTiming}); batches ${JSON.stringify(split.batches)}`);
      if (opts.shotsDir) {
        mkdirSync(opts.shotsDir, { recursive: true });
        const path = join(opts.shotsDir, `live-${label.replace(/[^a-z0-9]+/gi, '-')}.png`);
        await page.screenshot({ path });
        log(`  screenshot: ${path}`);
      }
      const adapter = info.adapter;
      const renderFps = 1000 / split.renderMs;
      for (const w of walls) {
        const at = `${name}, speed ${w.speed === 'max' ? 'max' : `${w.speed} steps/s`}, ${LIVE_VIEWPORT.width}x${LIVE_VIEWPORT.height}`;
        rows.push({ name: `live fps, ${at}`, value: w.fps, unit: 'frames/s', baseline: 'rendering alone (1000 / render ms)', baselineValue: renderFps, ratio: w.fps / renderFps, adapter });
        rows.push({
          name: `live particle-steps/s, ${at}`, value: w.particleStepsPerSecond, unit: 'particle-steps/s',
          baseline: `bare engine, same Simulation, ${split.stepsPerFrame} steps/batch, no rendering`,
          baselineValue: split.bareParticleStepsPerSecond, ratio: w.particleStepsPerSecond / split.bareParticleStepsPerSecond, adapter,
        });
      }
      const per = `${name}, ${split.stepsPerFrame} steps/frame`;
      rows.push({ name: `GPU ms/frame, simulation, ${per}`, value: split.simMs, unit: 'ms', baseline: 'simulation + rendering', baselineValue: total, ratio: split.simMs / total, adapter });
      rows.push({ name: `GPU ms/frame, rendering, ${name}`, value: split.renderMs, unit: 'ms', baseline: 'simulation + rendering', baselineValue: total, ratio: split.renderMs / total, adapter });
      rows.push({ name: `GPU ms/frame, rendering with the cached 3-D background, ${name}`, value: split.renderMs, unit: 'ms', baseline: 'rendering without the cache (same run)', baselineValue: split.uncachedMs, ratio: split.renderMs / split.uncachedMs, adapter });
      rows.push({ name: `GPU ms/frame, rendering while the camera orbits, ${name}`, value: split.orbitMs, unit: 'ms', baseline: 'rendering, camera still', baselineValue: split.renderMs, ratio: split.orbitMs / split.renderMs, adapter });
      rows.push({ name: `GPU ms/frame, rendering the maps alone, ${name}`, value: split.mapsMs, unit: 'ms', baseline: 'all rendering', baselineValue: split.renderMs, ratio: split.mapsMs / split.renderMs, adapter });
    }
  } finally {
    await page.close().catch(() => {});
  }
  return rows;
}

/**
 * The page's start as it opened (default scenario, dev server, so module
 * loading is not the built folder's; tests/browser/static-build.test.ts logs
 * the built one's): seconds from navigation to the first drawn frame, and the
 * part of it spent building the simulation (compiling its compute pipelines).
 */
async function firstFrameRows(page: Page): Promise<BenchRow[]> {
  await page.waitForFunction(() => window.__sgdLab?.engine.startup.firstFrame !== undefined, { timeout: 120_000, polling: 50 });
  const t = await page.evaluate(() => {
    const e = window.__sgdLab!.engine;
    const a = e.gpu!.adapterSummary;
    return { ...e.startup, adapter: `${a.vendor} ${a.architecture}` };
  });
  const first = t.firstFrame! / 1000;
  const build = (t.simulation! - t.renderer!) / 1000;
  return [
    { name: 'live page: navigation to first drawn frame, default scenario (dev server)', value: first, unit: 's', baseline: null, baselineValue: null, ratio: null, adapter: t.adapter },
    { name: 'live page: building the simulation (pipeline compiles), part of the first frame', value: build, unit: 's', baseline: 'navigation to first frame', baselineValue: first, ratio: build / first, adapter: t.adapter },
  ];
}
