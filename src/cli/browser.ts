// Finding and launching the headless Chromium that gives the lab a WebGPU
// adapter. Shared by the test harness, the headless runner and the benchmarks.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Browser } from 'puppeteer-core';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export class BrowserNotFoundError extends Error {}

/** CHROME_PATH if set, else the first system Chromium/Chrome found; null when none. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      throw new BrowserNotFoundError(`CHROME_PATH=${fromEnv} does not exist; point it at a Chromium or Chrome binary`);
    }
    return fromEnv;
  }
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** What a person must do when no browser is found and none can be installed. */
export const INSTALL_HINT =
  "no Chromium or Chrome found: install one (Debian/Ubuntu: 'sudo apt-get install chromium') or set CHROME_PATH to its binary";

/**
 * Finds a browser, installing Debian's chromium when the machine has apt-get and
 * we are root. Throws BrowserNotFoundError with one actionable line otherwise.
 */
export function ensureBrowser(log: (line: string) => void = () => {}): string {
  const found = findBrowser();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!(isRoot && hasApt)) throw new BrowserNotFoundError(INSTALL_HINT);
  log('no browser found: installing Debian chromium with apt-get (one time)...');
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: aptEnv });
  const after = findBrowser();
  if (!after) throw new BrowserNotFoundError(`apt-get installed chromium but no binary was found; ${INSTALL_HINT}`);
  return after;
}

/** 'swiftshader' runs WebGPU on the CPU (works everywhere); 'hardware' uses the real GPU. */
export type GpuMode = 'swiftshader' | 'hardware';

export function chromiumArgs(mode: GpuMode): string[] {
  const common = [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
    // a hidden headless tab must keep its frame-exact recording and timers alive
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
  ];
  if (mode === 'hardware') return [...common, '--enable-features=Vulkan'];
  return [
    ...common,
    '--enable-features=Vulkan',
    '--use-angle=swiftshader',
    '--use-vulkan=swiftshader',
    '--use-webgpu-adapter=swiftshader',
    // WebGL on SwiftShader too (the no-WebGPU page's 3-D views); Chromium asks for the opt-in
    '--enable-unsafe-swiftshader',
  ];
}

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** CDP calls may wait on a long GPU job in the page: 10 min, in ms. */
const PROTOCOL_TIMEOUT_MS = 600_000;

/** puppeteer-core, loaded on first use: commands that never open a browser start without it (~1 s less). */
async function puppeteer() {
  return (await import('puppeteer-core')).default;
}

/** Launches headless Chromium with WebGPU enabled and a throw-away profile. */
export async function launchBrowser(mode: GpuMode = 'swiftshader', executablePath = ensureBrowser()): Promise<LaunchedBrowser> {
  // the profile (~19 MB) goes on close, on a failed or timed-out launch, and on any process.exit
  // (Ctrl-C ends through process.exit in main.ts, possibly before close() has finished)
  const profile = mkdtempSync(join(tmpdir(), 'sgd-lab-chrome-'));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true });
  process.once('exit', removeProfile);
  let browser: Browser;
  try {
    browser = await (await puppeteer()).launch({
      executablePath,
      headless: true,
      args: [...chromiumArgs(mode), `--user-data-dir=${profile}`],
      protocolTimeout: PROTOCOL_TIMEOUT_MS,
    });
  } catch (e) {
    removeProfile();
    process.removeListener('exit', removeProfile);
    throw e;
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      removeProfile();
      process.removeListener('exit', removeProfile);
    },
  };
}

/** Attaches to a Chromium that someone else launched (its DevTools `ws://` endpoint); `disconnect()` leaves it running. */
export async function connectBrowser(wsEndpoint: string): Promise<Browser> {
  return (await puppeteer()).connect({ browserWSEndpoint: wsEndpoint, protocolTimeout: PROTOCOL_TIMEOUT_MS });
}
