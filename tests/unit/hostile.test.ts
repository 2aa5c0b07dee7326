// The hostile corpus (tests/fixtures/hostile/cases.json, made by make-corpus.ts):
// every scenario is refused with one clean line per problem naming the field,
// or accepted and float32-safe; flag sets and hostile files (a sample through
// the CLI process) end with exit 2 or 1 and exactly one line on stderr.
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/model/scenario';
import { parseLabScenario } from '../../src/model/lab-scenario';
import { DIVERGENCE_BOUND_WIDTHS } from '../../src/model/scenario-numbers';
import { BOUND_WIDTHS } from '../../src/sim/particles/step-config';
import { listPresets, loadScenarioArg } from '../../src/cli/scenario-file';
import { runCli } from '../support/cli';
import type { FlagCase, HostileCase, ScenarioCase } from '../fixtures/hostile/make-corpus';
import { float32Hazard } from './hostile-support';

const cases = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/hostile/cases.json'), 'utf8')) as HostileCase[];
const scenarios = cases.filter((c): c is ScenarioCase => c.kind === 'scenario');
const flagSets = cases.filter((c): c is FlagCase => c.kind === 'flags');
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function docOf(c: ScenarioCase): unknown {
  if (c.text === undefined) return c.doc;
  return JSON.parse(c.repeat ? c.text.replace('@@BIG@@', c.repeat.unit.repeat(c.repeat.count)) : c.text);
}

/** One line per problem: no control characters (escape codes, newlines), at most 400 characters. */
function expectCleanLines(problems: string[]): void {
  for (const p of problems) {
    expect(p, p.slice(0, 200)).not.toMatch(CONTROL);
    expect(p.length).toBeLessThanOrEqual(400);
  }
}

describe('the hostile corpus', () => {
  it('has at least 200 inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it.each(scenarios.map((c) => [c.name, c] as const))('scenario: %s', (_name, c) => {
    const r = parseScenario(docOf(c));
    if (c.expect === 'accepted') {
      expect(r.ok, r.ok ? '' : r.problems.join(' | ')).toBe(true);
      if (r.ok) expect(float32Hazard(r.scenario, r.surface)).toBeNull();
      return;
    }
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expectCleanLines(r.problems);
    expect(r.problems[0].startsWith(c.field!), r.problems.join(' | ')).toBe(true);
  });

  it('seed 1e308 gives one message, not two', () => {
    const r = parseScenario({ ...(scenarios[0].doc as object), seed: 1e308 });
    expect(r.ok ? [] : r.problems).toEqual(['seed: 1e+308 is too large; it must be <= 4294967295']);
  });

  it('every preset is still accepted and float32-safe', () => {
    const presets = listPresets();
    expect(presets.length).toBeGreaterThan(5);
    for (const p of presets) {
      // Network presets have no 2-D domain, so the float32 check is the 2-D one only.
      const r = parseLabScenario(loadScenarioArg(`preset:${p.name}`).json);
      expect(r.ok, `${p.name}: ${r.ok ? '' : r.problems.join(' | ')}`).toBe(true);
      if (r.ok && r.kind === 'surface') expect(float32Hazard(r.scenario, r.surface), p.name).toBeNull();
    }
  });

  it('the divergence bound of validation is the particles\' own', () => {
    expect(DIVERGENCE_BOUND_WIDTHS).toBe(BOUND_WIDTHS);
  });
});

describe('hostile input through the CLI process (a sample)', { timeout: 300_000 }, () => {
  it('flag sets: exit 2, one line on stderr, nothing written', async () => {
    const sample = flagSets.filter((_, i) => i % 4 === 0);
    expect(sample.length).toBeGreaterThanOrEqual(10);
    // three CLI processes at a time (each is mostly tsx start-up; 2 cores), checked in order
    const results: Promise<Awaited<ReturnType<typeof runCli>>>[] = [];
    let next = 0;
    const worker = async () => { while (next < sample.length) { const i = next++; results[i] = runCli(sample[i].args); await results[i]; } };
    await Promise.all([worker(), worker(), worker()]);
    for (const [i, c] of sample.entries()) {
      const r = await results[i];
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(c.exit);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, c.name).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(c.message));
      expect(lines[0]).not.toMatch(CONTROL);
    }
  });

  it('files: BOM accepted; comments, pipes, devices, huge and deep files refused with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgd-lab-hostile-'));
    const small = readFileSync('tests/fixtures/small.json', 'utf8');
    const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
    const bom = await runCli(['validate', write('bom.json', `\uFEFF${small}`)]);
    expect(bom.code, bom.stderr).toBe(0);
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    const refusals: [string, RegExp][] = [
      [write('comment.json', small.replace('{', '{ // a comment\n')), /has a comment at line 1; comments are not allowed in scenario files/],
      [join(dir, 'pipe.json'), /not a regular file/],
      ['/dev/zero', /not a regular file/],
      [dir, /not a regular file|it is a directory/],
      [write('huge.json', ' '.repeat(2 * 1024 * 1024 + 1)), /scenario files are limited to/],
      [write('deep.json', small.replace('"seed": 3', `"seed": ${'['.repeat(5000)}1${']'.repeat(5000)}`)), /seed: expected number, got \[\[\[/],
      [write('escape.json', JSON.stringify({ ...JSON.parse(small), 'x\u001b[31m\nsgd-lab: forged': 1 })), /unknown field "x\\u001b\[31m\\nsgd-lab: forged"/],
    ];
    for (const [file, message] of refusals) {
      const r = await runCli(['validate', file]);
      expect(r.code, file).toBe(1);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(lines[0]).not.toMatch(CONTROL);
    }
    expect(readdirSync(dir).sort()).toEqual(['bom.json', 'comment.json', 'deep.json', 'escape.json', 'huge.json', 'pipe.json']);
  });
});
