// What a page reports as broken: console errors and uncaught exceptions, in the
// order they came. The runner, the benchmarks and the browser tests read it.
import type { Page } from 'puppeteer-core';

/** Starts recording `page`'s console errors and uncaught page errors; the returned list fills as they come. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
