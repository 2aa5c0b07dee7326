// `npm run lab -- path NETWORK_SCENARIO --between ...` refuses bad requests with
// exit code 2 before it trains or writes anything (the command called in
// process: every refusal happens before the page opens). The end-to-end run is
// in tests/browser/cli-network.test.ts.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors';
import { networkPathCommand, parseBetween } from '../../src/cli/network-path-command';
import { pathCommand } from '../../src/cli/path-command';

const FIXTURE = 'tests/fixtures/network-small.json';
const io = { log: () => {}, status: () => {} };

async function refusal(args: string[]): Promise<CliError> {
  try {
    await networkPathCommand(args, io);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return e as CliError;
  }
  throw new Error('no refusal');
}

describe('path --between refusals', () => {
  it('parses PANEL:I,PANEL:J and nothing else', () => {
    expect(parseBetween('0:3,1:5')).toEqual([{ panel: 0, index: 3 }, { panel: 1, index: 5 }]);
    for (const bad of ['0:3', '0:3,1', 'a:1,0:2', '0:-1,0:2', '0:1;0:2', '0:1,0:1']) expect(() => parseBetween(bad)).toThrow(CliError);
    expect(() => parseBetween(undefined)).toThrow(/--between PANEL:I,PANEL:J/);
  });

  it('exit 2 before training: two architectures, an index out of range, a missing --between, a 2-D scenario', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sgd-lab-network-path-'));
    const mixed = await refusal([FIXTURE, '--between', '0:0,1:0', '--out', out]);
    expect([mixed.exitCode, mixed.message]).toEqual([2, expect.stringMatching(/different architectures/)]);
    const range = await refusal([FIXTURE, '--between', '0:0,0:16', '--out', out]);
    expect([range.exitCode, range.message]).toEqual([2, expect.stringMatching(/network 16 does not exist \(16 per panel/)]);
    const none = await refusal([FIXTURE, '--out', out]);
    expect([none.exitCode, none.message]).toEqual([2, expect.stringMatching(/--between PANEL:I,PANEL:J/)]);
    const flat = await refusal(['preset:double-well-temperatures', '--between', '0:0,0:1', '--out', out]);
    expect([flat.exitCode, flat.message]).toEqual([2, expect.stringMatching(/--from X,Y --to X,Y/)]);
    // and the 2-D command, given a network scenario, names --between
    expect(() => pathCommand([FIXTURE, '--from', '0,0', '--to', '1,1', '--out', out], () => {})).toThrow(/--between PANEL:I,PANEL:J/);
    expect(readdirSync(out)).toEqual([]);
  });
});
