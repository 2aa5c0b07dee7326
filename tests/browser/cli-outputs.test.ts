// What the runner writes when a run goes wrong or meets an older run:
// honest metrics for a panel whose particles all diverged (no value, not 0),
// status-P.u32 saying which rows are frozen, --strict, and an --out folder
// holding an earlier run's files (refused, or replaced whole with --force).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { sharedLab } from './support/page';

const tmp = () => mkdtempSync(join(tmpdir(), 'sgd-lab-out-'));
const DIVERGING = 'tests/fixtures/diverging.json';
const u32 = (file: string) => new Uint32Array(new Uint8Array(readFileSync(file)).buffer);

describe('npm run lab -- run: dead panels and an --out folder with an earlier run', () => {
  it('an earlier run is refused without --force; with it, a dead panel has no loss or moments and says so, and stale files go', async () => {
    const out = tmp();
    const first = await runCli(['run', 'tests/fixtures/small.json', '--out', out, '--steps', '20', '--particles', '64'], { shared: sharedLab() });
    expect(first.code, first.stderr).toBe(0);
    const written = readdirSync(out).sort();
    expect(written).toEqual(['density-0.f32', 'density-1.f32', 'metrics.csv', 'particles-0.f32', 'particles-1.f32', 'status-0.u32', 'status-1.u32', 'summary.json']);
    writeFileSync(join(out, 'notes.txt'), 'mine');

    const refused = await runCli(['run', DIVERGING, '--out', out], { shared: sharedLab() });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/holds an earlier run's files \(density-0\.f32, density-1\.f32, metrics\.csv, … 8 in all\); choose an empty folder, or --force to replace them/);
    expect(readdirSync(out).sort()).toEqual([...written, 'notes.txt'].sort());

    // no --strict: a dead panel is a warning, exit 0
    const forced = await runCli(['run', DIVERGING, '--out', out, '--force'], { shared: sharedLab() });
    expect(forced.code, forced.stderr).toBe(0);
    // gradient descent x <- x - lr·a·x = -9x from |x| ~ 0.5: past the divergence bound within a few steps
    expect(forced.stderr).toMatch(/^warning: panel 0 \(unstable\): all 64 particles diverged, the first at step \d+; its loss and moments have no value/m);
    // the runner's own files only: this run has no Fokker–Planck grid, so the densities were stale; the user's notes stay
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'notes.txt', 'particles-0.f32', 'particles-1.f32', 'status-0.u32', 'status-1.u32', 'summary.json']);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const [dead, alive] = summary.panels;
    expect(dead.final).toMatchObject({ alive: 0, diverged: 64, meanLoss: null, mean: null, cov: null, lossQuantiles: null });
    expect(alive.final.alive).toBe(64);
    expect(alive.final.meanLoss).toBeGreaterThan(0);
    expect(dead.files.status).toMatchObject({ file: 'status-0.u32', shape: [64], dtype: 'uint32' });
    // status: 1 + the step each particle diverged at (steps 0..19 of 20); all alive in the stable panel
    const s0 = u32(join(out, 'status-0.u32')), s1 = u32(join(out, 'status-1.u32'));
    expect(s0).toHaveLength(64);
    for (const w of s0) expect(w >= 1 && w <= 20).toBe(true);
    expect([...s1]).toEqual(new Array(64).fill(0));

    const rows = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const last = (panel: string, metric: string) => rows.find((r) => r[0] === '20' && r[1] === panel && r[2] === metric)![3];
    for (const m of ['mean_loss', 'loss_q50', 'mean_x', 'cov_yy']) expect(last('0', m), m).toBe('');
    expect(last('0', 'diverged')).toBe('64');
    expect(Number(last('1', 'mean_loss'))).toBeGreaterThan(0);
  });

  it('--strict makes a dead panel an error (exit 3), with the files written all the same', async () => {
    const out = tmp();
    const strict = await runCli(['run', DIVERGING, '--out', out, '--strict'], { shared: sharedLab() });
    expect(strict.code, strict.stderr).toBe(3);
    expect(strict.stderr).toMatch(/^warning: panel 0 \(unstable\)/m);
    expect(strict.stderr.trim().split('\n').at(-1)).toBe('sgd-lab: --strict: 1 panel(s) with every particle diverged');
    expect(readdirSync(out)).toContain('summary.json');
  });

  it('an --out that is a file is refused as not a folder', async () => {
    const file = join(tmp(), 'a-file');
    writeFileSync(file, '');
    const r = await runCli(['run', DIVERGING, '--out', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is not a folder/);
  });
});
