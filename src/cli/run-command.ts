// `npm run lab -- run SCENARIO.json --out DIR`: run a scenario headless in the
// lab page and write the contract's files (DESIGN.md, "the headless runner").
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseScenarioLazily } from '../model/parse-scenario-lazily';
import { isNetworkDocument } from '../model/network/spec';
import { parseNetworkScenario } from '../model/network/scenario';
import type { NetworkModel } from '../model/network/model';
import type { RunProgress, RunResult } from '../headless/run-scenario';
import type { NetworkRunResult } from '../headless/run-network';
import { datasetCsv, layoutSummary, networkPanelFiles, particleMetricsCsv } from './network-files';
import { videoFrames } from '../headless/video-request';

import { metricsCsv } from '../record/metric-rows';
import { BrowserNotFoundError, findBrowser, INSTALL_HINT, type GpuMode } from './browser';
import { CliError } from './errors';
import { videoLine, videoRequest, type VideoFlags } from './video-options';
import { openLabSession, type LabSession } from './lab-session';
import { AtomicFile, keepCreatedFolders, prepareOutDir, runnerFilesIn, writeAtomic } from './output';
import { quoteArg } from './args';
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
  /** --force: replace an earlier run's files in --out (else such a folder is refused) */
  force?: boolean;
  /** --strict: exit non-zero (3) when a panel's particles all diverged */
  strict?: boolean;
  /** where status lines go (stderr) */
  log: (line: string) => void;
  /** for a live progress line that rewrites itself; `final` marks the last one */
  status: (line: string, final: boolean) => void;
}

