// The build's WGSL comment stripper (src/gpu/wgsl-strip.ts) on every shader:
// it keeps every `// @import` line and every line of code (outside comments)
// in order, and leaves no comment behind. The static-build browser test then
// runs the stripped shaders on the GPU.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripWgslComments } from '../../src/gpu/wgsl-strip';

function wgslFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? wgslFiles(join(dir, e.name)) : e.name.endsWith('.wgsl') ? [join(dir, e.name)] : []));
}

describe('stripWgslComments', () => {
  const files = wgslFiles('shaders');

  it('keeps imports and code, drops comments, on every shader', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const code = readFileSync(f, 'utf8');
      const out = stripWgslComments(code);
      const imports = code.split('\n').filter((l) => /^\s*\/\/\s*@import\s/.test(l)).map((l) => l.trim());
      expect(out.split('\n').filter((l) => l.startsWith('// @import')), f).toEqual(imports);
      // no comment left outside the import lines
      expect(out.split('\n').filter((l) => !l.startsWith('// @import') && (l.includes('//') || l.includes('/*'))), f).toEqual([]);
      // every identifier of the code survives, in order (a comment-blind tokenizer on both sides)
      const tokens = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, ' ').split('\n').map((l) => l.replace(/\/\/.*$/, '')).join(' ').match(/[A-Za-z_][A-Za-z0-9_]*|[0-9.]+[a-z]*|\S/g) ?? [];
      expect(tokens(out), f).toEqual(tokens(code));
      expect(out.length, f).toBeLessThanOrEqual(code.length);
    }
  });

  it('a small example', () => {
    expect(stripWgslComments('// header\n// @import lib/a.wgsl\nfn f() -> f32 { /* note */ return 1.0; } // trailing\n\n'))
      .toBe('// @import lib/a.wgsl\nfn f() -> f32 {   return 1.0; }\n');
  });
});
