import { describe, expect, it } from 'vitest';
import {
  checkFinite, compileFormula, createFormulaSurface, FORMULA_WGSL_MODULE, FormulaDomainError, FormulaError, MAX_FORMULA_LENGTH,
} from '../../src/model/expression';
import { FORMULA_CASES, SQUARE, mulberry32 } from '../support/formula-cases';

function thrown(formula: string): unknown {
  try {
    compileFormula(formula);
  } catch (e) {
    return e;
  }
  return undefined;
}

function formulaError(formula: string): FormulaError {
  const e = thrown(formula);
  if (!(e instanceof FormulaError)) throw new Error(`'${formula}' gave ${e === undefined ? 'no error' : String(e)}, not a FormulaError`);
  return e;
}

describe('formula derivatives', () => {
  // Finite differences of the float64 value, over these domains where
  // |f| <= 60 and every 3rd and 4th partial derivative is below 5e4 (the largest
  // is d4/dx4 x^-3 = 360 x^-7 = 4.6e4 at x = 0.5):
  //  - gradient, central difference with h = 1e-5: truncation h^2/6 |f'''| <= 8.3e-7,
  //    rounding about 10 ulp(|f|)/h <= 10 * 60 * 1.1e-16 / 1e-5 = 6.7e-9 -> tolerance 1e-5;
  //  - Hessian, second differences with h = 1e-4: truncation h^2/12 |f''''| (h^2/6 for
  //    f_xy) <= 8.3e-5, rounding 4 * 10 ulp(|f|)/h^2 <= 2.6e-5 -> tolerance 3e-4.
  // A wrong derivative rule is off by O(0.1) or more.
  it.each(FORMULA_CASES)('agree with finite differences of the value: $formula', ({ formula, domain }) => {
    const f = compileFormula(formula);
    const rand = mulberry32(12345);
    const v = (x: number, y: number) => f.value(x, y);
    for (let k = 0; k < 25; k++) {
      const x = domain.x[0] + (domain.x[1] - domain.x[0]) * rand();
      const y = domain.y[0] + (domain.y[1] - domain.y[0]) * rand();
      const h1 = 1e-5;
      const fd = [(v(x + h1, y) - v(x - h1, y)) / (2 * h1), (v(x, y + h1) - v(x, y - h1)) / (2 * h1)];
      const g = f.gradient(x, y);
      const h = 1e-4, f0 = v(x, y);
      const fdH = [
        (v(x + h, y) - 2 * f0 + v(x - h, y)) / (h * h),
        (v(x + h, y + h) - v(x + h, y - h) - v(x - h, y + h) + v(x - h, y - h)) / (4 * h * h),
        (v(x, y + h) - 2 * f0 + v(x, y - h)) / (h * h),
      ];
      const H = f.hessian(x, y);
      const where = `${formula} at (${x}, ${y})`;
      expect(Math.abs(f0), where).toBeLessThan(60);
      g.forEach((gi, i) => expect(Math.abs(gi - fd[i]), `${where}: gradient[${i}] ${gi} vs ${fd[i]}`).toBeLessThan(1e-5));
      H.forEach((hi, i) => expect(Math.abs(hi - fdH[i]), `${where}: Hessian[${i}] ${hi} vs ${fdH[i]}`).toBeLessThan(3e-4));
    }
  });

  it('keeps the real value of integer powers of negative numbers', () => {
    const cube = compileFormula('x^3');
    expect(cube.value(-2, 0)).toBe(-8);
    expect(cube.gradient(-2, 0)).toEqual([12, 0]);
    expect(cube.hessian(-2, 0)).toEqual([-12, 0, 0]);
    expect(compileFormula('x^-3').value(-2, 0)).toBe(-0.125);
    // a variable exponent: integer values are fine for x < 0, others are NaN
    const power = compileFormula('x^y');
    expect(power.value(-2, 3)).toBe(-8);
    expect(power.gradient(-2, 3)[0]).toBe(12);
    expect(power.value(-2, 0.5)).toBeNaN();
    expect(compileFormula('x^(1/3)').value(-8, 0)).toBeNaN();
  });

  it('treats kinks one-sidedly and |u|^2 as smooth', () => {
    const f = compileFormula('abs(x - y)^2 + abs(y)');
    expect(f.hessian(1, 1)).toEqual([2, -2, 2]);
    expect(f.gradient(0, 0)).toEqual([0, 0]); // sign(0) = 0: the zero subgradient
    const m = compileFormula('max(x, y) + min(x, 2*y)');
    expect(m.gradient(1, 0)).toEqual([1, 2]);
    expect(m.gradient(0, 1)).toEqual([1, 1]);
  });

  it('reads implicit multiplication, pi, e and line breaks', () => {
    const f = compileFormula('2x y\n + pi*e');
    expect(f.printed).toBe('2 * x * y + pi * e');
    expect(f.value(1.5, 2)).toBeCloseTo(6 + Math.PI * Math.E, 14);
  });
});

