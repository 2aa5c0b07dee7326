// Node side of the browser tests: a page on the lab's dev server, calls into
// harness modules that run in the page, typed arrays carried as base64.
import { afterAll, beforeAll, expect, inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { callInPage } from '../../../src/cli/page-call';
import { collectPageErrors } from '../../../src/cli/page-errors';
import type { SharedLab } from '../../../src/cli/lab-session';

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

/** The global setup's dev server and browser, for a `npm run lab` child to borrow (tests/support/cli.ts). */
export function sharedLab(): SharedLab {
  const url = inject('labUrl');
  if (!url) throw new Error('browser tests need the global setup (vitest --project browser)');
  return { url, wsEndpoint: inject('wsEndpoint'), gpu: inject('gpu') };
}

async function connected(): Promise<Browser> {
  browser ??= await puppeteer.connect({ browserWSEndpoint: sharedLab().wsEndpoint, protocolTimeout: 600_000 });
  return browser;
}

/** What the shared browser holds now, as Chromium counts it (every client's browser contexts and pages). */
export async function sharedBrowserHoldings(): Promise<{ contexts: number; pages: number }> {
  const cdp = await (await connected()).target().createCDPSession();
  try {
    const { browserContextIds } = await cdp.send('Target.getBrowserContexts');
    const { targetInfos } = await cdp.send('Target.getTargets');
    return { contexts: browserContextIds.length, pages: targetInfos.filter((t) => t.type === 'page').length };
  } finally {
    await cdp.detach();
  }
}

/** A page of the shared browser at any URL (e.g. the built folder on a static server); `call` is not available there. */
export async function openPageAt(url: string, viewport = { width: 1100, height: 760 }): Promise<LabPage> {
  const page = await (await connected()).newPage();
  const errors = collectPageErrors(page);
  await page.setViewport(viewport);
  await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    errors,
    call() { throw new Error(`openPageAt(${url}): harness calls need the dev server's page (openLabPage)`); },
    async close() { await page.close(); },
  };
}

export async function openLabPage(path = '/tests/browser/harness.html'): Promise<LabPage> {
  const labUrl = sharedLab().url;
  const page = await (await connected()).newPage();
  const errors = collectPageErrors(page);
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

export interface UseLabPageOptions {
  /** opens the page (default: the test harness page, openLabPage()) */
  open?: () => Promise<LabPage>;
  /** false for a file whose tests provoke page errors on purpose; by default the page must report none */
  expectNoErrors?: boolean;
}

/**
 * One lab page for the whole test file: opened before its tests; after them the
 * page must have reported no console or uncaught error, and is closed. The
 * returned object stands for the page opened then (use it inside tests and hooks).
 */
export function useLabPage(options: UseLabPageOptions = {}): LabPage {
  let lab: LabPage | undefined;
  const current = (): LabPage => {
    if (!lab) throw new Error('the lab page is opened in beforeAll: use it inside a test or hook');
    return lab;
  };
  beforeAll(async () => { lab = await (options.open ?? openLabPage)(); });
  afterAll(async () => {
    if (!lab) return;
    try {
      if (options.expectNoErrors ?? true) expect(lab.errors).toEqual([]);
    } finally {
      await lab.close();
    }
  });
  return {
    get page() { return current().page; },
    get errors() { return current().errors; },
    call<T>(module: string, fn: string, ...args: unknown[]) { return current().call<T>(module, fn, ...args); },
    close: () => current().close(),
  };
}
