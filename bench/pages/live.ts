// Page side of the live-page benchmark: runs inside the real lab page
// (index.html, <sgd-lab>) and reaches its engine through window.__sgdLab.
// Wall-clock figures come from the FrameLoop's counters (frames, stepsDone)
// over wall time; the GPU split times whole batches of the simulation's
// steps and of the renderer's frame with onSubmittedWorkDone, the loop paused.
import type { LabTestHook } from '../../src/ui/test-hook';

function lab(): LabTestHook {
  const hook = window.__sgdLab;
  if (!hook) throw new Error('the lab page has no window.__sgdLab (is this index.html?)');
  return hook;
}

/** Throws (one line) when the page is not running its simulation cleanly. */
function check(where: string): void {
  const { engine } = lab();
  if (engine.state !== 'running') throw new Error(`${where}: the lab is '${engine.state}'${engine.message ? `: ${engine.message.title}: ${engine.message.body}` : ''}`);
  if (engine.buildError) throw new Error(`${where}: ${engine.buildError}`);
  if (engine.gpuErrors.length) throw new Error(`${where}: GPU error: ${engine.gpuErrors[0]}`);
}

/** a frame of 4 x 2^18 particles takes tens of seconds through SwiftShader on a loaded 2-core machine */
const FRAME_TIMEOUT_S = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LiveLoadResult {
  adapter: string;
  /** how the frame loop times the GPU */
  timing: 'timestamp-query' | 'submitted-work';
  /** canvas size in device pixels */
  canvas: [number, number];
  panels: number;
  particlesPerPanel: number;
  /** seconds the scenario took to build (pipelines, buffers) */
  buildSeconds: number;
}

/** Loads a scenario into the running page and plays it; the run never stops by itself (stopAt off). */
export async function loadLive(scenarioJson: unknown): Promise<LiveLoadResult> {
  const hook = lab();
  const t0 = performance.now();
  const state = await hook.load(scenarioJson, true);
  const { engine } = hook;
  check(`loading the scenario (${state})`);
  if (!engine.loop || !engine.sim || !engine.renderer || !engine.gpu) throw new Error('the lab runs but has no loop, simulation, renderer or GPU');
  engine.loop!.stopAt = null;
  const a = engine.gpu!.adapterSummary;
  return {
    adapter: `${a.vendor} ${a.architecture}`,
    timing: engine.loop!.stats.timing,
    canvas: [engine.renderer!.canvas.width, engine.renderer!.canvas.height],
    panels: engine.sim!.panels.length,
    particlesPerPanel: engine.sim!.scenario.particles.count,
    buildSeconds: (performance.now() - t0) / 1000,
  };
}

export interface LiveWallResult {
  /** speed setting, optimizer steps per second per panel (Infinity: the slider's "max") */
  speed: number | 'max';
  seconds: number;
  frames: number;
  /** optimizer steps per panel done in the window */
  steps: number;
  fps: number;
  /** particle-steps per second, all panels */
  particleStepsPerSecond: number;
  /** mean optimizer steps per frame (per panel) */
  stepsPerFrame: number;
  /** frames skipped because two were queued on the GPU */
  throttled: number;
}

