// Every 2-D preset in public/presets/ loads in the live page and runs FRAMES frames
// with no errors and no diverged particles. The 3-D views are switched off and
// metrics are reduced only at the start and the end: SwiftShader is slow at both.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabPage } from './support/page';
import { labEval, openLab, waitRunning } from './harness/ui-lab';
import { parseScenario } from '../../src/model/scenario';
import { isNetworkDocument, parseLabScenario } from '../../src/model/lab-scenario';
import { scenarioToHash, splitPreset } from '../../src/ui/scenario-state';
import { resolveSurface } from '../../src/model/resolve-surface';
import { panelLaws } from '../../src/sim/metrics/panel-laws';
import { klSamplingFloor } from '../../src/sim/fokker-planck/kl-floor';
import { formatNumber } from '../../src/model/format';
import type { PanelRecord } from '../../src/scheduler/simulation';

const DIR = 'public/presets/';
/** frames (one step each) per preset: enough to build every stage, draw and reduce metrics; the long runs are the runner's (presets-runner.test.ts) */
const FRAMES = 12;
const allPresets = JSON.parse(readFileSync(DIR + 'index.json', 'utf8')) as { file: string; title: string }[];
// network presets run in the network view: tests/browser/ui-network.test.ts loads each of them
const index = allPresets.filter((p) => !isNetworkDocument(JSON.parse(readFileSync(DIR + p.file, 'utf8'))));

function presetJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(DIR + file, 'utf8'));
}

// One page runs every preset (a second page would only compete for the 2
// cores); it opens on the first preset, so that build is not wasted.
let lab: LabPage;
beforeAll(async () => {
  const first = parseScenario(splitPreset(presetJson(index[0].file)).scenario);
  // 920 px: the desktop layout (below 900 px the panels stack, a canvas several times taller)
  lab = await openLab({ width: 920, height: 540, hash: scenarioToHash(first.ok ? first.scenario : {}) });
  await waitRunning(lab.page, 1, 200_000);
  await labEval(lab.page, `(() => {
    const e = window.__sgdLab.engine;
    e.setViewMode('map');
    e.setFixedSteps(1);
  })()`);
}, 240_000);
afterAll(async () => { await lab?.close(); });

/**
 * The Laws tab on the Ornstein–Uhlenbeck preset: one row per law of each panel's latest record,
 * the same pairs as src/sim/metrics/panel-laws.ts gives for that record (the laws themselves are
 * checked against simulations in tests/unit/panel-laws.test.ts and the runner's presets test).
 */
async function checkLawsTab(json: Record<string, unknown>): Promise<void> {
  const table = await labEval<{ rows: string[][]; records: PanelRecord[]; densities: (number[] | null)[] }>(lab.page, `(async () => {
    const lab = window.__sgdLab;
    lab.app.shadowRoot.querySelector('button[name="tab-laws"]').click();
    await lab.app.updateComplete;
    const el = lab.app.shadowRoot.querySelector('lab-laws');
    // the table reads the densities for the KL sampling floor once it shows
    for (let k = 0; k < 150 && !el.densities.some(Boolean); k++) await new Promise((r) => setTimeout(r, 100));
    el.records = lab.records;
    await el.updateComplete;
    const rows = [...el.shadowRoot.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()));
    const out = { rows, records: el.records, densities: el.densities.map((d) => d && Array.from(d)) };
    lab.app.shadowRoot.querySelector('button[name="tab-charts"]').click();
    return out;
  })()`);
  const parsed = parseScenario(splitPreset(json).scenario);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const surface = resolveSurface(parsed.scenario.surface, parsed.scenario.domain, parsed.scenario.seed);
  if (!surface.ok) throw new Error(surface.problems.join('; '));
  // KL(particles ‖ PDE) against its sampling floor, from the densities the table read
  const floors = table.records.map((rec, i) => {
    const d = table.densities[i];
    return rec.pde && d ? { measured: rec.pde.klHistogram, floor: klSamplingFloor(d, rec.pde.histogramCount) } : null;
  });
  expect(floors.every((f) => f !== null && f.floor > 0)).toBe(true);
  const expected = table.records.flatMap((rec, i) => panelLaws(surface.surface, parsed.scenario.panels[i], rec, { gibbsBasins: rec.gibbsBasins, klSsGibbs: rec.pde ? rec.pde.klSsGibbs : undefined, klParticlesPde: floors[i], init: parsed.scenario.particles.init, pdeBasins: rec.pde?.gibbsIsStationary ? rec.pde.basinMasses : null })
    .map((l) => [l.name, formatNumber(l.predicted, 4)]));
  expect(expected.filter(([name]) => name === 'kl_particles_pde')).toHaveLength(2);
  // both panels: covariance by the discrete- and continuous-time laws, mean loss, angular momentum
  expect(expected.filter(([name]) => name === 'angular_momentum')).toHaveLength(2);
  expect(table.rows.map((r) => [r[1], r[4]])).toEqual(expected);
  // measured cells show the record's values
  const ang = table.rows.find((r) => r[1] === 'angular_momentum')!;
  expect(ang[3]).toBe(formatNumber(table.records[0].angularMomentum!, 4));
}

