// The page's headless mode (headless.html): the engine the CLI drives through
// puppeteer. Same Simulation code as the live lab; no UI.
import { GpuContext } from '../gpu/device';
import { GpuUnavailableError } from '../gpu/errors';
import { runScenario, type RunProgress } from './run-scenario';
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
  /** panel P's final Fokker–Planck density as base64 float32 (grid x grid), or null without a PDE */
  density(panel: number): Promise<string | null>;
}

export function installHeadless(): void {
  let ctx: Promise<GpuContext> | undefined;
  let last: Awaited<ReturnType<typeof runScenario>> | undefined;
  window.sgdHeadless = {
    async run(json, video) {
      try {
        ctx ??= GpuContext.create({ onUncapturedError: (e) => console.error(e.message) });
        const gpu = await ctx;
        last?.simulation.destroy();
        last = undefined;
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
      if (!last) throw new Error('no scenario has run');
      return encodeBase64(await last.simulation.readPositions(last.simulation.panels[panel]));
    },
    async status(panel) {
      if (!last) throw new Error('no scenario has run');
      return encodeBase64(await last.simulation.readStatus(last.simulation.panels[panel]));
    },
    async density(panel) {
      if (!last) throw new Error('no scenario has run');
      const d = await last.simulation.readDensity(last.simulation.panels[panel]);
      return d ? encodeBase64(d) : null;
    },
  };
  document.body.dataset.headless = 'ready';
}
