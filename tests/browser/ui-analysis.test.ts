// The landscape tools on the live lab page: critical points found on the GPU
// and listed at their published places, their markers in the 3-D view and the
// maps, a minimum-energy path picked from the list (its barrier equal to the
// library's), the smoothed loss on Rastrigin (pixels change, the vanished
// minima agree with the closed form), and the tools' survival of a URL-hash
// round trip. One page, one small panel, no PDE: SwiftShader is slow.
// Screenshots go to /tmp/sgd-lab-analysis-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabPage } from './support/page';
import { labEval, openLab, waitRunning } from './harness/ui-lab';
import type { Rect } from './harness/ui-pixels';
import { parseScenario, requireScenario } from '../../src/model/scenario';
import { minimumEnergyPath } from '../../src/sim/analysis/neb';
import { scenarioFromHash, scenarioToHash, splitPreset } from '../../src/ui/scenario-state';

const LONG = 240_000;

/** A preset made test-sized: its first panel only (or `panel`), 1024 particles, no PDE, the given tools. */
function small(file: string, analysis: unknown, panel = 0): Record<string, unknown> {
  const doc = splitPreset(JSON.parse(readFileSync(`public/presets/${file}`, 'utf8'))).scenario as Record<string, any>;
  const { fokkerPlanck: _pde, ...rest } = doc;
  const out = { ...rest, particles: { ...doc.particles, count: 1024 }, panels: [doc.panels[panel]], analysis };
  if (!analysis) delete out.analysis;
  const r = parseScenario(out);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.scenario as unknown as Record<string, unknown>;
}

const HIMMELBLAU = small('himmelblau-minima.json', { critical: true });
// the hottest panel (B = 1): its one-step noise is what the preset smooths with
const RASTRIGIN = small('rastrigin-smoothing.json', null, 2);

// Himmelblau f = (x² + y − 11)² + (x + y² − 7)², written out here independently of the catalogue.
const grad = (x: number, y: number) => {
  const a = x * x + y - 11, b = x + y * y - 7;
  return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
};
const hessianDet = (x: number, y: number) => (12 * x * x + 4 * y - 42) * (4 * x + 12 * y * y - 26) - (4 * x + 4 * y) ** 2;
// D. M. Himmelblau, Applied Nonlinear Programming (McGraw-Hill, 1972): the four minima (f = 0) and
// the local maximum (f = 181.617), to 6 decimals
const PUBLISHED_MINIMA: [number, number][] = [[3, 2], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]];
const PUBLISHED_MAXIMUM: [number, number] = [-0.270845, -0.923039];

let lab: LabPage;
beforeAll(async () => {
  lab = await openLab({ width: 1000, height: 720, hash: scenarioToHash(HIMMELBLAU) });
  await waitRunning(lab.page, 1, LONG);
  await labEval(lab.page, 'window.__sgdLab.engine.loop.pause()');
}, LONG);
afterAll(async () => { await lab?.close(); });

async function shot(path: string): Promise<string> {
  await lab.call('ui-analysis', 'settle');
  await new Promise((r) => setTimeout(r, 200));
  const b64 = await lab.page.screenshot({ encoding: 'base64' }) as string;
  writeFileSync(path, Buffer.from(b64, 'base64'));
  return b64;
}

/** Sets the URL hash and waits for the new scenario to run (paused), `builds` past `before`. */
async function goToHash(hash: string, before: number): Promise<void> {
  await labEval(lab.page, `location.hash = ${JSON.stringify(hash)}`);
  await lab.page.waitForFunction((b: number) => {
    const l = window.__sgdLab;
    return !!l && l.builds > b && l.state === 'running';
  }, { timeout: LONG, polling: 100 }, before);
  await labEval(lab.page, 'window.__sgdLab.engine.loop.pause()');
}

const box = (p: { x: number; y: number }, r = 5): Rect => ({ x: Math.round(p.x - r), y: Math.round(p.y - r), w: 2 * r, h: 2 * r });

let pathBarrier = NaN;

