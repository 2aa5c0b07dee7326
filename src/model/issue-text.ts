// Pieces of validation messages taken from the input (values, field names):
// always short, always one line, never a terminal control sequence, and never
// a recursion as deep as the input (a value nested 5,000 deep prints as '[[[[...').

/** Longest problem line, in characters: a message names a field, not a megabyte. */
export const MAX_PROBLEM_LENGTH = 400;

/** Containers deeper than this print as '...' (far below any stack limit). */
const MAX_DEPTH = 8;

/** C0 and C1 controls, DEL and the Unicode line/paragraph separators: escaped wherever input text is shown. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A message as one line of at most MAX_PROBLEM_LENGTH characters, controls escaped. */
export function oneLine(text: string, max = MAX_PROBLEM_LENGTH): string {
  const s = escapeControls(text);
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

/** JSON-like text of v, stopping once it is longer than `limit` characters or MAX_DEPTH deep. */
function boundedJson(v: unknown, limit: number): string {
  let out = '';
  const visit = (x: unknown, depth: number): void => {
    if (out.length > limit) return;
    if (x === null || typeof x !== 'object') {
      out += typeof x === 'string' ? JSON.stringify(x.slice(0, limit)) : typeof x === 'number' || typeof x === 'boolean' ? String(x) : x === null ? 'null' : typeof x;
      return;
    }
    if (depth >= MAX_DEPTH) {
      out += '...';
      return;
    }
    const entries: [string | null, unknown][] = Array.isArray(x) ? x.map((e) => [null, e]) : Object.entries(x);
    out += Array.isArray(x) ? '[' : '{';
    entries.forEach(([k, e], i) => {
      if (out.length > limit) return;
      if (i > 0) out += ',';
      if (k !== null) out += `${JSON.stringify(k.slice(0, limit))}:`;
      visit(e, depth + 1);
    });
    out += Array.isArray(x) ? ']' : '}';
  };
  visit(v, 0);
  return out;
}

/** A value from the input as a message shows it: JSON, at most `max` characters, controls escaped. */
export function show(v: unknown, max = 60): string {
  if (v === undefined) return 'nothing';
  const s = escapeControls(boundedJson(v, max));
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

/** A field name from the input: plain when it looks like an identifier, else quoted and escaped like a value. */
export function keyText(key: string): string {
  return /^[A-Za-z_$][\w$-]{0,39}$/.test(key) ? key : show(key, 42);
}

/** A field path such as panels[0].optimizer.lr, '(scenario)' for the document itself. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => {
    if (typeof k === 'number') return `${s}[${k}]`;
    const name = keyText(String(k));
    return s ? `${s}.${name}` : name;
  }, '') || '(scenario)';
}

/**
 * `v` to `digits` significant figures in its shortest form, exponent form
 * outside [1e-3, 1e5): the rule of formatNumber in format.ts, which sits above
 * scenario.ts and so cannot be imported by the checks it runs.
 */
export function shortNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

/** A field name quoted for a sentence: 'q' when plain, else escaped like a value ("a\u001b..."). */
export function quotedKey(key: string): string {
  return keyText(key) === key ? `'${key}'` : keyText(key);
}