export async function runCommand(opts: RunOptions, onSession?: (s: LabSession) => void): Promise<void> {
  const json = applyOverrides(loadScenarioArg(opts.scenario).json, opts.overrides);
  const network = isNetworkDocument(json);
  const parsed = network ? parseNetworkScenario(json) : await parseScenarioLazily(json);
  if (!parsed.ok) {
    const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more: npm run lab -- validate ${opts.scenario})` : '';
    throw new CliError(`invalid scenario: ${parsed.problems[0]}${more}`);
  }
  if (network && opts.video) throw new CliError('--video records 2-D scenarios; a network scenario has no video yet (run it without --video: its metrics and weights are written)', 2);
  const video = opts.video ? videoRequest(opts.video, parsed.scenario.steps) : undefined;
  prepareOutDir(opts.out);
  const earlier = runnerFilesIn(opts.out);
  if (earlier.length && !opts.force) {
    throw new CliError(`--out ${quoteArg(opts.out)} holds an earlier run's files (${earlier.slice(0, 3).join(', ')}${earlier.length > 3 ? `, … ${earlier.length} in all` : ''}); choose an empty folder, or --force to replace them`, 2);
  }
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
    const result = (await session.page.evaluate((s, v) => window.sgdHeadless!.run(s, v), json as never, (video ?? null) as never)) as RunResult | NetworkRunResult | { error: { reason: string; message: string } };
    if ('error' in result) throw new CliError(result.error.message.split('\n')[0]);
    if ('kind' in result) {
      opts.log(`adapter: ${result.adapter.vendor} ${result.adapter.architecture}${result.adapter.description ? ` (${result.adapter.description})` : ''}`);
      const written = await writeNetworkRun(session, result, (parsed as { network: NetworkModel }).network, opts.out, earlier);
      if (session.errors.length) opts.log(`page reported: ${session.errors[0]}`);
      opts.log(`wrote ${result.panels.length} panel(s) of ${result.panels[0]?.particles ?? 0} networks (${[...new Set(result.panels.map((p) => p.layout.params))].join(' / ')} parameters each), ${result.steps} steps in ${result.wallSeconds.toFixed(1)} s to ${opts.out}`);
      for (const d of written.dead) opts.log(`warning: ${d}`);
      if (written.dead.length && opts.strict) throw new CliError(`--strict: ${written.dead.length} panel(s) with every network diverged`, 3);
      return;
    }
    if (videoFile && video) {
      videoFile.commit();
      opts.log(videoLine(opts.video!.file, video, videoFrames(result.steps, video.stepsPerFrame)));
    }
    opts.log(`adapter: ${result.adapter.vendor} ${result.adapter.architecture}${result.adapter.description ? ` (${result.adapter.description})` : ''}`);
    // every byte is read back before the first file is written: a failure up to here leaves nothing
    const files = new Map<string, string | Uint8Array>();
    const panels = [];
    const dead: string[] = [];
    for (const p of result.panels) {
      const positions = await readPanelBytes(session, 'positions', p.index, 8 * p.particles);
      const status = await readPanelBytes(session, 'status', p.index, 4 * p.particles);
      const file = `particles-${p.index}.f32`, sfile = `status-${p.index}.u32`;
      files.set(file, positions).set(sfile, status);
      const entries: Record<string, unknown> = {
        particles: { file, shape: [p.particles, 2], dtype: 'float32', byteOrder: 'little-endian', layout: 'x0 y0 x1 y1 ...' },
        status: { file: sfile, shape: [p.particles], dtype: 'uint32', byteOrder: 'little-endian', layout: 'per particle: 0 alive, else 1 + the step it diverged at (its row in particles-P.f32 is frozen there)' },
      };
      if (p.pdeGrid !== null) {
        const dfile = `density-${p.index}.f32`;
        files.set(dfile, await readPanelBytes(session, 'density', p.index, 4 * p.pdeGrid ** 2));
        entries.density = { file: dfile, shape: [p.pdeGrid, p.pdeGrid], dtype: 'float32', byteOrder: 'little-endian', layout: 'cell (ix, iy) at iy*grid + ix; x from the domain minimum, y from its minimum; sums to 1' };
      }
      if (p.escape) {
        const efile = `escape-${p.index}.u32`;
        files.set(efile, await readPanelBytes(session, 'escape', p.index, 4 * p.particles));
        entries.escape = { file: efile, shape: [p.particles], dtype: 'uint32', byteOrder: 'little-endian', layout: `per particle: 0 still inside the basin at the end, else the step count of the first check past the exit (checks every ${p.escape.every} step(s))` };
      }
      if (p.final.alive === 0) dead.push(`panel ${p.index} (${p.label}): all ${p.particles} particles diverged, the first at step ${firstDivergence(status)}; its loss and moments have no value (empty in metrics.csv, null in summary.json)`);
      panels.push({
        index: p.index, label: p.label, temperature: p.temperature, pdeTime: p.pdeTime,
        diverged: p.final.diverged, final: p.final, pde: p.pdeNote ?? 'on',
        // anisotropic or minibatch noise: the relaxed stationary density's convergence and KL(ρ_ss ‖ Gibbs) in nats
        ...(p.stationary ? { stationary: p.stationary } : {}),
        // each law this panel can be held against: {name, law, measured, predicted, unit} (empty where theory gives no number)
        laws: p.laws,
        // analysis.escape: first passages out of the basin, the censored mean and Eyring–Kramers
        ...(p.escape ? { escape: p.escape } : {}),
        files: entries,
      });
    }
    files.set('metrics.csv', metricsCsv(result.rows));
    const summary = { scenario: result.scenario, adapter: result.adapter, wallSeconds: result.wallSeconds, steps: result.steps, panels };
    files.set('summary.json', JSON.stringify(summary, null, 2) + '\n');
    for (const [name, data] of files) writeAtomic(join(opts.out, name), data);
    // --force: an earlier run's files that this run did not write again (e.g. particles-3.f32 of a 4-panel run)
    for (const name of earlier) if (!files.has(name)) rmSync(join(opts.out, name), { force: true });
    keepCreatedFolders();
    if (session.errors.length) opts.log(`page reported: ${session.errors[0]}`);
    opts.log(`wrote ${panels.length} panel(s), ${result.steps} steps in ${result.wallSeconds.toFixed(1)} s to ${opts.out}`);
    for (const d of dead) opts.log(`warning: ${d}`);
    if (dead.length && opts.strict) throw new CliError(`--strict: ${dead.length} panel(s) with every particle diverged`, 3);
  } finally {
    await session.close();
  }
}

