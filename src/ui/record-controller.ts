// The lab page's recording, snapshot and export actions as a lit
// ReactiveController: it keeps the metric history, runs a recording (file
// target or memory, progress, cancel), makes snapshots, exports metrics and
// the scenario, and imports a scenario file (problems go to the page banner).
// The work itself lives in src/record/.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MetricsSample } from '../scheduler/frame-loop';
import type { PanelRecord } from '../scheduler/simulation';
import { MetricHistory } from '../record/metric-history';
import { formatBytes, formatSeconds, type RecordSettings } from '../record/record-settings';
import { canStreamToFile, chooseFileTarget, downloadBlob, type FileTarget } from '../record/save-target';
import { MIME_OF } from '../record/video-format';
import type { RecordProgress } from '../record/video-recorder';
import type { ExportKind } from './export-menu';
import type { LabEngine } from './lab-engine';
import { PANEL_COLORS } from './panel-colors';
import { checkDoc, withTitle, type ScenarioDoc } from './scenario-state';
import { whenFormulasReadable } from './formula-reader';

export interface RecordHost extends ReactiveControllerHost {
  readonly engine: LabEngine;
  /** shows a line in the page banner */
  showBanner(text: string, kind: 'warn' | 'info'): void;
  /** shows metrics read during a recording as the live loop's are shown (charts, labels) */
  showMetrics(sample: MetricsSample): void;
  /** makes a validated scenario document the page's and runs it */
  loadScenario(doc: ScenarioDoc): Promise<void>;
}

/** Largest scenario file read (bytes): scenarios are a few kB; anything bigger is not one. */
const MAX_IMPORT_BYTES = 2_000_000;

export class RecordController implements ReactiveController {
  readonly history = new MetricHistory();
  dialogOpen = false;
  /** a recording or snapshot runs */
  busy = false;
  recording = false;
  progress: RecordProgress | null = null;
  status: { text: string; kind: 'ok' | 'error' } | null = null;
  /** the last file handed to the browser's download (tests read it) */
  lastDownload: { name: string; blob: Blob } | null = null;
  /** the last finished recording */
  lastRecording: { name: string; bytes: number; frames: number; wallSeconds: number; streamed: boolean; hiddenFrames: number } | null = null;
  private abort: AbortController | null = null;

  constructor(private readonly host: RecordHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.abort?.abort();
  }

  get canStream(): boolean {
    return canStreamToFile();
  }

  /** A sample of the live loop: kept for export. */
  onLiveSample(s: MetricsSample): void {
    if (this.host.engine.view) this.history.push(s.step, s.records);
  }

  openDialog(): void {
    this.dialogOpen = true;
    this.status = null;
    this.host.requestUpdate();
  }

  closeDialog(): void {
    if (this.recording) return;
    this.dialogOpen = false;
    this.host.requestUpdate();
  }

  cancel(): void {
    this.abort?.abort();
  }

  /** Records a video with the dialog's settings (asks for the file first where it can stream). */
  async record(settings: RecordSettings): Promise<void> {
    if (this.busy) return;
    // busy from here: a second Record press while the file picker is open does nothing
    this.busy = true;
    const name = `${this.fileStem()}.${settings.format}`;
    let target: FileTarget | null = null;
    if (this.canStream && settings.destination === 'file') {
      try {
        target = await chooseFileTarget(name, MIME_OF[settings.format]);
      } catch (e) {
        this.finish({ text: `The file could not be opened: ${(e as Error).message}`, kind: 'error' });
        return;
      }
      if (!target) {
        this.finish({ text: 'No file chosen: nothing was recorded.', kind: 'ok' });
        return;
      }
    }
    this.recording = true;
    this.progress = null;
    this.status = null;
    const abort = (this.abort = new AbortController());
    this.host.requestUpdate();
    // frames made while the tab was hidden (no requestAnimationFrame there; the recording goes on)
    let hiddenFrames = 0;
    try {
      // the video encoder (mediabunny) loads with the first recording, not with the page
      const { recordLive } = await import('../record/live-recording');
      const result = await recordLive(this.host.engine, {
        settings, title: this.title(), colors: PANEL_COLORS, target, signal: abort.signal,
        onProgress: (p) => {
          if (document.visibilityState === 'hidden') hiddenFrames++;
          this.progress = p;
          this.host.requestUpdate();
        },
        onRecords: (step, records) => this.takeRecords(step, records),
      });
      let bytes = target?.size ?? 0;
      if (result.bytes) {
        const blob = new Blob([result.bytes as BlobPart], { type: result.mimeType });
        bytes = blob.size;
        this.download(blob, name);
      }
      this.lastRecording = { name: target?.name ?? name, bytes, frames: result.frames, wallSeconds: result.wallSeconds, streamed: !!target, hiddenFrames };
      this.finish({
        text: `Saved ${target ? target.name : `${name} (download)`}: ${formatBytes(bytes)}, ${result.frames} frames in ${formatSeconds(result.wallSeconds)} ` +
          `(${(result.wallSeconds / result.frames).toFixed(2)} s per frame).`,
        kind: 'ok',
      });
    } catch (e) {
      const cancelled = (e as Error).name === 'AbortError';
      this.finish(cancelled
        ? { text: 'Cancelled: nothing was saved.', kind: 'ok' }
        : { text: `The recording failed: ${(e as Error).message}${target ? ' (the file was removed)' : ''}`, kind: 'error' });
    }
  }

