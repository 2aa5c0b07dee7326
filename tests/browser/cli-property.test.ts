// Property, end to end: a short run of a random scenario that `validate`
// accepts either completes or fails with a one-line message. Six fast-check
// scenarios, few particles and steps: the first through `npm run lab -- run`
// (exit 0 with its files, or one line and NO files), the other five through
// the runner's page (headless.html, window.sgdHeadless.run: the same code the
// CLI drives) in one page, which spares five CLI start-ups. That a failed run
// writes no file is the CLI's own structure (every byte read before the first
// write), tested in cli.test.ts and cli-outputs.test.ts.
import fc from 'fast-check';
import { mkdtempSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/model/scenario';
import { runCli } from '../support/cli';
import { hostileScenario } from '../unit/hostile-arbitrary';
import { openLabPage, sharedLab, useLabPage } from './support/page';

const STEPS = 20, PARTICLES = 64;
const docs = fc.sample(hostileScenario.filter((d) => parseScenario(d).ok), { numRuns: 6, seed: 13 });
const lab = useLabPage({ open: () => openLabPage('/headless.html') });

/** The CLI's --steps / --particles overrides, applied to a copy of the document. */
function shortened(doc: unknown): unknown {
  const d = structuredClone(doc) as { steps?: number; particles?: { count?: number } };
  d.steps = STEPS;
  d.particles = { ...(d.particles ?? {}), count: PARTICLES };
  return d;
}

describe('accepted scenarios run or fail cleanly', () => {
  it('six random accepted scenarios were drawn', () => {
    expect(docs).toHaveLength(6);
  });

  it('through the CLI: exit 0 with files, or one line and no files', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgd-lab-prop-'));
    const file = join(dir, 'scenario.json'), out = join(dir, 'out');
    writeFileSync(file, JSON.stringify(docs[0]));
    const r = await runCli(['run', file, '--out', out, '--steps', String(STEPS), '--particles', String(PARTICLES)], { shared: sharedLab() });
    const files = existsSync(out) ? readdirSync(out) : [];
    if (r.code === 0) {
      expect(files, r.stderr).toContain('summary.json');
      expect(files).toContain('metrics.csv');
    } else {
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('sgd-lab:'));
      expect(lines, `${JSON.stringify(docs[0])}\n${r.stderr}`).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out), JSON.stringify(docs[0])).toBe(false);
    }
  });

  it('through the runner page: each completes its steps or reports one line', { timeout: 600_000 }, async () => {
    await lab.page.waitForFunction(() => document.body.dataset.headless === 'ready', { timeout: 120_000 });
    for (const doc of docs.slice(1)) {
      const r = (await lab.page.evaluate((d) => window.sgdHeadless!.run(d), shortened(doc) as never)) as
        { steps: number; panels: unknown[] } | { error: { message: string } };
      const shown = JSON.stringify(doc);
      if ('error' in r) {
        // the CLI prints the message's first line: it must say something, not be a stack frame
        const first = r.error.message.split('\n')[0];
        expect(first.trim().length, shown).toBeGreaterThan(0);
        expect(first, shown).not.toMatch(/^\s+at /);
      } else {
        expect(r.steps, shown).toBe(STEPS);
        expect(r.panels.length, shown).toBeGreaterThan(0);
      }
    }
  });
});
