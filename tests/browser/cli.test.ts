// The headless runner end to end, as a person runs it: npm run lab -- ...
// Runs that do their work borrow the suite's dev server and browser (`shared`,
// tests/support/cli.ts); the Ctrl-C test runs exactly as a person's does, with
// its own server and browser, and so does the preset run in presets-runner.test.ts.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli';
import { meanVar } from '../support/stats';
import { sharedBrowserHoldings, sharedLab } from './support/page';
import { sharedLabFromEnv, sharedLabEnv } from '../../src/cli/lab-session';

const tmp = () => mkdtempSync(join(tmpdir(), 'sgd-lab-cli-'));
const fixture = 'tests/fixtures/small.json';

describe('npm run lab -- run', () => {
  it('writes summary.json, metrics.csv and particles-P.f32 matching the contract', async () => {
    const out = tmp();
    const before = await sharedBrowserHoldings();
    const r = await runCli(['run', fixture, '--out', out], { shared: sharedLab() });
    expect(r.code, r.stderr).toBe(0);
    // a borrowed browser is handed back as it was: no context or page left behind
    expect(await sharedBrowserHoldings()).toEqual(before);
    expect(r.stderr).toMatch(/adapter: \S+/);
    expect(r.stderr).toMatch(/step 300\/300 \(100%\)/);
    expect(readdirSync(out).sort()).toEqual(['density-0.f32', 'density-1.f32', 'metrics.csv', 'particles-0.f32', 'particles-1.f32', 'status-0.u32', 'status-1.u32', 'summary.json']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.scenario.domain).toEqual({ x: [-2, 2], y: [-2, 2] });
    expect(summary.adapter.vendor).toBeTruthy();
    expect(summary.wallSeconds).toBeGreaterThan(0);
    expect(summary.panels).toHaveLength(2);
    expect(summary.panels[1].temperature).toBe(0.4);
    const csv = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('step,panel,metric,value');
    const rows = csv.slice(1).map((l) => l.split(','));
    expect(new Set(rows.map((r) => Number(r[0])))).toEqual(new Set([0, 100, 200, 300]));
    for (const p of summary.panels) {
      const f = p.files.particles;
      expect(f.shape).toEqual([4096, 2]);
      expect(statSync(join(out, f.file)).size).toBe(f.shape[0] * f.shape[1] * 4);
      const buf = readFileSync(join(out, f.file));
      const xy = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      // the dump's moments are the metrics the summary reports (float32 sums: relative 1e-5)
      const x = meanVar(xy, 2, 0), y = meanVar(xy, 2, 1);
      expect(p.final.diverged).toBe(0);
      expect(Math.abs(x.mean - p.final.mean[0])).toBeLessThan(1e-4);
      expect(Math.abs(y.mean - p.final.mean[1])).toBeLessThan(1e-4);
      expect(Math.abs(x.variance - p.final.cov[0])).toBeLessThan(1e-4 * (1 + x.variance));
      expect(Math.abs(y.variance - p.final.cov[2])).toBeLessThan(1e-4 * (1 + y.variance));
      const last = rows.filter((r) => r[0] === '300' && r[1] === String(p.index) && r[2] === 'mean_x');
      expect(Number(last[0][3])).toBeCloseTo(p.final.mean[0], 6);
      // the PDE density: grid x grid float32 summing to 1, at PDE time steps * lr
      const d = p.files.density;
      expect(d.shape).toEqual([32, 32]);
      const dbuf = readFileSync(join(out, d.file));
      const dens = new Float32Array(dbuf.buffer, dbuf.byteOffset, dbuf.byteLength / 4);
      expect(dens.length).toBe(32 * 32);
      expect(Math.abs(dens.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      expect(dens.every((v) => v >= 0)).toBe(true);
      const pdeTime = rows.find((r) => r[0] === '300' && r[1] === String(p.index) && r[2] === 'pde_time');
      expect(Number(pdeTime![3])).toBeCloseTo(3, 5);
      expect(rows.some((r) => r[1] === String(p.index) && r[2] === 'kl_stationary')).toBe(true);
      expect(rows.some((r) => r[1] === String(p.index) && r[2] === 'kl_particles_pde')).toBe(true);
    }
  });

  // --video end to end (WebM written, frame count, codec, reproducible pictures): tests/browser/cli-video.test.ts;
  // its flag refusals: tests/unit/cli-video.test.ts

  it('SIGINT mid-run leaves no files, not even half-written ones, nor the folders or browser profile it made (own server and browser, as a person runs it)', async () => {
    const parent = tmp();
    const out = join(parent, 'made', 'by-the-run');
    // only `run` launches a Chromium with a profile in the temp folder; the suite's own was launched before
    const profiles = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('sgd-lab-chrome-')));
    const before = profiles();
    const run = startCli(['run', fixture, '--out', out, '--steps', '10000000']);
    const t0 = Date.now();
    while (!/step \d+\//.test(run.stderr()) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 200));
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted');
    expect(readdirSync(parent)).toEqual([]);
    expect([...profiles()].filter((p) => !before.has(p))).toEqual([]);
  });

  // concurrent: five CLI processes that each end at argument checking (mostly start-up time)
  it.concurrent.each([
    [['run', 'no/such/file.json', '--out', '/tmp/x'], /^sgd-lab: cannot read scenario file 'no\/such\/file.json': no such file$/m],
    [['run', fixture], /needs --out DIR/],
    [['run', fixture, '--out', '/tmp/x', '--gpu', 'quantum'], /--gpu must be 'swiftshader' or 'hardware'/],
    [['run', 'preset:nope', '--out', '/tmp/x'], /unknown preset 'nope'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('bad arguments end with one clear line and a non-zero exit: %s', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('bad scenarios: invalid JSON, out-of-range fields, unknown surface, too many particles for the adapter', async () => {
    const dir = tmp();
    const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
    const doc = JSON.parse(readFileSync(fixture, 'utf8'));
    const cases: [string, RegExp][] = [
      [write('broken.json', '{ "seed": 1,'), /is not valid JSON/],
      [write('lr.json', JSON.stringify({ ...doc, panels: [{ optimizer: { kind: 'sgd', lr: -0.1 } }] })), /panels\[0\]\.optimizer\.lr: -0\.1 is too small; it must be > 0/],
      [write('zero.json', JSON.stringify({ ...doc, particles: { count: 0 } })), /particles\.count: 0 is too small/],
      [write('surface.json', JSON.stringify({ ...doc, surface: { name: 'moon' } })), /surface\.name: "moon" is not a catalogue surface/],
      [write('huge.json', JSON.stringify({ ...doc, particles: { count: 2 ** 29 } })), /particles\.count: 536870912 exceeds this adapter's limit of \d+ particles per panel/],
    ];
    // the five runs at once (each is mostly process start-up), checked in order
    const results = await Promise.all(cases.map(([file], i) => runCli(['run', file, '--out', join(dir, `out-${i}`)], { shared: sharedLab() })));
    for (const [i, [file, message]] of cases.entries()) {
      const r = results[i];
      expect(r.code, file).not.toBe(0);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it('a non-writable output folder is refused before any work', async () => {
    if (process.getuid?.() === 0) {
      // root can write anywhere: use a path under a regular file instead
      const f = join(tmp(), 'file');
      writeFileSync(f, '');
      const r = await runCli(['run', fixture, '--out', join(f, 'out')]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/cannot create output folder/);
      return;
    }
    const d = join(tmp(), 'ro');
    mkdirSync(d);
    chmodSync(d, 0o500);
    const r = await runCli(['run', fixture, '--out', d]);
    expect(r.stderr).toMatch(/not writable/);
  });
});

describe('borrowing a running lab (the test suite\'s dev server and browser)', () => {
  const lab = { url: 'http://127.0.0.1:5173', wsEndpoint: 'ws://127.0.0.1:9222/devtools/browser/x', gpu: 'swiftshader' as const };
  it('is what the environment names, only for a run in the same GPU mode, and never half-named', () => {
    expect(sharedLabFromEnv('swiftshader', {})).toBeNull();
    expect(sharedLabFromEnv('swiftshader', sharedLabEnv(lab))).toEqual(lab);
    expect(sharedLabFromEnv('swiftshader', { ...sharedLabEnv(lab), SGD_LAB_DEV_URL: `${lab.url}/` })).toEqual(lab);
    expect(sharedLabFromEnv('hardware', sharedLabEnv(lab))).toBeNull();
    expect(() => sharedLabFromEnv('swiftshader', { SGD_LAB_DEV_URL: lab.url })).toThrow(/set both or neither/);
    expect(() => sharedLabFromEnv('swiftshader', { ...sharedLabEnv(lab), SGD_LAB_BROWSER_GPU: 'cpu' })).toThrow(/SGD_LAB_BROWSER_GPU must be/);
  });
});

describe('npm run lab -- validate', () => {
  it('prints every problem with its field path', async () => {
    const dir = tmp();
    const p = join(dir, 'bad.json');
    writeFileSync(p, JSON.stringify({ seed: -1, surface: { name: 'double-well', params: { h: 0 } }, particles: { count: 10 }, panels: [{ optimizer: { kind: 'adam', lr: 0 } }] }));
    const r = await runCli(['validate', p]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.some((l) => l.includes('seed: -1 is too small'))).toBe(true);
    expect(lines.some((l) => l.includes('panels[0].optimizer.lr: 0 is too small'))).toBe(true);
    const ok = await runCli(['validate', fixture]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/valid \(2 panel\(s\), 4096 particles, 300 steps on 'double-well'\)/);
  });
});
