// Preset scenarios served from public/presets/: index.json lists them
// ({ file, title, description }), each file is a scenario document with an
// optional title and description.

export interface PresetEntry {
  file: string;
  title: string;
  description?: string;
}

function presetUrl(file: string): string {
  return `${import.meta.env.BASE_URL}presets/${file}`;
}

export async function loadPresetIndex(): Promise<PresetEntry[]> {
  const res = await fetch(presetUrl('index.json'));
  if (!res.ok) throw new Error(`presets/index.json: HTTP ${res.status}`);
  const list = (await res.json()) as PresetEntry[];
  return Array.isArray(list) ? list.filter((p) => typeof p.file === 'string' && typeof p.title === 'string') : [];
}

export async function loadPreset(file: string): Promise<unknown> {
  if (!/^[\w.-]+\.json$/.test(file)) throw new Error(`'${file}' is not a preset file name`);
  const res = await fetch(presetUrl(file));
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}
