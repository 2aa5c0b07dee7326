// `npm run lab -- run SCENARIO.json --out DIR`: run a scenario headless in the
// lab page and write the contract's files (DESIGN.md, "the headless runner").
import { dirname, join, resolve } from 'node:path';
import { parseScenario } from '../model/scenario';
import type { RunProgress, RunResult } from '../headless/run-scenario';
import { videoFrames } from '../headless/video-request';

import { metricsCsv } from '../record/metric-rows';
import { BrowserNotFoundError, findBrowser, INSTALL_HINT, type GpuMode } from './browser';
import { CliError } from './errors';
import { videoLine, videoRequest, type VideoFlags } from './video-options';
import { openLabSession, type LabSession } from './lab-session';
import { AtomicFile, prepareOutDir, writeAtomic } from './output';
import { loadScenarioArg } from './scenario-file';
import { progressLine } from './progress';

export interface RunOptions {
  scenario: string;
  out: string;
  gpu: GpuMode;
  /** replace the scenario's steps / particles.count (quick looks, tests) */
  overrides?: { steps?: number; particles?: number };
  /** --video FILE.mp4|.webm and its settings */
  video?: VideoFlags;
  /** where status lines go (stderr) */
  log: (line: string) => void;
  /** for a live progress line that rewrites itself; `final` marks the last one */
  status: (line: string, final: boolean) => void;
}

export async function runCommand(opts: RunOptions, onSession?: (s: LabSession) => void): Promise<void> {
  const json = applyOverrides(loadScenarioArg(opts.scenario).json, opts.overrides);
  const parsed = parseScenario(json);
  if (!parsed.ok) {
    const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more: npm run lab -- validate ${opts.scenario})` : '';
    throw new CliError(`invalid scenario: ${parsed.problems[0]}${more}`);
  }
  const video = opts.video ? videoRequest(opts.video, parsed.scenario.steps) : undefined;
  prepareOutDir(opts.out);
  if (opts.video) {
    try {
      prepareOutDir(dirname(resolve(opts.video.file)));
    } catch (e) {
      throw new CliError(`--video: ${(e as Error).message}`);
    }
  }
  // never install anything: without a browser, say what to install (npm test's scripts/ensure-browser.ts may install)
  let session: LabSession;
  try {
    if (findBrowser() === null) throw new BrowserNotFoundError(INSTALL_HINT);
    session = await openLabSession(opts.gpu);
  } catch (e) {
    if (e instanceof BrowserNotFoundError) throw new CliError(e.message);
    throw e;
  }
  onSession?.(session);
  try {
    await session.page.exposeFunction('sgdProgress', (p: RunProgress) => opts.status(progressLine(p), p.step >= p.steps));
    const videoFile = opts.video ? new AtomicFile(resolve(opts.video.file)) : null;
    if (videoFile) {
      await session.page.exposeFunction('sgdVideoChunk', (b64: string, position: number) => videoFile.writeAt(position, Buffer.from(b64, 'base64')));
    }
    const result = (await session.page.evaluate((s, v) => window.sgdHeadless!.run(s, v), json as never, (video ?? null) as never)) as RunResult | { error: { reason: string; message: string } };
    if ('error' in result) throw new CliError(result.error.message.split('\n')[0]);
    if (videoFile && video) {
      videoFile.commit();
      opts.log(videoLine(opts.video!.file, video, videoFrames(result.steps, video.stepsPerFrame)));
    }
    opts.log(`adapter: ${result.adapter.vendor} ${result.adapter.architecture}${result.adapter.description ? ` (${result.adapter.description})` : ''}`);
    const panels = [];
    for (const p of result.panels) {
      const b64 = (await session.page.evaluate((i) => window.sgdHeadless!.positions(i), p.index)) as string;
      const bytes = Buffer.from(b64, 'base64');
      if (bytes.length !== 8 * p.particles) throw new CliError(`panel ${p.index}: expected ${8 * p.particles} bytes of positions, got ${bytes.length}`);
      const file = `particles-${p.index}.f32`;
      writeAtomic(join(opts.out, file), bytes);
      const files: Record<string, unknown> = { particles: { file, shape: [p.particles, 2], dtype: 'float32', byteOrder: 'little-endian', layout: 'x0 y0 x1 y1 ...' } };
      if (p.pdeGrid !== null) {
        const d64 = (await session.page.evaluate((i) => window.sgdHeadless!.density(i), p.index)) as string;
        const density = Buffer.from(d64, 'base64');
        if (density.length !== 4 * p.pdeGrid ** 2) throw new CliError(`panel ${p.index}: expected ${4 * p.pdeGrid ** 2} bytes of density, got ${density.length}`);
        const dfile = `density-${p.index}.f32`;
        writeAtomic(join(opts.out, dfile), density);
        files.density = { file: dfile, shape: [p.pdeGrid, p.pdeGrid], dtype: 'float32', byteOrder: 'little-endian', layout: 'cell (ix, iy) at iy*grid + ix; x from the domain minimum, y from its minimum; sums to 1' };
      }
      panels.push({
        index: p.index, label: p.label, temperature: p.temperature, pdeTime: p.pdeTime,
        diverged: p.final.diverged, final: p.final, pde: p.pdeNote ?? 'on', files,
      });
    }
    writeAtomic(join(opts.out, 'metrics.csv'), metricsCsv(result.rows));
    const summary = { scenario: result.scenario, adapter: result.adapter, wallSeconds: result.wallSeconds, steps: result.steps, panels };
    writeAtomic(join(opts.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    if (session.errors.length) opts.log(`page reported: ${session.errors[0]}`);
    opts.log(`wrote ${panels.length} panel(s), ${result.steps} steps in ${result.wallSeconds.toFixed(1)} s to ${opts.out}`);
  } finally {
    await session.close();
  }
}

function applyOverrides(json: unknown, o: RunOptions['overrides']): unknown {
  if (!o || (o.steps === undefined && o.particles === undefined) || typeof json !== 'object' || json === null) return json;
  const doc = structuredClone(json) as Record<string, unknown> & { particles?: Record<string, unknown> };
  if (o.steps !== undefined) doc.steps = o.steps;
  if (o.particles !== undefined) doc.particles = { ...(doc.particles ?? {}), count: o.particles };
  return doc;
}
