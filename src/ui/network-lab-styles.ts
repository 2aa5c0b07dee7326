// The styles of <network-lab> (network-lab.ts): toolbar, sidebar, the plane
// and side columns, the charts, and the phone layout below 760 px.
import { css } from 'lit';
import { controlStyles } from './styles';

export const networkLabStyles = [controlStyles, css`
    :host { display: grid; grid-template-rows: auto 1fr; min-height: 0; min-width: 0; background: #0b0d12; color: #d7deea; font: 13px/1.35 system-ui, sans-serif; --control-pad: 2px 7px; }
    .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; padding: 5px 12px; border-bottom: 1px solid #232936; background: #0f131a; }
    .toolbar .group { display: flex; align-items: center; gap: 6px; }
    .toolbar label { color: #aab4c6; display: flex; align-items: center; gap: 6px; }
    button.primary { min-width: 74px; }
    .steps { font-variant-numeric: tabular-nums; color: #e6ebf3; min-width: 150px; }
    .rate { font-variant-numeric: tabular-nums; color: #8b94a7; font-size: 12px; }
    .body { display: grid; grid-template-columns: 290px 1fr; min-height: 0; }
    aside { overflow-y: auto; border-right: 1px solid #232936; background: #0f1218; padding: 8px 10px 16px; display: flex; flex-direction: column; gap: 12px; }
    aside h3 { margin: 0 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #8b94a7; font-weight: 600; }
    aside .row { display: flex; align-items: center; gap: 5px; margin: 4px 0; }
    aside .row > span:first-child { color: #9aa6ba; flex: 0 0 56px; }
    aside .row > select { min-width: 0; flex: 1; }
    aside input[type=number] { width: 46px; box-sizing: border-box; }
    aside select { max-width: 100%; }
    .facts { color: #c9d1e0; font-variant-numeric: tabular-nums; }
    .facts div { margin: 1px 0; }
    .muted { color: #8b94a7; }
    .panel { display: grid; grid-template-columns: 10px 1fr; gap: 2px 6px; align-items: baseline; margin: 4px 0; }
    .sw { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
    .panel .sub { grid-column: 2; color: #9aa6ba; font-size: 12px; font-variant-numeric: tabular-nums; }
    .panel .T { color: #ffd28a; cursor: help; }
    progress { width: 100%; height: 8px; }
    .error { color: #ffb3a1; white-space: pre-wrap; }
    .center { display: grid; grid-template-rows: minmax(260px, 1fr) minmax(170px, 36%); grid-auto-rows: auto; min-width: 0; min-height: 0; overflow-y: auto; }
    .center > network-sweep { padding: 4px 10px 10px; }
    .views { display: grid; grid-template-columns: minmax(0, 1fr) minmax(150px, 31%); gap: 10px; padding: 8px 10px 4px; min-height: 0; }
    .side { display: flex; flex-direction: column; gap: 6px; min-height: 0; overflow: hidden; }
    .side > .map { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; gap: 2px; }
    .cap { display: flex; justify-content: space-between; gap: 6px; font-size: 12px; color: #c9d1e0; white-space: nowrap; overflow: hidden; }
    .cap b { font-weight: 600; }
    .cap .muted { overflow: hidden; text-overflow: ellipsis; }
    .plane { display: flex; flex-direction: column; gap: 4px; min-height: 0; }
    .side > .path-profile { flex: none; display: flex; flex-direction: column; gap: 2px; }
    .path-profile .cap button { font-size: 11px; padding: 0 6px; line-height: 1.3; }
    .small { font-size: 11px; }
    .planes { flex: 1; min-height: 0; display: grid; grid-template-columns: 1fr; gap: 8px; }
    .planes.both { grid-template-columns: 1fr 1fr; }
    .planes > * { min-height: 0; min-width: 0; }
    .placeholder3d { display: flex; align-items: center; justify-content: center; color: #8b94a7; font-size: 12px; text-align: center; padding: 16px; background: #10131a; border-radius: 4px; }
    .modes { display: flex; gap: 0; flex: none; }
    .modes button { font-size: 11px; padding: 0 7px; border-radius: 0; }
    .modes button:first-child { border-radius: 4px 0 0 4px; }
    .modes button:last-child { border-radius: 0 4px 4px 0; }
    network-decision-map { flex: 1; min-height: 0; }
    .card { max-width: 560px; margin: 40px auto; background: #151a24; border: 1px solid #3a4356; border-radius: 10px; padding: 20px 24px; }
    .card h2 { margin: 0 0 10px; font-size: 18px; color: #ffb3a1; }
    .busy { padding: 40px; color: #8fa0bd; text-align: center; }
    .classes { display: flex; flex-wrap: wrap; gap: 2px 10px; font-size: 11px; color: #9aa6ba; }
    .classes > span { white-space: nowrap; }
    .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 3px; vertical-align: middle; }
    .hollow { background: none !important; border: 1.5px solid; box-sizing: border-box; }
    @media (max-width: 760px) {
      :host { overflow-y: auto; display: block; }
      .body { display: flex; flex-direction: column; }
      aside { order: 2; border-right: none; border-top: 1px solid #232936; overflow: visible; }
      .center { display: flex; flex-direction: column; }
      .views { display: flex; flex-direction: column; }
      .plane { height: min(100vw, 440px); }
      .plane > .cap { flex-wrap: wrap; }
      .planes.both { grid-template-columns: 1fr; grid-template-rows: 1fr 1fr; }
      .plane:has(.planes.both) { height: min(200vw, 860px); }
      .side { flex-direction: row; flex-wrap: wrap; overflow: visible; }
      .side > .map { flex: 1 1 40%; min-width: 0; }
      .classes { flex-basis: 100%; }
      network-decision-map { flex: none; aspect-ratio: 1; }
      network-charts { height: 640px; }
    }
  `];
