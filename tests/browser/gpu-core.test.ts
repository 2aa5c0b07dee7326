import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';

const lab = useLabPage({ expectNoErrors: false });

describe('GPU core', () => {
  it('reports a lost device once and recovers with a new working device', async () => {
    const r = await lab.call<{ lost: string[]; ok: boolean; generation: number }>('gpu-core', 'lossAndRecovery');
    expect(r.lost).toEqual(['destroyed']);
    expect(r.ok).toBe(true);
    expect(r.generation).toBe(2);
  });

  it('a WGSL compile error names the file and line it came from', async () => {
    const msg = await lab.call<string>('gpu-core', 'compileError');
    expect(msg).toMatch(/shader 'broken.wgsl' failed to compile/);
    expect(msg).toMatch(/broken\.wgsl:4:\d+: error: .*undefined_thing/);
  });

  it('uncaptured validation errors are surfaced, not swallowed', async () => {
    const seen = await lab.call<string[]>('gpu-core', 'uncaptured');
    expect(seen.length).toBe(1);
    expect(seen[0]).toMatch(/uncaptured GPU error/);
  });

  it('no WebGPU gives a message that names the cause and the fix', async () => {
    const msg = await lab.call<string>('gpu-core', 'noWebGpu');
    expect(msg).toMatch(/no WebGPU \(navigator\.gpu is missing\)/);
  });
});
