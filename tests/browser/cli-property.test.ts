// Property, end to end: a short run of a random scenario that `validate`
// accepts either completes (exit 0, its files written) or fails with one line
// on stderr and NO files. Six fast-check scenarios, few particles and steps.
import fc from 'fast-check';
import { mkdtempSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/model/scenario';
import { runCli } from '../support/cli';
import { hostileScenario } from '../unit/hostile-arbitrary';
import { sharedLab } from './support/page';

describe('accepted scenarios run or fail cleanly', () => {
  it('six random accepted scenarios: exit 0 with files, or one line and no files', { timeout: 900_000 }, async () => {
    const docs = fc.sample(hostileScenario.filter((d) => parseScenario(d).ok), { numRuns: 6, seed: 13 });
    expect(docs).toHaveLength(6);
    for (const doc of docs) {
      const dir = mkdtempSync(join(tmpdir(), 'sgd-lab-prop-'));
      const file = join(dir, 'scenario.json'), out = join(dir, 'out');
      writeFileSync(file, JSON.stringify(doc));
      // borrows the suite's dev server and browser (tests/support/cli.ts): six start-ups fewer
      const r = await runCli(['run', file, '--out', out, '--steps', '20', '--particles', '64'], { shared: sharedLab() });
      const files = existsSync(out) ? readdirSync(out) : [];
      if (r.code === 0) {
        expect(files, r.stderr).toContain('summary.json');
        expect(files).toContain('metrics.csv');
      } else {
        const lines = r.stderr.split('\n').filter((l) => l.startsWith('sgd-lab:'));
        expect(lines, `${JSON.stringify(doc)}\n${r.stderr}`).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(files, JSON.stringify(doc)).toEqual([]);
      }
    }
  });
});
