// Reading a scenario argument: a JSON file or `preset:NAME` from public/presets/.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from './errors';

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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new CliError(`cannot read ${what} '${path}': ${why}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${what} '${path}' is not valid JSON: ${(e as Error).message}`);
  }
}

/** The scenario JSON named by a CLI argument. */
export function loadScenarioArg(arg: string): { json: unknown; source: string } {
  if (arg.startsWith('preset:')) {
    const name = arg.slice('preset:'.length);
    const path = join(PRESETS_DIR, `${name}.json`);
    if (!/^[\w-]+$/.test(name) || name === 'index' || !existsSync(path)) {
      const known = listPresets().map((p) => p.name).join(', ');
      throw new CliError(`unknown preset '${name}'; presets: ${known || 'none'} (npm run lab -- presets)`);
    }
    return { json: readJson(path, `preset '${name}'`), source: path };
  }
  return { json: readJson(arg, 'scenario file'), source: resolve(arg) };
}
