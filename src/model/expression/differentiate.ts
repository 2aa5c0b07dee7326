// Symbolic derivatives on the graph. Each rule builds d(node)/dv from the
// node's children and their derivatives; the graph's constructors drop zero
// terms, so d/dx of a term without x is exactly 0. Kinks (abs, min, max) take
// one-sided pieces: d|u| = sign(u) du (0 at u = 0); d min(a, b) is da where
// a < b, else db. memo maps node id -> derivative id, per variable, so shared
// subexpressions are differentiated once.
import type { Variable } from './functions';
import type { ExprGraph } from './graph';

export function derivative(g: ExprGraph, id: number, v: Variable, memo: Map<number, number>): number {
  const known = memo.get(id);
  if (known !== undefined) return known;
  const d = rule(g, id, v, memo);
  memo.set(id, d);
  return d;
}

function rule(g: ExprGraph, id: number, v: Variable, memo: Map<number, number>): number {
  const node = g.nodes[id];
  const D = (child: number) => derivative(g, child, v, memo);
  const c = (value: number) => g.constant(value);
  switch (node.op) {
    case 'const': return c(0);
    case 'var': return c(node.name === v ? 1 : 0);
    case 'neg': return g.neg(D(node.a));
    case 'add': return g.add(D(node.a), D(node.b));
    case 'sub': return g.sub(D(node.a), D(node.b));
    case 'mul': return g.add(g.mul(D(node.a), node.b), g.mul(node.a, D(node.b)));
    case 'div': {
      const da = D(node.a), db = D(node.b);
      // (a/b)' = a'/b - (a/b) b'/b, written with the node itself so a/b is shared
      return g.sub(g.div(da, node.b), g.mul(id, g.div(db, node.b)));
    }
    case 'powi': return g.mul(g.mul(c(node.n), g.powi(node.a, node.n - 1)), D(node.a));
    case 'pow': {
      // d(a^b) = b a^(b-1) da + a^b log(a) db; each term only when its factor moves,
      // so x^y stays finite in x for x < 0 and integer y
      const da = D(node.a), db = D(node.b);
      const viaBase = g.mul(g.mul(node.b, g.pow(node.a, g.sub(node.b, c(1)))), da);
      const viaExponent = g.mul(g.mul(id, g.call('log', [node.a])), db);
      return g.add(viaBase, viaExponent);
    }
    case 'ifless': return g.ifless(node.a, node.b, D(node.then), D(node.otherwise));
    case 'call': {
      const [a, b] = node.args;
      const da = D(a);
      const chain = (outer: number) => g.mul(outer, da);
      switch (node.fn) {
        case 'sin': return chain(g.call('cos', [a]));
        case 'cos': return g.neg(chain(g.call('sin', [a])));
        case 'tan': return chain(g.add(c(1), g.powi(id, 2))); // 1 + tan^2
        case 'asin': return g.div(da, g.call('sqrt', [g.sub(c(1), g.powi(a, 2))]));
        case 'acos': return g.neg(g.div(da, g.call('sqrt', [g.sub(c(1), g.powi(a, 2))])));
        case 'atan': return g.div(da, g.add(c(1), g.powi(a, 2)));
        case 'atan2': {
          // atan2(a, b) is the angle of (b, a): d = (b da - a db) / (a^2 + b^2)
          const db = D(b);
          return g.div(g.sub(g.mul(b, da), g.mul(a, db)), g.add(g.powi(a, 2), g.powi(b, 2)));
        }
        case 'sinh': return chain(g.call('cosh', [a]));
        case 'cosh': return chain(g.call('sinh', [a]));
        case 'tanh': return chain(g.sub(c(1), g.powi(id, 2))); // 1 - tanh^2
        case 'exp': return chain(id);
        case 'log': return g.div(da, a);
        case 'sqrt': return g.div(da, g.mul(c(2), id));
        case 'abs': return chain(g.call('sign', [a]));
        case 'sign': return c(0);
        case 'min': return g.ifless(a, b, da, D(b));
        case 'max': return g.ifless(b, a, da, D(b));
      }
    }
  }
}
