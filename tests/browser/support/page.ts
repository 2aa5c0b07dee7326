// Node side of the browser tests: a page on the lab's dev server, calls into
// harness modules that run in the page, typed arrays carried as base64.
import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { callInPage } from '../../../src/cli/page-call';

export const skipBrowser = process.env.SGD_LAB_SKIP_BROWSER === '1';

export interface LabPage {
  page: Page;
  /** console errors and uncaught page errors seen so far */
  errors: string[];
  /** Calls `fn` exported by tests/browser/harness/<module>.ts inside the page. */
  call<T = unknown>(module: string, fn: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

let browser: Browser | undefined;

export async function openLabPage(path = '/tests/browser/harness.html'): Promise<LabPage> {
  const labUrl = inject('labUrl');
  if (!labUrl) throw new Error('browser tests need the global setup (vitest --project browser)');
  browser ??= await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(labUrl + path, { waitUntil: 'load' });
  return {
    page,
    errors,
    call<T>(module: string, fn: string, ...args: unknown[]) {
      return callInPage<T>(page, `/tests/browser/harness/${module}.ts`, fn, ...args);
    },
    async close() {
      await page.close();
    },
  };
}
