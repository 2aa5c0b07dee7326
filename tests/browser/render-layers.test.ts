// The drawing layers that show non-equilibrium (src/render/current-arrows*,
// trail-*): the current-arrow kernel on the GPU against its float64 CPU twin
// and against the Ornstein–Uhlenbeck process's exact stationary velocity,
// and the trail ring buffer's contents after a few frames. Inputs are made
// here in Node (the density and face currents from the Fokker–Planck CPU
// reference, itself checked against the GPU grid in fokker-planck.test.ts),
// so no Fokker–Planck pipelines compile in the page: one small kernel does.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { ARROW_FLOATS, arrowRhoMin, blockDrift, blockEdge, type ArrowLattice } from '../../src/render/arrow-lattice';
import { currentArrowsReference } from '../../src/render/current-arrows-reference';
import { FokkerPlanckReference, gibbs } from '../../src/sim/fokker-planck/reference';
import { splatBlendReference, splatCountsReference } from '../../src/render/particle-splat-reference';
import { gridGeometry, sampleAtCentres, type Domain } from '../../src/sim/fokker-planck/types';

const lab = useLabPage();

/**
 * float32 values, with the Gaussian's far tails (below 2^-100) set to 0: a
 * GPU may flush float32's subnormals (< 2^-126) to zero (WGSL allows it),
 * and the twin's relative bounds hold only in the normal range.
 */
const f32 = (a: ArrayLike<number>) => Float32Array.from(a, (v) => (Math.abs(v) < 2 ** -100 ? 0 : v));

type GpuArrows = { arrows: Float32Array; peak: number };
const runArrows = (l: ArrowLattice, rhoMin: number, density: Float32Array, current: Float32Array) =>
  lab.call<GpuArrows>('render-layers', 'runArrows', l, rhoMin, Array.from(density), Array.from(current));

/** GPU against the CPU twin, each field within the twin's float32 bound; returns the shown arrows' indices. */
function expectTwin(l: ArrowLattice, rhoMin: number, density: Float32Array, current: Float32Array, gpu: GpuArrows): number[] {
  const ref = currentArrowsReference(l, density, current, rhoMin);
  const shown: number[] = [];
  let gpuPeak = 0, peakBound = 0;
  const extent = Math.max(...[...l.domain.x, ...l.domain.y].map(Math.abs));
  for (let b = 0; b < l.a * l.a; b++) {
    const g = gpu.arrows.subarray(ARROW_FLOATS * b, ARROW_FLOATS * (b + 1));
    const r = ref.arrows.subarray(ARROW_FLOATS * b, ARROW_FLOATS * (b + 1));
    const where = `arrow ${b}`;
    // position: a few roundings of numbers at most `extent`
    for (const k of [0, 1]) expect(Math.abs(g[k] - r[k]), where).toBeLessThanOrEqual(1e-6 * extent);
    for (const k of [2, 3]) expect(Math.abs(g[k] - r[k]), where).toBeLessThanOrEqual(ref.vBound[b]);
    expect(Math.abs(g[4] - r[4]), where).toBeLessThanOrEqual(ref.rhoRel[b] * r[4]);
    const jBound = ref.jBound[b];
    expect(Math.abs(g[5] - r[5]), where).toBeLessThanOrEqual(jBound);
    // shown: the same unless rho lies within its rounding of the threshold
    if (Math.abs(r[4] - rhoMin) > 2 * ref.rhoRel[b] * r[4]) expect(g[6], where).toBe(r[6]);
    expect(g[7], where).toBe(0);
    if (g[6] === 1) {
      shown.push(b);
      gpuPeak = Math.max(gpuPeak, g[5]);
      peakBound = Math.max(peakBound, jBound);
    }
  }
  // the peak is the exact maximum of the kernel's own shown |J| (an atomic max of their bits)
  expect(gpu.peak).toBe(Math.fround(gpuPeak));
  expect(Math.abs(gpu.peak - ref.peak)).toBeLessThanOrEqual(peakBound);
  return shown;
}

