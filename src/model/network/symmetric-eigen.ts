// Eigenvalues (and eigenvectors) of a small dense symmetric matrix (float64) by
// the cyclic Jacobi method: plane rotations zero one off-diagonal entry at a
// time until the off-diagonal mass is below `tol` times the matrix's Frobenius
// norm. Accurate to a few ulp of the norm per eigenvalue; O(n^3) per sweep,
// meant for n <= a few hundred (the exact-Hessian checks of networks with
// <= 100 parameters, the stationary weight covariance).

/** Jacobi rotations on m (n x n, row-major, overwritten: diagonal = eigenvalues); v, when given, accumulates the rotations (columns = eigenvectors). */
function jacobi(m: Float64Array, n: number, v: Float64Array | null, tol: number, maxSweeps: number): void {
  let frob = 0;
  for (let i = 0; i < n * n; i++) frob += m[i] * m[i];
  frob = Math.sqrt(frob);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] ** 2;
    if (Math.sqrt(2 * off) <= tol * frob) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        // the rotation (c, s) that zeroes m[p][q] (Golub & Van Loan, Algorithm 8.4.1)
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const kp = m[k * n + p], kq = m[k * n + q];
          m[k * n + p] = c * kp - s * kq;
          m[k * n + q] = s * kp + c * kq;
        }
        for (let k = 0; k < n; k++) {
          const pk = m[p * n + k], qk = m[q * n + k];
          m[p * n + k] = c * pk - s * qk;
          m[q * n + k] = s * pk + c * qk;
        }
        if (v) {
          for (let k = 0; k < n; k++) {
            const kp = v[k * n + p], kq = v[k * n + q];
            v[k * n + p] = c * kp - s * kq;
            v[k * n + q] = s * kp + c * kq;
          }
        }
      }
    }
  }
}

/** Eigenvalues, ascending, of the symmetric n x n matrix `a` (row-major; only read). */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number, tol = 1e-15, maxSweeps = 60): Float64Array {
  const m = Float64Array.from(a);
  jacobi(m, n, null, tol, maxSweeps);
  return Float64Array.from({ length: n }, (_, i) => m[i * n + i]).sort();
}

/**
 * Eigenvalues, descending, and unit eigenvectors of the symmetric n x n matrix `a`:
 * vectors[k] belongs to values[k] (a = sum_k values[k] vectors[k] vectors[k]^T).
 */
export function symmetricEigen(a: ArrayLike<number>, n: number, tol = 1e-15, maxSweeps = 60): { values: Float64Array; vectors: Float64Array[] } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  jacobi(m, n, v, tol, maxSweeps);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j] - m[i * n + i]);
  return {
    values: Float64Array.from(order, (i) => m[i * n + i]),
    vectors: order.map((i) => Float64Array.from({ length: n }, (_, k) => v[k * n + i])),
  };
}
