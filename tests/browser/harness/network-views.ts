// Page side of the network view tests (tests/browser/network-views.test.ts):
// clouds of random networks drawn here from Philox (so Node gets the very
// parameters back and builds the CPU reference from them), run through
// NetworkEvaluation, NetworkSpread, PlaneProjection, NetworkPca and
// PlaneLandscape.
import { readBuffer, readBuffers } from '../../../src/gpu/buffers';
import { normals4 } from '../../../src/rng/philox';
import { networkLayout, networkSpecSchema, type NetworkLayout } from '../../../src/model/network/spec';
import { createNetworkModel } from '../../../src/model/network/model';
import { NetworkData } from '../../../src/sim/network/network-data';
import { NetworkEvaluation } from '../../../src/sim/network/evaluation';
import { NetworkSpread } from '../../../src/sim/network/spread';
import { PlaneProjection } from '../../../src/sim/network/projection';
import { NetworkPca, type PcaComputeOptions } from '../../../src/sim/network/pca';
import { PlaneLandscape, type LandscapeRange } from '../../../src/sim/network/plane-landscape';
import { filterNormalizedPlane, garipovPlane, planeFromDirections, type WeightPlane } from '../../../src/sim/network/plane';
import { gpuTest } from './gpu';

/** Philox stream of the tests' random networks and clouds ('TEST'). */
const TEST_STREAM = 0x54455354;

/** A buffer's contents pre-filled with NaN bits: an element a kernel never writes stays NaN and fails the comparison. */
const SENTINEL = 0x7fc00000;

function normals(count: number, seed: number, k: number): Float64Array {
  return Float64Array.from({ length: count }, (_, d) => normals4(seed, TEST_STREAM, k, 1, d >> 2)[d & 3]);
}

/**
 * count networks: weights N(0, 2 / fanIn) (steeper than the fan-in init, so the
 * decision functions are not near-linear), biases N(0, 0.25^2).
 */
export function randomNetworks(layout: NetworkLayout, count: number, seed: number): Float32Array<ArrayBuffer> {
  const D = layout.params;
  const out = new Float32Array(count * D);
  for (let p = 0; p < count; p++) {
    const z = normals(D, seed, p);
    for (const { fanIn, fanOut, weightOffset, biasOffset } of layout.layers) {
      const s = Math.sqrt(2 / fanIn);
      for (let i = weightOffset; i < weightOffset + fanIn * fanOut; i++) out[p * D + i] = s * z[i];
      for (let o = biasOffset; o < biasOffset + fanOut; o++) out[p * D + o] = 0.25 * z[o];
    }
  }
  return out;
}

