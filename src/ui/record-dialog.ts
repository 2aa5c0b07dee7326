// <lab-record-dialog>: the Record dialog. Asks for the video's settings and
// shows, before anything runs, its frames, length, the steps it covers, the
// expected file size and where it goes (streamed to a file, or kept in memory
// up to a stated limit); while recording, a progress bar with time left and
// Cancel. The recording itself is the host's (RecordController).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controlStyles } from './styles';
import { DEFAULT_RECORD_SETTINGS, MEMORY_LIMIT_BYTES, formatBytes, formatSeconds, recordPlan, type RecordSettings } from '../record/record-settings';
import type { RecordProgress } from '../record/video-recorder';

/** 'record-start': the person pressed Record with these settings */
export type RecordStartEvent = CustomEvent<RecordSettings>;

@customElement('lab-record-dialog')
export class LabRecordDialog extends LitElement {
  static override styles = [controlStyles, css`
    :host([hidden]) { display: none; }
    :host { position: fixed; inset: 0; z-index: 20; display: flex; align-items: center; justify-content: center; background: rgba(5, 7, 10, .6); font: 13px/1.4 system-ui, sans-serif; color: #d7deea; --control-bg: #0f1218; --button-bg: #161b25; --control-pad: 3px 6px; }
    .box { width: min(520px, 94vw); background: #151a24; border: 1px solid #3a4356; border-radius: 10px; padding: 16px 20px; box-shadow: 0 10px 40px rgba(0,0,0,.5); }
    h2 { margin: 0 0 12px; font-size: 16px; color: #f0f3f8; }
    .grid { display: grid; grid-template-columns: 150px 1fr; gap: 7px 10px; align-items: center; }
    .grid > span { color: #aab4c6; }
    .row { display: flex; gap: 6px; align-items: center; }
    input[type=number] { width: 76px; }
    input[type=checkbox] { padding: 0; }
    button { padding: 4px 12px; }
    .plan { margin: 12px 0 0; padding: 8px 10px; background: #0f1218; border-radius: 6px; color: #c9d1e0; }
    .plan b { color: #f0f3f8; font-weight: 600; }
    .memory { color: #ffd9a0; margin-top: 6px; }
    .problems { color: #ffb3a1; margin: 8px 0 0; padding-left: 18px; }
    .bar { height: 10px; background: #0f1218; border: 1px solid #343c4c; border-radius: 5px; overflow: hidden; margin: 10px 0 6px; }
    .bar > div { height: 100%; background: #2f5fd0; }
    .progress { font-variant-numeric: tabular-nums; color: #c9d1e0; }
    .status { margin-top: 10px; white-space: pre-wrap; }
    .status.error { color: #ffb3a1; }
    .status.ok { color: #9fe0a8; }
    .buttons { display: flex; gap: 8px; justify-content: flex-end; margin-top: 14px; }
  `];

