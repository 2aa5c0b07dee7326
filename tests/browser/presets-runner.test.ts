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
import { findSurface } from '../../src/model/surfaces';
import { kramersTime } from '../../src/sim/analysis/escape';
import { klSamplingFloor } from '../../src/sim/fokker-planck/kl-floor';

const lab = useLabPage({
  async open() {
    const l = await openLabPage('/headless.html');
    await l.page.waitForFunction(() => document.body.dataset.headless === 'ready');
    return l;
  },
});

const presets = listPresets();
/**
 * The presets run here: the network ones (the page's network test loads them with 16 networks, not
 * through the runner) and the 2-D ones whose runner path differs from the page's (anisotropic or
 * minibatch noise: the runner relaxes ρ_ss before its first step). Every 2-D preset also runs in the
 * page (ui-presets.test.ts) on the same Simulation; the runner's 2-D path has its own tests (cli*.test.ts,
 * page-vs-runner.test.ts). Kept to these to hold CI under its time limit.
 */
const runnerPresets = presets.filter((p) => {
  const doc = JSON.parse(readFileSync(join(PRESETS_DIR, `${p.name}.json`), 'utf8'));
  return isNetworkDocument(doc) || (doc.panels as { noise?: { kind?: string; diffusion?: unknown } }[]).some((q) => q.noise?.kind === 'minibatch' || q.noise?.diffusion !== undefined);
});

