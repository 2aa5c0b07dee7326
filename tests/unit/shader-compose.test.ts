import { describe, expect, it } from 'vitest';
import { composeShader, locateMessage } from '../../src/gpu/shader-compose';
import { SHADER_SOURCES } from '../../src/gpu/shader-sources';
import { ShaderError } from '../../src/gpu/errors';

const sources = {
  'entry.wgsl': '// @import lib/b.wgsl\n// @import lib/a.wgsl\nfn main_body() {}\nbroken line',
  'lib/a.wgsl': 'fn a() {}',
  'lib/b.wgsl': '// @import lib/a.wgsl\nfn b() { a(); }',
};

describe('shader composition', () => {
  it('includes each piece once, dependencies first, and maps lines back to file:line', () => {
    const s = composeShader('entry.wgsl', sources);
    expect(s.code).toBe('fn a() {}\nfn b() { a(); }\nfn main_body() {}\nbroken line');
    expect(locateMessage(s, { type: 'error', lineNum: 4, linePos: 3, message: 'unexpected token' })).toBe('entry.wgsl:4:3: error: unexpected token');
    expect(locateMessage(s, { type: 'error', lineNum: 2, linePos: 1, message: 'x' })).toBe('lib/b.wgsl:2:1: error: x');
  });

  it('names a missing import and who asked for it', () => {
    expect(() => composeShader('x.wgsl', { 'x.wgsl': '// @import lib/nope.wgsl' })).toThrowError(/no shader source 'lib\/nope.wgsl' \(imported by x.wgsl\)/);
  });

  it('refuses import cycles', () => {
    expect(() => composeShader('p', { p: '// @import q', q: '// @import p' })).toThrowError(ShaderError);
  });

  it('every shader file under shaders/ is found by the loader', () => {
    expect(Object.keys(SHADER_SOURCES)).toContain('lib/philox.wgsl');
    expect(Object.keys(SHADER_SOURCES)).toContain('particles_step.wgsl');
  });
});
