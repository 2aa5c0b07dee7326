import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { stripWgslComments } from './src/gpu/wgsl-strip.ts';

// One config for the dev server (npm start), the build, and both test projects.
export default defineConfig({
  server: { port: 5173, strictPort: false, host: '127.0.0.1' },
  // relative asset and preset URLs: the built folder works from any static host under any sub-path
  base: './',
  // the build ships WGSL without its comments (src/gpu/wgsl-strip.ts); the dev server and tests keep them
  plugins: [{
    name: 'wgsl-strip-comments',
    enforce: 'pre',
    apply: 'build',
    load(id: string) {
      if (!id.endsWith('.wgsl?raw')) return null;
      return `export default ${JSON.stringify(stripWgslComments(readFileSync(id.slice(0, -'?raw'.length), 'utf8')))};`;
    },
  }],
  // the manifest lets scripts/first-load.ts size what the first frame loads
  build: {
    target: 'es2022',
    manifest: true,
    rollupOptions: {
      output: {
        // the big libraries that load on first use get chunks of their own, so no
        // shared chunk the first frame needs carries them (scripts/first-load.ts)
        manualChunks(id: string) {
          if (id.includes('/node_modules/mediabunny/')) return 'mediabunny';
          if (id.includes('/node_modules/uplot/')) return 'uplot';
        },
      },
    },
  },
  // pre-bundled once up front, so parallel first loads never race a re-optimisation
  optimizeDeps: { include: ['mathjs', 'three', 'lit', 'uplot', 'zod', 'webgpu-utils', 'mediabunny'] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // one module graph for all unit files: src/ is imported once, not once per file
          // (import time 39 s -> 10 s on 2 cores). Safe while no unit file mocks a module
          // or leaves a global changed that another file reads.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/browser/global-setup.ts'],
          // One headless Chromium drives SwiftShader on 2 cores: run files one at a time.
          fileParallelism: false,
          // files share one module graph and one puppeteer connection (tests/browser/support/page.ts):
          // ~1 s less per file; each file still opens and closes its own pages
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
