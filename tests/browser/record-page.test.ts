// Recording, snapshots and data export in the live lab page (index.html,
// <sgd-lab>): the Record dialog, frame-exact in-page videos read back by a
// demuxer, determinism (memory vs streamed file, visible vs hidden tab),
// cancel, the PNG snapshot's labels, the metrics CSV/JSON and scenario
// export/import. One page, a small scenario (2 panels x 4096 particles, PDE
// 64^2) and small frames keep it quick on SwiftShader.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ElementHandle } from 'puppeteer-core';
import { useLabPage } from './support/page';
import { labEval, openLab, waitRunning } from './harness/ui-lab';
import { scenarioToHash } from '../../src/ui/scenario-state';
import type { RecordSettings } from '../../src/record/record-settings';

const LONG = 120_000;
const scenario = {
  seed: 4, surface: { name: 'double-well', params: {} }, domain: { x: [-2, 2], y: [-2, 2] }, steps: 5000,
  particles: { count: 4096, init: { kind: 'gaussian', mean: [-1, 0], std: 0.2 } },
  fokkerPlanck: { grid: 64 },
  panels: [
    { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: 0.1 } },
    { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'gaussian', batchSize: 2, gradientStd: 4 } },
  ],
  record: { every: 50 },
};
/** a short recording: 12 frames of 320 x 180, 20 steps apart */
const SHORT: RecordSettings = {
  format: 'webm', width: 320, height: 180, fps: 24, stepsPerFrame: 20, length: 12, lengthUnit: 'frames',
  bitrate: 1_000_000, charts: true, fromStart: true, destination: 'memory',
};

interface Inspected { codec: string; width: number; height: number; packets: number; fps: number; duration: number; hashes: number[] }
interface Finished {
  status: { text: string; kind: string } | null;
  last: { frames: number; bytes: number; streamed: boolean; hiddenFrames: number; wallSeconds: number } | null;
  download: string | null;
  fakeFile: { committed: boolean; aborted: boolean; removed: boolean; writes: number } | null;
  info: Inspected | null;
  leaked: { buffers: string[]; textures: string[] } | null;
  playing: boolean;
  capturing: boolean;
  canvas: [number, number];
  stage: [number, number];
}

// one page for the file; it must report no console or page error
const lab = useLabPage({ open: () => openLab({ hash: scenarioToHash(scenario), width: 1000, height: 700 }) });

beforeAll(async () => {
  // files "downloaded" by the page stay in the page (the tests read them there)
  const cdp = await lab.page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'deny' });
  await waitRunning(lab.page, 3, LONG);
  // a paused page leaves the CPU to the recordings
  await labEval(lab.page, 'window.__sgdLab.engine.loop.pause()');
}, LONG);

const record = async (settings: RecordSettings, setup?: 'fake-file'): Promise<Finished> => {
  if (setup === 'fake-file') await lab.call('record-page', 'fakeFilePicker');
  await lab.call('record-page', 'startRecording', settings);
  return lab.call<Finished>('record-page', 'finishRecording');
};

