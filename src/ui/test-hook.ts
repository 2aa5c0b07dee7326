// window.__sgdLab: the live page's hook for the browser tests, the live-page
// benchmark and the screenshot script (installed by src/main.ts). They read
// the page's state through it and drive the engine; the harness files import
// LabTestHook as a type. Nothing in the page itself reads it.
import type { GpuContext } from '../gpu/device';
import type { Scenario } from '../model/scenario';
import type { FrameStats } from '../scheduler/frame-loop';
import type { AnalysisController } from './analysis-controller';
import type { SgdLab } from './lab-app';
import type { EngineState, LabEngine } from './lab-engine';
import type { RecordController } from './record-controller';
import type { Banner } from './scenario-draft';

export interface LabTestHook {
  /** the <sgd-lab> element (its shadow root holds the controls) */
  readonly app: SgdLab;
  readonly engine: LabEngine;
  readonly gpu: GpuContext | null;
  readonly state: EngineState;
  readonly message: LabEngine['message'];
  /** the running scenario (normalised) */
  readonly scenario: Scenario | null;
  readonly stats: FrameStats | null;
  /** labels of the buffers the frame loop reads back (tests check only metrics are) */
  readonly readbackLabels: readonly string[];
  /** the latest metrics record per panel */
  readonly records: SgdLab['records'];
  /** metrics samples received so far */
  readonly metricsSamples: number;
  /** simulations built so far */
  readonly builds: number;
  readonly banner: Banner | null;
  readonly recorder: RecordController;
  /** the landscape tools (critical points, path, smoothing) */
  readonly analysis: AnalysisController;
  /** Resolves after `n` more frames (at once when no simulation runs). */
  waitFrames(n: number): Promise<void>;
  /** Loads a scenario document (a preset's title and description allowed); resolves with the engine's state once it runs. */
  load(json: unknown, play?: boolean): Promise<EngineState>;
}

declare global {
  interface Window {
    __sgdLab?: LabTestHook;
  }
}

/** Installs window.__sgdLab for `app`; returns the function that removes it. */
export function installTestHook(app: SgdLab): () => void {
  const hook: LabTestHook = {
    app,
    get engine() { return app.engine; },
    get gpu() { return app.engine.gpu; },
    get state() { return app.engine.state; },
    get message() { return app.engine.message; },
    get scenario() { return app.engine.scenario; },
    get stats() { return app.engine.transport?.stats ?? null; },
    get readbackLabels() { return app.engine.transport?.readbackLabels ?? []; },
    get records() { return app.records; },
    get metricsSamples() { return app.metricsSamples; },
    get builds() { return app.engine.builds; },
    get banner() { return app.draft.banner; },
    get recorder() { return app.recorder; },
    get analysis() { return app.analysis; },
    waitFrames: (n) => app.engine.transport?.waitFrames(n) ?? Promise.resolve(),
    load: async (json, play = true) => {
      await app.draft.loadJson(json, play);
      return app.engine.state;
    },
  };
  window.__sgdLab = hook;
  return () => {
    if (window.__sgdLab === hook) delete window.__sgdLab;
  };
}
