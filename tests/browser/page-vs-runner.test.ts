// The runner's numbers are the page's numbers: the same scenario stepped in the
// live lab page and run by `npm run lab -- run` gives bitwise-identical particles.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLabPage, openLabPage, sharedLab } from './support/page';
import { runCli } from '../support/cli';
import type { LabTestHook } from '../../src/ui/test-hook';

const scenario = JSON.parse(readFileSync('tests/fixtures/small.json', 'utf8'));
const STEPS = 120;

const lab = useLabPage({ open: () => openLabPage('/') });

describe('page vs runner', () => {
  it('the live page and the headless runner give bitwise-identical particle dumps', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-pvr-'));
    // the runner borrows the suite's dev server and browser: same Chromium and flags as a person's own run
    const cli = await runCli(['run', 'tests/fixtures/small.json', '--out', out, '--steps', String(STEPS)], { shared: sharedLab() });
    expect(cli.code, cli.stderr).toBe(0);

    await lab.page.waitForFunction(() => window.__sgdLab?.state === 'running', { timeout: 120_000 });
    const dumps = await lab.page.evaluate(async (doc, steps) => {
      const lab: LabTestHook | undefined = window.__sgdLab;
      if (!lab) throw new Error('the lab page has no window.__sgdLab');
      await lab.load({ ...doc, steps }, false);
      const { sim, loop } = lab.engine;
      if (!sim || !loop) throw new Error(`the lab did not build the scenario (state '${lab.state}')`);
      loop.step(steps);
      const t0 = performance.now();
      while (sim.stepsDone < steps && performance.now() - t0 < 120_000) await lab.waitFrames(1);
      await sim.device.queue.onSubmittedWorkDone();
      const toB64 = (a: Float32Array) => {
        const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
        let s = '';
        for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
        return btoa(s);
      };
      const result: string[] = [];
      for (const p of sim.panels) result.push(toB64(await sim.readPositions(p)));
      return { steps: sim.stepsDone, result };
    }, scenario, STEPS);
    expect(dumps.steps).toBe(STEPS);
    dumps.result.forEach((b64, p) => {
      const page = Buffer.from(b64, 'base64');
      const runner = readFileSync(join(out, `particles-${p}.f32`));
      expect(page.length).toBe(runner.length);
      expect(page.equals(runner), `panel ${p}`).toBe(true);
    });
  });
});
