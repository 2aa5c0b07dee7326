// Reproducible videos through the runner, as a person records them:
// `npm run lab -- run ... --video FILE.webm` twice must decode to the same
// pictures. Chromium's H.264 rate control decided differently between runs
// (PSNR 37–43 dB between two 1280x720 MP4 recordings of one run, measured
// 2026-12-04) and its H.264 encoder has no constant-quantizer mode, so WebM
// (VP9) at a constant quantizer is the runner's reproducible format and MP4
// says that it is not. Frames are decoded in the page (WebCodecs via
// mediabunny) and hashed over their RGBA pixels (tests/browser/harness/record.ts).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { sharedLab, useLabPage } from './support/page';

type Inspected = { codec: string; width: number; height: number; packets: number; hashes: number[] };

// the harness page decodes the videos; it must report no console or page error
const lab = useLabPage();

/** One --video run of the fixture (8 frames, 43 steps apart), decoded. */
async function recordOnce(format: 'webm' | 'mp4'): Promise<{ info: Inspected; stderr: string; bytes: Buffer }> {
  const out = mkdtempSync(join(tmpdir(), 'sgd-lab-video-'));
  const file = join(out, `run.${format}`);
  const r = await runCli(['run', 'tests/fixtures/small.json', '--out', out, '--video', file, '--fps', '8', '--seconds', '1', '--size', '480x270'], { shared: sharedLab() });
  expect(r.code, r.stderr).toBe(0);
  const bytes = readFileSync(file);
  const info = await lab.call<Inspected>('record', 'inspectBase64', bytes.toString('base64'), `video/${format}`);
  return { info, stderr: r.stderr, bytes };
}

describe('npm run lab -- run --video: reproducible pictures', () => {
  it('two WebM runs of the same scenario decode to identical frames (constant quantizer, the default)', async () => {
    const a = await recordOnce('webm');
    const b = await recordOnce('webm');
    expect(a.stderr).toMatch(/video: .*run\.webm \(webm, 480x270, 8 fps, 8 frames, 43 steps per frame\); constant quantizer 36: the same run gives the same pictures/);
    expect(a.info.codec).toBe('vp9');
    expect(a.info.hashes).toHaveLength(8);
    // the cloud moves, so a frame-by-frame match says something
    expect(new Set(a.info.hashes).size).toBeGreaterThan(5);
    expect(b.info.hashes).toEqual(a.info.hashes);
    console.log(`[cli-video] webm: ${a.bytes.length} bytes, files byte-identical: ${a.bytes.equals(b.bytes)}`);
  });
});
