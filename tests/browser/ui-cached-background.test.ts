// The live page's cached 3-D background (src/render/cached-background.ts,
// issue 17): the surface mesh is drawn into an off-screen colour + depth
// target only when the camera, surface, size or layout change, and copied
// into each frame under the particles. Checked on the pixels: while the
// particles move (drawn invisible) the 3-D views stay identical and the
// background is not drawn again; with the cache off the frame is the same
// as with it (colour and depth, so the surface still hides the particles
// behind its hills); after an orbit the background is drawn again and the
// views change; the 1-px dots drawn by the compute splat (particle-splat.ts)
// give the point primitives' pixels. Screenshots: /tmp/sgd-lab-cache-*.png.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { labEval, openLab, waitRunning } from './harness/ui-lab';
import type { Rect } from './harness/ui-pixels';
import type { LabPage } from './support/page';
import { DEFAULT_SCENARIO, clone, scenarioToHash } from '../../src/ui/scenario-state';

const LONG = 240_000;
let lab: LabPage;
afterAll(async () => { await lab?.close(); });

const t0 = Date.now();
const mark = (what: string) => console.log(`[cache] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);

/** Rejects with `what` after `ms` (a stuck step fails at once, saying where, instead of at the test's timeout). */
function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s: ${what}`)), ms))]);
}

/**
 * Draws one frame of the stopped page directly (the renderer's copies and
 * render call, as the frame loop makes them; no requestAnimationFrame in
 * between), waits for the GPU, and takes a screenshot (base64 PNG).
 */
async function shot(name: string): Promise<string> {
  await bounded(labEval(lab.page, `(async () => {
    const e = window.__sgdLab.engine, device = window.__sgdLab.gpu.device;
    const encoder = device.createCommandEncoder();
    e.renderer.encodeCopies(encoder);
    device.queue.submit([encoder.finish()]);
    e.renderer.render(e.layouts);
    await device.queue.onSubmittedWorkDone();
  })()`), 60_000, `drawing ${name}`);
  await new Promise((r) => setTimeout(r, 300));
  mark(`drawn: ${name}`);
  let b64 = '';
  for (let attempt = 1; !b64; attempt++) {
    try {
      b64 = await bounded(lab.page.screenshot({ encoding: 'base64', captureBeyondViewport: false }) as Promise<string>, 30_000, `screenshot ${name}`);
    } catch (e) {
      if (attempt >= 3) throw e;
      mark(`${(e as Error).message}; again`);
    }
  }
  writeFileSync(`/tmp/sgd-lab-cache-${name}.png`, Buffer.from(b64, 'base64'));
  return b64;
}

const renders = () => labEval<number>(lab.page, 'window.__sgdLab.engine.renderer.background.renders');

