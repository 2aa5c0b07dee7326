// The dependency rule of DESIGN.md ("Layout"): imports point down only,
//   gpu, rng -> model -> sim -> scheduler -> render -> record -> ui -> headless -> cli
// (src/main.ts, the page's entry, on top). Every relative import of every
// module under src/ (static, `import type`, `export ... from`, dynamic
// `import()`, and workers started with `new URL(..., import.meta.url)`) is
// read from the source text and checked against the rule.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '../../src');

/** Each room's level: a module may import its own room and rooms of lower level. */
export const ROOM_LEVEL: Record<string, number> = {
  gpu: 0, rng: 0, model: 1, sim: 2, scheduler: 3, render: 4, record: 5, ui: 6, headless: 7, cli: 8,
};

/** The relative module specifiers a source text imports (static, type-only, re-exports, dynamic, worker URLs). */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /(?:^|[\s;])(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /(?:^|[\s;])import\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /new\s+URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) if (m[1].startsWith('.')) found.push(m[1]);
  return found;
}

/** The room of a path relative to src/ ('main' for top-level files). */
function roomOf(pathInSrc: string): string {
  const parts = pathInSrc.split('/');
  return parts.length > 1 ? parts[0] : 'main';
}

/** Imports that break the rule, as "from -> to (room -> room)". */
export function violations(edges: { from: string; to: string }[]): string[] {
  const bad: string[] = [];
  for (const { from, to } of edges) {
    const a = roomOf(from), b = roomOf(to);
    if (a === b || a === 'main') continue;
    const la = ROOM_LEVEL[a], lb = ROOM_LEVEL[b];
    if (la === undefined) bad.push(`${from}: room '${a}' is not in the rule`);
    else if (lb === undefined) bad.push(`${from} -> ${to}: room '${b}' is not in the rule`);
    else if (lb >= la) bad.push(`${from} -> ${to} (${a} -> ${b})`);
  }
  return bad;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

function importEdges(): { from: string; to: string }[] {
  return sourceFiles(SRC).flatMap((file) => {
    const from = relative(SRC, file);
    return importSpecifiers(readFileSync(file, 'utf8'))
      .map((spec) => relative(SRC, normalize(join(dirname(file), spec))))
      // imports leaving src/ (shaders, package.json) are not between rooms
      .filter((to) => !to.startsWith('..'))
      .map((to) => ({ from, to }));
  });
}

describe('layering: imports point down only', () => {
  it('reads every kind of import from source text', () => {
    const src = [
      "import { a } from '../sim/x';",
      "import type { B } from '../render/y';",
      "export { c } from './z';",
      "import '../ui/side-effect';",
      "const m = await import('../record/lazy');",
      "new Worker(new URL('./worker.ts', import.meta.url));",
      "import { three } from 'three';",
    ].join('\n');
    expect(importSpecifiers(src).sort()).toEqual(['../record/lazy', '../render/y', '../sim/x', '../ui/side-effect', './worker.ts', './z'].sort());
  });

  it('flags an upward import and a same-level cross import, and accepts a downward one', () => {
    expect(violations([{ from: 'sim/a.ts', to: 'render/b' }])).toHaveLength(1);
    expect(violations([{ from: 'gpu/a.ts', to: 'rng/b' }])).toHaveLength(1);
    expect(violations([{ from: 'ui/a.ts', to: 'scheduler/b' }, { from: 'sim/a.ts', to: 'sim/b' }])).toEqual([]);
    expect(violations([{ from: 'widgets/a.ts', to: 'gpu/b' }])).toEqual(["widgets/a.ts: room 'widgets' is not in the rule"]);
  });

  it('holds for every module under src/', () => {
    const edges = importEdges();
    // the scan sees the tree: hundreds of imports, every room present
    expect(edges.length).toBeGreaterThan(300);
    expect(new Set(edges.map((e) => roomOf(e.from)))).toEqual(new Set([...Object.keys(ROOM_LEVEL), 'main']));
    expect(violations(edges)).toEqual([]);
  });
});
