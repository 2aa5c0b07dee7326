// After `vite build` (npm run build): the JavaScript the live page loads
// before its first frame, gzipped, against the budget of 400 kB (issue 18).
// The page's entry (index.html -> src/main.ts) always imports src/ui/app.ts at
// once, so the first load is both modules and every chunk they import
// statically; everything else (formula reader, recorder, charts, network view,
// analysis worker) loads when first used. Exit 1 over budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

/** Budget in kB (1 kB = 1000 bytes, as vite prints), gzip level 9. */
export const FIRST_LOAD_BUDGET_KB = 400;

interface ManifestChunk { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] }
type Manifest = Record<string, ManifestChunk>;

/** Every chunk key reachable from `roots` by static imports. */
function staticClosure(manifest: Manifest, roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const k of manifest[key]?.imports ?? []) visit(k);
  };
  roots.forEach(visit);
  return [...seen];
}

export interface FirstLoad { files: { file: string; bytes: number; gzip: number }[]; gzipTotal: number }

export function firstLoad(dist: string): FirstLoad {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Manifest;
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry && k.endsWith('index.html'));
  if (!entry) throw new Error(`${dist}/.vite/manifest.json has no index.html entry`);
  const startup = (manifest[entry].dynamicImports ?? []).filter((k) => k.endsWith('src/ui/app.ts'));
  if (startup.length !== 1) throw new Error('the entry does not import src/ui/app.ts dynamically: update scripts/first-load.ts');
  const files = staticClosure(manifest, [entry, ...startup]).map((k) => {
    const bytes = readFileSync(join(dist, manifest[k].file));
    return { file: manifest[k].file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files, gzipTotal: files.reduce((a, f) => a + f.gzip, 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.argv[2] ?? 'dist';
  const r = firstLoad(dist);
  for (const f of r.files.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${f.file.padEnd(44)} ${(f.bytes / 1000).toFixed(1).padStart(8)} kB  gzip ${(f.gzip / 1000).toFixed(1).padStart(6)} kB`);
  const kb = r.gzipTotal / 1000;
  const ok = kb <= FIRST_LOAD_BUDGET_KB;
  console.log(`first load (JavaScript before the first frame): ${kb.toFixed(1)} kB gzipped of ${FIRST_LOAD_BUDGET_KB} kB budget${ok ? '' : ' — OVER BUDGET'}`);
  if (!ok) process.exit(1);
}