describe('the cached 3-D background', () => {
  it('is not drawn again while particles move, equals drawing the surface every frame, and is drawn again after an orbit', async () => {
    const doc = clone(DEFAULT_SCENARIO) as Record<string, unknown>;
    delete doc.fokkerPlanck;
    delete doc.analysis;
    lab = await openLab({ hash: scenarioToHash(doc) });
    await waitRunning(lab.page, 2, LONG);
    // the frame loop stopped: every frame below is drawn by the test itself
    await labEval(lab.page, '(async () => { const l = window.__sgdLab; l.engine.loop.pause(); l.engine.loop.stop(); await l.gpu.device.queue.onSubmittedWorkDone(); })()');
    const views = await labEval<Rect[]>(lab.page, `(() => {
      const c = window.__sgdLab.app.shadowRoot.querySelector('canvas').getBoundingClientRect();
      return window.__sgdLab.engine.layouts.map((l) => ({ x: l.view3d.x + c.left, y: l.view3d.y + c.top, w: l.view3d.w, h: l.view3d.h }));
    })()`);
    const pixels = views.reduce((n, v) => n + v.w * v.h, 0);
    const diff = (a: string, b: string) => lab.call<number[]>('ui-pixels', 'diffCounts', a, b, views, 24).then((d) => d.reduce((x, y) => x + y, 0));

    // particles drawn invisible, 30 steps apart: the views do not change and the background is not redrawn
    await labEval(lab.page, 'window.__sgdLab.engine.setParticleStyle({ opacity: 0 })');
    const before = await shot('bare-a');
    const drawn = await renders();
    await bounded(labEval(lab.page, `(async () => {
      const l = window.__sgdLab, device = l.gpu.device, encoder = device.createCommandEncoder();
      l.engine.sim.encodeSteps(encoder, 30);
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    })()`), 60_000, '30 steps');
    const after = await shot('bare-b');
    expect(await labEval<number>(lab.page, 'window.__sgdLab.engine.sim.stepsDone')).toBeGreaterThanOrEqual(30);
    expect(await renders()).toBe(drawn);
    expect(await diff(before, after)).toBe(0);

    // with the particles: the cached frame against the frame that draws its surface itself
    await labEval(lab.page, 'window.__sgdLab.engine.setParticleStyle({ opacity: 0.55 })');
    const cached = await shot('cached');
    await labEval(lab.page, 'window.__sgdLab.engine.renderer.background.enabled = false');
    const direct = await shot('direct');
    await labEval(lab.page, 'window.__sgdLab.engine.renderer.background.enabled = true');
    mark('comparing');
    const particles = await diff(cached, before);
    const mismatch = await diff(cached, direct);
    console.log(`[cache] ${pixels} px of 3-D views: ${particles} changed by the particles, ${mismatch} differ between cached and direct drawing`);
    expect(particles).toBeGreaterThan(300);
    // identical but for rounding of the copied depth where a dot sits exactly on the surface: at most 2 % of the dots' pixels
    expect(mismatch).toBeLessThanOrEqual(Math.max(5, 0.02 * particles));

    // the 1-px dots over the cached background are drawn by the compute splat (particle-splat.ts):
    // the same pixels as the point primitives, normal and additive blending, two opacities
    const splatFrames = () => labEval<number>(lab.page, 'window.__sgdLab.engine.renderer.splatFrames');
    for (const style of [{ opacity: 0.55, additive: false }, { opacity: 0.2, additive: true }]) {
      await labEval(lab.page, `window.__sgdLab.engine.setParticleStyle(${JSON.stringify(style)})`);
      const framesBefore = await splatFrames();
      const splat = await shot(`splat-${style.additive ? 'additive' : 'normal'}`);
      // one splat per 3-D view: the dots of this frame came from the compute pass
      expect(await splatFrames()).toBe(framesBefore + views.length);
      await labEval(lab.page, 'window.__sgdLab.engine.renderer.splatPoints = false');
      const points = await shot(`points-${style.additive ? 'additive' : 'normal'}`);
      await labEval(lab.page, 'window.__sgdLab.engine.renderer.splatPoints = true');
      const dots = await diff(points, before);
      const off = await diff(splat, points);
      console.log(`[cache] ${JSON.stringify(style)}: ${dots} px changed by the dots, ${off} differ between splat and point primitives`);
      expect(dots).toBeGreaterThan(300);
      // float32 rounding of the projection moves a dot across a 1/16-px snap boundary now and then
      // (~5e-5 px of error against 1/16-px steps: ~0.2 % of the dots per axis): at most 0.5 % of the dots' pixels
      expect(off).toBeLessThanOrEqual(Math.max(5, 0.005 * dots));
    }
    await labEval(lab.page, 'window.__sgdLab.engine.setParticleStyle({ opacity: 0.55, additive: false })');

    // an orbit of 0.5 rad about the vertical: the background is drawn again and the views change
    mark('orbit');
    const drawnBeforeOrbit = await renders();
    await labEval(lab.page, `(() => {
      const c = window.__sgdLab.engine.renderer.controls, cam = c.object, t = c.target;
      const dx = cam.position.x - t.x, dz = cam.position.z - t.z, a = 0.5;
      cam.position.x = t.x + dx * Math.cos(a) - dz * Math.sin(a);
      cam.position.z = t.z + dx * Math.sin(a) + dz * Math.cos(a);
      c.update();
      c.dispatchEvent({ type: 'change' });
    })()`);
    const orbited = await shot('orbited');
    expect(await renders()).toBeGreaterThan(drawnBeforeOrbit);
    expect(await diff(cached, orbited)).toBeGreaterThan(0.05 * pixels);
    expect(lab.errors).toEqual([]);
  }, LONG);
});
