// The lr/B sweep chart of a network scenario (issue 15, item 2): each panel's
// latest train loss, test accuracy or sharpness as one point (median) with
// its 10–90 % whisker, against lr/B, lr or B on a log axis, at the same
// lr·steps (default: the SDE's time) or the same step. If the panels
// collapse onto one curve against lr/B but not against lr or B alone, lr/B is
// what sets the outcome (Jastrzebski et al. 2017); panels with the same lr/B
// but different lr and B show whether it does. Plain SVG (a handful of points).
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PanelSpec } from '../model/scenario-schema';
import type { NetworkPanelRecord } from '../sim/network/network-record';
import { recordsAtEqualTime, sweepPoints, type SweepAxis, type SweepQuantity, type SweepSample } from '../sim/network/sweep';
import { formatNumber } from '../model/format';
import { PANEL_COLORS } from './panel-colors';

const AXES: [SweepAxis, string][] = [['ratio', 'lr / B'], ['lr', 'lr'], ['batch', 'B']];
const QUANTITIES: [SweepQuantity, string, string][] = [
  ['trainLoss', 'train loss', 'nats'], ['testAccuracy', 'test accuracy', 'fraction'], ['sharpness', 'sharpness λ_max', 'loss / weight²'],
];
const W = 420, H = 220, L = 56, R = 12, T = 12, B = 34;

@customElement('network-sweep')
export class NetworkSweep extends LitElement {
  static override styles = css`
    :host { display: block; font: 12px system-ui, sans-serif; color: #c9d1e0; }
    .bar { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-bottom: 4px; }
    .muted { color: #8b94a7; }
    svg { width: 100%; max-width: ${W}px; height: auto; background: #12161f; border-radius: 4px; }
    select { background: #1b2130; color: inherit; border: 1px solid #2c3446; border-radius: 3px; }
  `;

  @property({ attribute: false }) specs: PanelSpec[] = [];
  /** the latest record per panel */
  @property({ attribute: false }) records: (NetworkPanelRecord | undefined)[] = [];
  /** training samples (the batch of full-batch gradient descent) */
  @property({ type: Number }) nTrain = 1;
  @property({ type: Number }) step = 0;
  /** the record history (grown in place): for the comparison at equal lr·steps */
  @property({ attribute: false }) history: readonly SweepSample[] = [];
  @state() private axis: SweepAxis = 'ratio';
  /** 'step': every panel's latest record (the same step); 'time': the records at the same lr·steps */
  @state() private at: 'step' | 'time' = 'time';
  @state() private quantity: SweepQuantity = 'trainLoss';

