// Node side of the browser tests: a page on the lab's dev server, calls into
// harness modules that run in the page, typed arrays carried as base64.
import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

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
    async call<T>(module: string, fn: string, ...args: unknown[]) {
      const src = `/tests/browser/harness/${module}.ts`;
      // A string, not a function: vitest rewrites dynamic import() in test code.
      const expr = `import(${JSON.stringify(src)}).then(async (m) => {
        if (typeof m[${JSON.stringify(fn)}] !== 'function') throw new Error('harness ${module} has no ${fn}');
        const { encodeForNode } = await import('/tests/browser/harness/transport.ts');
        return encodeForNode(await m[${JSON.stringify(fn)}](...${JSON.stringify(args)}));
      })`;
      const raw = await page.evaluate(expr);
      return decodeFromPage(raw) as T;
    },
    async close() {
      await page.close();
    },
  };
}

const TYPED: Record<string, { new (b: ArrayBuffer): ArrayBufferView }> = {
  Float32Array, Float64Array, Uint32Array, Int32Array, Uint8Array,
};

function decodeFromPage(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeFromPage);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.__typed === 'string' && typeof o.b64 === 'string') {
      const bytes = Buffer.from(o.b64, 'base64');
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return new TYPED[o.__typed](ab);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeFromPage(x)]));
  }
  return v;
}
