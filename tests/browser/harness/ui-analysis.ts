// Page side of the landscape-tools test (tests/browser/ui-analysis.test.ts),
// run inside the live lab page: the state of <analysis-panel>, and where a
// domain point lands on screen in every 3-D view and map (for pixel checks).

import type { Rect } from '../../../src/render/layout';
import type { AnalysisPanel } from '../../../src/ui/analysis-panel';
import type { LabTestHook } from '../../../src/ui/test-hook';

function lab(): LabTestHook {
  const hook = window.__sgdLab;
  if (!hook) throw new Error('the page has no window.__sgdLab (is this the lab page?)');
  return hook;
}

function shadow(): ShadowRoot {
  const root = lab().app.shadowRoot;
  if (!root) throw new Error('<sgd-lab> has no shadow root yet');
  return root;
}

function panel(): AnalysisPanel & { shadowRoot: ShadowRoot } {
  const p = shadow().querySelector('analysis-panel');
  if (!p?.shadowRoot) throw new Error('the page has no <analysis-panel>');
  return p as AnalysisPanel & { shadowRoot: ShadowRoot };
}

function canvasRect(): DOMRect {
  const c = shadow().querySelector('canvas');
  if (!c) throw new Error('the page has no canvas');
  return c.getBoundingClientRect();
}

/** Status of each tool: 'idle' | 'busy' | 'done' | 'error', and any error text. */
export function toolStatus(): { critical: string; path: string; smooth: string; errors: string[]; seconds: Record<string, number | undefined> } {
  const p = panel();
  const errors = [p.critical.error, p.path.error, p.smooth.error].filter((e): e is string => !!e);
  const seconds = { critical: p.critical.seconds, path: p.path.seconds, smooth: p.smooth.seconds };
  return { critical: p.critical.status, path: p.path.status, smooth: p.smooth.status, errors, seconds };
}

