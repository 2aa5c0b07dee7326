// The "Laws" tab (issue 16, item 5): each panel's latest record beside what
// theory predicts, where theory gives a number (src/sim/metrics/panel-laws.ts,
// the same pairs the runner writes to summary.json's `laws`), and with escape
// statistics on, each panel's mean escape time against Eyring–Kramers (the
// Escape tab has its histogram).
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Scenario } from '../model/scenario';
import type { Surface } from '../model/surface-types';
import type { PanelRecord } from '../scheduler/simulation';
import { panelLaws, type Law } from '../sim/metrics/panel-laws';
import { escapeLaw } from '../sim/analysis/escape-summary';
import { klSamplingFloor } from '../sim/fokker-planck/kl-floor';
import type { EscapeSnapshot } from '../scheduler/escape-watch';
import { formatNumber } from '../model/format';
import { PANEL_COLORS } from './panel-colors';

/** measured/predicted - 1 as a signed percentage, or the difference where the prediction is ~0 */
function deviation(l: Law): string {
  if (l.measured === null || !Number.isFinite(l.measured)) return '—';
  if (Math.abs(l.predicted) < 1e-9) return `Δ ${formatNumber(l.measured - l.predicted, 2)}`;
  const pct = (100 * (l.measured - l.predicted)) / Math.abs(l.predicted);
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(Math.abs(pct) < 10 ? 1 : 0)} %`;
}

/** the densities for the KL sampling floor are read back at most this often (ms) */
const DENSITY_READ_MS = 2000;

@customElement('lab-laws')
export class LabLaws extends LitElement {
  static override styles = css`
    :host { display: block; overflow: auto; font: 12px system-ui, sans-serif; color: #c9d1e0; padding: 6px 10px; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: 3px 10px 3px 0; text-align: left; vertical-align: top; border-bottom: 1px solid #232937; }
    th { color: #8b94a7; font-weight: 600; }
    td.num { text-align: right; white-space: nowrap; }
    .law { color: #8b94a7; }
    .swatch { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 5px; }
    p { margin: 4px 0; color: #8b94a7; max-width: 70ch; }
  `;

  /** reactive, so that showing the tab (lab-app toggles `hidden`) updates it and starts the density reads */
  @property({ type: Boolean, reflect: true }) override hidden = false;
  @property({ attribute: false }) scenario: Scenario | null = null;
  @property({ attribute: false }) surface: Surface | null = null;
  /** latest metrics record per panel */
  @property({ attribute: false }) records: PanelRecord[] = [];
  /** the escape watch's latest read, or null */
  @property({ attribute: false }) escape: EscapeSnapshot | null = null;
  /** reads each panel's Fokker–Planck density (null without a PDE), for the sampling floor of KL(particles ‖ PDE) */
  @property({ attribute: false }) readDensities: (() => Promise<(Float32Array | null)[]>) | null = null;
  /** per panel, the density last read (refreshed at most every DENSITY_READ_MS while the table shows) */
  private densities: (Float32Array | null)[] = [];
  private lastRead = -Infinity;
  private reading = false;

  /** every panel's laws with its index (empty until the first record) */
  rows(): { panel: number; law: Law }[] {
    const { scenario, surface } = this;
    if (!scenario || !surface) return [];
    return this.records.flatMap((rec, i) => {
      const spec = scenario.panels[i];
      if (!spec || !rec) return [];
      const escape = this.escape?.panels[i];
      const density = this.densities[i];
      const kl = rec.pde && density ? { measured: rec.pde.klHistogram, floor: klSamplingFloor(density, rec.pde.histogramCount) } : null;
      const laws = panelLaws(surface, spec, rec, { gibbsBasins: rec.gibbsBasins, klSsGibbs: rec.pde ? rec.pde.klSsGibbs : undefined, klParticlesPde: kl, init: scenario.particles.init, pdeBasins: rec.pde?.gibbsIsStationary ? rec.pde.basinMasses : null });
      const e = escape ? escapeLaw(escape) : null;
      return [...laws, ...(e ? [e] : [])].map((law) => ({ panel: i, law }));
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // another simulation: its densities, not the last one's
    if (changed.has('readDensities')) { this.densities = []; this.lastRead = -Infinity; }
  }

  protected override updated(): void {
    // the densities behind the sampling floor: read again while the table shows and records arrive
    const now = performance.now();
    if (this.hidden || !this.readDensities || this.reading || now - this.lastRead < DENSITY_READ_MS || !this.records.some((r) => r?.pde)) return;
    this.reading = true;
    this.lastRead = now;
    void this.readDensities().then((d) => { this.densities = d; this.requestUpdate(); }, () => {}).finally(() => { this.reading = false; });
  }

  override render() {
    const rows = this.rows();
    if (!rows.length) {
      return html`<p>No law gives a number for this scenario yet. Laws are computed for SGD (plain, heavy ball, Nesterov) with constant noise on
        the quadratic surface (stationary covariance, mean loss, angular momentum; KL(ρ_ss ‖ Gibbs) with an anisotropic diffusion and the PDE on)
        and, at T &gt; 0, for each listed minimum's basin share against its Gibbs share; with escape statistics on (Escape tab), the mean
        escape time against Eyring–Kramers for SGD with isotropic noise.</p>`;
    }
    return html`<table>
        <thead><tr><th>panel</th><th>quantity</th><th>law</th><th class="num">measured</th><th class="num">predicted</th><th class="num">off by</th><th>unit</th></tr></thead>
        <tbody>${rows.map(({ panel, law }) => html`<tr>
          <td><span class="swatch" style=${`background:${PANEL_COLORS[panel % PANEL_COLORS.length]}`}></span>${this.scenario?.panels[panel]?.label ?? `panel ${panel + 1}`}</td>
          <td>${law.name}</td><td class="law">${law.law}</td>
          <td class="num">${law.measured === null ? '—' : formatNumber(law.measured, 4)}${law.se !== undefined && law.measured !== null ? ` ± ${formatNumber(law.se, 2)}` : ''}</td><td class="num">${formatNumber(law.predicted, 4)}</td>
          <td class="num">${deviation(law)}</td><td>${law.unit}</td></tr>`)}</tbody>
      </table>
      <p>The latest record against the law (not an average): particles carry a sampling error of about √(2/N) relative on a variance, the grid its
        discretisation error. KL(particles ‖ PDE) is held against the value counting noise alone would give (from the density read at most every
        2 s): above it by what really separates the cloud from the PDE (the step's time discretisation, the grid's). The runner writes the same
        pairs to summary.json (<code>laws</code>).</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lab-laws': LabLaws }
}