describe('current arrows: the GPU kernel', () => {
  it('matches its CPU twin on a rectangular domain with uneven blocks, empty regions and currents of both signs', async () => {
    // 50 cells over 20 arrows: blocks of 2 and 3 cells; cells of 0.08 x 0.06
    const l: ArrowLattice = { n: 50, a: 20, domain: { x: [-3, 1], y: [-1, 2] } };
    const { n } = l;
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const g = gridGeometry(n, l.domain);
    // a bump around (-1.5, 0.5) with 30 % noise, nothing where x > 0.2 (hidden, v = 0)
    const bump = sampleAtCentres(g, (x, y) => (x > 0.2 ? 0 : Math.exp(-((x + 1.5) ** 2 + (y - 0.5) ** 2) / 0.6)));
    const mass = bump.reduce((s, v) => s + v, 0);
    const density = Float32Array.from(bump, (v) => (v / mass) * (0.85 + 0.3 * rand()));
    const current = Float32Array.from({ length: 2 * n * n }, () => 2 * rand() - 1);
    const rhoMin = arrowRhoMin(l.domain);
    const shown = expectTwin(l, rhoMin, density, current, await runArrows(l, rhoMin, density, current));
    // both kinds of arrows occur
    expect(shown.length).toBeGreaterThan(20);
    expect(shown.length).toBeLessThan(l.a * l.a - 20);
  });

  // Ornstein–Uhlenbeck: f = x^T H x / 2 with H = diag(1, 4), D = T M. The
  // stationary density is Gaussian with covariance S solving H S + S H = 2D
  // (S_ij = 2 D_ij / (h_i + h_j)); its probability velocity is
  // v = J / rho = -H x + D S^-1 x, zero for isotropic D (S = T H^-1) and a
  // rotation about the minimum otherwise. A block's arrow averages v over
  // its cells weighted by rho: v at the block's rho-weighted centroid, since
  // v is linear.
  const domain: Domain = { x: [-2, 2], y: [-2, 2] };
  const n = 64, T = 0.3, h = [1, 4];
  const l: ArrowLattice = { n, a: 20, domain };
  const geometry = gridGeometry(n, domain);
  const f = sampleAtCentres(geometry, (x, y) => 0.5 * (h[0] * x * x + h[1] * y * y));
  const velocityMatrix = (m: number[][]) => {
    const D = m.map((r) => r.map((v) => T * v));
    const S = [[D[0][0] / h[0], (2 * D[0][1]) / (h[0] + h[1])], [(2 * D[0][1]) / (h[0] + h[1]), D[1][1] / h[1]]];
    const det = S[0][0] * S[1][1] - S[0][1] ** 2;
    const Si = [[S[1][1] / det, -S[0][1] / det], [-S[0][1] / det, S[0][0] / det]];
    const V = [0, 1].map((i) => [0, 1].map((j) => D[i][0] * Si[0][j] + D[i][1] * Si[1][j] - (i === j ? h[i] : 0)));
    const p = sampleAtCentres(geometry, (x, y) => Math.exp(-0.5 * (x * (Si[0][0] * x + Si[0][1] * y) + y * (Si[1][0] * x + Si[1][1] * y))));
    const mass = p.reduce((s, v) => s + v, 0);
    return { V, p: p.map((v) => v / mass), D };
  };
  const centroid = (p: ArrayLike<number>, b: number): [number, number] => {
    let m = 0, x = 0, y = 0;
    for (let j = blockEdge(l, Math.floor(b / l.a)); j < blockEdge(l, Math.floor(b / l.a) + 1); j++) {
      for (let i = blockEdge(l, b % l.a); i < blockEdge(l, (b % l.a) + 1); i++) {
        const w = p[j * n + i];
        m += w; x += w * (domain.x[0] + (i + 0.5) * geometry.hx); y += w * (domain.y[0] + (j + 0.5) * geometry.hy);
      }
    }
    return [x / m, y / m];
  };

  it('draws the Ornstein–Uhlenbeck rotation for anisotropic noise and nothing for isotropic noise', async () => {
    const rhoMin = arrowRhoMin(domain);
    const drift = blockDrift(l, f);

    // anisotropic D = T [[1, 0.8], [0.8, 1]], the exact stationary Gaussian on the grid
    const an = velocityMatrix([[1, 0.8], [0.8, 1]]);
    const ref = new FokkerPlanckReference({ grid: n, domain, potential: f, diffusion: { kind: 'constant', temperature: T, matrix: [[1, 0.8], [0.8, 1]] }, initial: an.p });
    const density = f32(an.p), current = f32(ref.currents());
    const gpu = await runArrows(l, rhoMin, density, current);
    const shown = expectTwin(l, rhoMin, density, current, gpu);
    expect(shown.length).toBeGreaterThan(60);
    // against the exact velocity at each block's centroid: the scheme is
    // second order (h = 1/16) but its face currents are differences of
    // nearly equal drift and diffusion fluxes, so the error is measured
    // against the sum of their sizes, |H x| + |D S^-1 x| per block:
    // 8 % of it, where h^2 |d^2 (rho v)/dx^2| / (rho |v|) ~ (h / sigma)^2 = 0.05 for the narrow axis
    // (measured: 4.7 %; the sense and size of the rotation within 1.1 %)
    let err2 = 0, scale2 = 0, turning = 0, turningExact = 0;
    for (const b of shown) {
      const [x, y] = centroid(an.p, b);
      const vx = an.V[0][0] * x + an.V[0][1] * y, vy = an.V[1][0] * x + an.V[1][1] * y;
      const gx = gpu.arrows[ARROW_FLOATS * b + 2], gy = gpu.arrows[ARROW_FLOATS * b + 3];
      err2 += (gx - vx) ** 2 + (gy - vy) ** 2;
      scale2 += (h[0] * x) ** 2 + (h[1] * y) ** 2 + vx ** 2 + vy ** 2;
      turning += x * gy - y * gx;
      turningExact += x * vy - y * vx;
    }
    expect(Math.sqrt(err2 / scale2)).toBeLessThan(0.08);
    // the sense of rotation: the mean angular momentum x × v of the arrows, as of the exact field
    expect(Math.abs(turning / turningExact - 1)).toBeLessThan(0.1);

    // isotropic D = T I at its discrete Gibbs density: the Scharfetter–Gummel
    // fluxes vanish exactly there, so every arrow has length 0 up to rounding
    const iso = gibbs(f, T);
    const isoRef = new FokkerPlanckReference({ grid: n, domain, potential: f, diffusion: { kind: 'isotropic', temperature: T }, initial: iso });
    const isoDensity = f32(iso), isoCurrent = f32(isoRef.currents());
    const isoGpu = await runArrows(l, rhoMin, isoDensity, isoCurrent);
    const isoShown = expectTwin(l, rhoMin, isoDensity, isoCurrent, isoGpu);
    expect(isoShown.length).toBeGreaterThan(60);
    // length = min(1, |v| / |grad f|) lattice spacings
    const ratio = Math.max(...isoShown.map((b) => Math.hypot(isoGpu.arrows[ARROW_FLOATS * b + 2], isoGpu.arrows[ARROW_FLOATS * b + 3]) / drift[b]));
    expect(ratio).toBeLessThan(1e-4);
  });
});

