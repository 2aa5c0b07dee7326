// Composition of WGSL from files: an entry file names the shared pieces it
// needs with `// @import lib/name.wgsl` lines; each piece is included once, in
// dependency order. A line map turns compiler line numbers back into
// file:line. Pure string work with no GPU, so it is unit-tested in Node.
import { ShaderError } from './errors';

/** WGSL sources by path relative to shaders/ (e.g. 'lib/philox.wgsl'), plus virtual modules. */
export type ShaderSources = Readonly<Record<string, string>>;

export interface ComposedShader {
  name: string;
  code: string;
  /** lineOrigins[n] = where line n+1 of `code` came from */
  lineOrigins: { file: string; line: number }[];
}

const IMPORT = /^\s*\/\/\s*@import\s+(\S+)\s*$/;

export function composeShader(entry: string, sources: ShaderSources): ComposedShader {
  const lines: string[] = [];
  const lineOrigins: { file: string; line: number }[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];

  const include = (file: string, from?: string) => {
    if (done.has(file)) return;
    if (visiting.includes(file)) {
      throw new ShaderError(entry, [`import cycle: ${[...visiting, file].join(' -> ')}`]);
    }
    const src = sources[file];
    if (src === undefined) {
      const where = from ? ` (imported by ${from})` : '';
      throw new ShaderError(entry, [`no shader source '${file}'${where}; known: ${Object.keys(sources).sort().join(', ')}`]);
    }
    visiting.push(file);
    const own = src.split('\n');
    // imports first, so every piece is defined before the code that uses it
    own.forEach((text) => {
      const m = IMPORT.exec(text);
      if (m) include(m[1], file);
    });
    own.forEach((text, i) => {
      if (IMPORT.test(text)) return;
      lines.push(text);
      lineOrigins.push({ file, line: i + 1 });
    });
    visiting.pop();
    done.add(file);
  };
  include(entry);
  return { name: entry, code: lines.join('\n'), lineOrigins };
}

/** Formats a compiler message with its original file and line. */
export function locateMessage(shader: ComposedShader, msg: { type: string; lineNum: number; linePos: number; message: string }): string {
  const origin = shader.lineOrigins[msg.lineNum - 1];
  const where = origin ? `${origin.file}:${origin.line}:${msg.linePos}` : `${shader.name}:?`;
  return `${where}: ${msg.type}: ${msg.message}`;
}
