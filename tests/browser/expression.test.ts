import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { compileFormula, type CompiledFormula } from '../../src/model/expression';
import type { Domain } from '../../src/model/surface-types';
import { FORMULA_CASES, mulberry32 } from '../support/formula-cases';

const lab = useLabPage();

const SENTINEL = 0xdeadbeef; // as in harness/expression.ts
const U = 2 ** -24; // float32 unit roundoff: a correctly rounded result is off by at most U |v|

/**
 * First-order bounds on the float32 error of the generated WGSL at (x, y), for
 * the value, gradient and Hessian (in the GPU's output order). Every node's
 * exact (float64) value v and error bound e are carried through the graph, the
 * way the GPU computes it: an operation propagates its inputs' errors through
 * its partial derivatives and adds its own, as the WGSL spec allows it:
 * + - * correctly rounded; / 2.5 ulp; exp 3 + 2|a| ulp; exp2 3 + 2|z| ulp;
 * log, log2 3 ulp (2^-21 absolute on [0.5, 2]); sqrt 4.5 ulp (via inverseSqrt);
 * sin, cos 2^-11 absolute; asin, acos, atan, atan2 4096 ulp; tan, sinh, cosh,
 * tanh and pow inherit from the formulas the spec gives for them. ulp(v) <= 2 U |v|.
 * So the tolerance scales with the magnitudes of the terms, not of the result.
 */
function f32ErrorBounds(f: CompiledFormula, x: number, y: number): number[] {
  const { graph, roots } = f;
  const order = [roots.value, ...roots.gradient, ...roots.hessian];
  const v = new Map<number, number>(), e = new Map<number, number>();
  const exp2Error = (z: number, ez: number, value: number) => Math.abs(value) * (Math.LN2 * ez + (3 + 2 * Math.abs(z)) * 2 * U);
  for (const id of graph.reachable(order)) {
    const node = graph.nodes[id];
    let value: number, err: number;
    if (node.op === 'const') {
      value = node.value;
      err = Math.abs(value - Math.fround(value));
    } else if (node.op === 'var') {
      value = node.name === 'x' ? x : y; // test points are float32 numbers
      err = 0;
    } else {
      const a = 'a' in node ? v.get(node.a)! : v.get(node.args[0])!;
      const ea = 'a' in node ? e.get(node.a)! : e.get(node.args[0])!;
      const bId = 'b' in node ? node.b : node.op === 'call' ? node.args[1] : undefined;
      const b = bId === undefined ? 0 : v.get(bId)!, eb = bId === undefined ? 0 : e.get(bId)!;
      value = evaluate(node, a, b, node.op === 'ifless' ? [v.get(node.then)!, v.get(node.otherwise)!] : []);
      const av = Math.abs(value);
      switch (node.op) {
        case 'neg': err = ea; break;
        case 'add': case 'sub': err = ea + eb + U * av; break;
        case 'mul': err = Math.abs(b) * ea + Math.abs(a) * eb + ea * eb + U * av; break;
        case 'div': err = (ea + av * eb) / (Math.abs(b) - eb) + 5 * U * av; break;
        case 'powi': {
          const m = Math.abs(node.n);
          const products = m <= 4 ? m - 1 : 2 * Math.floor(Math.log2(m));
          err = m * av * (ea / Math.abs(a)) + (products + (node.n < 0 ? 5 : 0)) * U * av;
          break;
        }
        case 'pow': {
          // |a|^b = exp2(b log2|a|)
          const l = Math.log2(Math.abs(a));
          const eLog = ea / (Math.abs(a) * Math.LN2) + (Math.abs(a) >= 0.5 && Math.abs(a) <= 2 ? 2 ** -21 : 6 * U * Math.abs(l));
          const z = b * l;
          err = exp2Error(z, Math.abs(b) * eLog + Math.abs(l) * eb + U * Math.abs(z), value);
          break;
        }
        case 'ifless': err = Math.max(e.get(node.then)!, e.get(node.otherwise)!); break;
        case 'call': {
          const expErr = (t: number) => (3 + 2 * Math.abs(t)) * 2 * U * Math.exp(t); // error of exp(t)
          switch (node.fn) {
            case 'sin': err = Math.abs(Math.cos(a)) * ea + 2 ** -11; break;
            case 'cos': err = Math.abs(Math.sin(a)) * ea + 2 ** -11; break;
            case 'tan': err = ea / Math.cos(a) ** 2 + 2 ** -11 * (1 + av) / Math.abs(Math.cos(a)) + 5 * U * av; break;
            case 'asin': case 'acos': err = ea / Math.sqrt(1 - a * a) + 8192 * U * av + 2 ** -11; break;
            case 'atan': err = ea / (1 + a * a) + 8192 * U * av; break;
            case 'atan2': err = (Math.abs(b) * ea + Math.abs(a) * eb) / (a * a + b * b) + 8192 * U * av; break;
            case 'sinh': case 'cosh': err = Math.cosh(a) * ea + expErr(a) + expErr(-a) + 2 * U * av; break;
            case 'tanh': err = (1 - value * value) * ea + (1 + av) * (expErr(a) + expErr(-a)) / Math.cosh(a) + 5 * U * av; break;
            case 'exp': err = av * ea + (3 + 2 * Math.abs(a)) * 2 * U * av; break;
            case 'log': err = ea / Math.abs(a) + (a >= 0.5 && a <= 2 ? 2 ** -21 : 6 * U * av); break;
            case 'sqrt': err = ea / (2 * av) + 9 * U * av; break;
            case 'abs': err = ea; break;
            case 'sign': err = 0; break;
            case 'min': case 'max': err = Math.max(ea, eb); break;
          }
        }
      }
    }
    v.set(id, value);
    e.set(id, err!);
  }
  return order.map((id) => e.get(id)!);
}

