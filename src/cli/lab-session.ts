// The lab page in headless Chromium, served by Vite from this repository:
// what the headless runner and the benchmarks drive.
import { createServer, type ViteDevServer } from 'vite';
import type { Page } from 'puppeteer-core';
import { launchBrowser, type GpuMode, type LaunchedBrowser } from './browser';
import { REPO_ROOT } from './scenario-file';

export interface LabSession {
  page: Page;
  url: string;
  /** console errors and page errors seen so far */
  errors: string[];
  close(): Promise<void>;
}

export async function openLabSession(mode: GpuMode, path = '/headless.html'): Promise<LabSession> {
  let server: ViteDevServer | undefined;
  let launched: LaunchedBrowser | undefined;
  try {
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
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url + path, { waitUntil: 'load' });
    await waitForReady(page, errors);
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

/** Waits for the headless page to install its API; fails at once on a page error. */
async function waitForReady(page: Page, errors: string[], timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    if (await page.evaluate(() => document.body?.dataset.headless === 'ready')) return;
    if (errors.length) throw new Error(`the lab page failed to load: ${errors[0]}`);
    if (Date.now() - t0 > timeoutMs) throw new Error(`the lab page did not start within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
