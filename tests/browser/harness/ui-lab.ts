// Node side of the live-lab browser tests (imported by tests/browser/ui*.test.ts,
// never loaded in a page): opening the lab at a hash with a chosen viewport and
// pre-load hooks, waiting for it to run, reading its state.
import { inject } from 'vitest';
import type { Page } from 'puppeteer-core';
import { openLabPage, type LabPage } from '../support/page';

export interface OpenLabOptions {
  /** URL hash, e.g. '#s=...' */
  hash?: string;
  width?: number;
  height?: number;
  /** runs before the lab page loads (e.g. page.evaluateOnNewDocument) */
  before?: (page: Page) => Promise<unknown>;
}

/** Test-sized page: the canvas comes out at about 800 x 500 CSS pixels. */
export const TEST_VIEWPORT = { width: 1100, height: 760 };

export async function openLab(options: OpenLabOptions = {}): Promise<LabPage> {
  const lab = await openLabPage('/tests/browser/harness.html');
  await lab.page.setViewport({ width: options.width ?? TEST_VIEWPORT.width, height: options.height ?? TEST_VIEWPORT.height });
  await options.before?.(lab.page);
  await lab.page.goto(`${inject('labUrl')}/${options.hash ?? ''}`, { waitUntil: 'load' });
  return lab;
}

/** Waits until the lab runs a simulation and has drawn `frames` frames. */
export async function waitRunning(page: Page, frames = 1, timeout = 90_000): Promise<void> {
  await page.waitForFunction(
    (n: number) => {
      const lab = window.__sgdLab;
      return !!lab && lab.state === 'running' && (lab.stats?.frames ?? 0) >= n;
    },
    { timeout, polling: 100 },
    frames,
  );
}

export function labEval<T>(page: Page, expr: string): Promise<T> {
  return page.evaluate(expr) as Promise<T>;
}