describe('particle trails: the GPU ring buffer', () => {
  it('holds the positions of the last frames that advanced, newest at the head, and starts over after a reset', async () => {
    const count = 3, length = 4;
    // frame k's positions: particle i at (10 k + i, -k - i / 8), exact in float32
    const at = (k: number) => Float32Array.from({ length: 2 * count }, (_, c) => (c % 2 === 0 ? 10 * k + c / 2 : -k - c / 16));
    // steps done after each frame: a repeat (a frame that only drew), six advances (the ring wraps), a reset, two advances
    const steps = [0, 0, 10, 20, 30, 40, 50, 3, 8];
    const r = await lab.call<{ ring: Float32Array; head: number; filled: number; recorded: boolean[]; slots: number[] }>(
      'render-layers', 'runTrail', count, length, steps.map((stepsDone, k) => ({ positions: Array.from(at(k)), stepsDone })));
    expect(r.recorded).toEqual([true, false, true, true, true, true, true, true, true]);
    // after the reset at frame 7, only frames 7 and 8 are in the trail
    expect(r.filled).toBe(2);
    // records: frames 0, 2, 3, 4, 5, 6, 7, 8 -> slots 0, 1, 2, 3, 0, 1, 2, 3
    expect(r.head).toBe(3);
    const expectSlot = (age: number, frame: number) => {
      const s = r.slots[age];
      expect(Array.from(r.ring.subarray(2 * count * s, 2 * count * (s + 1))), `age ${age}`).toEqual(Array.from(at(frame)));
    };
    expectSlot(0, 8);
    expectSlot(1, 7);
    // the slots beyond `filled` (not drawn) still hold the frames before the reset, 6 then 5
    expectSlot(2, 6);
    expectSlot(3, 5);
  });

  it('records a position at most every `every` steps', async () => {
    const count = 2, length = 3;
    const at = (k: number) => Array.from({ length: 2 * count }, (_, c) => 100 * k + c);
    // every = 10: steps 0 (recorded), 4, 9 (too soon), 10, 25 (recorded), 30 (too soon), 35 (recorded)
    const steps = [0, 4, 9, 10, 25, 30, 35];
    const r = await lab.call<{ ring: Float32Array; head: number; filled: number; recorded: boolean[]; slots: number[] }>(
      'render-layers', 'runTrail', count, length, steps.map((stepsDone, k) => ({ positions: at(k), stepsDone })), 10);
    expect(r.recorded).toEqual([true, false, false, true, true, false, true]);
    expect(r.filled).toBe(3);
    [6, 4, 3].forEach((frame, age) => {
      const s = r.slots[age];
      expect(Array.from(r.ring.subarray(2 * count * s, 2 * count * (s + 1))), `age ${age}`).toEqual(at(frame));
    });
  });
});

