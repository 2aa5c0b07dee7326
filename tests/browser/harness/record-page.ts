// Page side of the live page's recording tests (tests/browser/record-page.test.ts):
// runs inside the real lab page and drives its RecordController, the Record
// dialog and the Export menu through window.__sgdLab; decodes what was saved
// with mediabunny; counts GPU objects; compares snapshot pixels.
import type { LabTestHook } from '../../../src/ui/test-hook';
import type { RecordSettings } from '../../../src/record/record-settings';
import { layoutPanels, type Rect } from '../../../src/render/layout';
import { FOOTER_PX } from '../../../src/record/live-overlay';
import { recordRows } from '../../../src/record/metric-rows';
import { countBuffers, inspect } from './record';

function lab(): LabTestHook {
  const hook = window.__sgdLab;
  if (!hook) throw new Error('the page has no window.__sgdLab (is this the lab page?)');
  return hook;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function dialog(): HTMLElement & { updateComplete: Promise<boolean> } {
  const d = lab().app.shadowRoot!.querySelector('lab-record-dialog');
  if (!d) throw new Error('the Record dialog is not open');
  return d as HTMLElement & { updateComplete: Promise<boolean> };
}

/** What the open dialog states before recording: the plan line, the memory note, problems, whether it offers a file. */
export async function readDialog() {
  const d = dialog();
  await d.updateComplete;
  const root = d.shadowRoot!;
  return {
    plan: root.querySelector('[data-plan]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    memory: root.querySelector('[data-memory-limit]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
    problems: [...root.querySelectorAll('.problems li')].map((li) => li.textContent ?? ''),
    offersFile: root.querySelector('select[name=destination]') !== null,
    startDisabled: (root.querySelector('button[name=start]') as HTMLButtonElement | null)?.disabled ?? null,
  };
}

/** Sets dialog fields by name as a person would (value, then a change event). */
export async function fillDialog(values: Record<string, string | boolean>) {
  const root = dialog().shadowRoot!;
  for (const [name, v] of Object.entries(values)) {
    const el = root.querySelector(`[name=${name}]`) as HTMLInputElement | HTMLSelectElement | null;
    if (!el) throw new Error(`the dialog has no field '${name}'`);
    if (typeof v === 'boolean') (el as HTMLInputElement).checked = v;
    else el.value = v;
    el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await dialog().updateComplete;
  }
  return readDialog();
}

/** Removes the File System Access picker (a browser without it). */
export function withoutFilePicker(): void {
  (window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker = undefined;
}

/**
 * Replaces showSaveFilePicker with one whose file lives in memory: records
 * every positioned write, and whether the file was committed, aborted or removed.
 */
export function fakeFilePicker(): void {
  const file = { writes: [] as { position: number; data: Uint8Array }[], committed: false, aborted: false, removed: false };
  (window as unknown as { __fakeFile: typeof file }).__fakeFile = file;
  (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async (o: { suggestedName: string }) => ({
    name: o.suggestedName,
    createWritable: async () => ({
      write: async (c: { position: number; data: Uint8Array }) => { file.writes.push({ position: c.position, data: c.data.slice() }); },
      close: async () => { file.committed = true; },
      abort: async () => { file.aborted = true; },
    }),
    remove: async () => { file.removed = true; },
  });
}

/** The fake file's bytes (its writes applied in order). */
function fakeFileBytes(): Uint8Array {
  const { writes } = (window as unknown as { __fakeFile: { writes: { position: number; data: Uint8Array }[] } }).__fakeFile;
  const size = writes.reduce((m, w) => Math.max(m, w.position + w.data.length), 0);
  const out = new Uint8Array(size);
  for (const w of writes) out.set(w.data, w.position);
  return out;
}

let counter: ReturnType<typeof countBuffers> | null = null;
let downloadBefore: unknown = null;

/** Counts GPU objects from here on and notes the last download (finishRecording reports what changed). */
export function arm(): void {
  const { engine, recorder } = lab();
  counter?.restore();
  counter = countBuffers(engine.gpu!.device);
  downloadBefore = recorder.lastDownload;
}

/** Starts a recording with these settings without waiting for it. */
export function startRecording(settings: RecordSettings): void {
  arm();
  void lab().recorder.record(settings);
}

/** Cancels once the recording has made `frames` frames. */
export async function cancelAfter(frames: number): Promise<number> {
  const { recorder } = lab();
  while (recorder.recording && (recorder.progress?.frame ?? 0) < frames) await sleep(20);
  recorder.cancel();
  return recorder.progress?.frame ?? 0;
}

/** Waits for the recording to end; its outcome, the saved file decoded, leaks, the loop's and canvas's state. */
export async function finishRecording(decode = true) {
  const { engine, recorder } = lab();
  while (recorder.busy) await sleep(50);
  await engine.gpu!.device.queue.onSubmittedWorkDone();
  // made during the recording and still alive, less what they replaced (same label, destroyed meanwhile)
  const leaked = counter ? {
    buffers: unmatched([...counter.live].map((b) => b.label), counter.replaced.buffers),
    textures: unmatched([...counter.liveTextures].map((t) => t.label), counter.replaced.textures),
  } : null;
  counter?.restore();
  counter = null;
  const fake = (window as unknown as { __fakeFile?: { committed: boolean; aborted: boolean; removed: boolean; writes: unknown[] } }).__fakeFile;
  const dl = recorder.lastDownload !== downloadBefore ? recorder.lastDownload : null;
  const streamed = recorder.lastRecording?.streamed && fake?.committed ? fakeFileBytes() : null;
  const file = dl ? dl.blob : streamed;
  const canvas = engine.renderer!.canvas;
  const r = canvas.getBoundingClientRect();
  return {
    status: recorder.status,
    last: recorder.lastRecording,
    download: dl?.name ?? null,
    fakeFile: fake ? { committed: fake.committed, aborted: fake.aborted, removed: fake.removed, writes: fake.writes.length } : null,
    info: file && decode ? await inspect(file, dl?.blob.type ?? 'video/webm') : null,
    leaked,
    playing: engine.loop!.playing,
    capturing: engine.capturing,
    canvas: [canvas.width, canvas.height],
    stage: [Math.floor(r.width), Math.floor(r.height)],
  };
}

/** Labels in `alive` not matched one-to-one by a label in `replaced`. */
function unmatched(alive: string[], replaced: string[]): string[] {
  const left = [...replaced];
  return alive.filter((l) => {
    const i = left.indexOf(l);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

async function decodePng(blob: Blob): Promise<ImageData> {
  const bitmap = await createImageBitmap(blob);
  const c = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = c.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** Pixels of `a` and `b` inside `r` whose RGB differ by more than 48 in sum. */
function diffIn(a: ImageData, b: ImageData, r: Rect): number {
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    for (let x = r.x; x < r.x + r.w; x++) {
      const o = 4 * (y * a.width + x);
      if (Math.abs(a.data[o] - b.data[o]) + Math.abs(a.data[o + 1] - b.data[o + 1]) + Math.abs(a.data[o + 2] - b.data[o + 2]) > 48) n++;
    }
  }
  return n;
}

/**
 * A labelled snapshot (what Export > Snapshot saves) and a bare one of the same
 * state: their sizes, the canvas's, and per panel how many pixels the labels
 * changed in its header strip and in its 3-D view (where no label goes).
 */
export async function snapshotCheck() {
  const { engine, recorder } = lab();
  const labelled = await decodePng(await recorder.snapshot(true));
  const name = recorder.lastDownload?.name ?? null;
  const bare = await decodePng(await recorder.snapshot(false));
  const canvas = engine.renderer!.canvas;
  const r = canvas.getBoundingClientRect();
  const n = engine.sim!.panels.length;
  const layouts = layoutPanels(n, Math.floor(r.width), Math.floor(r.height) - FOOTER_PX, engine.viewMode, engine.sim!.panels.some((_, i) => engine.hasPde(i)));
  return {
    name,
    png: [labelled.width, labelled.height],
    canvas: [canvas.width, canvas.height],
    headers: layouts.map((l) => ({ changed: diffIn(labelled, bare, l.header), pixels: l.header.w * l.header.h })),
    views: layouts.map((l) => (l.view3d ? diffIn(labelled, bare, l.view3d) : 0)),
  };
}

/** Exports the metrics (CSV and JSON) and returns them with the history and the records the page shows. */
export async function metricsCheck() {
  const { recorder } = lab();
  await recorder.exportFile('metrics-csv');
  const csv = await recorder.lastDownload!.blob.text();
  const csvName = recorder.lastDownload!.name;
  await recorder.exportFile('metrics-json');
  const json = JSON.parse(await recorder.lastDownload!.blob.text()) as { samples: unknown[]; stride: number };
  const samples = recorder.history.samples;
  return {
    csv, csvName,
    expected: samples.flatMap((s) => s.records.flatMap((r, p) => recordRows(r, p))),
    samples: samples.length,
    jsonSamples: json.samples.length,
    stride: json.stride,
    lastSample: samples[samples.length - 1] ?? null,
    shown: lab().records,
  };
}

/** Exports the scenario; returns the file's text and the running scenario. */
export async function exportScenario() {
  const { engine, recorder } = lab();
  await recorder.exportFile('scenario');
  return { name: recorder.lastDownload!.name, text: await recorder.lastDownload!.blob.text(), running: engine.scenario };
}
