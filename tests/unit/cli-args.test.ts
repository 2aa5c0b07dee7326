// Flags parsed strictly (in process): decimal integers in range, one-line errors with exit 2.
import { describe, expect, it } from 'vitest';
import { intFlag, parseFlags, positiveFlag, quoteArg } from '../../src/cli/args';
import { CliError } from '../../src/cli/errors';

function error(f: () => unknown): CliError {
  try {
    f();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('strict flags', () => {
  it.each(['', '0x5F5E101', '1e3', '1.5', '-1', ' 5', '+5', '５', '100000001', '99999999999999999999'])('--steps %j is refused with the range', (text) => {
    const e = error(() => intFlag('--steps', text, 0, 100_000_000));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^--steps must be a whole number in \[0, 100000000\], not '/);
    expect(e.message).not.toContain('\n');
  });

  it('decimal digits in range are read', () => {
    expect(intFlag('--steps', '0', 0, 10)).toBe(0);
    expect(intFlag('--steps', '007', 0, 10)).toBe(7);
    expect(intFlag('--steps', undefined, 0, 10)).toBeUndefined();
    expect(positiveFlag('--seconds', '2.5', 100)).toBe(2.5);
    expect(() => positiveFlag('--seconds', '0', 100)).toThrow(CliError);
    expect(() => positiveFlag('--seconds', 'Infinity', 100)).toThrow(CliError);
  });

  it('parse errors are one line naming the flag, with the help hint', () => {
    const opts = { out: { type: 'string' }, steps: { type: 'string' } } as const;
    expect(error(() => parseFlags('run', ['--out'], opts)).message).toBe('run: --out needs a value; see `npm run lab -- --help`');
    expect(error(() => parseFlags('run', ['--out', '--steps', '3'], opts)).message).toBe('run: --out needs a value; see `npm run lab -- --help`');
    expect(error(() => parseFlags('run', ['--bogus\u001b[2J'], opts)).message).toBe("run: unknown option '--bogus\\u001b[2J'; see `npm run lab -- --help`");
    // a negative number is a value, so its range check speaks
    expect(parseFlags('run', ['--steps', '-1'], opts).values.steps).toBe('-1');
  });

  it('arguments are shown escaped and short', () => {
    expect(quoteArg('a\nb')).toBe("'a\\nb'");
    expect(quoteArg('\u009b31m')).toBe("'\\u009b31m'");
    expect(quoteArg('x'.repeat(1000)).length).toBeLessThan(90);
  });
});
