// Errors a person can act on when a typed formula cannot become a surface.
import type { Vec2 } from '../surface-types';

/** A formula that cannot be read: what is wrong and where (1-based line and column of the typed text). */
export class FormulaError extends Error {
  override name = 'FormulaError';
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

/** A formula that reads fine but is not finite over much of the domain it is meant for. */
export class FormulaDomainError extends Error {
  override name = 'FormulaDomainError';
  constructor(
    message: string,
    /** which function failed: the loss itself or its gradient */
    readonly part: 'value' | 'gradient',
    /** fraction of the sample grid where it is not finite, in [0, 1] */
    readonly fraction: number,
    /** one sample point where it is not finite */
    readonly example: Vec2,
  ) {
    super(message);
  }
}

/** 1-based line and column of the character at `index` (0-based, UTF-16) in `text`. */
export function positionAt(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  // columns count code points, so an emoji or a CJK character is one column
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}

/** A FormulaError whose message ends with the position: `unknown function 'sinn' at 1:1`, plus an optional hint. */
export function errorAt(text: string, index: number, what: string, hint?: string): FormulaError {
  const { line, column } = positionAt(text, index);
  return new FormulaError(`${what} at ${line}:${column}${hint ? `; ${hint}` : ''}`, line, column);
}
