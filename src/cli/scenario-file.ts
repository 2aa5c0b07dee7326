// Reading a scenario argument: a JSON file or `preset:NAME` from public/presets/.
// Only regular files up to MAX_SCENARIO_BYTES are read (a named pipe would
// block, /dev/zero would fill memory); a byte-order mark is skipped; comments
// are refused with a message that says so (scenarios are plain JSON).
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { quoteArg } from './args';
import { CliError } from './errors';

/** Largest scenario file read, in bytes (the page's limit for dropped files too). */
export const MAX_SCENARIO_BYTES = 2 * 1024 * 1024;

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const PRESETS_DIR = join(REPO_ROOT, 'public/presets');

export interface PresetInfo {
  name: string;
  title: string;
  description: string;
}

/** The scenario documents in public/presets/ (index.json, the page's list of them, is not one). */
export function listPresets(): PresetInfo[] {
  if (!existsSync(PRESETS_DIR)) return [];
  return readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((f) => {
      const name = f.replace(/\.json$/, '');
      const doc = readJson(join(PRESETS_DIR, f), `preset '${name}'`) as { title?: string; description?: string };
      return { name, title: doc.title ?? name, description: doc.description ?? '' };
    });
}

function readJson(path: string, what: string): unknown {
  const text = readText(path, what).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (e) {
    const comment = findComment(text);
    if (comment) {
      const line = text.slice(0, comment).split('\n').length;
      throw new CliError(`${what} ${quoteArg(path)} has a comment at line ${line}; comments are not allowed in scenario files (plain JSON, not JSONC)`);
    }
    throw new CliError(`${what} ${quoteArg(path)} is not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The file's text: a regular file of at most MAX_SCENARIO_BYTES, never a pipe or a device. */
function readText(path: string, what: string): string {
  let fd: number;
  try {
    if (!statSync(path).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    // O_NONBLOCK: a FIFO swapped in after the check must not block the open
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new CliError(`cannot read ${what} ${quoteArg(path)}: ${whyUnreadable(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new CliError(`cannot read ${what} ${quoteArg(path)}: ${whyUnreadable({ code: 'ENOTFILE' })}`);
    if (st.size > MAX_SCENARIO_BYTES) throw new CliError(`${what} ${quoteArg(path)} is ${st.size} bytes; scenario files are limited to ${MAX_SCENARIO_BYTES} bytes (2 MB)`);
    const buf = Buffer.alloc(MAX_SCENARIO_BYTES + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length;) {
      got = readSync(fd, buf, n, buf.length - n, null);
      n += got;
    }
    if (n > MAX_SCENARIO_BYTES) throw new CliError(`${what} ${quoteArg(path)} is over ${MAX_SCENARIO_BYTES} bytes; scenario files are limited to 2 MB`);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

function whyUnreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTFILE': return 'not a regular file (a folder, pipe or device); give a .json file';
    case 'ENAMETOOLONG': return 'the name is too long';
    case 'ELOOP': return 'too many symbolic links';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    default: return code ?? (e as Error).message;
  }
}

/** Index of the first // or /* outside a JSON string, or 0 when there is none. */
function findComment(text: string): number {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      return i || 1;
    }
  }
  return 0;
}

/** The scenario JSON named by a CLI argument. */
export function loadScenarioArg(arg: string): { json: unknown; source: string } {
  if (arg.startsWith('preset:')) {
    const name = arg.slice('preset:'.length);
    const path = join(PRESETS_DIR, `${name}.json`);
    if (!/^[\w-]+$/.test(name) || name === 'index' || !existsSync(path)) {
      const known = listPresets().map((p) => p.name).join(', ');
      throw new CliError(`unknown preset ${quoteArg(name)}; presets: ${known || 'none'} (npm run lab -- presets)`);
    }
    return { json: readJson(path, `preset '${name}'`), source: path };
  }
  return { json: readJson(arg, 'scenario file'), source: resolve(arg) };
}
