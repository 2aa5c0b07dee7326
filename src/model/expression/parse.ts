// A typed formula -> graph nodes: scanned and checked (lex.ts), parsed by
// mathjs, then lowered node by node into the graph. Constant parts are folded
// as they are lowered; one that is not finite, or not representable in float32
// (the GPU's type), is reported at its position.
import { create, parseDependencies, type ConstantNode, type FunctionNode, type MathNode, type OperatorNode, type ParenthesisNode, type SymbolNode } from 'mathjs';
import { errorAt } from './errors';
import { isCallName, type Variable } from './functions';
import type { ExprGraph } from './graph';
import { scan, type Token } from './lex';

const { parse } = create({ parseDependencies });

const F32_MAX = 3.4028234663852886e38;

export interface ParsedFormula {
  /** graph node of f(x, y) */
  root: number;
  /** the formula as mathjs read it, every multiplication written out (e.g. '2 * x * y') */
  printed: string;
}

export function parseFormula(text: string, graph: ExprGraph): ParsedFormula {
  const tokens = scan(text);
  let tree: MathNode;
  try {
    // line breaks are plain white space in a formula (mathjs would read them as statement ends)
    tree = parse(text.replace(/[\r\n]/g, ' '));
  } catch (e) {
    const err = e as Error & { char?: number };
    const what = err.message.replace(/ \(char \d+\)$/, '');
    throw errorAt(text, (err.char ?? 1) - 1, `syntax error: ${what.charAt(0).toLowerCase()}${what.slice(1)}`);
  }
  const root = new Lowering(text, graph, tokens.filter((t) => t.kind === 'number' || t.kind === 'name')).lower(tree);
  return { root, printed: tree.toString({ implicit: 'show' }) };
}

/**
 * Walks the mathjs tree in source order. Its leaves (numbers, names, function
 * names) are met in the same order as the scanner's number and name tokens, so
 * the k-th leaf has the k-th token's position.
 */
class Lowering {
  private next = 0;

  constructor(private readonly text: string, private readonly graph: ExprGraph, private readonly leaves: Token[]) {}

  lower(node: MathNode): number {
    const first = this.next; // the subtree's first leaf, for its position
    const id = this.lowerNode(node);
    const value = this.graph.constValue(id);
    if (value !== undefined && !(Math.abs(value) <= F32_MAX)) {
      const leaf = node.type === 'ConstantNode';
      const what = leaf ? `number '${this.leaves[first].text}'` : `'${node.toString()}'`;
      const problem = Number.isNaN(value) ? 'is not a real number'
        : !Number.isFinite(value) && !leaf ? 'is infinite'
        : `${leaf ? '' : `= ${value.toPrecision(3)} `}is beyond the float32 range (±3.4e38)`;
      throw errorAt(this.text, this.leaves[first].index, `${what} ${problem}`);
    }
    return id;
  }

  private lowerNode(node: MathNode): number {
    const g = this.graph;
    switch (node.type) {
      case 'ConstantNode': {
        const { value } = node as ConstantNode;
        const token = this.leaf(node, 'number');
        if (typeof value !== 'number' || Number(token.text) !== value) throw this.mismatch(node, token);
        return g.constant(value);
      }
      case 'SymbolNode': {
        const { name } = node as SymbolNode;
        this.leaf(node, 'name', name);
        return name === 'x' || name === 'y' ? g.variable(name as Variable) : g.named(name);
      }
      case 'ParenthesisNode':
        return this.lower((node as ParenthesisNode).content);
      case 'FunctionNode': {
        const { fn, args } = node as FunctionNode;
        this.leaf(node, 'name', fn.name);
        const ids = args.map((a) => this.lower(a));
        if (fn.name === 'pow') return g.pow(ids[0], ids[1]);
        if (!isCallName(fn.name)) throw this.unsupported(node);
        return g.call(fn.name, ids);
      }
      case 'OperatorNode': {
        const { fn, args } = node as OperatorNode;
        const [a, b] = args.map((arg) => this.lower(arg));
        switch (fn as string) {
          case 'add': return g.add(a, b);
          case 'subtract': return g.sub(a, b);
          case 'multiply': return g.mul(a, b);
          case 'divide': return g.div(a, b);
          case 'pow': return g.pow(a, b);
          case 'unaryMinus': return g.neg(a);
          case 'unaryPlus': return a;
        }
      }
    }
    throw this.unsupported(node);
  }

  /** the token of the next leaf, checked to be the same number or name */
  private leaf(node: MathNode, kind: Token['kind'], name?: string): Token {
    const token = this.leaves[this.next++];
    if (!token || token.kind !== kind || (name !== undefined && token.text !== name)) throw this.mismatch(node, token);
    return token;
  }

  // The scanner admits only what mathjs turns into the nodes above, with the
  // same leaves; these two mean that promise broke (a bug, not a typing error).
  private mismatch(node: MathNode, token: Token | undefined): Error {
    return new Error(`formula reader: mathjs leaf '${node.toString()}' does not match token '${token?.text}' in '${this.text}'`);
  }

  private unsupported(node: MathNode): Error {
    return new Error(`formula reader: mathjs built a ${node.type} '${node.toString()}' the scanner should have refused in '${this.text}'`);
  }
}
