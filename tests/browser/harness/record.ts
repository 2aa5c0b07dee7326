// Page side of the recording tests: record a scenario, then read the file back
// with mediabunny's demuxer and decoder.
import { ALL_FORMATS, BlobSource, Input, VideoSampleSink } from 'mediabunny';
import { requireScenario } from '../../../src/model/scenario';
import { Simulation } from '../../../src/scheduler/simulation';
import { SimulationFrames } from '../../../src/record/simulation-frames';
import { recordVideo, type VideoFormat } from '../../../src/record/video-recorder';
import { testGpu } from './gpu';

/**
 * Counts GPU buffers and textures created and not destroyed on this device
 * (leak checks); `replaced` lists objects made before counting began and
 * destroyed since (e.g. a depth texture re-made at a new canvas size).
 */
export function countBuffers(device: GPUDevice) {
  const live = new Set<GPUBuffer>();
  const liveTextures = new Set<GPUTexture>();
  const replaced = { buffers: [] as string[], textures: [] as string[] };
  const seen = new WeakSet<object>();
  const create = device.createBuffer.bind(device);
  const createTexture = device.createTexture.bind(device);
  const destroyBuffer = GPUBuffer.prototype.destroy;
  const destroyTexture = GPUTexture.prototype.destroy;
  device.createBuffer = (d: GPUBufferDescriptor) => {
    const b = create(d);
    live.add(b);
    return b;
  };
  device.createTexture = (d: GPUTextureDescriptor) => {
    const t = createTexture(d);
    liveTextures.add(t);
    return t;
  };
  GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
    if (!live.delete(this) && !seen.has(this)) replaced.buffers.push(this.label);
    seen.add(this);
    return destroyBuffer.call(this);
  };
  GPUTexture.prototype.destroy = function (this: GPUTexture) {
    if (!liveTextures.delete(this) && !seen.has(this)) replaced.textures.push(this.label);
    seen.add(this);
    return destroyTexture.call(this);
  };
  return {
    live, liveTextures, replaced,
    restore: () => {
      device.createBuffer = create;
      device.createTexture = createTexture;
      GPUBuffer.prototype.destroy = destroyBuffer;
      GPUTexture.prototype.destroy = destroyTexture;
    },
  };
}

export async function record(scenarioJson: unknown, o: { format: VideoFormat; width: number; height: number; fps: number; frames: number; stepsPerFrame: number; cancelAt?: number }) {
  const { device } = await testGpu();
  const counter = countBuffers(device);
  const { scenario, surface } = requireScenario(scenarioJson);
  const abort = new AbortController();
  let bytes: Uint8Array | null = null, error: string | null = null;
  const sim = await Simulation.create(device, scenario, surface);
  try {
    const init = device.createCommandEncoder();
    sim.encodeInit(init);
    device.queue.submit([init.finish()]);
    const r = await recordVideo(new SimulationFrames(sim, o.stepsPerFrame, 'test'), {
      ...o, bitrate: 2e6, signal: abort.signal,
      onProgress: (p) => { if (o.cancelAt !== undefined && p.frame >= o.cancelAt) abort.abort(); },
    });
    bytes = r.bytes;
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    sim.destroy();
    counter.restore();
  }
  await device.queue.onSubmittedWorkDone();
  const info = bytes ? await inspect(bytes, o.format === 'mp4' ? 'video/mp4' : 'video/webm') : null;
  return { bytes, error, info, leakedBuffers: [...counter.live].map((b) => b.label) };
}

/** Demuxes and decodes a recording: frame count, size, codec, frame rate, and a hash of each decoded frame. */
export async function inspect(bytes: Uint8Array | Blob, mime: string) {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart], { type: mime });
  const input = new Input({ formats: ALL_FORMATS, source: new BlobSource(blob) });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('no video track');
  const stats = await track.computePacketStats();
  const hashes: number[] = [];
  const sink = new VideoSampleSink(track);
  for await (const sample of sink.samples()) {
    const frame = sample.toVideoFrame();
    const buf = new Uint8Array(frame.allocationSize({ format: 'RGBA' }));
    await frame.copyTo(buf, { format: 'RGBA' });
    frame.close();
    sample.close();
    let h = 2166136261; // FNV-1a over the decoded pixels
    for (let i = 0; i < buf.length; i += 7) { h ^= buf[i]; h = Math.imul(h, 16777619); }
    hashes.push(h >>> 0);
  }
  return {
    codec: track.codec, width: track.displayWidth, height: track.displayHeight,
    packets: stats.packetCount, fps: stats.averagePacketRate, duration: await input.computeDuration(), hashes,
  };
}

/** inspect() for a file the test read in Node: its bytes as base64 (page.evaluate carries strings, not bytes). */
export async function inspectBase64(b64: string, mime: string) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return inspect(bytes, mime);
}