// The particle splat (src/render/particle-splat.ts): 1-px dots counted per
// pixel by a compute pass and blended in one pass, against its float64 CPU
// reference (particle-splat-reference.ts) on a scene made here: a
// non-square domain, a wavy height field, a perspective camera (WebGPU
// depth 0..1), a view rectangle inside a larger target, a depth background
// that hides about half the dots, particles inside, outside and non-finite.
describe('particle splat: the GPU kernels', () => {
  const W = 256, H = 160, CELLS = 128;
  const domain = { x: [-2, 1] as [number, number], y: [-1, 2] as [number, number] };
  const frame = { cx: -0.5, cy: 0.5, k: 1 / 3, height: 0.6 };
  const rect = { x: 20, y: 10, w: 200, h: 140 };
  const heights = Array.from({ length: (CELLS + 1) ** 2 }, (_, v) => 0.5 + 0.4 * Math.sin((v % (CELLS + 1)) / 9) * Math.cos(Math.floor(v / (CELLS + 1)) / 13));
  /** column-major world -> clip: a perspective camera at `eye` looking at `at`, depth 0 at `near` and 1 at `far` */
  function viewProj(eye: number[], at: number[], fovDeg: number, aspect: number, near: number, far: number): number[] {
    const sub = (a: number[], b: number[]) => a.map((v, i) => v - b[i]);
    const norm = (a: number[]) => { const l = Math.hypot(...a); return a.map((v) => v / l); };
    const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
    const z = norm(sub(eye, at)), x = norm(cross([0, 1, 0], z)), y = cross(z, x);
    const view = [x[0], y[0], z[0], 0, x[1], y[1], z[1], 0, x[2], y[2], z[2], 0, -dot(x, eye), -dot(y, eye), -dot(z, eye), 1];
    const f = 1 / Math.tan((fovDeg * Math.PI) / 360);
    const proj = [f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, far / (near - far), -1, 0, 0, (near * far) / (near - far), 0];
    const out = new Array(16).fill(0);
    for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) out[4 * c + r] += proj[4 * k + r] * view[4 * c + k];
    return out;
  }
  const vp = viewProj([0.1, 1.4, 1.5], [0, 0.2, 0], 40, rect.w / rect.h, 0.05, 20);
  let seed = 99;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const positions: number[] = [];
  // 16,000 uniform in the domain, 4,000 in a tight cluster (pixels with many dots), 500 outside, 4 not finite
  for (let i = 0; i < 16000; i++) positions.push(-2 + 3 * rand(), -1 + 3 * rand());
  for (let i = 0; i < 4000; i++) positions.push(-0.6 + 0.05 * (rand() + rand() - 1), 0.4 + 0.05 * (rand() + rand() - 1));
  for (let i = 0; i < 500; i++) positions.push(rand() < 0.5 ? 1.01 + rand() : -3 + 0.99 * rand(), -1 + 3 * rand());
  positions.push(NaN, 0, 0, Infinity, -Infinity, 1, 0.5, NaN);
  const base = { positions, heights, domain, frame, lift: 0.012, viewProj: vp, rect, width: W, height: H };

  for (const style of [{ rgb: [1, 0.55, 0.18] as [number, number, number], opacity: 0.55, additive: false }, { rgb: [0.3, 0.6, 1] as [number, number, number], opacity: 0.2, additive: true }]) {
    it(`counts the dots of the CPU reference and blends them in one pass (${style.additive ? 'additive' : 'normal'}, opacity ${style.opacity})`, async () => {
      // the depth background: the median depth of the dots in view, so about half pass
      const all = splatCountsReference({ ...base, depth: 1 });
      // (bisection on the reference's kept count)
      let lo = 0, depth = 1;
      for (let k = 0; k < 30; k++) {
        const mid = (lo + depth) / 2;
        if (splatCountsReference({ ...base, depth: mid }).kept < all.kept / 2) lo = mid;
        else depth = mid;
      }
      // the depth32float background holds float32(depth)
      depth = Math.fround(depth);
      const ref = splatCountsReference({ ...base, depth });
      const dst: [number, number, number] = [0.05, 0.1, 0.2];
      const gpu = await lab.call<{ counts: number[]; rgba: number[] }>('render-layers', 'runSplat', { ...base, depth, dst, style });
      let moved = 0, gpuKept = 0, multi = 0;
      for (let p = 0; p < W * H; p++) {
        moved += Math.abs(gpu.counts[p] - ref.counts[p]);
        gpuKept += gpu.counts[p];
        if (gpu.counts[p] >= 3) multi++;
      }
      console.log(`[splat] ${ref.kept} of ${all.kept} dots in view pass depth ${depth.toFixed(5)}; GPU ${gpuKept}; ${moved} count differences, ${ref.marginal} marginal dots; ${multi} pixels with >= 3 dots`);
      // the depth test hid about half of them, and the cluster stacks dots
      expect(ref.kept).toBeGreaterThan(0.4 * all.kept);
      expect(ref.kept).toBeLessThan(0.6 * all.kept);
      expect(multi).toBeGreaterThan(50);
      // float32 against float64: only dots within rounding of a snap or depth boundary may move
      // (each moved dot changes two pixels' counts by one)
      // (the margins are conservative: ~1.3 % of dots sit within 2e-4 px of a 1/16-px rounding boundary)
      expect(ref.marginal).toBeLessThan(0.02 * positions.length);
      expect(moved).toBeLessThanOrEqual(2 * ref.marginal);
      expect(Math.abs(gpuKept - ref.kept)).toBeLessThanOrEqual(ref.marginal);
      // colours: one blend of the GPU's counts, within one 8-bit step (the target's rounding);
      // outside the view rectangle the cleared colour, untouched
      let worst = 0, outside = 0;
      const cleared = dst.map((v) => Math.round(v * 255));
      for (let py = 0; py < H; py++) {
        for (let px = 0; px < W; px++) {
          const p = py * W + px;
          const inView = px >= rect.x && py >= rect.y && px < rect.x + rect.w && py < rect.y + rect.h;
          if (!inView) {
            expect(gpu.counts[p]).toBe(0);
            for (let c = 0; c < 3; c++) if (gpu.rgba[4 * p + c] !== cleared[c]) outside++;
            continue;
          }
          const want = splatBlendReference(gpu.counts[p], [cleared[0] / 255, cleared[1] / 255, cleared[2] / 255], style.rgb, style.opacity, style.additive);
          for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(gpu.rgba[4 * p + c] - want[c] * 255));
        }
      }
      expect(outside).toBe(0);
      expect(worst).toBeLessThanOrEqual(1);
    });
  }
});
