// <lab-help>: the help overlay (the header's "? Help" button, or the ? key):
// what the scenario on screen shows (a preset's claim and what was measured,
// from its description), then the keyboard shortcuts and the mouse and touch
// gestures. Loaded on first use; Escape, the close button or a click outside
// closes it.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controlStyles } from './styles';

export interface HelpScenario {
  title: string;
  /** the preset's description: the claim, the law, what the charts should do */
  description?: string;
}

const KEYS: [string, string][] = [
  ['space', 'play / pause'],
  ['.', 'one optimizer step (pauses)'],
  ['r', 'reset every panel to its initial cloud'],
  ['?', 'this help'],
  ['Esc', 'close this help, or the controls drawer'],
];

const MOUSE: [string, string][] = [
  ['drag in a 3-D view', 'orbit the camera (all panels share it)'],
  ['wheel in a 3-D view', 'zoom'],
  ['right-drag in a 3-D view', 'pan'],
  ['click on a top-view map', 'restart the cloud as a small Gaussian there'],
  ['click on a map while the path tool asks', 'pick an end of the minimum-energy path'],
];

const TOUCH: [string, string][] = [
  ['sideways drag in a 3-D view', 'orbit the camera'],
  ['vertical swipe (phones)', 'scroll through the stacked panels'],
  ['pinch in a 3-D view', 'zoom'],
  ['tap on a top-view map', 'restart the cloud there'],
  ['☰ Controls (phones)', 'surface, optimizers, noise, particles, landscape tools'],
];

@customElement('lab-help')
export class LabHelp extends LitElement {
  static override styles = [controlStyles, css`
    :host { position: fixed; inset: 0; z-index: 40; display: flex; align-items: flex-start; justify-content: center; background: rgba(0, 0, 0, .55); overflow-y: auto; padding: 24px 12px; box-sizing: border-box; }
    .box { max-width: 640px; width: 100%; background: #151a24; border: 1px solid #3a4356; border-radius: 10px; padding: 16px 20px; color: #d7deea; font: 13px/1.45 system-ui, sans-serif; box-shadow: 0 10px 40px rgba(0,0,0,.5); }
    .top { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
    h2 { margin: 0; font-size: 17px; color: #f0f3f8; }
    h3 { margin: 14px 0 4px; font-size: 13px; color: #aab4c6; text-transform: uppercase; letter-spacing: .04em; }
    p { margin: 4px 0; white-space: pre-wrap; }
    table { border-collapse: collapse; width: 100%; }
    td { padding: 2px 8px 2px 0; vertical-align: top; }
    td:first-child { white-space: nowrap; color: #ffd28a; width: 1%; }
    kbd { font: 12px ui-monospace, monospace; background: #0f1218; border: 1px solid #343c4c; border-radius: 3px; padding: 0 5px; }
    @media (max-width: 520px) { td:first-child { white-space: normal; width: 40%; } }
  `];

  @property({ attribute: false }) scenario: HelpScenario | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'dialog');
    this.setAttribute('aria-modal', 'true');
    this.setAttribute('aria-label', 'SGD Lab help');
    this.addEventListener('click', this.onBackdrop);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('button[name=help-close]')?.focus());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('click', this.onBackdrop);
  }

  private readonly onBackdrop = (e: MouseEvent): void => {
    if (e.composedPath()[0] === this) this.close();
  };

  private close(): void {
    this.dispatchEvent(new Event('help-close', { bubbles: true, composed: true }));
  }

  private table(rows: [string, string][], keys = false) {
    return html`<table>${rows.map(([k, v]) => html`<tr><td>${keys ? html`<kbd>${k}</kbd>` : k}</td><td>${v}</td></tr>`)}</table>`;
  }

  override render() {
    const s = this.scenario;
    return html`<div class="box">
      <div class="top"><h2>SGD Lab</h2><button name="help-close" aria-label="close the help" @click=${() => this.close()}>Close ✕</button></div>
      <p>Every panel runs the same cloud of particles (or networks) under its own optimizer and noise; its temperature T = lr·s²/(2B) is in its label.
The top-view maps show where the particles are (left) and the Fokker–Planck density that predicts them (right); the charts below compare them with equilibrium theory over time.</p>
      ${s ? html`<h3>What to look at: ${s.title}</h3><p>${s.description ?? 'A scenario of your own: the controls on the left (☰ Controls on a phone) show its settings.'}</p>` : nothing}
      <h3>Keyboard</h3>${this.table(KEYS, true)}
      <h3>Mouse</h3>${this.table(MOUSE)}
      <h3>Touch</h3>${this.table(TOUCH)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lab-help': LabHelp;
  }
}
