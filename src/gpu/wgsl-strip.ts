// Comments out of WGSL for the production build (vite.config.ts): the shaders
// are written with units and meaning in their comments, which the page need
// not download (about a third of the first load's WGSL). `// @import` lines
// are kept: shader-compose.ts reads them. Block comments are removed first
// (WGSL allows them nested; ours are not), then line comments, then blank lines.
const IMPORT_LINE = /^\s*\/\/\s*@import\s+\S+\s*$/;

export function stripWgslComments(code: string): string {
  const noBlocks = code.replace(/\/\*[\s\S]*?\*\//g, ' ');
  return noBlocks
    .split('\n')
    .map((line) => (IMPORT_LINE.test(line) ? line.trim() : line.replace(/\/\/.*$/, '').trimEnd()))
    .filter((line) => line.trim() !== '')
    .join('\n') + '\n';
}
