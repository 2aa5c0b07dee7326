// Node side of the live page's escape-statistics test (tests/browser/ui-escape.test.ts;
// never loaded in a page): the test scenario, the mapAsync log, and reading
// the page's EscapeWatch.
import type { Page } from 'puppeteer-core';
import type { Surface, Vec2 } from '../../../src/model/surface-types';
import { stepParticle, type ParticleState } from '../../../src/sim/particles/reference';
import type { StepConfig } from '../../../src/sim/particles/step-config';
import { labEval } from './ui-lab';

/** Records the label of every buffer the page maps (install before the page loads). */
export function logMapAsync(): void {
  const log: string[] = [];
  (window as unknown as { __mapLog: string[] }).__mapLog = log;
  const original = GPUBuffer.prototype.mapAsync;
  GPUBuffer.prototype.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
    log.push(this.label);
    return original.apply(this, args);
  };
}

/**
 * The double well h (x^2 - 1)^2 + y^2/2, every particle started at the left
 * minimum, one Langevin panel per temperature (lr 0.05), escape over the
 * saddle at the origin on; no Fokker–Planck grid (only the particles matter).
 */
export function escapeScenario(temperatures: number[], count: number, steps: number, seed = 11) {
  return {
    seed,
    surface: { name: 'double-well', params: { h: 1, tilt: 0 } },
    domain: { x: [-2, 2], y: [-2, 2] },
    steps,
    particles: { count, init: { kind: 'point', at: [-1, 0] } },
    panels: temperatures.map((T) => ({ optimizer: { kind: 'sgd', lr: 0.05, momentum: 0 }, noise: { kind: 'langevin', temperature: T } })),
    analysis: { escape: { minimum: [-1, 0], saddle: [0, 0] } },
  };
}

export interface PageEscape {
  step: number;
  times: number[][];
  panels: { meanSteps: number; meanTime: number; escaped: number; censored: number; relativeError: number; resolution: number; kramersSteps: number | null }[];
  exit: { saddle: number[]; direction: number[]; margin: number };
  source: string;
}

/** The watch's latest snapshot (null while there is none). */
export function readEscape(page: Page): Promise<PageEscape | null> {
  return labEval<PageEscape | null>(page, `(() => {
    const w = window.__sgdLab.engine.escape;
    const s = w && w.latest;
    if (!s) return null;
    return {
      step: s.step,
      times: s.times.map((t) => Array.from(t)),
      panels: s.panels.map((p) => ({ meanSteps: p.stats.meanSteps, meanTime: p.stats.meanTime, escaped: p.stats.escaped, censored: p.stats.censored,
        relativeError: p.stats.relativeError, resolution: p.stats.resolution, kramersSteps: p.kramers.ok ? p.kramers.tauSteps : null })),
      exit: w.target.exit,
      source: w.target.source,
    };
  })()`);
}

/** Waits until the loop has finished its run and the watch has read the records of the last step. */
export async function waitEscapeAt(page: Page, step: number, timeout: number): Promise<void> {
  await page.waitForFunction((n: number) => {
    return window.__sgdLab?.engine.escape?.latest?.step === n;
  }, { timeout, polling: 200 }, step);
}

/**
 * The float64 reference position of particle i of a panel after `steps` steps
 * (particles/reference.ts, the same random stream as the page), every particle
 * starting at `start`.
 */
export function referencePosition(surface: Surface, cfg: StepConfig, seed: number, stream: number, i: number, start: Vec2, steps: number): Vec2 {
  const n = i + 1;
  const state: ParticleState = { position: new Float64Array(2 * n), moment1: new Float64Array(2 * n), moment2: new Float64Array(2 * n), status: new Uint32Array(n) };
  state.position[2 * i] = start[0];
  state.position[2 * i + 1] = start[1];
  stepParticle(state, surface, cfg, seed, stream, i, 0, steps);
  return [state.position[2 * i], state.position[2 * i + 1]];
}
