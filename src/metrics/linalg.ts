// The symmetric eigen-decomposition behind the Frechet distance's matrix square root: cyclic Jacobi
// rotations in float64. Chosen over a library because it needs only + - * / and sqrt (all correctly
// rounded in IEEE 754, so every engine gives the same bits, which no LAPACK port promises across its
// own code paths), it is accurate to the last bits on symmetric matrices (Demmel & Veselic 1992), and
// at the classifier's feature sizes (tens of dimensions) its O(n^3) per sweep takes milliseconds.

export interface Eigen {
  /** Eigenvalues, in the order of the columns of vectors. */
  values: Float64Array;
  /** Eigenvectors as the columns of an n x n row-major matrix. */
  vectors: Float64Array;
}

/** Eigenvalues and vectors of the symmetric n x n row-major matrix a (only read). */
export function symmetricEigen(a: ArrayLike<number>, n: number): Eigen {
  const A = Float64Array.from(a),
    V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0,
      diag = 0;
    for (let p = 0; p < n; p++) {
      diag += A[p * n + p]! * A[p * n + p]!;
      for (let q = p + 1; q < n; q++) off += A[p * n + q]! * A[p * n + q]!;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        // The rotation that zeroes A[p][q] (Golub & Van Loan 8.5.2), the smaller of the two angles.
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!,
            akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!,
            aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!,
            vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => A[i * n + i]!), vectors: V };
}

/** The square root of a symmetric positive semi-definite matrix (negative eigenvalues of rounding taken as 0). */
export function sqrtSymmetric(a: ArrayLike<number>, n: number): Float64Array {
  const { values, vectors: V } = symmetricEigen(a, n);
  const root = values.map((v) => Math.sqrt(Math.max(v, 0)));
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += V[i * n + k]! * root[k]! * V[j * n + k]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  return out;
}

/** C = A B for n x n row-major matrices. */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] = c[i * n + j]! + aik * b[k * n + j]!;
    }
  return c;
}

/** Mean [d] and covariance [d, d] (divided by rows - 1, as numpy.cov) of rows x d values, in float64. */
export function meanCovariance(
  x: ArrayLike<number>,
  rows: number,
  d: number,
): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d),
    cov = new Float64Array(d * d);
  for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / rows;
  const c = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) c[j] = x[i * d + j]! - mean[j]!;
    for (let j = 0; j < d; j++) {
      const cj = c[j]!;
      for (let k = j; k < d; k++) cov[j * d + k] = cov[j * d + k]! + cj * c[k]!;
    }
  }
  const div = Math.max(rows - 1, 1);
  for (let j = 0; j < d; j++)
    for (let k = j; k < d; k++) {
      cov[j * d + k] = cov[j * d + k]! / div;
      cov[k * d + j] = cov[j * d + k]!;
    }
  return { mean, cov };
}