  private finish(status: { text: string; kind: 'ok' | 'error' }): void {
    this.busy = this.recording = false;
    this.abort = null;
    this.progress = null;
    this.status = status;
    this.host.requestUpdate();
  }

  /** A recording frame's metrics: kept, and shown like the live loop's. */
  private takeRecords(step: number, records: PanelRecord[]): void {
    this.history.push(step, records);
    this.host.showMetrics({ step, records });
  }

  async exportFile(kind: ExportKind): Promise<void> {
    try {
      switch (kind) {
        case 'png': await this.snapshot(); return;
        case 'metrics-csv': return this.exportMetrics('csv');
        case 'metrics-json': return this.exportMetrics('json');
        case 'scenario': return this.exportScenario();
      }
    } catch (e) {
      this.host.showBanner(`Export failed: ${(e as Error).message}`, 'warn');
    }
  }

  /** PNG of the canvas at its size on the page, with labels. */
  async snapshot(overlay = true): Promise<Blob> {
    if (this.busy) throw new Error('a recording or snapshot is in progress');
    const canvas = this.host.engine.renderer?.canvas;
    if (!canvas) throw new Error('the lab is not running a scenario');
    const r = canvas.getBoundingClientRect();
    this.busy = true;
    try {
      const { snapshotLive } = await import('../record/snapshot');
      const blob = await snapshotLive(this.host.engine, {
        width: Math.floor(r.width), height: Math.floor(r.height), pixelRatio: Math.min(window.devicePixelRatio || 1, 2),
        title: this.title(), colors: PANEL_COLORS, overlay,
      });
      this.download(blob, `${this.fileStem()}-step${this.host.engine.sim?.stepsDone ?? 0}.png`);
      return blob;
    } finally {
      this.busy = false;
    }
  }

  private exportMetrics(format: 'csv' | 'json'): void {
    if (!this.history.samples.length) throw new Error('no metric samples yet: let the simulation run first');
    const text = format === 'csv' ? this.history.toCsv() : this.history.toJson(this.host.engine.scenario);
    this.download(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }), `${this.fileStem()}-metrics.${format}`);
  }

  private exportScenario(): void {
    const scenario = this.host.engine.scenario;
    if (!scenario) throw new Error('no scenario runs yet');
    this.download(new Blob([JSON.stringify(scenario, null, 2) + '\n'], { type: 'application/json' }), `${this.fileStem()}-scenario.json`);
  }

  /** Reads a scenario file; a bad one leaves the page as it was and says why in the banner. */
  async importFile(file: File): Promise<boolean> {
    const fail = (why: string) => { this.host.showBanner(`${file.name} could not be imported: ${why}`, 'warn'); return false; };
    if (file.size > MAX_IMPORT_BYTES) return fail(`${formatBytes(file.size)} is too large for a scenario file`);
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (e) {
      return fail(`it is not valid JSON (${(e as Error).message})`);
    }
    await whenFormulasReadable(json);
    const r = checkDoc(withTitle(json));
    if (!r.ok) return fail(`it is not a valid scenario:\n${r.problems.slice(0, 12).join('\n')}`);
    await this.host.loadScenario(r.doc);
    this.host.showBanner(`Imported ${file.name}${r.doc.title ? `: ${r.doc.title}` : ''}`, 'info');
    return true;
  }

  private download(blob: Blob, name: string): void {
    this.lastDownload = { name, blob };
    downloadBlob(blob, name);
  }

  private title(): string {
    const e = this.host.engine;
    return e.scenario?.title ?? e.sim?.surface.name ?? 'SGD Lab';
  }

  private fileStem(): string {
    const slug = this.title().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
    return `sgd-lab-${slug || 'run'}`;
  }
}
