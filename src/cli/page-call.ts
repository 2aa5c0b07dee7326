// Node side of calling a module's exported function inside the lab page:
// tests, benchmarks and tools import page-side modules by URL and get typed
// arrays back intact (see src/headless/transport.ts).
import type { Page } from 'puppeteer-core';

/** Calls `fn` exported by the page module at `modulePath` (a URL path such as '/bench/pages/particles.ts'). */
export async function callInPage<T>(page: Page, modulePath: string, fn: string, ...args: unknown[]): Promise<T> {
  // A string, not a function: test runners rewrite dynamic import() in Node code.
  const expr = `import(${JSON.stringify(modulePath)}).then(async (m) => {
    if (typeof m[${JSON.stringify(fn)}] !== 'function') throw new Error(${JSON.stringify(`${modulePath} has no export ${fn}`)});
    const { encodeForNode } = await import('/src/headless/transport.ts');
    return encodeForNode(await m[${JSON.stringify(fn)}](...${JSON.stringify(args)}));
  })`;
  return decodeFromPage(await page.evaluate(expr)) as T;
}

const TYPED: Record<string, new (b: ArrayBuffer) => ArrayBufferView> = {
  Float32Array, Float64Array, Uint32Array, Int32Array, Uint8Array,
};

export function decodeFromPage(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeFromPage);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.__typed === 'string' && typeof o.b64 === 'string') {
      const bytes = Buffer.from(o.b64, 'base64');
      return new TYPED[o.__typed](bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeFromPage(x)]));
  }
  return v;
}
