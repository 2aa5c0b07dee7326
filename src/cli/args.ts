// Command-line flags, parsed strictly: every parse error is one line and exit 2
// (never node's multi-line "unexpected error"), numbers are decimal digits in
// a stated range ('' , '0x5F5E101', '1e3' and '-1' are refused with the range).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors';

/** The hint every argument error ends with. */
export const HELP_HINT = 'see `npm run lab -- --help`';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--steps -1` as `--steps=-1`: node's parser takes a value starting with '-'
 * for an option; joined, the value reaches the range check and its message.
 */
function joinDashValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : '';
    const takesValue = name !== '' && Object.hasOwn(options, name) && options[name].type === 'string';
    if (takesValue && i + 1 < args.length && /^-[\d.]/.test(args[i + 1])) {
      out.push(`${args[i]}=${args[i + 1]}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

/** parseArgs with positionals; any error becomes a one-line CliError (exit 2) naming the flag. */
export function parseFlags<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args: joinDashValues(args, options), allowPositionals: true, strict: true, options });
  } catch (e) {
    const err = e as Error & { code?: string };
    const first = err.message.split('\n')[0];
    const unknown = /^Unknown option '([^']*)'/.exec(first);
    if (unknown) throw new CliError(`${command}: unknown option ${quoteArg(unknown[1])}; ${HELP_HINT}`, 2);
    const missing = /^Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(first);
    if (missing) throw new CliError(`${command}: ${missing[1]} needs a value; ${HELP_HINT}`, 2);
    throw new CliError(`${command}: ${first.replace(/\.$/, '')}; ${HELP_HINT}`, 2);
  }
}

/** A whole number in [min, max] written in decimal digits; undefined stays undefined. */
export function intFlag(flag: string, text: string | undefined, min: number, max: number, what = ''): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new CliError(`${flag} must be a whole number in [${min}, ${max}]${what ? ` (${what})` : ''}, not ${quoteArg(text)}`, 2);
  return n;
}

/** A decimal number (digits, optional fraction) in (0, max]. */
export function positiveFlag(flag: string, text: string, max: number, what = ''): number {
  const n = /^\d{1,16}(\.\d{1,16})?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0 && n <= max)) throw new CliError(`${flag} must be a decimal number in (0, ${max}]${what ? ` (${what})` : ''}, not ${quoteArg(text)}`, 2);
  return n;
}

/** An argument as a message shows it: quoted, control characters escaped, at most 80 characters. */
export function quoteArg(text: string): string {
  const s = JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text).slice(1, -1);
  return `'${s.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}
