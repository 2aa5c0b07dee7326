// `validate` and the start of `run` must stay fast: they must not load Vite,
// puppeteer or the formula reader (mathjs), which cost seconds. The static imports (not `import type`,
// not `await import(...)`) reachable from what `validate` loads are followed
// through src/ and checked for those packages.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const HEAVY = ['vite', 'puppeteer-core', 'mathjs'];

/** Module specifiers a file loads when it is imported (static value imports and re-exports). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) specs.push(m[1]);
  return specs;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const f of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(f) && f.endsWith('.ts')) return f;
  throw new Error(`${from}: cannot resolve '${spec}'`);
}

/** Packages (bare specifiers) reachable from the entry files through static imports. */
function reachablePackages(entries: string[]): Set<string> {
  const seen = new Set<string>(), packages = new Set<string>();
  const stack = entries.map((e) => join(ROOT, e));
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of staticImports(file)) {
      const local = resolveLocal(file, spec);
      if (local) stack.push(local);
      else packages.add(spec.startsWith('node:') ? spec : spec.split('/')[0]);
    }
  }
  return packages;
}

describe('what `npm run lab -- validate` loads', () => {
  it('main.ts and the modules validate imports for a catalogue scenario load no Vite, puppeteer or mathjs', () => {
    const loaded = reachablePackages(['src/cli/main.ts', 'src/cli/scenario-file.ts', 'src/model/scenario-validate.ts']);
    for (const heavy of HEAVY) expect([...loaded]).not.toContain(heavy);
    expect(loaded.has('zod')).toBe(true);
  });

  it('the check sees a heavy package where it is loaded (formulas, critical)', () => {
    expect(reachablePackages(['src/model/scenario.ts']).has('mathjs')).toBe(true);
    expect(reachablePackages(['src/cli/critical-command.ts']).has('mathjs')).toBe(true);
  });

  it('main.ts loads the commands with await import(...) only; the formula reader loads only for a formula', () => {
    const text = readFileSync(join(ROOT, 'src/cli/main.ts'), 'utf8');
    for (const m of ['./run-command', './critical-command', './path-command', '../model/parse-scenario-lazily']) {
      expect(text).toContain(`await import('${m}')`);
    }
    expect(readFileSync(join(ROOT, 'src/model/parse-scenario-lazily.ts'), 'utf8')).toContain(`await import('./resolve-surface')`);
  });

  it('a run of a catalogue scenario starts without mathjs (about 2.5 s to load)', () => {
    const loaded = reachablePackages(['src/cli/run-command.ts', 'src/model/parse-scenario-lazily.ts']);
    for (const heavy of HEAVY) expect([...loaded]).not.toContain(heavy);
  });
});
