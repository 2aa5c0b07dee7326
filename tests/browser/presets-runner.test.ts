// Every preset runs to completion in the headless runner's engine (short
// versions: the presets' own surfaces, panels, noise and PDE, fewer steps and
// particles), and one through the whole command line.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLabPage, sharedLab, useLabPage } from './support/page';
import { listPresets, PRESETS_DIR } from '../../src/cli/scenario-file';
import { runCli } from '../support/cli';
import { isNetworkDocument } from '../../src/model/network/spec';

const lab = useLabPage({
  async open() {
    const l = await openLabPage('/headless.html');
    await l.page.waitForFunction(() => document.body.dataset.headless === 'ready');
    return l;
  },
});

const presets = listPresets();

describe('presets in the runner', () => {
  it('there are presets for the claims', () => {
    expect(presets.length).toBeGreaterThanOrEqual(8);
  });

  it.each(presets.map((p) => p.name))('%s runs to completion (60 steps, 2048 particles or 32 networks, PDE grid <= 64)', async (name) => {
    const doc = JSON.parse(readFileSync(join(PRESETS_DIR, `${name}.json`), 'utf8'));
    // a network particle is a whole MLP trained on its dataset: thousands of times a 2-D particle's work
    const count = isNetworkDocument(doc) ? 32 : 2048;
    const short = {
      ...doc, steps: 60, record: { every: 20 },
      particles: { ...doc.particles, count },
      ...(doc.fokkerPlanck ? { fokkerPlanck: { ...doc.fokkerPlanck, grid: Math.min(64, doc.fokkerPlanck.grid) } } : {}),
    };
    const result = (await lab.page.evaluate((s) => window.sgdHeadless!.run(s), short)) as { error?: { message: string }; steps: number; panels: { final: { diverged: number; alive: number } }[] };
    expect(result.error?.message).toBeUndefined();
    expect(result.steps).toBe(60);
    for (const p of result.panels) expect(p.final.alive + p.final.diverged).toBe(count);
  });

  // through the command line, borrowing the suite's server and browser (cli.test.ts's SIGINT test
  // starts its own, exactly as a person's run does)
  it('a preset through the command line: npm run lab -- run preset:NAME', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-preset-'));
    const r = await runCli(['run', 'preset:double-well-temperatures', '--out', out, '--steps', '30', '--particles', '1024'], { shared: sharedLab() });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toContain('summary.json');
    const list = await runCli(['presets']);
    expect(list.stdout).toMatch(/^double-well-temperatures\s+Double well at three temperatures/m);
    expect(list.stdout).not.toMatch(/^index\b/m);
  });
});
