// First reading of a typed formula: its tokens with their positions, checked
// against the vocabulary (functions.ts) before mathjs parses it. Only ASCII
// digits, letters, '_', '.', + - * / ^ ( ) ',' and white space get through, so
// mathjs can only build numbers, names, the five arithmetic operators and
// function calls; every name is a known variable, constant or function; every
// call has the right number of arguments. Tokens follow mathjs's own rules for
// numbers, so the numbers and names here are exactly the leaves of its tree.
import { errorAt, FormulaError, positionAt } from './errors';
import { CONSTANTS, MAX_FORMULA_LENGTH, VARIABLES, typedArity } from './functions';

export interface Token {
  kind: 'number' | 'name' | 'operator' | '(' | ')' | ',';
  text: string;
  /** 0-based UTF-16 index in the typed text */
  index: number;
}

const WHITE = /[ \t\r\n]+/y;
// mathjs: digits with one decimal point (not the start of .* ./ .^), then an optional exponent
const NUMBER = /(?:\d+(?:\.(?![*/^])\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SINGLE: Record<string, Token['kind']> = { '+': 'operator', '-': 'operator', '*': 'operator', '/': 'operator', '^': 'operator', '(': '(', ')': ')', ',': ',' };
const CHARACTER_HINTS: Record<string, string> = {
  '=': "type only the right-hand side, e.g. x^2 + y^2",
  '[': 'use ( ) for grouping',
  '{': 'use ( ) for grouping',
  ';': 'a formula is one expression',
};

export function scan(text: string): Token[] {
  if (text.trim() === '') throw new FormulaError('empty formula; type a function of x and y, e.g. x^2 + 3*y^2', 1, 1);
  if (text.length > MAX_FORMULA_LENGTH) {
    const { line, column } = positionAt(text, MAX_FORMULA_LENGTH);
    throw new FormulaError(`formula too long: ${text.length} characters, at most ${MAX_FORMULA_LENGTH}`, line, column);
  }
  const tokens: Token[] = [];
  let i = 0;
  const match = (re: RegExp) => { re.lastIndex = i; return re.exec(text)?.[0]; };
  while (i < text.length) {
    const white = match(WHITE);
    if (white) { i += white.length; continue; }
    const number = match(NUMBER);
    const name = number ? undefined : match(NAME);
    const word = number ?? name;
    if (word) {
      tokens.push({ kind: number ? 'number' : 'name', text: word, index: i });
      i += word.length;
      continue;
    }
    const kind = SINGLE[text[i]];
    if (!kind) throw unexpectedCharacter(text, i);
    tokens.push({ kind, text: text[i], index: i });
    i += 1;
  }
  checkNames(text, tokens);
  checkParentheses(text, tokens);
  return tokens;
}

function unexpectedCharacter(text: string, i: number): FormulaError {
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  const code = ch.codePointAt(0)!;
  // name non-ASCII and invisible characters by code point: a look-alike 'ｙ' or a zero-width space is not obvious
  const shown = code > 0x20 && code < 0x7f ? `'${ch}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return errorAt(text, i, `unexpected character ${shown}`, CHARACTER_HINTS[ch]);
}

function checkNames(text: string, tokens: Token[]): void {
  tokens.forEach((t, k) => {
    if (t.kind !== 'name') return;
    const isValue = (VARIABLES as readonly string[]).includes(t.text) || Object.hasOwn(CONSTANTS, t.text);
    const called = tokens[k + 1]?.kind === '(';
    if (called && typedArity(t.text) === undefined) {
      throw isValue
        ? errorAt(text, t.index, `'${t.text}' is not a function`, `write ${t.text}*(...) to multiply`)
        : errorAt(text, t.index, `unknown function '${t.text}'`);
    }
    if (!called && !isValue) {
      throw typedArity(t.text) !== undefined
        ? errorAt(text, t.index, `function '${t.text}' needs parentheses`, `write ${t.text}(...)`)
        : errorAt(text, t.index, `unknown variable '${t.text}'`, 'use x and y');
    }
  });
}

/** Parentheses balance, commas only separate arguments, and every call has its number of arguments. */
function checkParentheses(text: string, tokens: Token[]): void {
  const open: { token: Token; callee?: Token; commas: number }[] = [];
  tokens.forEach((t, k) => {
    if (t.kind === '(') {
      const before = tokens[k - 1];
      open.push({ token: t, callee: before?.kind === 'name' ? before : undefined, commas: 0 });
    } else if (t.kind === ',') {
      const top = open.at(-1);
      if (!top?.callee) throw errorAt(text, t.index, "unexpected ','", 'commas only separate the arguments of a function');
      top.commas += 1;
    } else if (t.kind === ')') {
      const top = open.pop();
      if (!top) throw errorAt(text, t.index, "unmatched ')'");
      if (!top.callee) return;
      const given = tokens[k - 1] === top.token ? 0 : top.commas + 1;
      const arity = typedArity(top.callee.text)!;
      if (given !== arity) {
        throw errorAt(text, top.callee.index, `wrong number of arguments for '${top.callee.text}'`, `it takes ${arity}, got ${given}`);
      }
    }
  });
  const unclosed = open.at(-1);
  if (unclosed) throw errorAt(text, unclosed.token.index, "unclosed '('");
}
