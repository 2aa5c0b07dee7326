// The page's headless mode (`?headless`): the engine the CLI drives through
// puppeteer. Same Simulation code as the live lab; no UI.
import { GpuContext } from '../gpu/device';
import { GpuUnavailableError } from '../gpu/errors';
import { runScenario, type RunProgress } from './run-scenario';
import { encodeBase64 } from './base64';

declare global {
  interface Window {
    sgdHeadless?: HeadlessApi;
    /** exposed by the CLI (page.exposeFunction) to receive progress */
    sgdProgress?: (p: RunProgress) => void;
  }
}

export interface HeadlessApi {
  run(scenario: unknown): Promise<unknown>;
  /** panel P's final positions as base64 float32 x0 y0 x1 y1 ... */
  positions(panel: number): Promise<string>;
}

export function installHeadless(): void {
  let ctx: Promise<GpuContext> | undefined;
  let last: Awaited<ReturnType<typeof runScenario>> | undefined;
  window.sgdHeadless = {
    async run(json) {
      try {
        ctx ??= GpuContext.create({ onUncapturedError: (e) => console.error(e.message) });
        const gpu = await ctx;
        last?.simulation.destroy();
        last = await runScenario(gpu, json, (p) => window.sgdProgress?.(p));
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
  };
  document.body.dataset.headless = 'ready';
}