/** Reads every network panel's dumps, then writes the run's files (nothing is written when a read fails). */
async function writeNetworkRun(session: LabSession, result: NetworkRunResult, network: NetworkModel, out: string, earlier: string[]): Promise<{ dead: string[] }> {
  const files = new Map<string, string | Uint8Array>();
  const dead: string[] = [];
  const panels = [];
  for (const p of result.panels) {
    const D = p.layout.params;
    const entries = networkPanelFiles(p.index, p.particles, D);
    files.set(entries.weights.file, await readPanelBytes(session, 'weights', p.index, 4 * p.particles * D));
    const status = await readPanelBytes(session, 'status', p.index, 4 * p.particles);
    files.set(entries.status.file, status);
    const metrics = await readPanelBytes(session, 'particleMetrics', p.index, 16 * p.particles);
    files.set(entries.particleMetrics.file, particleMetricsCsv(new Float32Array(new Uint8Array(metrics).buffer), result.dataset.test > 0, p.sharpness));
    if (p.final.alive === 0) dead.push(`panel ${p.index} (${p.label}): all ${p.particles} networks diverged, the first at step ${firstDivergence(status)}; its losses have no value (empty in metrics.csv, null in summary.json)`);
    panels.push({ index: p.index, label: p.label, temperature: p.temperature, diverged: p.final.diverged, final: p.final, layout: layoutSummary(p.layout), files: entries });
  }
  files.set('dataset.csv', datasetCsv(network));
  files.set('metrics.csv', metricsCsv(result.rows));
  const summary = {
    scenario: result.scenario, adapter: result.adapter, wallSeconds: result.wallSeconds, steps: result.steps,
    layout: layoutSummary(result.layout), dataset: { file: 'dataset.csv', columns: 'x,y,label,split', ...result.dataset }, panels,
  };
  files.set('summary.json', JSON.stringify(summary, null, 2) + '\n');
  for (const [name, data] of files) writeAtomic(join(out, name), data);
  for (const name of earlier) if (!files.has(name)) rmSync(join(out, name), { force: true });
  keepCreatedFolders();
  return { dead };
}

function applyOverrides(json: unknown, o: RunOptions['overrides']): unknown {
  if (!o || (o.steps === undefined && o.particles === undefined) || typeof json !== 'object' || json === null) return json;
  const doc = structuredClone(json) as Record<string, unknown> & { particles?: Record<string, unknown> };
  if (o.steps !== undefined) doc.steps = o.steps;
  if (o.particles !== undefined) doc.particles = { ...(doc.particles ?? {}), count: o.particles };
  return doc;
}

/** A panel's dump from the page (base64 there), checked against the byte count the contract gives it. */
async function readPanelBytes(session: LabSession, what: 'positions' | 'status' | 'escape' | 'density' | 'weights' | 'particleMetrics', panel: number, bytes: number): Promise<Buffer> {
  const b64 = (await session.page.evaluate((w, i) => window.sgdHeadless![w](i), what, panel)) as string | null;
  const data = Buffer.from(b64 ?? '', 'base64');
  if (data.length !== bytes) throw new CliError(`panel ${panel}: expected ${bytes} bytes of ${what}, got ${data.length}`);
  return data;
}

/** The earliest step any particle diverged at, from status words (0 alive, else 1 + that step). */
function firstDivergence(status: Buffer): number {
  const words = new Uint32Array(new Uint8Array(status).buffer); // a copy: Node's Buffer may sit unaligned in its pool
  let first = Infinity;
  for (const w of words) if (w > 0 && w - 1 < first) first = w - 1;
  return first;
}
