// Stationary covariance of a linear Gaussian recursion z' = F z + w, w ~ (0, Q):
// the discrete Lyapunov equation S = F S F^T + Q, solved by the doubling
// iteration S <- S + F S F^T, F <- F F (after k rounds S sums 2^k terms of
// the series sum_j F^j Q F^jT). Dense n x n arrays in float64; n is 2 to 4 here.

export type Matrix = number[][];

export function zeros(n: number, m = n): Matrix {
  return Array.from({ length: n }, () => new Array<number>(m).fill(0));
}

export function matmul(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.length, b[0].length);
  for (let i = 0; i < a.length; i++) for (let k = 0; k < b.length; k++) for (let j = 0; j < b[0].length; j++) out[i][j] += a[i][k] * b[k][j];
  return out;
}

export function transpose(a: Matrix): Matrix {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

/** S = F S F^T + Q; null when the series does not converge (F has an eigenvalue of modulus >= 1: no stationary law). */
export function discreteLyapunov(F: Matrix, Q: Matrix): Matrix | null {
  let S = Q.map((row) => row.slice());
  let P = F.map((row) => row.slice());
  for (let k = 0; k < 60; k++) {
    const next = matmul(matmul(P, S), transpose(P));
    let change = 0, size = 0;
    for (let i = 0; i < S.length; i++) for (let j = 0; j < S.length; j++) {
      S[i][j] += next[i][j];
      change = Math.max(change, Math.abs(next[i][j]));
      size = Math.max(size, Math.abs(S[i][j]));
    }
    if (!Number.isFinite(size)) return null;
    if (change <= 1e-15 * size) return S;
    P = matmul(P, P);
  }
  // no convergence: F has an eigenvalue of modulus >= 1 (the iteration is unstable: no stationary law)
  return null;
}

/** The continuous Lyapunov equation H S + S H^T = 2 D for 2 x 2 H (stable) and symmetric D: the three unknowns by Cramer's rule. */
export function continuousLyapunov2(H: Matrix, D: Matrix): Matrix | null {
  // unknowns (s11, s12, s22); equations (1,1), (1,2), (2,2) of H S + S H^T
  const a = [
    [2 * H[0][0], 2 * H[0][1], 0],
    [H[1][0], H[0][0] + H[1][1], H[0][1]],
    [0, 2 * H[1][0], 2 * H[1][1]],
  ];
  const b = [2 * D[0][0], 2 * D[0][1], 2 * D[1][1]];
  const det3 = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det3(a);
  if (d === 0) return null;
  const x = [0, 1, 2].map((k) => det3(a.map((row, i) => row.map((v, j) => (j === k ? b[i] : v)))) / d);
  return [[x[0], x[1]], [x[1], x[2]]];
}
