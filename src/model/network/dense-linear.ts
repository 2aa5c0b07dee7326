// Small dense linear algebra in float64 for the networks' CPU analyses (D <= a
// few hundred): a Cholesky solve and the symmetric part of a square matrix.

/** Solves the n x n symmetric positive definite system A x = b (Cholesky, row-major A); null when A is not positive definite. */
export function choleskySolve(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** (M + M^T) / 2 of an n x n row-major matrix (a Hessian assembled column by column is symmetric only to rounding). */
export function symmetricPart(M: ArrayLike<number>, n: number): Float64Array {
  return Float64Array.from({ length: n * n }, (_, k) => 0.5 * (M[k] + M[(k % n) * n + Math.floor(k / n)]));
}
