// The GPU benchmark kit (issue 17, scripts/bench-kit.ts): built here it stays
// under its size cap; its run.sh says in one line that Dawn found no adapter
// (exit 3) where the Vulkan loader has no driver; and on the CPU Vulkan driver
// that ships with Chromium (SwiftShader, found next to the browser the browser
// tests use) it runs the particle benchmarks in Node under Dawn, with their
// same-run ceilings, and prints one JSON line per figure. The other kit
// benchmarks (Fokker–Planck, networks) share the code path (Dawn, the bundle's
// WGSL, GpuContext) and are left to `run.sh --quick` by hand to keep CI short.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIT_SIZE_CAP, buildKit } from '../../scripts/bench-kit';
import { ensureBrowser } from '../../src/cli/browser';

let kit = '';
let bytes = 0;
beforeAll(async () => {
  kit = mkdtempSync(join(tmpdir(), 'sgd-lab-kit-'));
  bytes = await buildKit(kit, true, () => {});
}, 120_000);
afterAll(() => { if (kit) rmSync(kit, { recursive: true, force: true }); });

/** Chromium's SwiftShader Vulkan ICD (Debian: /usr/lib/chromium/vk_swiftshader_icd.json), beside the browser binary. */
function swiftShaderIcd(): string {
  const dir = dirname(realpathSync(ensureBrowser()));
  const candidates = [join(dir, 'vk_swiftshader_icd.json'), '/usr/lib/chromium/vk_swiftshader_icd.json'];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no vk_swiftshader_icd.json beside the browser (looked at ${candidates.join(', ')})`);
  return found;
}

function runKit(args: string[], icd: string) {
  // Chromium ships its own Vulkan loader (libvulkan.so.1) beside the ICD: on a machine without the
  // system's libvulkan1 Dawn finds the loader there (a real GPU machine has the system loader)
  const libs = [dirname(icd), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  const r = spawnSync(join(kit, 'run.sh'), args, { env: { ...process.env, VK_ICD_FILENAMES: icd, LD_LIBRARY_PATH: libs }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('GPU benchmark kit', () => {
  it('is one folder under the cap: kit.mjs, dawn.node.xz, node.xz, run.sh, README.txt', () => {
    expect(readdirSync(kit).sort()).toEqual(['README.txt', 'dawn.node.xz', 'kit.mjs', 'node.xz', 'run.sh']);
    console.log(`[kit] ${(bytes / 1024 / 1024).toFixed(1)} MiB (xz -0; npm run bench:kit uses -6), cap ${KIT_SIZE_CAP / 1024 / 1024} MiB`);
    expect(bytes).toBeLessThan(KIT_SIZE_CAP);
  });

  it('without a Vulkan driver: one line saying Dawn found no adapter, exit 3, nothing on stdout, nothing left in /tmp', () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('sgd-lab-kit.'));
    const r = runKit(['--quick'], join(kit, 'no-such-icd.json'));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^bench kit: Dawn found no WebGPU adapter/);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('sgd-lab-kit.'))).toEqual(before);
  }, 60_000);

  it('on SwiftShader: the particle benchmarks against their same-run ceilings, one JSON line each', () => {
    const r = runKit(['--quick', '--only', 'particles'], swiftShaderIcd());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^adapter: google swiftshader/m);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; value: number; baseline: string; baselineValue: number; ratio: number });
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.value).toBeGreaterThan(0);
      expect(row.baselineValue).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(row.value / row.baselineValue, 12);
    }
    expect(rows.filter((x) => x.baseline === 'normals-only kernel (same run)')).toHaveLength(2);
    expect(rows.filter((x) => x.baseline === 'copy kernel of the particle bytes (same run)')).toHaveLength(2);
  }, 120_000);
});