  /** steps every panel has done (where a recording that does not restart begins) */
  @property({ type: Number }) stepsDone = 0;
  /** whether the browser can stream the video to a file */
  @property({ type: Boolean }) canStream = false;
  /** set while recording */
  @property({ attribute: false }) progress: RecordProgress | null = null;
  @property({ type: Boolean }) recording = false;
  /** the last recording's outcome */
  @property({ attribute: false }) status: { text: string; kind: 'ok' | 'error' } | null = null;
  @state() private settings: RecordSettings = { ...DEFAULT_RECORD_SETTINGS };

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKey);
  }

  /** Escape closes the dialog (not while recording: Cancel stops a recording) */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && !this.recording) this.dispatchEvent(new Event('record-close', { bubbles: true, composed: true }));
  };

  private set<K extends keyof RecordSettings>(key: K, value: RecordSettings[K]): void {
    this.settings = { ...this.settings, [key]: value };
  }

  private num(key: 'width' | 'height' | 'fps' | 'stepsPerFrame' | 'length', e: Event): void {
    this.set(key, Number((e.target as HTMLInputElement).value));
  }

  override render() {
    const s = this.settings;
    const plan = recordPlan(s, this.stepsDone, this.canStream);
    const inMemory = !this.canStream || s.destination === 'memory';
    const busy = this.recording;
    return html`<div class="box" role="dialog" aria-label="Record a video">
      <h2>Record a video</h2>
      <div class="grid">
        <span>format</span>
        <select name="format" ?disabled=${busy} @change=${(e: Event) => this.set('format', (e.target as HTMLSelectElement).value as RecordSettings['format'])}>
          <option value="mp4" ?selected=${s.format === 'mp4'}>MP4 (H.264)</option>
          <option value="webm" ?selected=${s.format === 'webm'}>WebM (VP9)</option>
        </select>
        <span>size</span>
        <div class="row"><input type="number" name="width" min="16" max="4096" step="2" .value=${String(s.width)} ?disabled=${busy} @change=${(e: Event) => this.num('width', e)}>
          × <input type="number" name="height" min="16" max="4096" step="2" .value=${String(s.height)} ?disabled=${busy} @change=${(e: Event) => this.num('height', e)}> px</div>
        <span>frame rate</span>
        <div class="row"><input type="number" name="fps" min="1" max="240" .value=${String(s.fps)} ?disabled=${busy} @change=${(e: Event) => this.num('fps', e)}> frames/s</div>
        <span title="every panel advances exactly this many optimizer steps between two frames, however slow the machine">steps per frame</span>
        <div class="row"><input type="number" name="stepsPerFrame" min="0" step="1" .value=${String(s.stepsPerFrame)} ?disabled=${busy} @change=${(e: Event) => this.num('stepsPerFrame', e)}> optimizer steps</div>
        <span>length</span>
        <div class="row"><input type="number" name="length" min="1" .value=${String(s.length)} ?disabled=${busy} @change=${(e: Event) => this.num('length', e)}>
          <select name="lengthUnit" ?disabled=${busy} @change=${(e: Event) => this.set('lengthUnit', (e.target as HTMLSelectElement).value as RecordSettings['lengthUnit'])}>
            <option value="seconds" ?selected=${s.lengthUnit === 'seconds'}>seconds</option>
            <option value="frames" ?selected=${s.lengthUnit === 'frames'}>frames</option>
          </select></div>
        <span>bitrate</span>
        <div class="row"><input type="number" name="bitrate" min="0.01" max="200" step="0.5" .value=${String(s.bitrate / 1e6)} ?disabled=${busy}
          @change=${(e: Event) => this.set('bitrate', Math.round(Number((e.target as HTMLInputElement).value) * 1e6))}> Mbit/s</div>
        <span>charts</span>
        <label class="row"><input type="checkbox" name="charts" .checked=${s.charts} ?disabled=${busy} @change=${(e: Event) => this.set('charts', (e.target as HTMLInputElement).checked)}> draw the metric charts under the panels</label>
        <span>start</span>
        <label class="row"><input type="checkbox" name="fromStart" .checked=${s.fromStart} ?disabled=${busy} @change=${(e: Event) => this.set('fromStart', (e.target as HTMLInputElement).checked)}> from the initial cloud (step 0)</label>
        ${this.canStream ? html`<span>save to</span>
          <select name="destination" ?disabled=${busy} @change=${(e: Event) => this.set('destination', (e.target as HTMLSelectElement).value as RecordSettings['destination'])}>
            <option value="file" ?selected=${s.destination === 'file'}>a file chosen now, written while recording</option>
            <option value="memory" ?selected=${s.destination === 'memory'}>a download when done (kept in memory)</option>
          </select>` : nothing}
      </div>
      <div class="plan" data-plan>
        <b>${plan.frames.toLocaleString('en')} frames</b> = ${plan.seconds.toFixed(1)} s of video at ${s.fps} frames/s, optimizer steps
        ${plan.firstStep.toLocaleString('en')} → ${plan.lastStep.toLocaleString('en')} in every panel. Expected file: about <b>${formatBytes(plan.bytes)}</b>
        (at most, at ${(s.bitrate / 1e6).toFixed(1)} Mbit/s).
        ${inMemory ? html`<div class="memory" data-memory-limit>${this.canStream ? 'The video' : 'This browser cannot write a file while recording (no File System Access API), so the video'}
          is kept in memory until it is saved: at most ${formatBytes(MEMORY_LIMIT_BYTES)}.</div>` : nothing}
      </div>
      ${plan.problems.length ? html`<ul class="problems">${plan.problems.map((p) => html`<li>${p}</li>`)}</ul>` : nothing}
      ${busy ? this.progressView() : nothing}
      ${this.status && !busy ? html`<div class="status ${this.status.kind}" role="status">${this.status.text}</div>` : nothing}
      <div class="buttons">
        ${busy
          ? html`<button name="cancel" @click=${() => this.dispatchEvent(new Event('record-cancel', { bubbles: true, composed: true }))}>Cancel</button>`
          : html`<button name="close" @click=${() => this.dispatchEvent(new Event('record-close', { bubbles: true, composed: true }))}>Close</button>
            <button class="primary" name="start" ?disabled=${plan.problems.length > 0} @click=${() => this.dispatchEvent(new CustomEvent('record-start', { detail: { ...s }, bubbles: true, composed: true }))}>● Record</button>`}
      </div>
    </div>`;
  }

  private progressView() {
    const p = this.progress;
    const done = p ? p.frame / p.frames : 0;
    return html`<div class="bar"><div style=${`width:${(100 * done).toFixed(1)}%`}></div></div>
      <div class="progress" data-progress>${p
        ? `frame ${p.frame.toLocaleString('en')} / ${p.frames.toLocaleString('en')} · ${formatSeconds(p.elapsed)} so far · about ${formatSeconds(p.left)} left`
        : 'starting…'}</div>`;
  }
}
