// Cholesky factorisation S = L·Lᵀ, SPD solves and log-determinants in the WebAssembly core
// (assembly/lapack/potrf.ts: blocked left-looking DPOTRF with dgemm updates, DPOTRS).
// Cost: n³/3 flops to factor, 2·n²·k to solve for k right-hand sides.

import { logdetChol, potrf, potrs, read, scoped, upload, type HeapMatrix, type Scope } from "../kernels/index.js";
import { checkFinite, checkOptions, firstNonFinite } from "../runtime/errors.js";
import { checkMatrix, type Matrix } from "./matrix.js";
import { checkSymmetric, checkSymmetryTolerance } from "./symmetric.js";

export interface CholeskyOptions {
  /**
   * Added to the diagonal before factoring: L Lᵀ = s + jitter·I. A finite number ≥ 0,
   * default 0. The usual remedy for a Gram or kernel matrix that is positive semi-definite
   * only up to rounding.
   */
  jitter?: number;
  /** Relative symmetry tolerance, as for eigh (default 1e-12; lower triangle used). */
  symmetryTolerance?: number;
}

const KNOWN = ["jitter", "symmetryTolerance"];

interface Prepared {
  n: number;
  jitter: number;
}

/** Validate options and s (in that order of reporting: options, then s). */
function prepare(s: Matrix, options: unknown): Prepared {
  const o = checkOptions<CholeskyOptions>("options", options, KNOWN);
  const jitter = o.jitter === undefined ? 0 : checkFinite("options.jitter", o.jitter, 0);
  const tol = checkSymmetryTolerance("options.symmetryTolerance", o.symmetryTolerance);
  const n = checkSymmetric("s", s, tol);
  if (3 * n * n * 8 > 2 ** 32 - 2 ** 27) {
    throw new RangeError(
      `s is ${n}×${n}, which needs about ${((3 * n * n * 8) / 2 ** 30).toFixed(1)} GiB of WebAssembly memory (the limit is 4 GiB)`,
    );
  }
  return { n, jitter };
}

/** Factor in the heap; returns L (n×n, lower, upper zeroed). */
function factor(fn: string, s: Matrix, p: Prepared, sc: Scope): HeapMatrix {
  const { n, jitter } = p;
  const L = upload(sc, s.data, n, n);
  const { info, pivot } = potrf(sc, L, jitter);
  if (info !== 0) {
    const k = info - 1;
    throw new RangeError(
      `${fn}: s is not positive definite: pivot ${k} ≤ 0 (s[${k}][${k}]${jitter ? " + jitter" : ""} − Σ_j<${k} L[${k}][j]² = ${pivot}); ` +
        `options.jitter adds a multiple of the identity`,
    );
  }
  return L;
}

/** Lower-triangular L (float64, zeros above the diagonal) with s + jitter·I = L·Lᵀ. */
export function cholesky(s: Matrix, options?: CholeskyOptions): Matrix<Float64Array> {
  const p = prepare(s, options);
  return scoped((sc) => ({ rows: p.n, cols: p.n, data: read(factor("cholesky", s, p, sc)) }));
}

/**
 * X = (s + jitter·I)⁻¹·b for a symmetric positive definite s (n×n) and a Matrix b (n×k),
 * by Cholesky and two blocked triangular solves. Result float64, n×k.
 */
export function solveSPD(s: Matrix, b: Matrix, options?: CholeskyOptions): Matrix<Float64Array> {
  const p = prepare(s, options);
  const n = p.n;
  checkMatrix("b", b);
  if (b.rows !== n) throw new RangeError(`b must have as many rows as s: s is ${n}×${n}, b is ${b.rows}×${b.cols}`);
  const bad = firstNonFinite(b.data);
  if (bad >= 0) throw new RangeError(`b has a non-finite entry ${b.data[bad]} at (${Math.floor(bad / b.cols)}, ${bad % b.cols})`);
  const k = b.cols;
  if (n === 0) return { rows: 0, cols: k, data: new Float64Array(0) };
  return scoped((sc) => {
    const L = factor("solveSPD", s, p, sc);
    const X = upload(sc, b.data, n, k);
    potrs(sc, L, X);
    return { rows: n, cols: k, data: read(X) };
  });
}

/** log det(s + jitter·I) = 2·Σ log L_ii for a symmetric positive definite s (log computed in WASM). */
export function logdetSPD(s: Matrix, options?: CholeskyOptions): number {
  const p = prepare(s, options);
  return scoped((sc) => logdetChol(factor("logdetSPD", s, p, sc)));
}
