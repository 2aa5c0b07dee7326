// The CPU side of a formula: graph nodes compiled to JavaScript closures over a
// tape of slots (one per node, children before parents), evaluated in float64.
// These are the reference values the GPU results are tested against. A float32
// tape (slots in a Float32Array: every result rounded as the GPU stores it)
// tells where the GPU overflows although float64 does not, e.g. exp(100 x).
import { CALLS } from './functions';
import type { ExprGraph, GraphNode } from './graph';

type Slots = Float64Array | Float32Array;

/** The operation of `node` as a closure reading its children from `slots` at `slot(childId)`. */
export function nodeFunction(node: GraphNode, slot: (id: number) => number): (s: Slots) => number {
  switch (node.op) {
    case 'const': { const v = node.value; return () => v; }
    case 'var': throw new Error(`nodeFunction: variable '${node.name}' has no operation; its slot is set by the caller`);
    case 'neg': { const a = slot(node.a); return (s) => -s[a]; }
    case 'add': { const a = slot(node.a), b = slot(node.b); return (s) => s[a] + s[b]; }
    case 'sub': { const a = slot(node.a), b = slot(node.b); return (s) => s[a] - s[b]; }
    case 'mul': { const a = slot(node.a), b = slot(node.b); return (s) => s[a] * s[b]; }
    case 'div': { const a = slot(node.a), b = slot(node.b); return (s) => s[a] / s[b]; }
    // Math.pow is the real power: (-2)^3 = -8, (-2)^0.5 = NaN (WGSL's formula_pow matches it)
    case 'pow': { const a = slot(node.a), b = slot(node.b); return (s) => Math.pow(s[a], s[b]); }
    case 'powi': { const a = slot(node.a), n = node.n; return (s) => Math.pow(s[a], n); }
    case 'call': {
      const f = CALLS[node.fn].js as (...args: number[]) => number;
      const [a, b] = node.args.map(slot);
      return node.args.length === 1 ? (s) => f(s[a]) : (s) => f(s[a], s[b]);
    }
    case 'ifless': {
      const a = slot(node.a), b = slot(node.b), t = slot(node.then), o = slot(node.otherwise);
      return (s) => (s[a] < s[b] ? s[t] : s[o]);
    }
  }
}

/** Compiles the nodes that `roots` need into one function of (x, y) returning the roots' values. */
export function compileTape(graph: ExprGraph, roots: number[], precision: 'f64' | 'f32' = 'f64'): (x: number, y: number) => number[] {
  const ids = graph.reachable(roots);
  const slotOf = new Map(ids.map((id, i) => [id, i]));
  const slot = (id: number) => slotOf.get(id)!;
  const s: Slots = precision === 'f64' ? new Float64Array(ids.length) : new Float32Array(ids.length);
  const steps: { at: number; run: (s: Slots) => number }[] = [];
  let xSlot = -1, ySlot = -1;
  ids.forEach((id, i) => {
    const node = graph.nodes[id];
    if (node.op === 'var') {
      if (node.name === 'x') xSlot = i; else ySlot = i;
    } else {
      steps.push({ at: i, run: nodeFunction(node, slot) });
    }
  });
  const out = roots.map(slot);
  return (x, y) => {
    if (xSlot >= 0) s[xSlot] = x;
    if (ySlot >= 0) s[ySlot] = y;
    for (const { at, run } of steps) s[at] = run(s);
    return out.map((i) => s[i]);
  };
}
