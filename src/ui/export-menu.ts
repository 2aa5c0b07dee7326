// <lab-export-menu>: the header's Export menu: a PNG snapshot, the metrics the
// page has received (CSV / JSON), the scenario as JSON, and importing a
// scenario file. It only reports what was chosen (ExportEvent, ImportEvent);
// the host does the work.
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';

export type ExportKind = 'png' | 'metrics-csv' | 'metrics-json' | 'scenario';

export class ExportEvent extends Event {
  constructor(readonly kind: ExportKind) {
    super('lab-export', { bubbles: true, composed: true });
  }
}

export class ImportEvent extends Event {
  constructor(readonly file: File) {
    super('lab-import', { bubbles: true, composed: true });
  }
}

@customElement('lab-export-menu')
export class LabExportMenu extends LitElement {
  static override styles = css`
    :host { position: relative; font: 13px/1.35 system-ui, sans-serif; }
    summary { list-style: none; cursor: pointer; color: #e6ebf3; background: #161b25; border: 1px solid #343c4c; border-radius: 4px; padding: 3px 8px; user-select: none; }
    summary::-webkit-details-marker { display: none; }
    summary:hover { background: #222a38; }
    .menu { position: absolute; top: calc(100% + 4px); left: 0; z-index: 10; min-width: 250px; background: #151a24; border: 1px solid #3a4356; border-radius: 6px; padding: 4px; box-shadow: 0 8px 24px rgba(0,0,0,.5); }
    button, label { display: block; width: 100%; box-sizing: border-box; text-align: left; font: inherit; color: #e6ebf3; background: none; border: 0; border-radius: 4px; padding: 5px 8px; cursor: pointer; }
    button:hover, label:hover { background: #222a38; }
    small { color: #8b94a7; }
    .note { color: #8b94a7; font-size: 11px; padding: 2px 8px 4px; }
    hr { border: 0; border-top: 1px solid #2a3140; margin: 4px 0; }
    input[type=file] { display: none; }
  `;

  /** what the metric history holds (MetricHistory.describe()) */
  @property() historyNote = '';
  @query('details') private details!: HTMLDetailsElement;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pointerdown', this.onOutside, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutside, true);
  }

  /** a click elsewhere closes the menu */
  private readonly onOutside = (e: PointerEvent): void => {
    if (this.details?.open && !e.composedPath().includes(this)) this.details.open = false;
  };

  private choose(kind: ExportKind): void {
    this.details.open = false;
    this.dispatchEvent(new ExportEvent(kind));
  }

  private picked(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    this.details.open = false;
    if (file) this.dispatchEvent(new ImportEvent(file));
  }

  override render() {
    return html`<details>
      <summary title="snapshot, metrics and scenario files">Export ▾</summary>
      <div class="menu">
        <button name="export-png" @click=${() => this.choose('png')}>Snapshot <small>PNG of the panels, with labels</small></button>
        <button name="export-csv" @click=${() => this.choose('metrics-csv')}>Metrics <small>CSV: step,panel,metric,value</small></button>
        <button name="export-json" @click=${() => this.choose('metrics-json')}>Metrics <small>JSON</small></button>
        <div class="note" data-history>${this.historyNote}</div>
        <hr>
        <button name="export-scenario" @click=${() => this.choose('scenario')}>Scenario <small>JSON (for the runner, or to import)</small></button>
        <label>Import scenario… <small>JSON file</small><input type="file" name="import" accept=".json,application/json" @change=${(e: Event) => this.picked(e)}></label>
      </div>
    </details>`;
  }
}