/** Resolves at the next frame the loop submits; throws after `timeoutS` seconds without one. */
async function nextFrame(timeoutS: number, where: string): Promise<void> {
  const loop = lab().engine.loop!;
  let timer = 0;
  const timeout = new Promise<never>((_, reject) => {
    timer = window.setTimeout(() => reject(new Error(`${where}: no frame in ${timeoutS} s`)), timeoutS * 1000);
  });
  try {
    await Promise.race([loop.waitFrames(1), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * At `speed` steps/s (null: max), warms up for `warmupSeconds` and at least
 * one frame (the first after a build initialises the clouds and reduces the
 * metrics; the step budget settles), then counts frames and steps over at
 * least `seconds` of wall time and at least two frames, the window starting
 * and ending at frame submissions (slow frames are counted whole; with at
 * most two frames queued, submissions follow completions in steady state).
 */
export async function measureWall(speed: number | null, warmupSeconds: number, seconds: number): Promise<LiveWallResult> {
  const { engine } = lab();
  const loop = engine.loop!;
  engine.setSpeed(speed ?? Infinity);
  loop.play();
  const tw = performance.now();
  for (let i = 0; i < 1 || performance.now() - tw < warmupSeconds * 1000; i++) await nextFrame(FRAME_TIMEOUT_S, 'warming up');
  check('warming up');
  const s0 = loop.stats, t0 = performance.now();
  await sleep(seconds * 1000);
  check('measuring frames');
  while (loop.stats.frames - s0.frames < 1) await nextFrame(FRAME_TIMEOUT_S, 'measuring frames');
  await nextFrame(FRAME_TIMEOUT_S, 'measuring frames');
  const s1 = loop.stats, t1 = performance.now();
  check('measuring frames');
  const wall = (t1 - t0) / 1000, frames = s1.frames - s0.frames, steps = s1.stepsDone - s0.stepsDone;
  const sim = engine.sim!;
  return {
    speed: speed ?? 'max', seconds: wall, frames, steps,
    fps: frames / wall,
    particleStepsPerSecond: (steps * sim.panels.length * sim.scenario.particles.count) / wall,
    stepsPerFrame: steps / frames,
    throttled: s1.throttled - s0.throttled,
  };
}

export interface LiveSplitResult {
  /** steps per panel in each timed simulation batch (the live page's mean steps per frame) */
  stepsPerFrame: number;
  /** GPU ms for one frame's steps (every panel, PDE substeps included) */
  simMs: number;
  /** GPU ms for one frame's rendering: the GPU-to-GPU copies and every panel's views */
  renderMs: number;
  /** GPU ms of the top-view maps alone (every panel); renderMs - mapsMs is the 3-D views and the copies */
  mapsMs: number;
  /** GPU ms of a frame's rendering while the camera moves (the cached 3-D background drawn again every frame) */
  orbitMs: number;
  /** GPU ms of a frame's rendering with the background cache off (the surface drawn in every view every frame: before issue 17) */
  uncachedMs: number;
  /** GPU ms of one metrics reduction (all panels); the loop takes one at most every max(50 ms, 3 metricsMs) */
  metricsMs: number;
  metricsTiming: 'timestamp-query' | 'submitted-work';
  /** the bare engine: particle-steps per second of the same Simulation stepped alone in batches of stepsPerFrame */
  bareParticleStepsPerSecond: number;
  batches: { sim: number; render: number; maps: number; metrics: number; orbit: number; uncached: number };
}

/**
 * Times `encode` batches until `targetMs` of wall time: one batch first (its
 * pipelines are warm: the live page has drawn frames), kept alone when it
 * already took `targetMs`; else K more submitted back to back and awaited
 * with onSubmittedWorkDone. Returns ms per batch and the batches timed.
 */
async function timeBatches(device: GPUDevice, encode: () => void, targetMs: number): Promise<{ ms: number; k: number }> {
  let t = performance.now();
  encode();
  await device.queue.onSubmittedWorkDone();
  const first = performance.now() - t;
  if (first >= targetMs) return { ms: first, k: 1 };
  const k = Math.max(2, Math.min(500, Math.ceil(targetMs / Math.max(first, 0.05))));
  t = performance.now();
  for (let i = 0; i < k; i++) encode();
  await device.queue.onSubmittedWorkDone();
  return { ms: (performance.now() - t) / k, k };
}

/**
 * Pauses the frame loop and times (i) batches of sim.encodeSteps(stepsPerFrame),
 * (ii) the renderer's copies + render(layouts), each for about `targetMs`,
 * (iii) the maps alone and the metrics reduction; then resumes the loop.
 */
export async function measureSplit(stepsPerFrame: number, targetMs: number): Promise<LiveSplitResult> {
  const { engine } = lab();
  const loop = engine.loop!, sim = engine.sim!, renderer = engine.renderer!, device = engine.gpu!.device;
  const n = Math.max(1, Math.round(stepsPerFrame));
  loop.stop();
  try {
    await device.queue.onSubmittedWorkDone();
    const submit = (f: (e: GPUCommandEncoder) => void) => {
      const e = device.createCommandEncoder({ label: 'bench.live' });
      f(e);
      device.queue.submit([e.finish()]);
    };
    const simT = await timeBatches(device, () => submit((e) => sim.encodeSteps(e, n)), targetMs);
    // the maps first: the full frame drawn last stays on the canvas (screenshots)
    const mapsOnly = engine.layouts.map((l) => ({ ...l, view3d: null }));
    const mapsT = await timeBatches(device, () => renderer.render(mapsOnly), targetMs / 3);
    const frame = () => {
      submit((e) => renderer.encodeCopies(e));
      renderer.render(engine.layouts);
    };
    const orbitT = await timeBatches(device, () => { renderer.invalidateBackground(); frame(); }, targetMs / 2);
    renderer.background.enabled = false;
    const uncachedT = await timeBatches(device, frame, targetMs / 2).finally(() => { renderer.background.enabled = true; });
    const renderT = await timeBatches(device, frame, targetMs);
    // the loop's own timestamp-query figure where it has one, else timed here
    const metricsT = loop.stats.metricsMs !== null ? { ms: loop.stats.metricsMs, k: 0 } : await timeBatches(device, () => submit((e) => sim.encodeMetrics(e)), targetMs / 3);
    check('timing the GPU split');
    return {
      stepsPerFrame: n,
      simMs: simT.ms, renderMs: renderT.ms, mapsMs: mapsT.ms, orbitMs: orbitT.ms, uncachedMs: uncachedT.ms, metricsMs: metricsT.ms, metricsTiming: metricsT.k ? 'submitted-work' : 'timestamp-query',
      bareParticleStepsPerSecond: (n * sim.panels.length * sim.scenario.particles.count) / (simT.ms / 1000),
      batches: { sim: simT.k, render: renderT.k, maps: mapsT.k, metrics: metricsT.k, orbit: orbitT.k, uncached: uncachedT.k },
    };
  } finally {
    loop.start();
  }
}
