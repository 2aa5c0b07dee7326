// `npx tsx scripts/measure-recording.ts [--gpu swiftshader|hardware] [--seconds 10] [--format mp4|webm] [--no-charts]`:
// opens the live lab page (index.html, default scenario) in headless Chromium,
// records with the page's own Record path (RecordController, in memory) at
// 1280x720, 30 fps, 10 steps per frame, 4 Mbit/s, and prints the file's size
// and the wall time. The README's recording figures come from this script.
import { parseArgs } from 'node:util';
import { openLabSession } from '../src/cli/lab-session';
import { DEFAULT_RECORD_SETTINGS, formatBytes, formatSeconds, type RecordSettings } from '../src/record/record-settings';

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
  await page.waitForFunction('window.__sgdLab?.state === "running" && (window.__sgdLab.stats?.frames ?? 0) >= 2', { timeout: 300_000, polling: 200 });
  const setup = await page.evaluate(`(() => {
    const lab = window.__sgdLab;
    const a = lab.gpu.adapterSummary;
    lab.engine.loop.pause();
    window.__measure = lab.recorder.record(${JSON.stringify(settings)});
    return { adapter: a.vendor + ' / ' + a.architecture, scenario: lab.scenario };
  })()`) as { adapter: string; scenario: { particles: { count: number }; panels: unknown[]; fokkerPlanck?: { grid: number } } };
  const sc = setup.scenario;
  log(`adapter ${setup.adapter}; default scenario: ${sc.panels.length} panels x ${sc.particles.count} particles, PDE ${sc.fokkerPlanck ? `${sc.fokkerPlanck.grid}^2` : 'off'}`);
  log(`recording ${settings.width}x${settings.height} ${settings.format}, ${settings.fps} fps, ${settings.length} s, ${settings.stepsPerFrame} steps/frame, ${settings.bitrate / 1e6} Mbit/s, charts ${settings.charts ? 'on' : 'off'}`);
  for (;;) {
    const p = await page.evaluate('(() => { const r = window.__sgdLab.recorder; return { busy: r.busy, progress: r.progress }; })()') as
      { busy: boolean; progress: { frame: number; frames: number; elapsed: number; left: number } | null };
    if (!p.busy) break;
    if (p.progress) log(`  frame ${p.progress.frame} / ${p.progress.frames}, ${formatSeconds(p.progress.elapsed)} so far, about ${formatSeconds(p.progress.left)} left`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
  const r = await page.evaluate('(async () => { await window.__measure; const r = window.__sgdLab.recorder; return { status: r.status, last: r.lastRecording }; })()') as
    { status: { text: string; kind: string }; last: { bytes: number; frames: number; wallSeconds: number } | null };
  if (r.status.kind !== 'ok' || !r.last) throw new Error(r.status.text);
  const { bytes, frames, wallSeconds } = r.last;
  process.stdout.write(`${JSON.stringify({ adapter: setup.adapter, ...settings, frames, bytes, wallSeconds: Number(wallSeconds.toFixed(1)) })}\n`);
  log(`${frames} frames, ${formatBytes(bytes)} (${bytes} bytes) in ${formatSeconds(wallSeconds)}: ${(wallSeconds / frames).toFixed(2)} s per frame`);
  if (session.errors.length) log(`page reported: ${session.errors[0]}`);
} finally {
  await session.close();
}
