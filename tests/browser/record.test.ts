import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';

const lab = useLabPage();

const scenario = {
  seed: 4, surface: { name: 'double-well', params: {} }, steps: 1000,
  particles: { count: 8192, init: { kind: 'gaussian', mean: [-1, 0], std: 0.2 } },
  panels: [
    { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: 0.1 } },
    { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: 0.4 } },
  ],
};
type Recorded = { bytes: Uint8Array | null; error: string | null; info: Inspected | null; leakedBuffers: string[] };
type Inspected = { codec: string; width: number; height: number; packets: number; fps: number; duration: number; hashes: number[] };

describe('video recording', () => {
  it.each([
    ['mp4', 'avc'],
    ['webm', 'vp9'],
  ])('60 frames to %s read back by a demuxer as 60 frames of the requested size, codec and rate', async (format, codec) => {
    const o = { format, width: 320, height: 180, fps: 30, frames: 60, stepsPerFrame: 5 };
    const r = await lab.call<Recorded>('record', 'record', scenario, o);
    expect(r.error).toBeNull();
    expect(r.leakedBuffers).toEqual([]);
    const info = r.info!;
    console.log(`[record] ${format}: ${r.bytes!.length} bytes, ${JSON.stringify({ ...info, hashes: info.hashes.length })}`);
    expect(info.codec).toBe(codec);
    expect([info.width, info.height]).toEqual([320, 180]);
    expect(info.packets).toBe(60);
    expect(info.hashes).toHaveLength(60);
    // WebM stores timestamps in whole milliseconds (33 or 34 ms per frame here), so the mean rate over
    // 60 frames is exact only to ~0.5 ms / 2 s relative: 30 fps +- 0.01
    expect(Math.abs(info.fps - 30)).toBeLessThan(0.01);
    expect(Math.abs(info.duration - 2)).toBeLessThan(0.002);
  });

  it('two recordings of the same scenario and seed decode to identical frames', async () => {
    const o = { format: 'webm', width: 256, height: 144, fps: 24, frames: 24, stepsPerFrame: 10 };
    const a = await lab.call<Recorded>('record', 'record', scenario, o);
    const b = await lab.call<Recorded>('record', 'record', scenario, o);
    const ia = a.info!, ib = b.info!;
    expect(ib.hashes).toEqual(ia.hashes);
    // the clouds move: frames differ over time
    expect(new Set(ia.hashes).size).toBeGreaterThan(10);
    console.log(`[record] encoded bytes identical: ${Buffer.from(a.bytes!).equals(Buffer.from(b.bytes!))}`);
  });

  it('cancelling mid-way leaves no file and no GPU buffers', async () => {
    const r = await lab.call<Recorded>('record', 'record', scenario, { format: 'mp4', width: 320, height: 180, fps: 30, frames: 60, stepsPerFrame: 5, cancelAt: 10 });
    expect(r.error).toMatch(/AbortError: recording cancelled/);
    expect(r.bytes).toBeNull();
    expect(r.leakedBuffers).toEqual([]);
  });

  it('refuses impossible settings with a message', async () => {
    const r = await lab.call<Recorded>('record', 'record', scenario, { format: 'mp4', width: 321, height: 180, fps: 30, frames: 5, stepsPerFrame: 5 });
    expect(r.error).toMatch(/H\.264 needs an even width and height, not 321x180/);
  });
});
