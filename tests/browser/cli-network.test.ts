// `npm run lab -- run` on a network scenario (issue 14), end to end through the
// CLI process: the files it writes, and the contract that anyone can recompute
// the losses from the dumps. The recomputation below is its own plain
// TypeScript forward pass (float64), reading only weights-P.f32, dataset.csv
// and the layout in summary.json, not the lab's model code. The sharpness
// columns (issue 15) are recomputed from the same files with the float64
// references (R-operator Hessian-vector products, the exact Hessian solved by
// Jacobi), for two networks per panel.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { networkLayout } from '../../src/model/network/spec';
import { symmetricEigenvalues } from '../../src/model/network/symmetric-eigen';
import type { LossProblem } from '../../src/model/network/hvp';
import { exactHessian, sharpnessReference } from '../../src/sim/network/sharpness-reference';
import { hutchinsonBound, powerPathBound } from '../../src/sim/network/sharpness-bounds';
import { sharedLab } from './support/page';

const FIXTURE = 'tests/fixtures/network-small.json';
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));

interface Block { layer: number; name: 'W' | 'b'; shape: number[]; offset: number }
interface Sample { x: number; y: number; label: number; split: string }

function readDataset(file: string): Sample[] {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  expect(head).toBe('x,y,label,split');
  return rows.map((r) => {
    const [x, y, label, split] = r.split(',');
    return { x: Number(x), y: Number(y), label: Number(label), split };
  });
}

/** The logit of one network (D float32 parameters laid out by `blocks`) at input (x, y); tanh hidden layers. */
function logit(w: Float32Array, blocks: Block[], x: number, y: number): number {
  let h = [x, y];
  const layers = Math.max(...blocks.map((b) => b.layer)) + 1;
  for (let l = 0; l < layers; l++) {
    const W = blocks.find((b) => b.layer === l && b.name === 'W')!;
    const b = blocks.find((b) => b.layer === l && b.name === 'b')!;
    const [fanOut, fanIn] = W.shape;
    expect(fanIn).toBe(h.length);
    const z = Array.from({ length: fanOut }, (_, o) => {
      let s = w[b.offset + o];
      for (let i = 0; i < fanIn; i++) s += w[W.offset + o * fanIn + i] * h[i];
      return s;
    });
    h = l + 1 < layers ? z.map(Math.tanh) : z;
  }
  return h[0];
}

/** Mean binary cross-entropy with logits (nats), accuracy (predict 1 iff logit > 0), and how many logits sit within `near` of 0. */
function evaluate(w: Float32Array, blocks: Block[], samples: Sample[], near: number) {
  let loss = 0, right = 0, close = 0;
  for (const s of samples) {
    const z = logit(w, blocks, s.x, s.y);
    loss += Math.max(z, 0) - s.label * z + Math.log1p(Math.exp(-Math.abs(z)));
    if ((z > 0 ? 1 : 0) === s.label) right++;
    if (Math.abs(z) < near) close++;
  }
  return { loss: loss / samples.length, accuracy: right / samples.length, close };
}

