// The formula as a graph of operations: every distinct subexpression is one
// node (hash-consed), numbered so that children come before their parents.
// Value, gradient and Hessian share one graph, so code generation gets common
// subexpressions for free and differentiation never copies a subtree.
//
// The constructors fold constants (with the JavaScript semantics of
// evaluate.ts, so the CPU and the GPU see the same numbers) and apply the
// identities 0 + u = u, 0 * u = 0, 1 * u = u, u / 1 = u, u^1 = u, u^0 = 1,
// |u|^n = u^n (even n).
// As in any computer algebra system, 0 * u = 0 even where u is not finite:
// a term that does not depend on x has x-derivative 0, not NaN.
import { CONSTANTS, type CallName, type Variable } from './functions';
import { nodeFunction } from './evaluate';

/** Integer exponents up to this size become products (exact sign for negative bases). */
const MAX_PRODUCT_EXPONENT = 64;

export type GraphNode =
  | { op: 'const'; value: number }
  | { op: 'var'; name: Variable }
  | { op: 'neg'; a: number }
  | { op: 'add' | 'sub' | 'mul' | 'div'; a: number; b: number }
  /** a^b with the real meaning of Math.pow: integer b allows a < 0; otherwise a < 0 gives NaN */
  | { op: 'pow'; a: number; b: number }
  /** a^n for an integer constant n, |n| <= MAX_PRODUCT_EXPONENT */
  | { op: 'powi'; a: number; n: number }
  | { op: 'call'; fn: CallName; args: number[] }
  /** a < b ? then : otherwise (the pieces of min, max and their derivatives) */
  | { op: 'ifless'; a: number; b: number; then: number; otherwise: number };

export function children(node: GraphNode): number[] {
  switch (node.op) {
    case 'const': case 'var': return [];
    case 'neg': case 'powi': return [node.a];
    case 'add': case 'sub': case 'mul': case 'div': case 'pow': return [node.a, node.b];
    case 'call': return node.args;
    case 'ifless': return [node.a, node.b, node.then, node.otherwise];
  }
}

export class ExprGraph {
  readonly nodes: GraphNode[] = [];
  private readonly ids = new Map<string, number>();

  constant(value: number): number {
    return this.intern({ op: 'const', value });
  }

  variable(name: Variable): number {
    return this.intern({ op: 'var', name });
  }

  /** pi or e */
  named(name: string): number {
    return this.constant(CONSTANTS[name]);
  }

  /** the constant value of node `id`, or undefined when it depends on x or y */
  constValue(id: number): number | undefined {
    const n = this.nodes[id];
    return n.op === 'const' ? n.value : undefined;
  }

  neg(a: number): number {
    const n = this.nodes[a];
    if (n.op === 'neg') return n.a;
    return this.make({ op: 'neg', a });
  }

  add(a: number, b: number): number {
    if (this.is(a, 0)) return b;
    if (this.is(b, 0)) return a;
    return this.make({ op: 'add', a, b });
  }

  sub(a: number, b: number): number {
    if (this.is(b, 0)) return a;
    if (this.is(a, 0)) return this.neg(b);
    return this.make({ op: 'sub', a, b });
  }

  mul(a: number, b: number): number {
    if (this.is(a, 0) || this.is(b, 0)) return this.constant(0);
    if (this.is(a, 1)) return b;
    if (this.is(b, 1)) return a;
    if (this.is(a, -1)) return this.neg(b);
    if (this.is(b, -1)) return this.neg(a);
    // constant factor first, so 2 * x and x * 2 are one node
    if (this.constValue(b) !== undefined && this.constValue(a) === undefined) return this.make({ op: 'mul', a: b, b: a });
    return this.make({ op: 'mul', a, b });
  }

  div(a: number, b: number): number {
    // 0 / u = 0 like 0 * u, but 0 / 0 is folded to NaN (and refused) as 1 / 0 is to infinity
    if (this.is(a, 0) && !this.is(b, 0)) return this.constant(0);
    if (this.is(b, 1)) return a;
    return this.make({ op: 'div', a, b });
  }

  pow(a: number, b: number): number {
    const n = this.constValue(b);
    if (n !== undefined && Number.isInteger(n) && Math.abs(n) <= MAX_PRODUCT_EXPONENT) return this.powi(a, n);
    if (this.constValue(a) === Math.E) return this.call('exp', [b]);
    return this.make({ op: 'pow', a, b });
  }

  powi(a: number, n: number): number {
    if (n === 0) return this.constant(1);
    if (n === 1) return a;
    // |u|^n = u^n for even n: smooth, with no kink in the derivatives at u = 0
    const an = this.nodes[a];
    if (n % 2 === 0 && an.op === 'call' && an.fn === 'abs') return this.powi(an.args[0], n);
    return this.make({ op: 'powi', a, n });
  }

  call(fn: CallName, args: number[]): number {
    return this.make({ op: 'call', fn, args });
  }

  ifless(a: number, b: number, then: number, otherwise: number): number {
    if (then === otherwise) return then;
    return this.make({ op: 'ifless', a, b, then, otherwise });
  }

  /** ids of the nodes that `roots` depend on (roots included), in increasing order (children first) */
  reachable(roots: number[]): number[] {
    const seen = new Set<number>();
    const stack = [...roots];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...children(this.nodes[id]));
    }
    return [...seen].sort((p, q) => p - q);
  }

  private is(id: number, value: number): boolean {
    return this.constValue(id) === value;
  }

  /** folds a node whose children are all constants; otherwise interns it */
  private make(node: GraphNode): number {
    const kids = children(node);
    if (kids.every((k) => this.constValue(k) !== undefined)) {
      const values = Float64Array.from(kids, (k) => this.constValue(k)!);
      return this.constant(nodeFunction(node, (id) => kids.indexOf(id))(values));
    }
    return this.intern(node);
  }

  private intern(node: GraphNode): number {
    const key = nodeKey(node);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.nodes.length;
      this.nodes.push(node);
      this.ids.set(key, id);
    }
    return id;
  }
}

function nodeKey(node: GraphNode): string {
  switch (node.op) {
    // Object.is keeps -0 apart from 0 (1 / -0 = -Infinity)
    case 'const': return Object.is(node.value, -0) ? 'c-0' : `c${node.value}`;
    case 'var': return node.name;
    case 'powi': return `powi(${node.a},${node.n})`;
    case 'call': return `${node.fn}(${node.args})`;
    default: return `${node.op}(${children(node)})`;
  }
}
