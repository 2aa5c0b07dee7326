// Gauss–Hermite quadrature for expectations over a standard normal:
// E[g(z)], z ~ N(0, 1), ~= sum_i weights[i] g(nodes[i]); exact for polynomials
// of degree <= 2n - 1. Nodes from Newton's method on the physicists' Hermite
// polynomial H_n (Numerical Recipes, gauher), rescaled by sqrt(2).

export interface Quadrature {
  nodes: Float64Array;
  weights: Float64Array;
}

const cache = new Map<number, Quadrature>();

export function gaussHermite(n: number): Quadrature {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`gaussHermite: order ${n} must be a whole number in [1, 64]`);
  const hit = cache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n), w = new Float64Array(n);
  const pim4 = Math.PI ** -0.25;
  const m = (n + 1) >> 1;
  let z = 0;
  for (let i = 0; i < m; i++) {
    // initial guesses for the largest roots first
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      // orthonormal recurrence for H_n / sqrt(2^n n! sqrt(pi))
      let p1 = pim4, p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i];
  }
  const q: Quadrature = {
    nodes: Float64Array.from(x, (v) => Math.SQRT2 * v),
    weights: Float64Array.from(w, (v) => v / Math.sqrt(Math.PI)),
  };
  cache.set(n, q);
  return q;
}