describe('landscape tools in the live page', () => {
  it('lists Himmelblau\'s 4 minima, 4 saddles and 1 maximum at their published places, marked in both views', async () => {
    const ms = await lab.call<number>('ui-analysis', 'waitTools', ['critical']);
    console.log(`[analysis] critical points on the page in ${(ms / 1000).toFixed(1)} s`);
    const list = await lab.call<{ kind: string; x: number; y: number; loss: number }[]>('ui-analysis', 'criticalList');
    const of = (k: string) => list.filter((p) => p.kind === k);
    expect(of('minimum').length).toBe(4);
    expect(of('saddle').length).toBe(4);
    expect(of('maximum').length).toBe(1);
    // published to 6 decimals: within 1e-6 (the page polishes in float64 to ~1e-12)
    for (const [x, y] of PUBLISHED_MINIMA) {
      const m = of('minimum').find((p) => Math.hypot(p.x - x, p.y - y) < 1e-6);
      expect(m, `minimum (${x}, ${y})`).toBeTruthy();
      expect(Math.abs(m!.loss)).toBeLessThan(1e-9);
    }
    const max = of('maximum')[0];
    expect(Math.hypot(max.x - PUBLISHED_MAXIMUM[0], max.y - PUBLISHED_MAXIMUM[1])).toBeLessThan(1e-6);
    expect(max.loss).toBeCloseTo(181.617, 3);
    // no saddle locations are published: each must be a zero of the gradient (|grad f| <= 1e-6; with
    // Hessian eigenvalues of 10 to 100 there, that places it within 1e-7) with one negative eigenvalue
    for (const s of of('saddle')) {
      expect(Math.hypot(...grad(s.x, s.y)), `saddle (${s.x}, ${s.y})`).toBeLessThan(1e-6);
      expect(hessianDet(s.x, s.y)).toBeLessThan(0);
    }

    // markers: the same paused frame with and without them differs at each marker, in every view
    const withMarkers = await shot('/tmp/sgd-lab-analysis-critical.png');
    await lab.call('ui-analysis', 'clickInPanel', 'input[name=show-critical]');
    // unticked: no tool is left, so the scenario drops its analysis field
    await lab.page.waitForFunction(() => !window.__sgdLab?.scenario?.analysis?.critical, { timeout: 30_000 });
    const without = await shot('/tmp/sgd-lab-analysis-no-markers.png');
    const points = [max, of('minimum')[0], of('saddle')[0]];
    for (const p of points) {
      const at = await lab.call<{ view3d: { x: number; y: number }[]; maps: { x: number; y: number }[] }>('ui-analysis', 'screenPositions', p.x, p.y);
      expect(at.view3d.length).toBe(1);
      expect(at.maps.length).toBe(1);
      const diff = await lab.call<number[]>('ui-pixels', 'diffCounts', withMarkers, without, [...at.view3d, ...at.maps].map((q) => box(q)));
      console.log(`[analysis] ${p.kind} (${p.x.toFixed(3)}, ${p.y.toFixed(3)}): pixels changed by its marker (3-D, map) of 100:`, diff);
      // the paused frame is otherwise the same pixel for pixel; a marker is >= 3 px across even in this
      // small view, so at least 9 of the 100 pixels around its centre change
      for (const d of diff) expect(d).toBeGreaterThanOrEqual(9);
    }
    await lab.call('ui-analysis', 'clickInPanel', 'input[name=show-critical]');
    await lab.page.waitForFunction(() => window.__sgdLab?.scenario?.analysis?.critical === true, { timeout: 30_000 });
    expect(lab.errors).toEqual([]);
  }, LONG);

  it('a path between two minima picked from the list (or clicked on the map) has the library\'s barrier and climbs to the saddle between them', async () => {
    await lab.call('ui-analysis', 'clickEndpoint', 3, 2, 'A');
    await lab.page.waitForFunction(() => !!window.__sgdLab?.app.shadowRoot?.querySelector('analysis-panel')?.doc?.analysis?.path, { timeout: 10_000 });
    const to = await lab.call<[number, number]>('ui-analysis', 'clickEndpoint', -2.805118, 3.131312, 'B');
    await lab.page.waitForFunction((x: number) => {
      const l = window.__sgdLab!;
      const p = l.app.shadowRoot!.querySelector('analysis-panel')!.path;
      return Math.abs((l.scenario?.analysis?.path?.to[0] ?? 0) - x) < 1e-4 && p.status !== 'idle' && Math.abs((p.result?.to.given[0] ?? 0) - x) < 1e-4;
    }, { timeout: 60_000, polling: 100 }, to[0]);
    const report = (await lab.call<{ barrier: number; straightBarrier: number; saddle: [number, number, number]; text: string }>('ui-analysis', 'pathReport'))!;
    const scenario = await labEval<{ analysis: { path: { from: [number, number]; to: [number, number] } } }>(lab.page, 'window.__sgdLab.scenario');
    console.log('[analysis] path report:', report.text.replace(/\s+/g, ' '));
    // the library on the same endpoints, in Node: the same float64 code on a polynomial, so the
    // same numbers; 1e-9 relative leaves room for another engine's rounding of the same operations
    const { surface } = requireScenario(HIMMELBLAU);
    const lib = minimumEnergyPath(surface, scenario.analysis.path.from, scenario.analysis.path.to);
    expect(Math.abs(report.barrier - lib.barrier)).toBeLessThanOrEqual(1e-9 * lib.barrier);
    expect(Math.abs(report.straightBarrier - lib.straightBarrier)).toBeLessThanOrEqual(1e-9 * lib.straightBarrier);
    // the saddle between (3, 2) and (-2.805, 3.131): a gradient zero of index 1, the one the list shows near (0.087, 2.884)
    const [sx, sy, sf] = report.saddle;
    expect(Math.hypot(sx - lib.saddle!.at[0], sy - lib.saddle!.at[1])).toBeLessThan(1e-9);
    expect(Math.hypot(...grad(sx, sy))).toBeLessThan(1e-6);
    expect(hessianDet(sx, sy)).toBeLessThan(0);
    const listed = (await lab.call<{ kind: string; x: number; y: number }[]>('ui-analysis', 'criticalList')).filter((p) => p.kind === 'saddle');
    expect(Math.min(...listed.map((p) => Math.hypot(p.x - sx, p.y - sy)))).toBeLessThan(1e-6);
    expect(Math.hypot(sx - 0.0867, sy - 2.8843)).toBeLessThan(1e-3);
    // barrier = saddle loss - higher endpoint (both minima at 0)
    expect(report.barrier).toBeCloseTo(sf, 9);
    expect(report.straightBarrier).toBeGreaterThan(report.barrier);
    await shot('/tmp/sgd-lab-analysis-path.png');

    // picked on the surface instead: two clicks on the map near minima snap to them
    const minima = (await lab.call<{ kind: string; x: number; y: number }[]>('ui-analysis', 'criticalList')).filter((p) => p.kind === 'minimum');
    const near = (x: number, y: number) => minima.reduce((a, b) => (Math.hypot(b.x - x, b.y - y) < Math.hypot(a.x - x, a.y - y) ? b : a));
    const [m1, m2] = [near(3.584428, -1.848126), near(3, 2)];
    await lab.call('ui-analysis', 'clickInPanel', 'button[name=pick-path]');
    for (const m of [m1, m2]) {
      // 0.05 off the minimum in x (half a map pixel is ~0.03 here): the click snaps
      const at = await lab.call<{ maps: { x: number; y: number }[] }>('ui-analysis', 'screenPositions', m.x + 0.05, m.y);
      await lab.page.mouse.click(at.maps[0].x, at.maps[0].y);
      await new Promise((r) => setTimeout(r, 100));
    }
    await lab.page.waitForFunction((x: number) => {
      const l = window.__sgdLab!;
      const p = l.app.shadowRoot!.querySelector('analysis-panel')!.path;
      return Math.abs((l.scenario?.analysis?.path?.from[0] ?? 0) - x) < 1e-4 && Math.abs((p.result?.from.given[0] ?? 0) - x) < 1e-4;
    }, { timeout: 60_000, polling: 100 }, m1.x);
    const picked = (await lab.call<{ barrier: number; saddle: [number, number, number] }>('ui-analysis', 'pathReport'))!;
    const spec = await labEval<{ from: number[]; to: number[] }>(lab.page, 'window.__sgdLab.scenario.analysis.path');
    // snapped to the listed minima (6 significant digits in the scenario)
    expect(Math.hypot(spec.from[0] - m1.x, spec.from[1] - m1.y)).toBeLessThan(1e-5);
    expect(Math.hypot(spec.to[0] - m2.x, spec.to[1] - m2.y)).toBeLessThan(1e-5);
    // between (3.584, -1.848) and (3, 2): the saddle near (3.385, 0.074) listed above, a gradient zero of index 1
    expect(Math.min(...listed.map((p) => Math.hypot(p.x - picked.saddle[0], p.y - picked.saddle[1])))).toBeLessThan(1e-6);
    expect(Math.hypot(picked.saddle[0] - 3.3852, picked.saddle[1] - 0.0739)).toBeLessThan(1e-3);
    expect(hessianDet(picked.saddle[0], picked.saddle[1])).toBeLessThan(0);
    pathBarrier = picked.barrier;
    expect(lab.errors).toEqual([]);
  }, LONG);

  let himmelblauHash = '';
  it('the smoothed-loss toggle on Rastrigin redraws the surface and lists the minima that vanish', async () => {
    himmelblauHash = await labEval<string>(lab.page, 'location.hash');
    await goToHash(scenarioToHash(RASTRIGIN), await labEval<number>(lab.page, 'window.__sgdLab.builds'));
    const raw = await shot('/tmp/sgd-lab-analysis-rastrigin.png');
    const rawAgain = await shot('/tmp/sgd-lab-analysis-rastrigin-again.png');
    await lab.call('ui-analysis', 'clickInPanel', 'input[name=show-smoothing]');
    await lab.page.waitForFunction(() => window.__sgdLab?.scenario?.analysis?.smoothing?.panel === 0, { timeout: 30_000 });
    await lab.call('ui-analysis', 'waitTools', ['smooth']);
    console.log('[analysis] tool times (s):', JSON.stringify((await lab.call<{ seconds: unknown }>('ui-analysis', 'toolStatus')).seconds));
    const smoothed = await shot('/tmp/sgd-lab-analysis-smoothed.png');
    const rects = await lab.call<{ view3d: Rect[]; maps: Rect[] }>('ui-analysis', 'viewRects');
    const all = [...rects.view3d, ...rects.maps];
    const diff = await lab.call<number[]>('ui-pixels', 'diffCounts', raw, smoothed, all);
    console.log('[analysis] fraction of pixels changed by smoothing (3-D, map):', diff.map((d, i) => (d / (all[i].w * all[i].h)).toFixed(3)));
    // at the raw loss's maxima (k + 1/2, j + 1/2), away from every minimum's marker, the smoothed loss is
    // 2 (A (1 − e^{−2π²σ²}) − σ²) = 4.8 lower (A = 3, σ = 0.3): 0.12 of the 0-to-38.6 colour scale, >= 30 in
    // summed RGB on viridis; the paused frame is otherwise the same, so most of a 6 x 6 box changes by > 20
    // (control: two shots of the unsmoothed frame differ in none of these boxes)
    const boxes: Rect[] = [];
    for (let k = -2; k <= 1; k++) {
      for (let j = -2; j <= 1; j++) {
        const at = await lab.call<{ view3d: { x: number; y: number }[]; maps: { x: number; y: number }[] }>('ui-analysis', 'screenPositions', k + 0.5, j + 0.5);
        boxes.push(...[...at.view3d, ...at.maps].map((q) => box(q, 3)));
      }
    }
    const changed = await lab.call<number[]>('ui-pixels', 'diffCounts', raw, smoothed, boxes, 20);
    console.log('[analysis] pixels of 36 changed at the raw maxima (3-D, map pairs):', changed.join(' '));
    // in the 3-D views a 6 x 6 box at a far maximum spans more of the surface (perspective), where the
    // change is smaller: 16-17 of 36 pixels were seen there; so each box at least a quarter, and on average most
    for (const n of changed) expect(n).toBeGreaterThanOrEqual(9);
    expect(changed.reduce((a, n) => a + n, 0) / changed.length).toBeGreaterThanOrEqual(18);
    const control = await lab.call<number[]>('ui-pixels', 'diffCounts', raw, rawAgain, boxes, 20);
    expect(Math.max(...control)).toBe(0);

    // closed form: per axis, t² − A cos 2πt smoothed by N(0, σ²) is t² + σ² − A e^{−2π²σ²} cos 2πt; a minimum
    // near the integer k remains where its derivative still changes sign from − to + within k ± 1/2
    const r = requireScenario(RASTRIGIN).scenario;
    const p = r.panels[0] as { optimizer: { lr: number }; noise: { batchSize: number; gradientStd: number } };
    const A = (r.surface as unknown as { params: { A: number } }).params.A;
    const sigma2 = (p.optimizer.lr * p.noise.gradientStd) ** 2 / p.noise.batchSize;
    const a = A * Math.exp(-2 * Math.PI ** 2 * sigma2);
    const minimaPerAxis = (amp: number) => {
      let n = 0;
      for (let k = -5; k <= 5; k++) {
        const d = (t: number) => 2 * t + 2 * Math.PI * amp * Math.sin(2 * Math.PI * t);
        let found = false;
        // samples off the integers and half-integers, where the derivative is exactly 0 by symmetry
        for (let i = 0; i < 400 && !found; i++) {
          const t0 = k - 0.5 + (i + 0.3) / 400, t1 = t0 + 1 / 400;
          if (d(t0) < 0 && d(t1) > 0) found = true;
        }
        if (found) n++;
      }
      return n;
    };
    const rawPerAxis = minimaPerAxis(A), keptPerAxis = minimaPerAxis(a);
    const report = (await lab.call<{ minima: number; vanished: number; listed: { x: number; y: number }[] }>('ui-analysis', 'smoothingReport'))!;
    console.log(`[analysis] smoothing σ = ${Math.sqrt(sigma2)}: ${report.minima} raw minima, ${report.vanished} vanish (closed form: ${rawPerAxis ** 2}, ${rawPerAxis ** 2 - keptPerAxis ** 2})`);
    expect(report.minima).toBe(rawPerAxis ** 2);
    expect(report.vanished).toBe(rawPerAxis ** 2 - keptPerAxis ** 2);
    expect(report.vanished).toBeGreaterThan(0);
    expect(report.listed.length).toBe(report.vanished);
    const keptHalfWidth = (keptPerAxis - 1) / 2;
    for (const m of report.listed) expect(Math.max(Math.abs(m.x), Math.abs(m.y))).toBeGreaterThan(keptHalfWidth + 0.5);
    expect(lab.errors).toEqual([]);
  }, LONG);

  it('the tools come back from the URL hash', async () => {
    const parsed = scenarioFromHash(himmelblauHash);
    expect(parsed.kind).toBe('ok');
    const analysis = (parsed as unknown as { doc: { analysis: { critical: boolean; path: unknown } } }).doc.analysis;
    expect(analysis.critical).toBe(true);
    expect(analysis.path).toBeTruthy();
    await goToHash(himmelblauHash, await labEval<number>(lab.page, 'window.__sgdLab.builds'));
    await lab.call('ui-analysis', 'waitTools', ['critical', 'path']);
    const list = await lab.call<{ kind: string }[]>('ui-analysis', 'criticalList');
    expect(list.length).toBe(9);
    const report = (await lab.call<{ barrier: number }>('ui-analysis', 'pathReport'))!;
    expect(report.barrier).toBe(pathBarrier);
    expect(await labEval(lab.page, 'window.__sgdLab.scenario.analysis')).toEqual(analysis);
    expect(lab.errors).toEqual([]);
  }, LONG);
});