  override render() {
    const equal = this.at === 'time' ? recordsAtEqualTime(this.specs, this.history, this.quantity) : null;
    const points = sweepPoints(this.specs, equal ? equal.records : this.records, this.nTrain, this.axis, this.quantity);
    const when = equal
      ? html`<span class="muted" data-sweep-tau=${equal.tau} title=${`each panel's last record at lr·steps <= ${formatNumber(equal.tau, 4)}, the latest time every panel has reached (steps ${equal.steps.map((s) => (s === null ? '–' : s.toLocaleString('en'))).join(', ')}): the SDE's time, so panels with different lr compare at the same point of their evolution`}>lr·steps ${formatNumber(equal.tau, 4)} · median, 10–90 %</span>`
      : html`<span class="muted" title="each point: the median over the panel's networks, whiskers 10-90 %, at the latest record; panels with different lr have taken the same number of steps, not the same lr·steps">step ${this.step.toLocaleString('en')} · median, 10–90 %</span>`;
    const [, qName, qUnit] = QUANTITIES.find(([k]) => k === this.quantity)!;
    const xName = AXES.find(([k]) => k === this.axis)![1];
    const bar = html`<div class="bar"><b>Sweep</b>
      <label>final <select name="sweep-quantity" @change=${(e: Event) => { this.quantity = (e.target as HTMLSelectElement).value as SweepQuantity; }}>
        ${QUANTITIES.map(([k, t]) => html`<option value=${k} ?selected=${k === this.quantity}>${t}</option>`)}</select></label>
      <label>against <select name="sweep-axis" @change=${(e: Event) => { this.axis = (e.target as HTMLSelectElement).value as SweepAxis; }}>
        ${AXES.map(([k, t]) => html`<option value=${k} ?selected=${k === this.axis}>${t}</option>`)}</select></label>
      <label title="compare the panels at the same lr·steps (the time of the SDE that SGD approximates) or at the same number of steps">at <select name="sweep-at" @change=${(e: Event) => { this.at = (e.target as HTMLSelectElement).value as 'step' | 'time'; }}>
        <option value="time" ?selected=${this.at === 'time'}>equal lr·steps</option><option value="step" ?selected=${this.at === 'step'}>equal steps</option></select></label>
      ${when}</div>`;
    if (!points.length) {
      return html`${bar}<div class="muted">${this.quantity === 'sharpness' ? 'No sharpness yet: turn on "+ sharpness λ_max" above.' : 'No panel with an lr and a batch size has a record yet.'}</div>`;
    }
    const lx = points.map((p) => Math.log10(p.x));
    let x0 = Math.min(...lx), x1 = Math.max(...lx);
    if (x1 - x0 < 0.5) { x0 -= 0.25; x1 += 0.25; }
    const ys = points.flatMap((p) => [p.q10, p.q90]);
    let y0 = Math.min(...ys), y1 = Math.max(...ys);
    if (!(y1 > y0)) { y0 -= 0.5 * Math.abs(y0 || 1); y1 += 0.5 * Math.abs(y1 || 1); }
    const pad = 0.08 * (y1 - y0);
    y0 -= pad; y1 += pad;
    const sx = (v: number) => L + ((Math.log10(v) - x0) / (x1 - x0)) * (W - L - R);
    const sy = (v: number) => T + (1 - (v - y0) / (y1 - y0)) * (H - T - B);
    const decades: number[] = [];
    for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) decades.push(e);
    const yTicks = [0, 0.5, 1].map((t) => y0 + t * (y1 - y0));
    return html`${bar}
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${`final ${qName} against ${xName}, one point per panel`}>
        ${decades.map((e) => svg`<line x1=${sx(10 ** e)} x2=${sx(10 ** e)} y1=${T} y2=${H - B} stroke="#232937"></line>
          <text x=${sx(10 ** e)} y=${H - B + 14} fill="#8b94a7" font-size="11" text-anchor="middle">${formatNumber(10 ** e)}</text>`)}
        ${yTicks.map((v) => svg`<line x1=${L} x2=${W - R} y1=${sy(v)} y2=${sy(v)} stroke="#232937"></line>
          <text x=${L - 4} y=${sy(v) + 4} fill="#8b94a7" font-size="11" text-anchor="end">${formatNumber(v, 3)}</text>`)}
        <text x=${(L + W - R) / 2} y=${H - 4} fill="#c9d1e0" font-size="11" text-anchor="middle">${xName} (log scale)</text>
        <text x=${12} y=${(T + H - B) / 2} fill="#c9d1e0" font-size="11" text-anchor="middle" transform=${`rotate(-90 12 ${(T + H - B) / 2})`}>${qName} (${qUnit})</text>
        ${points.map((p) => {
          const c = PANEL_COLORS[p.panel % PANEL_COLORS.length];
          // panels at the same x (the same lr/B from different lr and B) side by side, 7 px apart
          const same = points.filter((q) => q.x === p.x);
          const dx = (same.indexOf(p) - (same.length - 1) / 2) * 7;
          return svg`<g data-sweep-panel=${p.panel} transform=${`translate(${dx} 0)`}><title>${`panel ${p.panel + 1}: lr ${formatNumber(p.lr)}, B ${p.batch}, lr/B ${formatNumber(p.lr / p.batch)}; ${qName} median ${formatNumber(p.q50)} (10–90 %: ${formatNumber(p.q10)}–${formatNumber(p.q90)})`}</title>
            <line x1=${sx(p.x)} x2=${sx(p.x)} y1=${sy(p.q10)} y2=${sy(p.q90)} stroke=${c} stroke-width="2"></line>
            <circle cx=${sx(p.x)} cy=${sy(p.q50)} r="4.5" fill=${c}></circle></g>`;
        })}
      </svg>${points.length < this.specs.length ? html`<div class="muted">Panels without an lr/B (Adam, added noise) or without a value are not drawn.</div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'network-sweep': NetworkSweep }
}
