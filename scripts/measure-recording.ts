// `npx tsx scripts/measure-recording.ts [--gpu swiftshader|hardware] [--seconds 10] [--format mp4|webm] [--no-charts]`:
// opens the live lab page (index.html, default scenario) in headless Chromium,
// records with the page's own Record path (RecordController, in memory) at
// 1280x720, 30 fps, 10 steps per frame, 4 Mbit/s, and prints the file's size
// and the wall time. The README's recording figures come from this script.
import { parseArgs } from 'node:util';
import { openLabSession } from '../src/cli/lab-session';
import { DEFAULT_RECORD_SETTINGS, formatBytes, formatSeconds, type RecordSettings } from '../src/record/record-settings';
import type { LabTestHook } from '../src/ui/test-hook';

/** The page's window with the recording this script started (resolves when it ends). */
type MeasuredWindow = Window & { __measure?: Promise<void> };

const { values } = parseArgs({
  options: {
    gpu: { type: 'string', default: 'swiftshader' },
    seconds: { type: 'string', default: '10' },
    format: { type: 'string', default: 'mp4' },
    'no-charts': { type: 'boolean', default: false },
  },
});
const settings: RecordSettings = {
  ...DEFAULT_RECORD_SETTINGS,
  format: values.format === 'webm' ? 'webm' : 'mp4',
  length: Number(values.seconds),
  lengthUnit: 'seconds',
  charts: !values['no-charts'],
  destination: 'memory',
};
const log = (s: string) => process.stderr.write(`${s}\n`);

const session = await openLabSession(values.gpu === 'hardware' ? 'hardware' : 'swiftshader');
try {
  const { page } = session;
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(`${session.url}/`, { waitUntil: 'load' });
  // page functions are anonymous arrows: tsx keeps names of named ones with a helper the page does not have
  await page.waitForFunction(() => window.__sgdLab?.state === 'running' && (window.__sgdLab.stats?.frames ?? 0) >= 2, { timeout: 300_000, polling: 200 });
  const setup = await page.evaluate((s: RecordSettings) => {
    const lab: LabTestHook | undefined = window.__sgdLab;
    if (!lab?.gpu || !lab.scenario) throw new Error('the lab page is not running a scenario');
    const a = lab.gpu.adapterSummary;
    lab.engine.loop?.pause();
    (window as MeasuredWindow).__measure = lab.recorder.record(s);
    return { adapter: a.vendor + ' / ' + a.architecture, scenario: lab.scenario };
  }, settings);
  const sc = setup.scenario;
  log(`adapter ${setup.adapter}; default scenario: ${sc.panels.length} panels x ${sc.particles.count} particles, PDE ${sc.fokkerPlanck ? `${sc.fokkerPlanck.grid}^2` : 'off'}`);
  log(`recording ${settings.width}x${settings.height} ${settings.format}, ${settings.fps} fps, ${settings.length} s, ${settings.stepsPerFrame} steps/frame, ${settings.bitrate / 1e6} Mbit/s, charts ${settings.charts ? 'on' : 'off'}`);
  for (;;) {
    const p = await page.evaluate(() => {
      const r = window.__sgdLab?.recorder;
      if (!r) throw new Error('the lab page went away');
      return { busy: r.busy, progress: r.progress };
    });
    if (!p.busy) break;
    if (p.progress) log(`  frame ${p.progress.frame} / ${p.progress.frames}, ${formatSeconds(p.progress.elapsed)} so far, about ${formatSeconds(p.progress.left)} left`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
  const r = await page.evaluate(async () => {
    await (window as MeasuredWindow).__measure;
    const rec = window.__sgdLab?.recorder;
    if (!rec) throw new Error('the lab page went away');
    return { status: rec.status, last: rec.lastRecording };
  });
  if (r.status?.kind !== 'ok' || !r.last) throw new Error(r.status?.text ?? 'the recording ended without a status');
  const { bytes, frames, wallSeconds } = r.last;
  process.stdout.write(`${JSON.stringify({ adapter: setup.adapter, ...settings, frames, bytes, wallSeconds: Number(wallSeconds.toFixed(1)) })}\n`);
  log(`${frames} frames, ${formatBytes(bytes)} (${bytes} bytes) in ${formatSeconds(wallSeconds)}: ${(wallSeconds / frames).toFixed(2)} s per frame`);
  if (session.errors.length) log(`page reported: ${session.errors[0]}`);
} finally {
  await session.close();
}
