// --video's flags: which encoding each format gets and what the runner says
// about it (the browser side, reproducible WebM pictures, is
// tests/browser/cli-video.test.ts).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { videoLine, videoRequest, type VideoFlags } from '../../src/cli/video-options';
import { runCli } from '../support/cli';

const flags = (file: string, more: Partial<VideoFlags> = {}): VideoFlags => ({ file, width: 640, height: 360, fps: 10, seconds: 2, ...more });

describe('--video encoding', () => {
  it('WebM defaults to a constant quantizer, MP4 to 4 Mbit/s with a note that H.264 pictures are not reproducible', () => {
    const webm = videoRequest(flags('a.webm'), 190);
    expect(webm).toMatchObject({ format: 'webm', quantizer: 36, stepsPerFrame: 10 });
    expect(videoLine('a.webm', webm, 20)).toBe('video: a.webm (webm, 640x360, 10 fps, 20 frames, 10 steps per frame); constant quantizer 36: the same run gives the same pictures');
    const mp4 = videoRequest(flags('a.MP4'), 190);
    expect(mp4.quantizer).toBeUndefined();
    expect(mp4.bitrate).toBe(4_000_000);
    expect(videoLine('a.MP4', mp4, 20)).toMatch(/; 4000000 bit\/s, rate-controlled: pictures may differ between runs \(for reproducible pictures record \.webm\)$/);
  });

  it('--bitrate selects rate control for WebM too; --quantizer is checked against the codec', () => {
    const rated = videoRequest(flags('a.webm', { bitrate: 2e6 }), 100);
    expect(rated.bitrate).toBe(2e6);
    expect(rated.quantizer).toBeUndefined();
    expect(videoRequest(flags('a.webm', { quantizer: 63 }), 100).quantizer).toBe(63);
    expect(videoRequest(flags('a.mp4', { quantizer: 20 }), 100).quantizer).toBe(20);
    expect(() => videoRequest(flags('a.mp4', { quantizer: 52 }), 100)).toThrow('--quantizer must be in [0, 51] for mp4 (avc), not 52');
    expect(() => videoRequest(flags('a.gif'), 100)).toThrow(/must end in \.mp4 \(H\.264\) or \.webm \(VP9\)/);
  });

  it('refuses a quantizer beyond the codec and --bitrate with --quantizer in one line, exit 2, before writing anything', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-video-'));
    const high = await runCli(['run', 'tests/fixtures/small.json', '--out', join(out, 'o'), '--video', join(out, 'a.mp4'), '--quantizer', '60']);
    expect(high.code).toBe(2);
    expect(high.stderr.trim().split('\n')).toHaveLength(1);
    expect(high.stderr).toMatch(/--quantizer must be in \[0, 51\] for mp4 \(avc\), not 60/);
    const both = await runCli(['run', 'tests/fixtures/small.json', '--out', join(out, 'o'), '--video', join(out, 'a.webm'), '--quantizer', '30', '--bitrate', '4000000']);
    expect(both.code).toBe(2);
    expect(both.stderr.trim().split('\n')).toHaveLength(1);
    expect(both.stderr).toMatch(/--bitrate and --quantizer exclude each other/);
    const gif = await runCli(['run', 'tests/fixtures/small.json', '--out', join(out, 'o'), '--video', join(out, 'run.gif')]);
    expect(gif.code).toBe(2);
    expect(gif.stderr).toMatch(/--video: '.*run\.gif' must end in \.mp4 \(H\.264\) or \.webm \(VP9\)/);
    expect(readdirSync(out)).toEqual([]);
  }, 60_000);
});