describe('formula errors', () => {
  it.each([
    ['sinn(x)', "unknown function 'sinn' at 1:1"],
    ['x*y + z', "unknown variable 'z' at 1:7; use x and y"],
    ['x^2 +\n  sinn(y)', "unknown function 'sinn' at 2:3"],
    ['x +', 'syntax error: unexpected end of expression at 1:4'],
    ['x * * y', 'syntax error: value expected at 1:5'],
    ['2 3', 'syntax error: unexpected part "3" at 1:3'],
    ['(x + y', "unclosed '(' at 1:1"],
    ['x + y)', "unmatched ')' at 1:6"],
    ['x, y', "unexpected ',' at 1:2; commas only separate the arguments of a function"],
    ['atan2(x)', "wrong number of arguments for 'atan2' at 1:1; it takes 2, got 1"],
    ['x + sin()', "wrong number of arguments for 'sin' at 1:5; it takes 1, got 0"],
    ['sin x', "function 'sin' needs parentheses at 1:1; write sin(...)"],
    ['x(1 - x)', "'x' is not a function at 1:1; write x*(...) to multiply"],
    ['f = x^2', "unexpected character '=' at 1:3; type only the right-hand side, e.g. x^2 + y^2"],
    ['sqrt(-1) * x', "'sqrt(-1)' is not a real number at 1:1"],
    ['x + 1/0', "'1 / 0' is infinite at 1:5"],
    ['x + 1e39', "number '1e39' is beyond the float32 range (±3.4e38) at 1:5"],
    ['x + 2e19^2', "'2e+19 ^ 2' = 4.00e+38 is beyond the float32 range (±3.4e38) at 1:5"],
  ])('%j -> %s', (formula, message) => {
    const e = formulaError(formula);
    expect(e.message).toBe(message);
    const [line, column] = message.match(/at (\d+):(\d+)/)!.slice(1).map(Number);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it('refuses empty and overlong formulas', () => {
    for (const empty of ['', '  \n\t ']) {
      expect(formulaError(empty).message).toBe('empty formula; type a function of x and y, e.g. x^2 + 3*y^2');
    }
    const long = 'x+'.repeat(250) + 'y';
    expect(long.length).toBe(MAX_FORMULA_LENGTH + 1);
    const e = formulaError(long);
    expect(e.message).toBe('formula too long: 501 characters, at most 500');
    expect([e.line, e.column]).toEqual([1, 501]);
    expect(() => compileFormula(long.slice(2))).not.toThrow();
  });
});

// Every identifier the generator writes: WGSL keywords and types, the
// built-ins it calls, its own names. Anything else in a shader means typed text leaked.
const WGSL_VOCABULARY = new Set([
  'fn', 'let', 'var', 'private', 'return', 'if', 'select', 'bitcast', 'f32', 'u32', 'vec2f', 'vec3f', 'vec2u', 'p', 'x', 'y',
  'surface_value', 'surface_grad', 'surface_hessian', 'formula_pow', 'formula_nan_inf', 'a', 'b', 'm',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'exp', 'log', 'sqrt', 'abs', 'min', 'max',
  'sign', 'pow', 'floor', 'fract',
]);

function checkGeneratedWgsl(wgsl: string): void {
  const code = wgsl.split('\n').filter((l) => !l.trimStart().startsWith('//')).join('\n');
  // numbers (decimal, and the helper's hex bit patterns) first, so their digits and exponents are not names
  const tokens = code.match(/0x[0-9a-f]+u|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|[A-Za-z_]\w*/g) ?? [];
  const names = new Set(tokens.filter((t) => /^[A-Za-z_]/.test(t)));
  for (const name of names) {
    if (!WGSL_VOCABULARY.has(name) && !/^t\d+(_\d+)?$/.test(name)) throw new Error(`unexpected identifier '${name}' in\n${wgsl}`);
  }
  // the only comments are the generator's: one line each, no block comments
  expect(wgsl).not.toContain('/*');
  expect(code).not.toMatch(/\/\//);
}

describe('nothing typed reaches WGSL', () => {
  it.each([
    'x); } fn evil() {',
    'x) }\nfn evil() -> f32 { return 1.0;',
    'x // comment',
    'x /* y */',
    'x; y',
    'x # comment',
    'x = 1',
    'f(x) = x^2',
    '[x, y]',
    'x.y',
    "x'",
    '"x"',
    'x ? y : 1',
    'x < y',
    'x!',
    'x mod y',
    '0x1F * x',
    'import(x)',
    'eval(x)',
    'x + ｙ', // fullwidth y
    'x\u200b+ y', // zero-width space
    'x + y\u202e', // right-to-left override
    'x + \u0455in(y)', // Cyrillic dze looks like s
    'π*x',
    '$x',
    'x\\n',
  ])('refuses %j with a FormulaError', (attempt) => {
    const e = formulaError(attempt);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
  });

  it('names invisible and look-alike characters by code point', () => {
    expect(formulaError('x\u200b+ y').message).toBe('unexpected character U+200B at 1:2');
    expect(formulaError('x + ｙ').message).toBe('unexpected character U+FF59 at 1:5');
  });

  it('generated modules use only the generator vocabulary', () => {
    for (const { formula } of FORMULA_CASES) checkGeneratedWgsl(compileFormula(formula).wgsl);
  });

  it('random strings give a surface with clean WGSL or a FormulaError, never anything else', () => {
    // fragments that combine into valid formulas and into most kinds of mistakes
    const pieces = ['x', 'y', 'e', 'pi', '2', '0.5', '.5', '1e3', '1e', '3.', '+', '-', '*', '/', '^', '(', ')', ',', ' ', '\n',
      'sin(', 'atan2(', 'max(', 'pow(', 'abs(', 'log(', 'z', 'sinn', '.', ';', '}', '//', '#', '=', 'ｙ', 'é', '0x', '\t'];
    const rand = mulberry32(2024);
    let accepted = 0;
    for (let k = 0; k < 5000; k++) {
      const n = 1 + Math.floor(rand() * 12);
      const text = Array.from({ length: n }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
      const e = thrown(text);
      if (e === undefined) {
        accepted++;
        const f = compileFormula(text);
        checkGeneratedWgsl(f.wgsl);
        expect(typeof f.value(0.3, 0.7)).toBe('number');
      } else if (!(e instanceof FormulaError)) {
        throw new Error(`${JSON.stringify(text)} threw ${String(e)}`);
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('finite check over the domain', () => {
  it('reports log(x) on [-2, 2]^2 with the fraction and an example', () => {
    const e = (() => { try { createFormulaSurface('log(x)', SQUARE); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(FormulaDomainError);
    const d = e as FormulaDomainError;
    expect(d.part).toBe('value');
    expect(d.fraction).toBe(0.5);
    expect(d.example[0]).toBeLessThan(0);
    expect(d.message).toBe('f(x, y) is not finite on 50.0% of the domain x in [-2, 2], y in [-2, 2] (64x64 samples), '
      + 'e.g. NaN at (-1.97, -1.97); change the formula or the domain');
  });

  it('reports a gradient that is not finite where the value is', () => {
    const f = compileFormula('sqrt(max(x, 0))');
    expect(() => checkFinite(f, SQUARE)).toThrow(/^the gradient of f\(x, y\) is not finite on 50\.0% .* e\.g\. \(NaN, 0\) at \(-1\.97, -1\.97\)/);
  });

  it('accepts formulas that are finite almost everywhere', () => {
    expect(() => createFormulaSurface('sqrt(x^2+y^2+1)', SQUARE)).not.toThrow();
    expect(() => createFormulaSurface('1/x + log(abs(y))', SQUARE)).not.toThrow(); // poles on lines the grid does not hit
    expect(() => createFormulaSurface('x^y', { x: [0.5, 2], y: [-2, 2] })).not.toThrow();
    expect(() => createFormulaSurface('x^y', SQUARE)).toThrow(FormulaDomainError);
  });

  it('uses the fraction threshold it is given', () => {
    const f = compileFormula('log(x + 1.95)'); // NaN on the first of 64 columns of samples: 1.6%
    expect(() => checkFinite(f, SQUARE)).toThrow(/ 1\.6% /);
    expect(() => checkFinite(f, SQUARE, { maxFraction: 0.02 })).not.toThrow();
  });
});

describe('createFormulaSurface', () => {
  it('keeps the Surface contract', () => {
    const s = createFormulaSurface('(x^2-1)^2 + 0.5*y^2', SQUARE);
    expect(s.name).toBe('formula');
    expect(s.formula).toBe('(x^2-1)^2 + 0.5*y^2');
    expect(s.packedParams).toEqual(new Float32Array(16));
    expect(s.wgslModule).toBe(FORMULA_WGSL_MODULE);
    expect(Object.keys(s.wgslSources)).toEqual([FORMULA_WGSL_MODULE]);
    expect(s.wgslSources[FORMULA_WGSL_MODULE]).toMatch(/fn surface_value\(p: vec2f\) -> f32 \{/);
    expect(s.wgslSources[FORMULA_WGSL_MODULE]).toMatch(/fn surface_grad\(p: vec2f\) -> vec2f \{/);
    expect(s.wgslSources[FORMULA_WGSL_MODULE]).toMatch(/fn surface_hessian\(p: vec2f\) -> vec3f \{/);
    expect(s.criticalPoints).toEqual([]);
    expect(s.domain).toEqual(SQUARE);
    expect(s.value(1, 0)).toBe(0);
    expect(s.gradient(-1, 2).map((v) => v + 0)).toEqual([0, 2]); // + 0 turns the -0 of 4x(x^2 - 1) into 0
    expect(s.hessian(1, 0)).toEqual([8, 0, 1]);
  });

  it('refuses an empty domain', () => {
    expect(() => createFormulaSurface('x', { x: [1, 1], y: [0, 1] })).toThrow(/domain x \[1, 1\]/);
  });
});

describe('compile time', () => {
  it('a typical formula compiles in milliseconds; a 500-character one well under a second', () => {
    const time = (formula: string, reps: number) => {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) compileFormula(formula);
      return (performance.now() - t0) / reps;
    };
    const typical = FORMULA_CASES[0].formula;
    time(typical, 20); // warm up the JIT
    const big = Array.from({ length: 14 }, (_, i) => `sin(${i + 1}*x+y)*exp(-${i}*x^2)`).join('+');
    const nested = 'exp(sin(x*y)*cos(x+y))^3*log(1+x^2+y^2)*tanh(x-y)*sqrt(1+x^4)/(1+atan(x*y)^2)';
    const [tTypical, tNested, tBig] = [time(typical, 50), time(nested, 10), time(big, 5)];
    console.log(`[compile] typical ${tTypical.toFixed(2)} ms, ${nested.length}-char nested ${tNested.toFixed(2)} ms, ${big.length}-char sum ${tBig.toFixed(2)} ms`);
    expect(tTypical).toBeLessThan(50);
    expect(tBig).toBeLessThan(500);
  });
});