function storageWith(device: GPUDevice, label: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>): GPUBuffer {
  const b = device.createBuffer({ label, size: Math.max(16, data.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  device.queue.writeBuffer(b, 0, data);
  return b;
}

function fillSentinel(device: GPUDevice, b: GPUBuffer): void {
  device.queue.writeBuffer(b, 0, new Uint32Array(b.size / 4).fill(SENTINEL));
}

const planeOut = (p: WeightPlane) => ({ origin: p.origin, u: p.u, v: p.v });

/** Evaluates `count` random networks of the spec on its dataset (drawn from `seed`). */
export function evaluateCloud(specJson: unknown, seed: number, count: number, paramSeed: number, test = true) {
  return gpuTest('evaluateCloud', async (device, track) => {
    const model = createNetworkModel(networkSpecSchema.parse(specJson), seed);
    const params = randomNetworks(model.layout, count, paramSeed);
    const data = track(new NetworkData(device, model.dataset));
    const buf = track(storageWith(device, 'test.params', params));
    const ev = track(await NetworkEvaluation.create({ device, model, data, params: buf, count, test }));
    fillSentinel(device, ev.perParticle);
    const enc = device.createCommandEncoder();
    ev.encode(enc);
    device.queue.submit([enc.finish()]);
    return { params, perParticle: new Float32Array(await readBuffer(device, ev.perParticle)) };
  });
}

/**
 * A cloud around a random centre (offsets N(0, 0.3^2) per parameter); the networks
 * in `dead` get status 5 and parameters 1000 (they must not count).
 */
export function spreadCloud(hidden: number[], count: number, seed: number, dead: number[]) {
  return gpuTest('spreadCloud', async (device, track) => {
    const layout = networkLayout(hidden);
    const D = layout.params;
    const centre = normals(D, seed, 100000);
    const params = new Float32Array(count * D);
    const status = new Uint32Array(count);
    for (let p = 0; p < count; p++) {
      const z = normals(D, seed, p);
      for (let d = 0; d < D; d++) params[p * D + d] = dead.includes(p) ? 1000 : centre[d] + 0.3 * z[d];
      if (dead.includes(p)) status[p] = 5;
    }
    const pbuf = track(storageWith(device, 'test.params', params));
    const sbuf = track(storageWith(device, 'test.status', status));
    const spread = track(await NetworkSpread.create({ device, model: { layout }, params: pbuf, count }));
    fillSentinel(device, spread.centre);
    fillSentinel(device, spread.distances);
    const enc = device.createCommandEncoder();
    spread.encode(enc, sbuf);
    device.queue.submit([enc.finish()]);
    const [c, dist] = await readBuffers(device, [spread.centre, spread.distances]);
    return { params, status, centre: new Float32Array(c), distances: new Float32Array(dist) };
  });
}

/** Random networks projected onto the Garipov plane of networks 0, 1, 2 and onto a filter-normalised plane around network 3. */
export function projectCloud(hidden: number[], count: number, seed: number) {
  return gpuTest('projectCloud', async (device, track) => {
    const layout = networkLayout(hidden);
    const D = layout.params;
    const params = randomNetworks(layout, count, seed);
    const net = (p: number) => params.subarray(p * D, (p + 1) * D);
    const planes = [garipovPlane(net(0), net(1), net(2)).plane, filterNormalizedPlane(layout, net(3), seed).plane];
    const pbuf = track(storageWith(device, 'test.params', params));
    const proj = track(await PlaneProjection.create({ device, model: { layout }, params: pbuf, count }));
    const coords: Float32Array[] = [];
    for (const plane of planes) {
      fillSentinel(device, proj.coords);
      proj.setPlane(plane);
      const enc = device.createCommandEncoder();
      proj.encode(enc);
      device.queue.submit([enc.finish()]);
      coords.push(new Float32Array(await readBuffer(device, proj.coords)));
    }
    return { params, planes: planes.map(planeOut), coords };
  });
}

/**
 * A cloud with known principal directions: centre + 3 z1 e1 + 1.5 z2 e2 + 0.1 noise
 * (e1, e2 orthonormal, random; z standard normal per network); network `dead`
 * is dead with parameters 1000. Also a cloud of identical networks (no plane).
 */
export function pcaCloud(hidden: number[], count: number, seed: number, dead: number, options: PcaComputeOptions) {
  return gpuTest('pcaCloud', async (device, track) => {
    const layout = networkLayout(hidden);
    const D = layout.params;
    const e = planeFromDirections(new Float64Array(D), normals(D, seed, 200000), normals(D, seed, 200001));
    const centre = normals(D, seed, 200002);
    const params = new Float32Array(count * D);
    const status = new Uint32Array(count);
    status[dead] = 9;
    for (let p = 0; p < count; p++) {
      const z = normals(2, seed + 1, p);
      const noise = normals(D, seed + 2, p);
      for (let d = 0; d < D; d++) params[p * D + d] = p === dead ? 1000 : centre[d] + 3 * z[0] * e.u[d] + 1.5 * z[1] * e.v[d] + 0.1 * noise[d];
    }
    const pbuf = track(storageWith(device, 'test.params', params));
    const sbuf = track(storageWith(device, 'test.status', status));
    const pca = track(await NetworkPca.create({ device, model: { layout }, params: pbuf, count }));
    const r = await pca.compute(sbuf, options);
    // again from its own result: converged after one batch
    const again = await pca.compute(sbuf, { ...options, warm: true });
    // identical networks: no spread, no plane
    const same = new Float32Array(count * D);
    for (let p = 0; p < count; p++) same.set(centre, p * D);
    const qbuf = track(storageWith(device, 'test.same', same));
    const pca2 = track(await NetworkPca.create({ device, model: { layout }, params: qbuf, count }));
    const none = await pca2.compute(sbuf, options);
    return {
      params, status, e: planeOut(e),
      result: r && { plane: planeOut(r.plane), variances: r.variances, iterations: r.iterations, converged: r.converged, alive: r.alive },
      identical: none,
      warm: again && { u: again.plane.u, iterations: again.iterations, converged: again.converged },
    };
  });
}

/**
 * Three networks a, b = a + 2 e1, c = a + e1 + 1.5 e2 (e1, e2 random orthonormal),
 * so on their Garipov plane they sit at (0, 0), (2, 0), (1, 1.5): with range
 * [-1, 3]^2 and grid 17 (step 0.25) those are nodes (4, 4), (12, 4), (8, 10).
 * Returns their own losses (NetworkEvaluation), the plane and the landscape.
 */
export function garipovLandscape(specJson: unknown, seed: number, paramSeed: number, grid: number, range: LandscapeRange) {
  return gpuTest('garipovLandscape', async (device, track) => {
    const model = createNetworkModel(networkSpecSchema.parse(specJson), seed);
    const D = model.layout.params;
    const a = randomNetworks(model.layout, 1, paramSeed);
    const e = planeFromDirections(new Float64Array(D), normals(D, paramSeed, 300000), normals(D, paramSeed, 300001));
    const params = new Float32Array(3 * D);
    for (let d = 0; d < D; d++) {
      params[d] = a[d];
      params[D + d] = a[d] + 2 * e.u[d];
      params[2 * D + d] = a[d] + e.u[d] + 1.5 * e.v[d];
    }
    const { plane, points } = garipovPlane(params.subarray(0, D), params.subarray(D, 2 * D), params.subarray(2 * D));
    const data = track(new NetworkData(device, model.dataset));
    const pbuf = track(storageWith(device, 'test.params', params));
    const ev = track(await NetworkEvaluation.create({ device, model, data, params: pbuf, count: 3 }));
    const enc = device.createCommandEncoder();
    ev.encode(enc);
    device.queue.submit([enc.finish()]);
    const own = new Float32Array(await readBuffer(device, ev.perParticle));
    const landscape = track(await PlaneLandscape.create({ device, model, data }));
    const progress: number[] = [];
    const values = await landscape.compute(plane, range, grid, { onProgress: (f) => progress.push(f) });
    return { params, plane: planeOut(plane), points, own, landscape: values, progress, chunkPoints: landscape.chunkPoints };
  });
}

/**
 * Cancelling and chunking: a landscape of one grid row per chunk is aborted
 * after its third chunk, then run to the end; the same grid in one chunk for
 * comparison. Every buffer created meanwhile is counted at each destroy() call.
 */
export function landscapeCancel(specJson: unknown, seed: number, grid: number) {
  return gpuTest('landscapeCancel', async (device) => {
    const created: GPUBuffer[] = [];
    const destroys = new Map<GPUBuffer, number>();
    const proto = GPUBuffer.prototype;
    const originalDestroy = proto.destroy;
    proto.destroy = function (this: GPUBuffer) {
      destroys.set(this, (destroys.get(this) ?? 0) + 1);
      return originalDestroy.call(this);
    };
    const originalCreate = device.createBuffer;
    device.createBuffer = function (this: GPUDevice, d: GPUBufferDescriptor) {
      const b = originalCreate.call(this, d);
      created.push(b);
      return b;
    };
    try {
      const model = createNetworkModel(networkSpecSchema.parse(specJson), seed);
      const layout = model.layout;
      const params = randomNetworks(layout, 3, seed);
      const D = layout.params;
      const { plane } = garipovPlane(params.subarray(0, D), params.subarray(D, 2 * D), params.subarray(2 * D));
      const range: LandscapeRange = { a: [-1, 3], b: [-2, 2] };
      const data = new NetworkData(device, model.dataset);
      const rowWork = grid * model.dataset.nTrain * layout.weights;
      const rows = await PlaneLandscape.create({ device, model, data, chunkWork: rowWork, label: 'PlaneLandscape.rows' });
      const whole = await PlaneLandscape.create({ device, model, data, label: 'PlaneLandscape.whole' });
      const ctrl = new AbortController();
      const aborted: number[] = [];
      let abortError = '';
      await rows.compute(plane, range, grid, {
        signal: ctrl.signal,
        onProgress: (f) => { aborted.push(f); if (aborted.length === 3) ctrl.abort(); },
      }).catch((e: unknown) => { abortError = (e as Error).name; });
      // aborted before it starts: no chunk at all
      let preError = '';
      const pre: number[] = [];
      await rows.compute(plane, range, grid, { signal: AbortSignal.abort(), onProgress: (f) => pre.push(f) }).catch((e: unknown) => { preError = (e as Error).name; });
      const full: number[] = [];
      const byRows = await rows.compute(plane, range, grid, { onProgress: (f) => full.push(f) });
      const oneChunk = await whole.compute(plane, range, grid);
      rows.destroy();
      rows.destroy(); // a second destroy frees nothing again
      whole.destroy();
      data.destroy();
      let afterDestroy = '';
      await rows.compute(plane, range, grid).catch((e: unknown) => { afterDestroy = (e as Error).message; });
      return {
        chunkPoints: rows.chunkPoints, abortError, aborted, preError, pre, full, byRows, oneChunk, afterDestroy,
        buffers: created.map((b) => ({ label: b.label, destroys: destroys.get(b) ?? 0 })),
      };
    } finally {
      proto.destroy = originalDestroy;
      delete (device as unknown as Record<string, unknown>).createBuffer;
    }
  });
}

/** Seconds for a grid x grid landscape (the bench figure: width 32 x 2, 1,024 samples, 64^2). */
export function landscapeTiming(specJson: unknown, seed: number, grid: number) {
  return gpuTest('landscapeTiming', async (device, track) => {
    const model = createNetworkModel(networkSpecSchema.parse(specJson), seed);
    const D = model.layout.params;
    const params = randomNetworks(model.layout, 3, seed);
    const { plane } = garipovPlane(params.subarray(0, D), params.subarray(D, 2 * D), params.subarray(2 * D));
    const data = track(new NetworkData(device, model.dataset));
    const landscape = track(await PlaneLandscape.create({ device, model, data }));
    const range: LandscapeRange = { a: [-1, 3], b: [-2, 2] };
    await landscape.compute(plane, range, 16); // warm-up
    const t0 = performance.now();
    let chunks = 0;
    const values = await landscape.compute(plane, range, grid, { onProgress: () => chunks++ });
    const seconds = (performance.now() - t0) / 1000;
    let finite = 0;
    for (const v of values) if (Number.isFinite(v)) finite++;
    return { seconds, chunks, chunkPoints: landscape.chunkPoints, finite, D, nTrain: model.dataset.nTrain, weights: model.layout.weights };
  });
}

/** Seconds for the principal plane of `count` random networks (an isotropic cloud: the slowest case, it runs to maxIterations). */
export function pcaTiming(hidden: number[], count: number, seed: number) {
  return gpuTest('pcaTiming', async (device, track) => {
    const layout = networkLayout(hidden);
    const params = randomNetworks(layout, count, seed);
    const pbuf = track(storageWith(device, 'test.params', params));
    const sbuf = track(storageWith(device, 'test.status', new Uint32Array(count)));
    const pca = track(await NetworkPca.create({ device, model: { layout }, params: pbuf, count }));
    await pca.compute(sbuf, { maxIterations: 10 }); // warm-up
    const t0 = performance.now();
    const r = await pca.compute(sbuf);
    return { seconds: (performance.now() - t0) / 1000, iterations: r?.iterations ?? 0, converged: r?.converged ?? false, D: layout.params };
  });
}
