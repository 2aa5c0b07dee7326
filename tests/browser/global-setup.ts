// Starts the lab's Vite dev server and one headless Chromium with WebGPU for
// all browser tests. Browser tests never skip silently: without a browser
// they fail, unless SGD_LAB_SKIP_BROWSER=1 says so out loud.
import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';
import { launchBrowser, type GpuMode, type LaunchedBrowser } from '../../src/cli/browser';

let server: ViteDevServer | undefined;
let launched: LaunchedBrowser | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    /** the dev server's base URL, no trailing slash ('' when browser tests are skipped) */
    labUrl: string;
    /** the shared Chromium's DevTools endpoint */
    wsEndpoint: string;
    /** the GPU mode that Chromium runs in (SGD_LAB_GPU) */
    gpu: GpuMode;
  }
}

export async function setup(project: TestProject) {
  const gpu: GpuMode = process.env.SGD_LAB_GPU === 'hardware' ? 'hardware' : 'swiftshader';
  project.provide('gpu', gpu);
  if (process.env.SGD_LAB_SKIP_BROWSER === '1') {
    console.warn('\n!!! SGD_LAB_SKIP_BROWSER=1: GPU/browser tests are NOT run; nothing about the GPU path is tested !!!\n');
    project.provide('labUrl', '');
    project.provide('wsEndpoint', '');
    return;
  }
  // no HMR or file watching: an edit in the tree must not reload a page mid-test
  server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'warn' });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite dev server did not report a URL');
  launched = await launchBrowser(gpu);
  project.provide('labUrl', url.replace(/\/$/, ''));
  project.provide('wsEndpoint', launched.browser.wsEndpoint());
}

export async function teardown() {
  await launched?.close();
  await server?.close();
}
