// The page's headless mode (headless.html): the engine the CLI drives through
// puppeteer. Same Simulation code as the live lab; no UI.
import { GpuContext } from '../gpu/device';
import { GpuUnavailableError } from '../gpu/errors';
import { runScenario, RunError, type RunProgress } from './run-scenario';
import { runNetworkScenario } from './run-network';
import { isNetworkDocument } from '../model/network/spec';
import { parseNetworkScenario } from '../model/network/scenario';
import type { VideoRequest } from './video-request';
import { encodeBase64 } from './base64';

declare global {
  interface Window {
    sgdHeadless?: HeadlessApi;
    /** exposed by the CLI (page.exposeFunction) to receive progress */
    sgdProgress?: (p: RunProgress) => void;
    /** exposed by the CLI: writes `base64` bytes at `position` of the video file */
    sgdVideoChunk?: (base64: string, position: number) => Promise<void>;
  }
}

export interface HeadlessApi {
  run(scenario: unknown, video?: VideoRequest): Promise<unknown>;
  /** panel P's final positions as base64 float32 x0 y0 x1 y1 ... */
  positions(panel: number): Promise<string>;
  /** panel P's particle status as base64 uint32: 0 alive, else 1 + the step it diverged at */
  status(panel: number): Promise<string>;
  /** panel P's first-passage steps as base64 uint32 (analysis.escape: 0 still inside, else the step of the first check past the exit), or null without */
  escape(panel: number): Promise<string | null>;
  /** panel P's final Fokker–Planck density as base64 float32 (grid x grid), or null without a PDE */
  density(panel: number): Promise<string | null>;
  /** network scenarios: panel P's final parameters as base64 float32, P x D particle-major */
  weights(panel: number): Promise<string>;
  /** network scenarios: panel P's per-network metrics as base64 float32, count x 4 (train loss, train accuracy, test loss, test accuracy) */
  particleMetrics(panel: number): Promise<string>;
}

export function installHeadless(): void {
  let ctx: Promise<GpuContext> | undefined;
  let last: Awaited<ReturnType<typeof runScenario>> | undefined;
  let lastNetwork: Awaited<ReturnType<typeof runNetworkScenario>> | undefined;
  const surfaceRun = () => {
    if (last) return last;
    throw new Error(lastNetwork ? 'the last scenario was a network scenario: it has weights, no positions or densities' : 'no scenario has run');
  };
  const networkRun = () => {
    if (lastNetwork) return lastNetwork;
    throw new Error(last ? 'the last scenario was a 2-D scenario: it has positions, no weights' : 'no scenario has run');
  };
  window.sgdHeadless = {
    async run(json, video) {
      try {
        ctx ??= GpuContext.create({ onUncapturedError: (e) => console.error(e.message) });
        const gpu = await ctx;
        last?.simulation.destroy();
        lastNetwork?.simulation.destroy();
        last = lastNetwork = undefined;
        if (isNetworkDocument(json)) {
          if (video) throw new RunError('--video records 2-D scenarios; a network scenario has no video yet (its metrics and weights are written instead)');
          const parsed = parseNetworkScenario(json);
          if (!parsed.ok) throw new RunError(parsed.problems.join('\n'));
          lastNetwork = await runNetworkScenario(gpu, parsed.scenario, parsed.network, (p) => window.sgdProgress?.(p));
          return lastNetwork.result;
        }
        const writable = new WritableStream<{ type: 'write'; data: Uint8Array; position: number }>({
          async write(chunk) {
            if (!window.sgdVideoChunk) throw new Error('no video sink: run through npm run lab -- run --video');
            await window.sgdVideoChunk(encodeBase64(chunk.data), chunk.position);
          },
        });
        last = await runScenario(gpu, json, (p) => window.sgdProgress?.(p), video ? { request: video, writable } : undefined);
        return last.result;
      } catch (e) {
        const reason = e instanceof GpuUnavailableError ? 'gpu' : 'error';
        return { error: { reason, message: (e as Error).message } };
      }
    },
    async positions(panel) {
      const { simulation } = surfaceRun();
      return encodeBase64(await simulation.readPositions(simulation.panels[panel]));
    },
    async status(panel) {
      if (lastNetwork) return encodeBase64(await lastNetwork.simulation.readStatus(lastNetwork.simulation.panels[panel]));
      const { simulation } = surfaceRun();
      return encodeBase64(await simulation.readStatus(simulation.panels[panel]));
    },
    async escape(panel) {
      const t = surfaceRun().escapeTimes?.[panel];
      return t ? encodeBase64(new Uint8Array(t.buffer, t.byteOffset, t.byteLength)) : null;
    },
    async density(panel) {
      const { simulation } = surfaceRun();
      const d = await simulation.readDensity(simulation.panels[panel]);
      return d ? encodeBase64(d) : null;
    },
    async weights(panel) {
      const { simulation } = networkRun();
      return encodeBase64(await simulation.readParams(simulation.panels[panel]));
    },
    async particleMetrics(panel) {
      const { simulation } = networkRun();
      return encodeBase64(await simulation.readParticleMetrics(simulation.panels[panel]));
    },
  };
  document.body.dataset.headless = 'ready';
}