describe('presets in the runner', () => {
  it('there are presets for the claims', () => {
    expect(presets.length).toBeGreaterThanOrEqual(8);
  });

  it('the runner list has the network presets and the non-equilibrium ones', () => {
    expect(runnerPresets.map((p) => p.name)).toEqual(expect.arrayContaining(['ou-currents', 'minibatch-logistic', 'two-moons-temperatures']));
  });

  it.each(runnerPresets.map((p) => p.name))('%s runs to completion (60 steps, 2048 particles or 32 networks, PDE grid <= 32)', async (name) => {
    const doc = JSON.parse(readFileSync(join(PRESETS_DIR, `${name}.json`), 'utf8'));
    // a network particle is a whole MLP trained on its dataset: thousands of times a 2-D particle's work
    const count = isNetworkDocument(doc) ? 32 : 2048;
    // network presets without their sharpness estimates: at 32 networks x 5 panels they alone took 80 s on
    // SwiftShader (Hessian-vector products); tests/browser/network-sharpness.test.ts checks those
    const { sharpness: _sharpness, ...rest } = doc;
    const short = {
      ...rest, steps: 60, record: { every: 20 },
      particles: { ...doc.particles, count },
      ...(doc.fokkerPlanck ? { fokkerPlanck: { ...doc.fokkerPlanck, grid: Math.min(32, doc.fokkerPlanck.grid) } } : {}),
    };
    const result = (await lab.page.evaluate((s) => window.sgdHeadless!.run(s), short)) as { error?: { message: string }; steps: number; panels: { final: { diverged: number; alive: number } }[] };
    expect(result.error?.message).toBeUndefined();
    expect(result.steps).toBe(60);
    for (const p of result.panels) expect(p.final.alive + p.final.diverged).toBe(count);
  });

  // through the command line, borrowing the suite's server and browser (cli.test.ts's SIGINT test
  // starts its own, exactly as a person's run does)
  it('ou-currents, shortened (4096 particles, 400 steps, no grid): the runner\'s laws hold within sampling error', async () => {
    const doc = JSON.parse(readFileSync(join(PRESETS_DIR, 'ou-currents.json'), 'utf8'));
    const N = 4096;
    const short = { ...doc, steps: 400, record: { every: 100 }, particles: { ...doc.particles, count: N }, fokkerPlanck: undefined };
    const result = (await lab.page.evaluate((s) => window.sgdHeadless!.run(s), short)) as { error?: { message: string }; panels: { laws: { name: string; law: string; measured: number | null; predicted: number }[] }[] };
    expect(result.error?.message).toBeUndefined();
    // the slowest mode relaxes as (1 - lr h_min)^k = 0.95^k: after 400 steps 1e-9 of the start is left
    for (const [p, panel] of result.panels.entries()) {
      const discrete = panel.laws.filter((l) => l.law.startsWith('discrete-time'));
      expect(discrete.map((l) => l.name), `panel ${p}`).toEqual(['cov_xx', 'cov_xy', 'cov_yy']);
      const [sxx, sxy, syy] = discrete.map((l) => l.predicted);
      // Gaussian cloud of N: Var(sample s_ij) = (s_ii s_jj + s_ij^2) / N
      const sd = { cov_xx: Math.sqrt((2 * sxx * sxx) / N), cov_xy: Math.sqrt((sxx * syy + sxy * sxy) / N), cov_yy: Math.sqrt((2 * syy * syy) / N) };
      for (const l of discrete) expect(Math.abs(l.measured! - l.predicted), `panel ${p} ${l.name}`).toBeLessThan(4 * sd[l.name as keyof typeof sd]);
      // the angular momentum (one snapshot's expected-step estimator) is the mean of x^T K x over the cloud,
      // x × (-H x) with the preset's H = diag(a, b) = diag(1, 4): K = [[0, (a - b)/2], [(a - b)/2, 0]];
      // for x ~ N(0, S) its sampling sd is sqrt(2 tr((K S)^2) / N), tr((K S)^2) = k^2 (2 s_xy^2 + 2 s_xx s_yy)
      expect(doc.surface.params).toEqual({ a: 1, b: 4, angle: 0 });
      const k = (1 - 4) / 2;
      const angSd = Math.sqrt((2 * k * k * (2 * sxy * sxy + 2 * sxx * syy)) / N);
      const ang = panel.laws.find((l) => l.name === 'angular_momentum')!;
      expect(Math.abs(ang.measured! - ang.predicted), `panel ${p} angular momentum`).toBeLessThan(4 * angSd);
    }
    // the anisotropic panel's law is not trivially zero; the isotropic one's is
    const angs = result.panels.map((p) => p.laws.find((l) => l.name === 'angular_momentum')!.predicted);
    expect(Math.abs(angs[0])).toBeGreaterThan(0.05);
    expect(Math.abs(angs[1])).toBeLessThan(1e-12);
  });

  it('deep-linear-hyperbola, shortened (4096 particles, 1000 steps, no grid): the balance law holds where it is claimed', async () => {
    const doc = JSON.parse(readFileSync(join(PRESETS_DIR, 'deep-linear-hyperbola.json'), 'utf8'));
    const N = 4096;
    const short = { ...doc, steps: 1000, record: { every: 500 }, particles: { ...doc.particles, count: N }, fokkerPlanck: undefined, analysis: undefined };
    type Panel = { final: { mean: [number, number]; cov: [number, number, number] }; laws: { name: string; measured: number; predicted: number }[] };
    const result = (await lab.page.evaluate((s) => window.sgdHeadless!.run(s), short)) as { error?: { message: string }; panels: Panel[] };
    expect(result.error?.message).toBeUndefined();
    const claimed = result.panels.map((p) => p.laws.find((l) => l.name === 'balance'));
    // GD, B = 16 and B = 4 carry the law; B = 1 (the expansion fails there) does not
    expect(claimed.map(Boolean)).toEqual([true, true, true, false]);
    for (const [i, p] of result.panels.entries()) {
      const law = claimed[i];
      if (!law) continue;
      // standard error of the cloud's mean of q = x² − y², for a Gaussian cloud N(m, C):
      // Var q = 2 Cxx² + 4 mx² Cxx + 2 Cyy² + 4 my² Cyy − 2 (2 Cxy² + 4 mx my Cxy)
      const [mx, my] = p.final.mean, [cxx, cxy, cyy] = p.final.cov;
      const se = Math.sqrt((2 * cxx * cxx + 4 * mx * mx * cxx + 2 * cyy * cyy + 4 * my * my * cyy - 2 * (2 * cxy * cxy + 4 * mx * my * cxy)) / N);
      expect(Math.abs(law.measured - law.predicted), `panel ${i}: ${law.measured} vs ${law.predicted} ± ${se}`).toBeLessThan(4 * se);
    }
  });

  it('a preset through the command line: npm run lab -- run preset:NAME; its escape records and laws', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-preset-'));
    const N = 1024, STEPS = 200;
    const r = await runCli(['run', 'preset:double-well-temperatures', '--out', out, '--steps', String(STEPS), '--particles', String(N)], { shared: sharedLab() });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toContain('summary.json');
    // the preset watches escapes from the left well: escape-P.u32 per panel, summarised in summary.json
    type Summary = { panels: { temperature: number; final: { pde: { klHistogram: number; histogramCount: number } }; laws: { name: string; measured: number; predicted: number; se?: number }[];
      escape: { every: number; escaped: number; censored: number; meanSteps: number | null; kramers: { tau: number } }; files: { escape: { file: string }; density: { file: string } } }[] };
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    const surface = findSurface('double-well')!.create({ h: 1, tilt: 0 }, 0);
    for (const p of summary.panels) {
      const times = new Uint32Array(new Uint8Array(readFileSync(join(out, p.files.escape.file))).buffer);
      expect(times.length).toBe(N);
      const escaped = times.filter((t) => t > 0);
      expect(p.escape.every).toBe(1);
      expect(p.escape.escaped).toBe(escaped.length);
      expect(p.escape.escaped + p.escape.censored).toBe(N);
      expect(Math.max(0, ...escaped)).toBeLessThanOrEqual(STEPS);
      // the censored mean from the file, independently: (sum of escape steps + censored · steps) / escaped
      if (escaped.length) expect(p.escape.meanSteps!).toBeCloseTo((escaped.reduce((a, b) => a + b, 0) + (N - escaped.length) * STEPS) / escaped.length, 9);
      // Eyring–Kramers for the panel's temperature (lr s²/(2B)), in PDE time
      expect(p.escape.kramers.tau / kramersTime(surface, [-1, 0], [0, 0], p.temperature).tau - 1).toBeCloseTo(0, 12);
      const law = p.laws.find((l) => l.name === 'escape_mean_time');
      expect(!!law).toBe(escaped.length > 0);
      if (law) expect(law.predicted).toBe(p.escape.kramers.tau);
      // KL(particles ‖ PDE) against the sampling floor of the final density in density-P.f32
      const density = new Float32Array(new Uint8Array(readFileSync(join(out, p.files.density.file))).buffer);
      const kl = p.laws.find((l) => l.name === 'kl_particles_pde')!;
      expect(kl.measured).toBe(p.final.pde.klHistogram);
      expect(kl.predicted).toBeCloseTo(klSamplingFloor(density, p.final.pde.histogramCount), 12);
    }
    // the hottest panel (T = 0.4, Kramers 270 steps) has particles out by step 200
    expect(summary.panels[0].escape.escaped).toBeGreaterThan(0);
    const list = await runCli(['presets']);
    expect(list.stdout).toMatch(/^double-well-temperatures\s+Double well at three temperatures/m);
    expect(list.stdout).not.toMatch(/^index\b/m);
  });
});
