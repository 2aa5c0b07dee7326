// The analysis commands end to end, as a person runs them: npm run lab -- path / critical.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { CliError } from '../../src/cli/errors';
import { criticalCommand } from '../../src/cli/critical-command';
import { parsePoint, pathCommand } from '../../src/cli/path-command';

function catchError(f: () => unknown): Error | undefined {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  return undefined;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'sgd-lab-analysis-'));

function scenarioFile(dir: string, surface: unknown): string {
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify({ surface, particles: { count: 16 }, panels: [{ optimizer: { kind: 'sgd', lr: 0.001 } }] }));
  return file;
}

describe('npm run lab -- path', { timeout: 30_000 }, () => {
  it('writes path.json: ordered pivots, the saddle with its eigenvalues, the barrier and the straight-line barrier', async () => {
    const dir = tmp(), out = join(dir, 'out');
    const r = await runCli(['path', scenarioFile(dir, { name: 'muller-brown' }), '--from', '-0.558,1.442', '--to', '0.623,0.028', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/barrier 67\.50 along the path/);
    expect(readdirSync(out)).toEqual(['path.json']);
    const doc = JSON.parse(readFileSync(join(out, 'path.json'), 'utf8'));
    expect(doc.from).toMatchObject({ given: [-0.558, 1.442] });
    expect(doc.from.loss).toBeCloseTo(-146.6995, 3);
    expect(doc.to.loss).toBeCloseTo(-108.1667, 3);
    expect(doc.pivots.length).toBeGreaterThan(10);
    for (const p of doc.pivots) for (const k of ['x', 'y', 'loss', 's']) expect(typeof p[k]).toBe('number');
    // in order along the path: arc length increases from the start to the end
    for (let i = 1; i < doc.pivots.length; i++) expect(doc.pivots[i].s).toBeGreaterThan(doc.pivots[i - 1].s);
    expect(doc.pivots[0].x).toBeCloseTo(doc.from.x, 9);
    expect(doc.saddle.loss).toBeCloseTo(-40.6648, 3);
    expect(doc.saddle.index).toBe(1);
    expect(doc.saddle.eigenvalues[0]).toBeLessThan(0);
    expect(doc.saddle.eigenvalues[1]).toBeGreaterThan(0);
    expect(doc.saddle.climbingImage.loss).toBeCloseTo(-40.6648, 3);
    expect(doc.saddles).toHaveLength(2);
    expect(doc.intermediateMinima).toHaveLength(1);
    expect(doc.barrier).toBeCloseTo(67.5019, 3);
    expect(doc.straightBarrier).toBeGreaterThan(doc.barrier);
    expect(doc.converged).toBe(true);
  });

  it('bad --from: exit 2 and one clear line, nothing written', async () => {
    const dir = tmp(), out = join(dir, 'out');
    const r = await runCli(['path', scenarioFile(dir, { name: 'double-well' }), '--from', '-1;0', '--to', '1,0', '--out', out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toBe("sgd-lab: --from must be two numbers 'X,Y' such as --from -1,0; got '-1;0'");
    expect(readdirSync(dir)).toEqual(['scenario.json']);
  });

  it('other bad points and options are CliErrors with one line (in process)', () => {
    const domain = { x: [-2, 2] as [number, number], y: [-2, 2] as [number, number] };
    expect(parsePoint('--to', '0.5,-1', domain)).toEqual([0.5, -1]);
    for (const [text, message] of [
      ['9,0', /^--to 9,0 is outside the scenario's domain x \[-2, 2\], y \[-2, 2\]$/],
      ['1', /^--to must be two numbers/],
      ['1,2,3', /^--to must be two numbers/],
      [',1', /^--to must be two numbers/],
      ['0x1,0', /^--to must be two numbers/],
      ['Infinity,0', /^--to must be two numbers/],
      [' 1,0', /^--to must be two numbers/],
      [undefined, /^path needs --to X,Y/],
    ] as const) {
      const e = catchError(() => parsePoint('--to', text, domain));
      expect(e).toBeInstanceOf(CliError);
      expect((e as CliError).message).toMatch(message);
      expect((e as CliError).exitCode).toBe(2);
    }
    const dir = tmp();
    const file = scenarioFile(dir, { name: 'double-well' });
    expect(catchError(() => pathCommand([file, '--from', '-1,0', '--to', '1,0'], () => {}))?.message).toMatch(/^path needs --out DIR/);
    expect(catchError(() => pathCommand([file, '--from', '-1,0', '--to', '1,0', '--out', dir, '--pivots', '2'], () => {}))?.message).toMatch(/^--pivots must be/);
    expect(catchError(() => pathCommand([file, '--from', '-1,0', '--to', '-0.9,0', '--out', dir], () => {}))?.message).toMatch(/same minimum/);
    expect(catchError(() => criticalCommand([file, '--out', dir, '--seeds', 'many'], () => {}))?.message).toMatch(/^--seeds must be/);
  });
});

describe('npm run lab -- critical', { timeout: 30_000 }, () => {
  it('writes critical.json: every critical point with its classification, manifolds as single entries', async () => {
    const dir = tmp(), out = join(dir, 'out');
    const r = await runCli(['critical', scenarioFile(dir, { name: 'ring-valley' }), '--out', out, '--seeds', '40']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 maximum, 1 manifold\(s\) of minimum/);
    const doc = JSON.parse(readFileSync(join(out, 'critical.json'), 'utf8'));
    expect(doc.seeds).toMatchObject({ perAxis: 40, total: 1600 });
    expect(doc.counts).toEqual({ minimum: 0, saddle: 0, maximum: 1, manifolds: 1 });
    expect(doc.points).toHaveLength(1);
    expect(doc.points[0]).toMatchObject({ kind: 'maximum', index: 2, degenerate: false });
    for (const k of ['x', 'y', 'loss']) expect(typeof doc.points[0][k]).toBe('number');
    expect(doc.points[0].eigenvalues).toHaveLength(2);
    expect(doc.manifolds[0]).toMatchObject({ kind: 'minimum-manifold', closed: true });
    expect(doc.manifolds[0].points.length).toBeGreaterThan(20);
  });

  it('a bad scenario: a one-line CliError naming the field (in process)', () => {
    const dir = tmp();
    const e = catchError(() => criticalCommand([scenarioFile(dir, { name: 'no-such-surface' }), '--out', join(dir, 'out')], () => {}));
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).message).toMatch(/^invalid scenario: surface\.name: "no-such-surface" is not a catalogue surface/);
    expect((e as CliError).message).not.toContain('\n');
    expect(readdirSync(dir)).toEqual(['scenario.json']);
  });

  it('in process: critical.json for Himmelblau lists the 9 points with kinds and indices', () => {
    const dir = tmp(), out = join(dir, 'out');
    const lines: string[] = [];
    criticalCommand([scenarioFile(dir, { name: 'himmelblau' }), '--out', out, '--seeds', '40'], (l) => lines.push(l));
    expect(lines[0]).toMatch(/'himmelblau': 4 minima, 4 saddles, 1 maximum from 1600 starts/);
    const doc = JSON.parse(readFileSync(join(out, 'critical.json'), 'utf8'));
    expect(doc.counts).toEqual({ minimum: 4, saddle: 4, maximum: 1, manifolds: 0 });
    expect(doc.points.map((p: { kind: string; index: number }) => `${p.kind}:${p.index}`)).toEqual([
      ...Array(4).fill('minimum:0'), ...Array(4).fill('saddle:1'), 'maximum:2',
    ]);
  });
});
