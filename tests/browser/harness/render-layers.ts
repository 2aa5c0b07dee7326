// Page side of the render-layer tests: the current-arrow kernel on given
// density and current arrays, and the trail ring buffer over a few frames,
// both read back here (the live page never reads them back).
import { createBuffer, readBuffer, readBuffers } from '../../../src/gpu/buffers';
import type { ArrowLattice } from '../../../src/render/arrow-lattice';
import { CurrentArrowsKernel } from '../../../src/render/current-arrows-kernel';
import { TrailRing } from '../../../src/render/trail-ring';
import { ParticleSplat, type SplatStyle, type SplatView } from '../../../src/render/particle-splat';
import { gpuTest } from './gpu';

/** NaN: an arrow the kernel never wrote survives as NaN and fails every comparison. */
const NAN_BITS = 0x7fc00000;

/** `density`, `current`: float32 values as plain arrays (arguments travel as JSON). */
export function runArrows(lattice: ArrowLattice, rhoMin: number, densityValues: number[], currentValues: number[]) {
  return gpuTest('render-layers.arrows', async (device, track) => {
    const S = GPUBufferUsage.STORAGE;
    const density = Float32Array.from(densityValues), current = Float32Array.from(currentValues);
    const d = track(createBuffer(device, 'test.density', density.byteLength, S, density));
    const c = track(createBuffer(device, 'test.current', current.byteLength, S, current));
    const kernel = track(await CurrentArrowsKernel.create(device, { lattice, rhoMin, density: d, current: c, label: 'test.arrows' }));
    device.queue.writeBuffer(kernel.arrows, 0, new Uint32Array(kernel.arrows.size / 4).fill(NAN_BITS));
    // a stale peak from an earlier frame must not survive: encode clears it
    device.queue.writeBuffer(kernel.peak, 0, Float32Array.of(1e30));
    const enc = device.createCommandEncoder();
    kernel.encode(enc);
    device.queue.submit([enc.finish()]);
    const [arrows, peak] = await readBuffers(device, [kernel.arrows, kernel.peak]);
    return { arrows: new Float32Array(arrows), peak: new Float32Array(peak)[0] };
  });
}

/**
 * A ring of `length` slots for `count` particles (a slot at most every
 * `every` steps): frame k writes positions
 * frames[k] (count vec2f) to the source buffer, then records with its
 * stepsDone, one command encoder and submit per frame as in the live loop.
 * Returns the ring buffer and the bookkeeping after the last frame.
 */
export function runTrail(count: number, length: number, frames: { positions: number[]; stepsDone: number }[], every = 1) {
  return gpuTest('render-layers.trail', async (device, track) => {
    const source = track(createBuffer(device, 'test.positions', 8 * count, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST));
    const ring = new TrailRing(source, count, length, every);
    const target = track(createBuffer(device, 'test.ring', ring.bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      new Uint32Array(ring.bytes / 4).fill(NAN_BITS)));
    const recorded: boolean[] = [];
    for (const f of frames) {
      device.queue.writeBuffer(source, 0, Float32Array.from(f.positions));
      const enc = device.createCommandEncoder();
      recorded.push(ring.encodeRecord(enc, target, f.stepsDone));
      device.queue.submit([enc.finish()]);
    }
    const slots = Array.from({ length }, (_, age) => ring.slot(age));
    return { ring: new Float32Array(await readBuffer(device, target, ring.bytes)), head: ring.head, filled: ring.filled, recorded, slots };
  });
}

/**
 * The particle splat (src/render/particle-splat.ts) on a `width` x `height`
 * rgba8unorm target cleared to `dst`, over a depth32float background cleared
 * to `depth`: returns the per-pixel counts and the target's bytes.
 * `width` must be a multiple of 64 (rows of 256 bytes for the readback).
 */
export function runSplat(a: {
  positions: number[]; heights: number[]; domain: SplatView['domain']; frame: SplatView['frame']; lift: number; viewProj: number[];
  rect: SplatView['rect']; width: number; height: number; depth: number; dst: [number, number, number]; style: SplatStyle;
}) {
  return gpuTest('render-layers.splat', async (device, track) => {
    const S = GPUBufferUsage.STORAGE;
    const positions = track(createBuffer(device, 'test.positions', 4 * a.positions.length, S, Float32Array.from(a.positions)));
    const heights = track(createBuffer(device, 'test.heights', 4 * a.heights.length, S, Float32Array.from(a.heights)));
    const target = track(device.createTexture({ label: 'test.target', size: [a.width, a.height], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC }));
    const depth = track(device.createTexture({ label: 'test.depth', size: [a.width, a.height], format: 'depth32float', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING }));
    const enc = device.createCommandEncoder();
    enc.beginRenderPass({
      colorAttachments: [{ view: target.createView(), loadOp: 'clear', clearValue: { r: a.dst[0], g: a.dst[1], b: a.dst[2], a: 1 }, storeOp: 'store' }],
      depthStencilAttachment: { view: depth.createView(), depthLoadOp: 'clear', depthClearValue: a.depth, depthStoreOp: 'store' },
    }).end();
    device.queue.submit([enc.finish()]);
    const splat = track(new ParticleSplat(device, 'rgba8unorm'));
    splat.draw({ positions, count: a.positions.length / 2, heights, domain: a.domain, frame: a.frame, lift: a.lift, viewProj: a.viewProj, rect: a.rect }, a.style, depth, target);
    const counts = new Uint32Array(await readBuffer(device, splat.countsBuffer!, 4 * a.width * a.height));
    const pixels = track(device.createBuffer({ label: 'test.pixels', size: 4 * a.width * a.height, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ }));
    const copy = device.createCommandEncoder();
    copy.copyTextureToBuffer({ texture: target }, { buffer: pixels, bytesPerRow: 4 * a.width }, [a.width, a.height]);
    device.queue.submit([copy.finish()]);
    await pixels.mapAsync(GPUMapMode.READ);
    const rgba = new Uint8Array(pixels.getMappedRange().slice(0));
    pixels.unmap();
    return { counts: Array.from(counts), rgba: Array.from(rgba) };
  });
}