describe('presets', () => {
  it('index.json lists every preset file, each a valid scenario with a title and description', () => {
    expect(index.length).toBeGreaterThanOrEqual(8);
    expect(allPresets.map((p) => p.file).sort()).toEqual(readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'index.json').sort());
    for (const p of allPresets) {
      const preset = splitPreset(JSON.parse(readFileSync(DIR + p.file, 'utf8')));
      expect(preset.title, p.file).toBe(p.title);
      expect(preset.description, p.file).toBeTruthy();
      const r = parseLabScenario(preset.scenario);
      expect(r.ok ? [] : r.problems, p.file).toEqual([]);
      if (r.ok) expect(r.scenario.particles.count, p.file).toBeLessThanOrEqual(65536);
    }
  });

  it('the default scenario is the first preset', async () => {
    const { DEFAULT_SCENARIO } = await import('../../src/ui/scenario-state');
    const first = splitPreset(JSON.parse(readFileSync(DIR + index[0].file, 'utf8'))).scenario;
    expect(first).toEqual(DEFAULT_SCENARIO);
  });

  for (const p of index) {
    it(`${p.file} runs ${FRAMES} frames without errors or diverged particles`, { timeout: 300_000 }, async () => {
      const json = presetJson(p.file);
      const t0 = Date.now();
      const state = await labEval<string>(lab.page, `(async () => {
        const lab = window.__sgdLab;
        const s = await lab.load(${JSON.stringify(json)});
        lab.engine.loop.metricsMinIntervalMs = 1e9;
        return s;
      })()`);
      expect(state).toBe('running');
      const built = Date.now() - t0;
      const result = await labEval<{ steps: number; frames: number; records: { alive: number; diverged: number }[]; count: number; title: string | undefined }>(lab.page, `(async () => {
        const lab = window.__sgdLab;
        await lab.waitFrames(${FRAMES});
        const before = lab.metricsSamples;
        lab.engine.loop.requestMetrics();
        await lab.waitFrames(1);
        const t = performance.now();
        while (lab.metricsSamples === before && performance.now() - t < 60000) await new Promise((r) => setTimeout(r, 50));
        return { steps: lab.stats.stepsDone, frames: lab.stats.frames, records: lab.records, count: lab.scenario.particles.count, title: lab.scenario.title };
      })()`);
      console.log(`[presets] ${p.file}: built in ${built} ms, ${result.frames} frames / ${result.steps} steps in ${Date.now() - t0 - built} ms`);
      // the page keeps the preset's title with the scenario (header, link, recordings)
      expect(result.title).toBe(p.title);
      expect(result.frames).toBeGreaterThanOrEqual(FRAMES);
      expect(result.steps).toBeGreaterThanOrEqual(FRAMES);
      expect(result.records.length).toBe((json.panels as unknown[]).length);
      for (const r of result.records) {
        expect(r.diverged).toBe(0);
        expect(r.alive).toBe(result.count);
      }
      expect(await labEval(lab.page, 'window.__sgdLab.message')).toBe(null);
      expect(lab.errors).toEqual([]);
      if (p.file === 'ou-currents.json') await checkLawsTab(json);
    });
  }
});
