// Householder QR, optionally with column pivoting (Businger & Golub 1965; Golub & Van Loan,
// Matrix Computations 4th ed., §5.2.1 and §5.4.2). Plain TypeScript on purpose: it uses only
// + − × ÷ and Math.sqrt, which every engine rounds identically, so results are bit-identical
// in Node and browsers. It serves the theory module (span of W, P⊥) and Haar rotations, at
// sizes (d ≤ a few hundred) where O(m·n·min(m, n)) in JS is a fraction of a second.

import { checkMatrix, type Matrix } from "./matrix.js";

const EPS = 2 ** -52;

export interface QRResult {
  /** Full m×m orthogonal factor, row-major. Columns 0..rank−1 span range(A). */
  q: Matrix<Float64Array>;
  /** R's diagonal (length min(m, n)); with pivoting |r₀| ≥ |r₁| ≥ … */
  rdiag: Float64Array;
  /** Column permutation: column k of A·P is column perm[k] of A (identity without pivoting). */
  perm: Int32Array;
  /** Numerical rank: pivots with remaining column norm > tol (pivoting only; else min(m, n)). */
  rank: number;
  /** The rank tolerance used: max(m, n)·ε·(largest column norm of A), unless given. */
  tol: number;
}

/**
 * A·P = Q·R for an m×n float64 matrix. `pivot`: choose the largest remaining column at each
 * step (rank-revealing); stops when every remaining column norm is ≤ tol.
 */
export function householderQR(a: Matrix, options: { pivot?: boolean; tol?: number } = {}): QRResult {
  checkMatrix("a", a);
  const { rows: m, cols: n } = a;
  const pivot = options.pivot ?? false;
  // Column-major working copy: Householder updates then run down contiguous columns.
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) c[i] = a.data[i * n + j];
    cols.push(c);
  }
  const perm = Int32Array.from({ length: n }, (_, j) => j);
  const kmax = Math.min(m, n);
  const rdiag = new Float64Array(kmax);
  const vs: Float64Array[] = []; // Householder vectors (length m, zeros above k)
  const betas: number[] = [];
  const colNorm = (c: Float64Array, from: number) => {
    // scaled 2-norm: no overflow/underflow for entries near the double range limits
    let scale = 0;
    for (let i = from; i < m; i++) scale = Math.max(scale, Math.abs(c[i]));
    if (scale === 0) return 0;
    let s = 0;
    for (let i = from; i < m; i++) {
      const t = c[i] / scale;
      s += t * t;
    }
    return scale * Math.sqrt(s);
  };
  let maxNorm0 = 0;
  for (const c of cols) maxNorm0 = Math.max(maxNorm0, colNorm(c, 0));
  const tol = options.tol ?? Math.max(m, n) * EPS * maxNorm0;
  let rank = kmax;
  for (let k = 0; k < kmax; k++) {
    if (pivot) {
      let best = k,
        bestNorm = -1;
      for (let j = k; j < n; j++) {
        const v = colNorm(cols[j], k);
        if (v > bestNorm) {
          bestNorm = v;
          best = j;
        }
      }
      if (bestNorm <= tol) {
        rank = k;
        break;
      }
      if (best !== k) {
        [cols[k], cols[best]] = [cols[best], cols[k]];
        [perm[k], perm[best]] = [perm[best], perm[k]];
      }
    }
    const x = cols[k];
    const norm = colNorm(x, k);
    const v = new Float64Array(m);
    if (norm === 0) {
      rdiag[k] = 0;
      vs.push(v);
      betas.push(0);
      continue;
    }
    // v = x − α e_k with α = −sign(x_k)‖x‖ (no cancellation), β = 2 / vᵀv
    const alpha = x[k] >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i] = x[i];
    v[k] -= alpha;
    let vtv = 0;
    for (let i = k; i < m; i++) vtv += v[i] * v[i];
    const beta = 2 / vtv;
    rdiag[k] = alpha;
    x[k] = alpha;
    for (let i = k + 1; i < m; i++) x[i] = 0;
    for (let j = k + 1; j < n; j++) {
      const c = cols[j];
      let s = 0;
      for (let i = k; i < m; i++) s += v[i] * c[i];
      s *= beta;
      for (let i = k; i < m; i++) c[i] -= s * v[i];
    }
    vs.push(v);
    betas.push(beta);
  }
  // Q = H₀ H₁ ⋯ H_{r−1}: apply the reflectors in reverse order to the identity (column-major).
  const qc: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const c = new Float64Array(m);
    c[j] = 1;
    qc.push(c);
  }
  for (let k = vs.length - 1; k >= 0; k--) {
    const v = vs[k],
      beta = betas[k];
    if (beta === 0) continue;
    for (let j = 0; j < m; j++) {
      const c = qc[j];
      let s = 0;
      for (let i = k; i < m; i++) s += v[i] * c[i];
      if (s === 0) continue;
      s *= beta;
      for (let i = k; i < m; i++) c[i] -= s * v[i];
    }
  }
  const q = new Float64Array(m * m);
  for (let j = 0; j < m; j++) for (let i = 0; i < m; i++) q[i * m + j] = qc[j][i];
  return { q: { rows: m, cols: m, data: q }, rdiag, perm, rank, tol };
}

/** Columns [from, to) of a row-major matrix as a new matrix. */
export function columns(a: Matrix<Float64Array>, from: number, to: number): Matrix<Float64Array> {
  const w = to - from;
  const out = new Float64Array(a.rows * w);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < w; j++) out[i * w + j] = a.data[i * a.cols + from + j];
  return { rows: a.rows, cols: w, data: out };
}