/** The exact value of one operation, the same arithmetic as the CPU reference (src/model/expression/evaluate.ts). */
function evaluate(node: CompiledFormula['graph']['nodes'][number], a: number, b: number, branches: number[]): number {
  switch (node.op) {
    case 'neg': return -a;
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'pow': return Math.pow(a, b);
    case 'powi': return Math.pow(a, node.n);
    case 'ifless': return a < b ? branches[0] : branches[1];
    case 'call': return (Math[node.fn] as (...args: number[]) => number)(a, b); // every call is a Math function of the same name
    default: throw new Error(`evaluate: ${node.op} is a leaf`);
  }
}

function run(formula: string, domain: Domain, points: number[]) {
  return lab.call<{ results: Float32Array; wgsl: string }>('expression', 'evaluateFormula', formula, domain, points);
}

/** Every result word was written, and the padding words are 0. */
function checkWritten(results: Float32Array, n: number) {
  const bits = new Uint32Array(results.buffer, results.byteOffset, results.length);
  expect(bits.length).toBe(8 * n);
  expect(bits.indexOf(SENTINEL)).toBe(-1);
  for (let i = 0; i < n; i++) expect([results[8 * i + 3], results[8 * i + 7]]).toEqual([0, 0]);
}

describe('generated WGSL on the GPU equals the CPU reference within float32 error', () => {
  it.each(FORMULA_CASES)('$formula', async ({ formula, domain }) => {
    const rand = mulberry32(777);
    const n = 256;
    // float32 points, so the GPU and the CPU evaluate at the same (x, y)
    const points = Array.from({ length: 2 * n }, (_, i) => {
      const [lo, hi] = i % 2 === 0 ? domain.x : domain.y;
      return Math.fround(lo + (hi - lo) * rand());
    });
    const { results, wgsl } = await run(formula, domain, points);
    const f = compileFormula(formula);
    expect(wgsl).toBe(f.wgsl); // the page generated the same module
    checkWritten(results, n);
    let worst = 0; // largest |gpu - cpu| / bound, reported
    for (let i = 0; i < n; i++) {
      const [x, y] = [points[2 * i], points[2 * i + 1]];
      const cpu = [f.value(x, y), ...f.gradient(x, y), ...f.hessian(x, y)];
      const gpu = [results[8 * i], results[8 * i + 1], results[8 * i + 2], results[8 * i + 4], results[8 * i + 5], results[8 * i + 6]];
      const bound = f32ErrorBounds(f, x, y);
      cpu.forEach((c, k) => {
        // twice the first-order bound covers the neglected second-order terms
        const tol = 2 * bound[k] + 1e-30;
        worst = Math.max(worst, Math.abs(gpu[k] - c) / tol);
        expect(Math.abs(gpu[k] - c), `output ${k} at (${x}, ${y}): gpu ${gpu[k]}, cpu ${c}, tolerance ${tol}`).toBeLessThanOrEqual(tol);
      });
    }
    console.log(`[formula] ${formula}: worst |gpu - cpu| = ${worst.toFixed(3)} x tolerance`);
  });

  it('x^y has the real meaning on the GPU too: negative bases with integer exponents, NaN otherwise', async () => {
    const special: [number, number][] = [[-2, 3], [-2, -2], [-1.5, 2], [-2, 0], [0, 2], [0, 0], [0, -1], [-2, 0.5], [-8, 1 / 3], [1.5, -0.5]];
    const { results } = await run('x^y', { x: [0.5, 2], y: [-2, 2] }, special.flat().map(Math.fround));
    checkWritten(results, special.length);
    const f = compileFormula('x^y');
    special.forEach(([x, y], i) => {
      const [fx32, fy32] = [Math.fround(x), Math.fround(y)];
      const cpu = f.value(fx32, fy32);
      const gpu = results[8 * i];
      if (Number.isFinite(cpu)) expect(Math.abs(gpu - cpu), `(${x})^(${y})`).toBeLessThanOrEqual(1e-5 * Math.abs(cpu));
      else expect(gpu, `(${x})^(${y})`).toBe(cpu); // NaN or +Infinity, from the helper's bit patterns
      // d/dx = y x^(y-1) stays finite for negative x and integer y
      const dx = f.gradient(fx32, fy32)[0];
      if (Number.isFinite(dx)) expect(Math.abs(results[8 * i + 1] - dx), `d/dx at (${x}, ${y})`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(dx)));
    });
  });
});