describe('recording in the live page', () => {
  it('the Record dialog states frames, size and the in-memory limit before recording; 60 frames read back as 60 frames of the requested size, codec and rate', async () => {
    // a browser without the File System Access API: the limit must be stated up front
    await lab.call('record-page', 'withoutFilePicker');
    await (await lab.page.waitForSelector('pierce/button[name="record"]'))!.click();
    const before = await lab.call<{ plan: string; memory: string | null; offersFile: boolean }>('record-page', 'readDialog');
    expect(before.offersFile).toBe(false);
    expect(before.memory).toMatch(/cannot write a file while recording.*kept in memory.*at most 512 MiB/);
    // defaults: 10 s at 30 fps, 1280 x 720, 4 Mbit/s: 300 frames, 4e6 * 10 / 8 bytes = 4.77 MiB
    expect(before.plan).toMatch(/300 frames = 10\.0 s of video at 30 frames\/s/);
    expect(before.plan).toMatch(/about 4\.8 MiB/);
    const filled = await lab.call<{ plan: string; problems: string[]; startDisabled: boolean }>('record-page', 'fillDialog', {
      format: 'mp4', width: '320', height: '180', fps: '30', stepsPerFrame: '5', length: '60', lengthUnit: 'frames', bitrate: '1', charts: true,
    });
    expect(filled.problems).toEqual([]);
    expect(filled.plan).toMatch(/60 frames = 2\.0 s of video at 30 frames\/s, optimizer steps 0 → 295/);
    // an odd width is refused before anything runs
    const odd = await lab.call<{ problems: string[]; startDisabled: boolean }>('record-page', 'fillDialog', { width: '321' });
    expect(odd.problems.join('\n')).toMatch(/H\.264 needs an even width and height/);
    expect(odd.startDisabled).toBe(true);
    await lab.call('record-page', 'fillDialog', { width: '320' });
    await lab.page.screenshot({ path: '/tmp/sgd-lab-record-dialog.png' });

    // the 60 frames show the maps only (three.js draws the 3-D views slowly on SwiftShader); the shorter recordings below show both
    await labEval(lab.page, 'window.__sgdLab.engine.setViewMode("map")');
    await lab.call('record-page', 'arm');
    await (await lab.page.waitForSelector('pierce/button[name="start"]'))!.click();
    await lab.page.waitForFunction('window.__sgdLab.recorder.progress?.frame >= 3', { timeout: LONG });
    await lab.page.screenshot({ path: '/tmp/sgd-lab-record-progress.png' });
    expect(await lab.page.$eval('pierce/[data-progress]', (el) => el.textContent ?? '')).toMatch(/frame \d+ \/ 60 · .* left/);
    const r = await lab.call<Finished>('record-page', 'finishRecording');
    console.log(`[record-page] 60 frames: ${r.last!.bytes} bytes in ${r.last!.wallSeconds.toFixed(1)} s; ${r.status!.text}`);
    expect(r.status!.kind).toBe('ok');
    expect(r.download).toMatch(/\.mp4$/);
    const info = r.info!;
    expect(info.codec).toBe('avc');
    expect([info.width, info.height]).toEqual([320, 180]);
    expect(info.packets).toBe(60);
    expect(info.hashes).toHaveLength(60);
    // MP4 timestamps are exact in its timescale: 60 frames at 30 fps last 2 s
    expect(Math.abs(info.fps - 30)).toBeLessThan(0.01);
    expect(Math.abs(info.duration - 2)).toBeLessThan(0.002);
    // the clouds move from frame to frame
    expect(new Set(info.hashes).size).toBeGreaterThan(30);
    // afterwards: paused as before, the canvas back at the page's size, nothing left on the GPU
    expect(r.playing).toBe(false);
    expect(r.capturing).toBe(false);
    expect(r.canvas).toEqual(r.stage);
    expect(r.leaked).toEqual({ buffers: [], textures: [] });
    expect(await labEval<number>(lab.page, 'window.__sgdLab.engine.sim.stepsDone')).toBe(295);
    await (await lab.page.waitForSelector('pierce/button[name="close"]'))!.click();
    await labEval(lab.page, 'window.__sgdLab.engine.setViewMode("both")');
  }, LONG);

  let visible: Finished;
  it('two recordings of the same scenario and seed decode to identical frames (one in memory, one streamed to a file)', async () => {
    visible = await record(SHORT);
    // this one starts while the page plays: it plays on afterwards
    await labEval(lab.page, 'window.__sgdLab.engine.loop.play()');
    const streamed = await record({ ...SHORT, destination: 'file' }, 'fake-file');
    expect(streamed.playing).toBe(true);
    await labEval(lab.page, 'window.__sgdLab.engine.loop.pause()');
    expect(visible.playing).toBe(false);
    expect(visible.info!.packets).toBe(12);
    expect(streamed.last!.streamed).toBe(true);
    expect(streamed.fakeFile).toMatchObject({ committed: true, aborted: false, removed: false });
    expect(streamed.download).toBeNull();
    expect(streamed.info!.hashes).toEqual(visible.info!.hashes);
    expect(new Set(visible.info!.hashes).size).toBeGreaterThan(8);
  }, LONG);

  it('a recording in a hidden tab (no animation frames) gives the same frames', async () => {
    // another tab in front hides this one
    const other = await lab.page.browser().newPage();
    try {
      await other.bringToFront();
      await lab.page.waitForFunction('document.visibilityState === "hidden"', { timeout: 10_000 });
      const hidden = await record(SHORT);
      expect(hidden.last!.hiddenFrames).toBe(12);
      expect(hidden.info!.hashes).toEqual(visible.info!.hashes);
    } finally {
      await other.close();
      await lab.page.bringToFront();
    }
    expect(await labEval<string>(lab.page, 'document.visibilityState')).toBe('visible');
  }, LONG);

  it('cancelling leaves no file (removed from disk, no download) and no GPU buffers or textures', async () => {
    await lab.call('record-page', 'fakeFilePicker');
    await lab.call('record-page', 'startRecording', { ...SHORT, length: 60, destination: 'file' });
    const at = await lab.call<number>('record-page', 'cancelAfter', 4);
    const r = await lab.call<Finished>('record-page', 'finishRecording');
    expect(at).toBeGreaterThanOrEqual(4);
    expect(at).toBeLessThan(60);
    expect(r.status!.text).toMatch(/Cancelled: nothing was saved/);
    expect(r.fakeFile).toMatchObject({ committed: false, aborted: true, removed: true });
    expect(r.download).toBeNull();
    expect(r.leaked).toEqual({ buffers: [], textures: [] });
    expect(r.capturing).toBe(false);
    expect(r.canvas).toEqual(r.stage);
  }, LONG);

  it('a PNG snapshot has the canvas size and the labels drawn in the header strips (and nothing over the 3-D views)', async () => {
    const s = await lab.call<{ name: string; png: number[]; canvas: number[]; headers: { changed: number; pixels: number }[]; views: number[] }>('record-page', 'snapshotCheck');
    console.log(`[record-page] snapshot ${s.png.join('x')}: label pixels changed per header ${s.headers.map((h) => h.changed).join(', ')}`);
    expect(s.name).toMatch(/\.png$/);
    expect(s.png).toEqual(s.canvas);
    for (const h of s.headers) {
      // two lines of 13 px text over a ~300 px strip: a few hundred pixels, far from all of them
      expect(h.changed).toBeGreaterThan(150);
      expect(h.changed).toBeLessThan(h.pixels / 2);
    }
    expect(s.views).toEqual(s.views.map(() => 0));
  }, LONG);

  it('exports the metrics it holds as CSV (the runner\'s rows) and JSON', async () => {
    const m = await lab.call<{
      csv: string; csvName: string; expected: [number, number, string, number][]; samples: number; jsonSamples: number; stride: number;
      lastSample: { step: number; records: Record<string, unknown>[] }; shown: Record<string, unknown>[];
    }>('record-page', 'metricsCheck');
    expect(m.csvName).toMatch(/-metrics\.csv$/);
    const lines = m.csv.trimEnd().split('\n');
    expect(lines[0]).toBe('step,panel,metric,value');
    expect(lines.length - 1).toBe(m.expected.length);
    // the history restarted with the last recording (from step 0): its >= 4 frames, 2 panels, > 11 metrics each
    expect(m.samples).toBeGreaterThanOrEqual(4);
    expect(m.expected.length).toBeGreaterThan(m.samples * 2 * 11);
    lines.slice(1).forEach((line, i) => {
      const [step, panel, metric, value] = line.split(',');
      const [es, ep, em, ev] = m.expected[i];
      expect([Number(step), Number(panel), metric]).toEqual([es, ep, em]);
      // the number's shortest round-trip text: parses back to the same double
      expect(Object.is(Number(value), ev)).toBe(true);
    });
    const metrics = new Set(m.expected.map((r) => r[2]));
    for (const k of ['mean_loss', 'cov_xx', 'alive', 'pde_time', 'kl_particles_pde']) expect(metrics.has(k)).toBe(true);
    expect(m.jsonSamples).toBe(m.samples);
    expect(m.stride).toBe(1);
    // the last sample kept is what the page shows now
    m.lastSample.records.forEach((r, i) => expect(r).toMatchObject(m.shown[i]));
  }, LONG);

  it('exports the scenario and imports it back; a bad file only shows what is wrong', async () => {
    const exported = await lab.call<{ name: string; text: string; running: unknown }>('record-page', 'exportScenario');
    expect(exported.name).toBe('sgd-lab-double-well-scenario.json');
    expect(JSON.parse(exported.text)).toEqual(exported.running);

    const upload = async (name: string, text: string) => {
      const path = join(tmpdir(), `sgd-lab-${process.pid}-${name}`);
      writeFileSync(path, text);
      const input = await lab.page.waitForSelector('pierce/input[name="import"]');
      await (input as ElementHandle<HTMLInputElement>).uploadFile(path);
    };
    const banner = () => labEval<{ text: string; kind: string } | null>(lab.page, 'window.__sgdLab.banner');

    await upload('good.json', exported.text);
    await lab.page.waitForFunction('/Imported/.test(window.__sgdLab.banner?.text ?? "")', { timeout: LONG });
    expect(await labEval(lab.page, 'window.__sgdLab.scenario')).toEqual(exported.running);
    expect(await labEval<string>(lab.page, 'window.__sgdLab.state')).toBe('running');

    const builds = await labEval<number>(lab.page, 'window.__sgdLab.builds');
    await upload('bad.json', JSON.stringify({ ...scenario, panels: [{ optimizer: { kind: 'sgd', lr: -1 }, noise: { kind: 'none' } }] }));
    await lab.page.waitForFunction('/could not be imported/.test(window.__sgdLab.banner?.text ?? "")', { timeout: 30_000 });
    expect((await banner())!.text).toMatch(/bad\.json could not be imported: it is not a valid scenario:\n.*panels\[0\]\.optimizer\.lr/);
    expect(await lab.page.$eval('pierce/.banner', (el) => el.textContent ?? '')).toMatch(/panels\[0\]\.optimizer\.lr/);

    await upload('garbage.json', '{ not json');
    await lab.page.waitForFunction('/garbage\\.json could not be imported: it is not valid JSON/.test(window.__sgdLab.banner?.text ?? "")', { timeout: 30_000 });
    // nothing changed: the same simulation runs
    expect(await labEval(lab.page, 'window.__sgdLab.scenario')).toEqual(exported.running);
    expect(await labEval<number>(lab.page, 'window.__sgdLab.builds')).toBe(builds);
    expect(await labEval<string>(lab.page, 'window.__sgdLab.state')).toBe('running');
    await lab.page.screenshot({ path: '/tmp/sgd-lab-record-import-error.png' });
  }, LONG);
});