/** Waits until `tools` are all 'done' (throws on an error status or after `timeoutMs`). */
export async function waitTools(tools: ('critical' | 'path' | 'smooth')[], timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  // the tools' panel loads after the page's first frame (src/ui/lab-app.ts loadCharts)
  await customElements.whenDefined('analysis-panel');
  await lab().app.updateComplete;
  for (;;) {
    const s = toolStatus();
    if (s.errors.length) throw new Error(`landscape tools failed: ${s.errors.join('; ')}`);
    if (tools.every((t) => s[t] === 'done')) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`landscape tools not done after ${timeoutMs} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Redraws the paused picture with what the panel handed to the renderer, and waits for an idle GPU. */
export async function settle(): Promise<void> {
  const l = lab();
  await panel().updateComplete;
  l.engine.loop?.invalidate();
  await l.waitFrames(1);
  await l.gpu?.device.queue.onSubmittedWorkDone();
}

interface Px { x: number; y: number }

/**
 * Page (CSS pixel) positions of domain point (x, y) as drawn by the analysis
 * layer: in each panel's 3-D view (projected with the shared camera) and in
 * each of its maps (the map camera's letterboxed extent).
 */
export function screenPositions(x: number, y: number): { view3d: Px[]; maps: Px[] } {
  const e = lab().engine;
  const r = e.renderer;
  if (!r) throw new Error('no renderer yet');
  if (!r.analysis) throw new Error('the renderer has no analysis layer');
  const c = canvasRect();
  const a = r.analysis.anchor(x, y);
  // LabRenderer keeps mapExtent private; the test needs the maps' letterboxed extent to find pixels
  const renderer = r as unknown as { mapExtent(rect: Rect): { x0: number; x1: number; y0: number; y1: number } };
  const view3d: Px[] = [], maps: Px[] = [];
  for (const l of e.layouts) {
    if (l.view3d) {
      const v = l.view3d;
      r.camera.aspect = v.w / v.h;
      r.camera.updateProjectionMatrix();
      const p = r.camera.position.clone().set(...a.view3d).project(r.camera);
      view3d.push({ x: c.left + v.x + ((p.x + 1) / 2) * v.w, y: c.top + v.y + ((1 - p.y) / 2) * v.h });
    }
    for (const m of l.maps) {
      const ext = renderer.mapExtent(m.rect);
      maps.push({ x: c.left + m.rect.x + ((a.map[0] - ext.x0) / (ext.x1 - ext.x0)) * m.rect.w, y: c.top + m.rect.y + ((ext.y1 - a.map[1]) / (ext.y1 - ext.y0)) * m.rect.h });
    }
  }
  return { view3d, maps };
}

/** Page rectangles of every 3-D view and map. */
export function viewRects(): { view3d: { x: number; y: number; w: number; h: number }[]; maps: { x: number; y: number; w: number; h: number }[] } {
  const e = lab().engine;
  const c = canvasRect();
  const shift = (r: Rect) => ({ x: c.left + r.x, y: c.top + r.y, w: r.w, h: r.h });
  return {
    view3d: e.layouts.flatMap((l) => (l.view3d ? [shift(l.view3d)] : [])),
    maps: e.layouts.flatMap((l) => l.maps.map((m) => shift(m.rect))),
  };
}

/** Clicks a control inside <analysis-panel> (a CSS selector in its shadow root). */
export function clickInPanel(selector: string): void {
  const el = panel().shadowRoot.querySelector(selector) as HTMLElement | null;
  if (!el) throw new Error(`analysis-panel has no '${selector}'`);
  el.click();
}

/** The critical-point list as shown: kind and coordinates from each row's data attributes. */
export function criticalList(): { kind: string; x: number; y: number; loss: number }[] {
  return [...panel().shadowRoot.querySelectorAll<HTMLElement>('[data-critical-list] .item[data-x]')].map((el) => ({
    kind: el.dataset.kind ?? '', x: Number(el.dataset.x), y: Number(el.dataset.y), loss: Number(el.dataset.loss),
  }));
}

/** The path report as shown (null before one is done). */
export function pathReport(): { barrier: number; straightBarrier: number; saddle: [number, number, number] | null; text: string } | null {
  const el = panel().shadowRoot.querySelector('[data-path-report]') as HTMLElement | null;
  if (!el) return null;
  return {
    barrier: Number(el.dataset.barrier),
    straightBarrier: Number(el.dataset.straightBarrier),
    saddle: el.dataset.saddle ? JSON.parse(el.dataset.saddle) : null,
    text: el.textContent ?? '',
  };
}

/** The smoothing summary and the listed vanished minima. */
export function smoothingReport(): { minima: number; vanished: number; listed: { x: number; y: number }[] } | null {
  const root = panel().shadowRoot;
  const el = root.querySelector('[data-smoothing-summary]') as HTMLElement | null;
  if (!el) return null;
  return {
    minima: Number(el.dataset.minima),
    vanished: Number(el.dataset.vanished),
    listed: [...root.querySelectorAll<HTMLElement>('[data-vanished-list] .item')].map((it) => ({ x: Number(it.dataset.x), y: Number(it.dataset.y) })),
  };
}

/** Clicks the 'A' (path start) or 'B' (path end) button of the listed minimum nearest (x, y). */
export function clickEndpoint(x: number, y: number, which: 'A' | 'B'): [number, number] {
  const rows = [...panel().shadowRoot.querySelectorAll('[data-critical-list] .item[data-kind=minimum]')] as HTMLElement[];
  if (!rows.length) throw new Error('no minima listed');
  const d = (r: HTMLElement) => Math.hypot(Number(r.dataset.x) - x, Number(r.dataset.y) - y);
  const row = rows.reduce((a, b) => (d(b) < d(a) ? b : a));
  const button = [...row.querySelectorAll('button')].find((b) => b.textContent?.trim() === which);
  if (!button) throw new Error(`the minimum row has no '${which}' button`);
  button.click();
  return [Number(row.dataset.x), Number(row.dataset.y)];
}
