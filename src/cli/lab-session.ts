// The lab page in headless Chromium, served by Vite from this repository:
// what the headless runner and the benchmarks drive. Normally a session starts
// its own server and browser; when the environment names a running lab
// (SGD_LAB_DEV_URL + SGD_LAB_BROWSER_WS, as the test suite sets them) it
// borrows those instead, with a page of its own in the browser's default context
// (whose HTTP and code caches make the page load ~1-2 s faster than in a fresh
// context), and leaves them running.
import type { Browser, Page } from 'puppeteer-core';
import type { ViteDevServer } from 'vite';
import { connectBrowser, launchBrowser, type GpuMode, type LaunchedBrowser } from './browser';
import { collectPageErrors } from './page-errors';
import { REPO_ROOT } from './scenario-file';

export interface LabSession {
  page: Page;
  url: string;
  /** console errors and page errors seen so far */
  errors: string[];
  close(): Promise<void>;
}

/** A dev server and browser already running, to borrow rather than start. */
export interface SharedLab {
  /** the Vite dev server's base URL, e.g. http://127.0.0.1:5173 (no trailing slash) */
  url: string;
  /** the browser's DevTools endpoint, ws://127.0.0.1:PORT/devtools/browser/ID */
  wsEndpoint: string;
  /** the GPU mode that browser was launched with */
  gpu: GpuMode;
}

/** The environment variables that name a shared lab. */
export const SHARED_LAB_VARS = ['SGD_LAB_DEV_URL', 'SGD_LAB_BROWSER_WS', 'SGD_LAB_BROWSER_GPU'] as const;

/** The variables that name `lab`, for whoever starts a runner beside it. */
export function sharedLabEnv(lab: SharedLab): Record<(typeof SHARED_LAB_VARS)[number], string> {
  return { SGD_LAB_DEV_URL: lab.url, SGD_LAB_BROWSER_WS: lab.wsEndpoint, SGD_LAB_BROWSER_GPU: lab.gpu };
}

/**
 * The shared lab the environment names, if its browser runs in `mode`; null when none is named
 * or the mode differs (then the session starts its own). Half a setting is an error, not a fallback.
 */
export function sharedLabFromEnv(mode: GpuMode, env: NodeJS.ProcessEnv = process.env): SharedLab | null {
  const url = env.SGD_LAB_DEV_URL, wsEndpoint = env.SGD_LAB_BROWSER_WS;
  if (!url && !wsEndpoint) return null;
  if (!url || !wsEndpoint) throw new Error('SGD_LAB_DEV_URL and SGD_LAB_BROWSER_WS name a running lab together: set both or neither');
  const gpu = env.SGD_LAB_BROWSER_GPU ?? 'swiftshader';
  if (gpu !== 'swiftshader' && gpu !== 'hardware') throw new Error(`SGD_LAB_BROWSER_GPU must be 'swiftshader' or 'hardware', not '${gpu}'`);
  return gpu === mode ? { url: url.replace(/\/$/, ''), wsEndpoint, gpu } : null;
}

export async function openLabSession(mode: GpuMode, path = '/headless.html'): Promise<LabSession> {
  const shared = sharedLabFromEnv(mode);
  return shared ? borrowLabSession(shared, path) : ownLabSession(mode, path);
}

/** Starts a Vite server and a Chromium of its own; close() stops both and removes the browser profile. */
async function ownLabSession(mode: GpuMode, path: string): Promise<LabSession> {
  let server: ViteDevServer | undefined;
  let launched: LaunchedBrowser | undefined;
  try {
    // loaded here, not at the top: `validate`, `presets` and bad arguments start ~2-4 s faster without Vite
    const { createServer } = await import('vite');
    // no HMR or file watching: an edit elsewhere in the tree must not reload a running job
    // its own dependency cache: a dev server or test run beside it must not invalidate this one's
    server = await createServer({
      root: REPO_ROOT, configFile: `${REPO_ROOT}/vite.config.ts`, cacheDir: `${REPO_ROOT}/node_modules/.vite-lab`,
      server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'silent',
    });
    await server.listen();
    const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!url) throw new Error('the Vite server did not report its URL');
    launched = await launchBrowser(mode);
    const page = await launched.browser.newPage();
    const errors = await loadLabPage(page, url + path);
    const l = launched, s = server;
    return {
      page, url, errors,
      async close() {
        await l.close();
        await s.close();
      },
    };
  } catch (e) {
    await launched?.close();
    await server?.close();
    throw e;
  }
}

/**
 * Opens the page in a shared browser, in a page of its own (the default context: the
 * modules it loads are then mostly cached); close() closes that page and detaches.
 */
async function borrowLabSession(shared: SharedLab, path: string): Promise<LabSession> {
  let browser: Browser | undefined;
  let page: Page | undefined;
  const close = async () => {
    await page?.close().catch(() => {});
    await browser?.disconnect().catch(() => {});
  };
  try {
    browser = await connectBrowser(shared.wsEndpoint);
    page = await browser.defaultBrowserContext().newPage();
    const errors = await loadLabPage(page, shared.url + path);
    return { page, url: shared.url, errors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Loads the headless page and waits until it is ready; returns the page's error list. */
async function loadLabPage(page: Page, url: string): Promise<string[]> {
  const errors = collectPageErrors(page);
  await page.goto(url, { waitUntil: 'load' });
  await waitForReady(page, errors);
  return errors;
}

/** Waits for the headless page to install its API; fails at once on a page error. */
async function waitForReady(page: Page, errors: string[], timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    if (await page.evaluate(() => document.body?.dataset.headless === 'ready')) return;
    if (errors.length) throw new Error(`the lab page failed to load: ${errors[0]}`);
    if (Date.now() - t0 > timeoutMs) throw new Error(`the lab page did not start within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