describe('npm run lab -- run with a network scenario', () => {
  it('writes weights, statuses, per-network metrics, the dataset and the layout, and the losses recompute from the dumps', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-network-'));
    // the fixture, asking for the sharpness at the last step (the scenario's defaults: P = 20, M = 16)
    const file = join(mkdtempSync(join(tmpdir(), 'sgd-lab-network-in-')), 'network-small-sharpness.json');
    writeFileSync(file, JSON.stringify({ ...fixture, sharpness: {} }));
    const r = await runCli(['run', file, '--out', out], { shared: sharedLab() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote 2 panel\(s\) of 16 networks/);
    expect(readdirSync(out).sort()).toEqual([
      'dataset.csv', 'metrics.csv', 'particle-metrics-0.csv', 'particle-metrics-1.csv',
      'status-0.u32', 'status-1.u32', 'summary.json', 'weights-0.f32', 'weights-1.f32',
    ]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.steps).toBe(60);
    expect(summary.scenario.sharpness).toEqual({ every: 0, iterations: 20, probes: 16 });

    // the dataset: 256 samples, a quarter held out, as the summary says
    const data = readDataset(join(out, 'dataset.csv'));
    const train = data.filter((s) => s.split === 'train'), test = data.filter((s) => s.split === 'test');
    expect(data).toHaveLength(256);
    expect(test).toHaveLength(64);
    expect(summary.dataset).toMatchObject({ file: 'dataset.csv', samples: 256, train: 192, test: 64 });
    for (const s of data) expect([0, 1]).toContain(s.label);
    // train first, as the GPU holds them
    expect(data.findIndex((s) => s.split === 'test')).toBe(192);

    // each panel's own architecture: panel 0 the scenario's [6, 4], panel 1 its override [12]
    const expected = [[2, 6, 4, 1], [2, 12, 1]];
    const params = [6 * 2 + 6 + 4 * 6 + 4 + 4 + 1, 12 * 2 + 12 + 12 + 1];
    for (const p of [0, 1]) {
      const panel = summary.panels[p];
      const layout = panel.layout;
      expect(layout.sizes, `panel ${p}`).toEqual(expected[p]);
      expect(layout.params).toBe(params[p]);
      expect(panel.files.weights).toMatchObject({ file: `weights-${p}.f32`, shape: [16, params[p]], dtype: 'float32', byteOrder: 'little-endian' });
      const weights = new Float32Array(new Uint8Array(readFileSync(join(out, `weights-${p}.f32`))).buffer);
      expect(weights).toHaveLength(16 * params[p]);
      const status = new Uint32Array(new Uint8Array(readFileSync(join(out, `status-${p}.u32`))).buffer);
      expect([...status]).toEqual(new Array(16).fill(0));

      const [head, ...rows] = readFileSync(join(out, `particle-metrics-${p}.csv`), 'utf8').trim().split('\n');
      expect(head).toBe('particle,train_loss,test_loss,train_accuracy,test_accuracy,sharpness,hessian_trace,hessian_trace_se');
      expect(rows).toHaveLength(16);
      const D = layout.params as number;
      const net = (i: number) => weights.subarray(i * D, (i + 1) * D);
      const mismatches: number[] = [];
      for (const [i, row] of rows.entries()) {
        const [particle, trainLoss, testLoss, trainAcc, testAcc] = row.split(',').map(Number);
        expect(particle).toBe(i);
        const a = evaluate(net(i), layout.blocks, train, 1e-4), b = evaluate(net(i), layout.blocks, test, 1e-4);
        // Tolerance from float32 rounding: each logit carries a relative error of about (fan-in + 2)·2⁻²⁴
        // per layer (tanh' ≤ 1 does not amplify it), and the GPU's float32 sum of n ≤ 192 per-sample losses
        // at most n·2⁻²⁴ ≈ 1.1e-5 relative; 1e-4 relative (plus 1e-6 absolute) is that bound with a margin.
        expect(Math.abs(trainLoss - a.loss), `panel ${p} particle ${i} train loss`).toBeLessThanOrEqual(1e-4 * a.loss + 1e-6);
        expect(Math.abs(testLoss - b.loss), `panel ${p} particle ${i} test loss`).toBeLessThanOrEqual(1e-4 * b.loss + 1e-6);
        // accuracies are float32 fractions: back to counts of right answers, which can differ only where
        // float32 and float64 disagree on the sign of a logit within 1e-4 of 0
        expect(Math.abs(Math.round(trainAcc * train.length) - a.accuracy * train.length)).toBeLessThanOrEqual(a.close);
        expect(Math.abs(Math.round(testAcc * test.length) - b.accuracy * test.length)).toBeLessThanOrEqual(b.close);
        // the check tells networks apart: the next network's weights do not give this row's loss
        const other = evaluate(net((i + 1) % 16), layout.blocks, train, 0);
        if (Math.abs(trainLoss - other.loss) <= 1e-4 * other.loss + 1e-6) mismatches.push(i);
      }
      expect(mismatches, `panel ${p}: rows that another network's weights also match`).toEqual([]);

      // sharpness, hessian_trace, hessian_trace_se: of the full training loss (mean BCE + weight decay) at the
      // last step, recomputed from weights-P.f32 and dataset.csv for networks 0 and 9
      const hidden = layout.sizes.slice(1, -1) as number[];
      expect(networkLayout(hidden).blocks).toEqual(layout.blocks);
      const problem: LossProblem = {
        layout: networkLayout(hidden), activation: 'tanh', n: train.length, weightDecay: fixture.surface.network.weightDecay,
        inputs: Float64Array.from(train.flatMap((s) => [s.x, s.y])), labels: Float64Array.from(train, (s) => s.label),
      };
      const { iterations, probes } = summary.scenario.sharpness;
      for (const i of [0, 9]) {
        const [sharpness, trace, traceSE] = rows[i].split(',').slice(5).map(Number);
        const w = net(i);
        const eig = symmetricEigenvalues(exactHessian(problem, w, 0), D);
        const lambda1 = eig[D - 1];
        // the float64 power iteration with the runner's probes and schedule; the float32 run may end
        // within powerPathBound of it (rounding per product, carried along the iteration: sharpness-bounds.ts)
        const ref = sharpnessReference(problem, w, 0, summary.scenario.seed, p, i, { iterations, probes: 0 });
        const tol = powerPathBound(problem, w, 0, ref, iterations);
        expect(Math.abs(sharpness - ref.lambdaMax), `panel ${p} network ${i}: sharpness`).toBeLessThanOrEqual(tol);
        // a Rayleigh quotient: at most the exact top eigenvalue (and here within 1% of it: P = 20 steps converge)
        expect(sharpness, `panel ${p} network ${i}`).toBeLessThanOrEqual(lambda1 + tol);
        expect(sharpness, `panel ${p} network ${i}`).toBeGreaterThanOrEqual(0.99 * lambda1);
        const h = hutchinsonBound(problem, w, 0, summary.scenario.seed, p, i, probes);
        expect(Math.abs(trace - h.trace), `panel ${p} network ${i}: hessian_trace`).toBeLessThanOrEqual(h.traceTol);
        expect(Math.abs(traceSE - h.traceSE), `panel ${p} network ${i}: hessian_trace_se`).toBeLessThanOrEqual(h.seTol);
        // the exact trace, within 4.5 standard errors (Student-t with 15 degrees of freedom: probability 4e-4 beyond)
        const exactTrace = eig.reduce((a, x) => a + x, 0);
        expect(Math.abs(trace - exactTrace), `panel ${p} network ${i}: exact trace ${exactTrace}`).toBeLessThanOrEqual(4.5 * traceSE);
        console.log(`panel ${p} network ${i}: sharpness ${sharpness} (exact ${lambda1.toPrecision(7)}, float64 power iteration ${ref.lambdaMax.toPrecision(7)}, tolerance ${tol.toExponential(1)}), trace ${trace} ± ${traceSE} (exact ${exactTrace.toPrecision(5)})`);
      }
      // the final record's quantiles are over the same per-network values
      expect(panel.final.sharpness.q50).toBeGreaterThan(0);
      const lambdas = rows.map((row) => Number(row.split(',')[5])).sort((a, b) => a - b);
      expect(panel.final.sharpness.q10).toBeGreaterThanOrEqual(lambdas[0]);
      expect(panel.final.sharpness.q90).toBeLessThanOrEqual(lambdas[15]);
      // the rows' mean is the summary's final mean train loss: both reduce the same float32 values in
      // float64 (the CSV prints each exactly), so only the order of the 16 additions differs
      const mean = rows.reduce((s, row) => s + Number(row.split(',')[1]), 0) / 16;
      expect(Math.abs(panel.final.trainLoss.mean - mean)).toBeLessThanOrEqual(1e-12 * mean);
    }

    // metrics.csv: a row per (step, panel, metric) at 0, 20, 40, 60
    const rows = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('step,panel,metric,value');
    const steps = new Set(rows.slice(1).map((l) => Number(l.split(',')[0])));
    expect([...steps].sort((a, b) => a - b)).toEqual([0, 20, 40, 60]);
    // the sharpness (every: 0, so the last step only) in metrics.csv too: the summary's quantiles
    const sharp = rows.filter((l) => /^\d+,\d+,(sharpness|hessian_trace)_/.test(l)).map((l) => l.split(','));
    expect(sharp.map((r) => r[0]).every((s) => s === '60')).toBe(true);
    for (const p of [0, 1]) {
      const q50 = sharp.find((r) => r[1] === String(p) && r[2] === 'sharpness_q50')!;
      expect(Number(q50[3])).toBe(summary.panels[p].final.sharpness.q50);
      expect(sharp.filter((r) => r[1] === String(p))).toHaveLength(8);
    }
  });

  it('path --between trains the scenario, then writes the Bézier curve between two networks; its profiles recompute from the dumps', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-network-path-'));
    const r = await runCli(['path', FIXTURE, '--between', '0:2,0:5', '--out', out, '--curve-steps', '300', '--points', '9'], { shared: sharedLab() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/path 0:2 → 0:5: barrier .* nats along the Bézier curve/);
    // the run's own files, and the path's
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['summary.json', 'weights-0.f32', 'path.json', 'path-points.f32', 'path-control.f32']));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const blocks: Block[] = summary.panels[0].layout.blocks;
    const D: number = summary.panels[0].layout.params;
    const doc = JSON.parse(readFileSync(join(out, 'path.json'), 'utf8'));
    expect(doc.between).toEqual([{ panel: 0, index: 2 }, { panel: 0, index: 5 }]);
    const weights = new Float32Array(new Uint8Array(readFileSync(join(out, 'weights-0.f32'))).buffer);
    const points = new Float32Array(new Uint8Array(readFileSync(join(out, 'path-points.f32'))).buffer);
    expect(points.length).toBe(9 * D);
    // the curve's ends are the two networks, bit for bit ((1-t)^2 a + 2t(1-t) c + t^2 b at t = 0, 1)
    expect(Array.from(points.subarray(0, D))).toEqual(Array.from(weights.subarray(2 * D, 3 * D)));
    expect(Array.from(points.subarray(8 * D, 9 * D))).toEqual(Array.from(weights.subarray(5 * D, 6 * D)));
    const train = readDataset(join(out, 'dataset.csv')).filter((s) => s.split === 'train');
    // each point of the curve: its train loss from the float32 row against path.json's float64 value. The row's
    // rounding moves the loss by at most sum |dL/dw| |w| 2^-24 (< 1e-4 for these ~60 weights of size < 10 and
    // gradients < 1), the 8 significant digits of path.json by 1e-8 relative
    doc.along_curve.t.forEach((t: number, k: number) => {
      expect(t).toBeCloseTo(k / 8, 12);
      const e = evaluate(points.subarray(k * D, (k + 1) * D), blocks, train, 0);
      expect(Math.abs(e.loss - doc.along_curve.train_loss[k])).toBeLessThan(1e-4);
    });
    // the straight line's midpoint from the two rows of weights-0.f32 (float64 sums, as the CLI)
    const a = weights.subarray(2 * D, 3 * D), b = weights.subarray(5 * D, 6 * D);
    const mid = Float64Array.from(a, (v, d) => v + 0.5 * (b[d] - v));
    expect(evaluate(mid as unknown as Float32Array, blocks, train, 0).loss).toBeCloseTo(doc.along_straight_line.train_loss[4], 6);
    // the barriers as defined: the profile's highest train loss minus the higher end
    for (const [profile, barrier] of [[doc.along_curve, doc.barrier], [doc.along_straight_line, doc.straight_line_barrier]]) {
      const l: number[] = profile.train_loss;
      expect(barrier).toBeCloseTo(Math.max(0, Math.max(...l) - Math.max(l[0], l[l.length - 1])), 6);
    }
    expect(doc.distance).toBeCloseTo(Math.hypot(...Array.from(a, (v, d) => b[d] - v)), 4);
    expect(doc.curve_length).toBeGreaterThanOrEqual(doc.distance * (1 - 1e-6));
  });

  it('refuses --video for a network scenario with one line, exit 2, before starting anything', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-network-'));
    const r = await runCli(['run', FIXTURE, '--out', out, '--video', join(out, 'run.mp4')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--video/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses 2-D-only fields and a bad override, naming each with its value', async () => {
    const bad = { ...fixture, domain: { x: [-1, 1], y: [-1, 1] }, panels: [{ ...fixture.panels[1], hidden: [128] }] };
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-network-'));
    const file = join(out, 'bad.json');
    (await import('node:fs')).writeFileSync(file, JSON.stringify(bad));
    const r = await runCli(['validate', file]);
    // exit 1: an invalid scenario (as for 2-D ones), a line per problem
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/domain: a network has no 2-D domain/);
    expect(r.stderr).toMatch(/panels\[0\]\.hidden\[0\]: 128/);
  });
});
