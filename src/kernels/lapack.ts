// LAPACK-style factorisations by name, on heap matrices (assembly/lapack/): the symmetric
// eigensolver (DSYEVD: Householder tridiagonalisation, divide and conquer or implicit QL/QR;
// Golub & Van Loan, Matrix Computations 4th ed., §8.3–8.4) and the Cholesky routines (blocked
// left-looking DPOTRF, DPOTRS; ibid. §4.2). Workspace is sized by the core and taken from
// the scope. Failures come back as LAPACK's INFO; the caller words the error.
// Internal to the package: every export is marked @internal (stripped from the .d.ts).

import { wasm } from "../runtime/module.js";
import { allocMatrix, allocVector, element, HeapMatrix, type Scope } from "./heap.js";

function requireSquare(fn: string, A: HeapMatrix): number {
  if (A.rows !== A.cols || !A.contiguous || A.dtype !== "float64") {
    throw new Error(`${fn}: a contiguous square float64 block expected, got ${A.rows}×${A.cols}`);
  }
  return A.rows;
}

/** @internal Result of syev: INFO (0 = converged), the eigenvalues, the eigenvectors if asked. */
export interface SyevResult {
  info: number;
  /** n×1, ascending. */
  values: HeapMatrix;
  /** n×n, column j the unit eigenvector of values[j]; null without vectors. */
  vectors: HeapMatrix | null;
}

/**
 * @internal
 * Eigenvalues (and with `wantVectors` eigenvectors) of the symmetric matrix A (lower triangle
 * read; A is not modified). INFO > 0 counts the off-diagonal entries QL/QR left unconverged.
 */
export function syev(s: Scope, A: HeapMatrix, wantVectors: boolean): SyevResult {
  const n = requireSquare("syev", A);
  const ex = wasm();
  const wantz = wantVectors ? 1 : 0;
  const values = allocVector(s, n);
  const vectors = wantVectors ? allocMatrix(s, n, n) : null;
  const work = s.alloc(ex.dsyevWorkBytes(n, wantz) >>> 0);
  const info = ex.dsyev(n, A.ptr, values.ptr, vectors === null ? 0 : vectors.ptr, work, wantz);
  return { info, values, vectors };
}

/** @internal Result of potrf: INFO (0, or k + 1 for a non-positive pivot k) and that pivot's value. */
export interface PotrfResult {
  info: number;
  /** s_kk (+ jitter) − Σ_j<k L_kj² of the failing row k; NaN when info = 0. */
  pivot: number;
}

/**
 * @internal
 * In-place Cholesky A + jitter·I = L·Lᵀ: on success A holds L (lower, upper zeroed); on failure
 * it is partly overwritten.
 */
export function potrf(s: Scope, A: HeapMatrix, jitter: number): PotrfResult {
  const n = requireSquare("potrf", A);
  const ex = wasm();
  const work = s.alloc(ex.dpotrfWorkBytes(n) >>> 0);
  const info = ex.dpotrf(n, A.ptr, work, jitter);
  const pivot = info === 0 ? NaN : element(new HeapMatrix(work, 1, 1, 1), 0, 0);
  return { info, pivot };
}

/** @internal B ← (L·Lᵀ)⁻¹·B in place, for a Cholesky factor L (n×n) and B n×k contiguous. */
export function potrs(s: Scope, L: HeapMatrix, B: HeapMatrix): void {
  const n = requireSquare("potrs", L);
  if (B.rows !== n || !B.contiguous || B.dtype !== "float64")
    throw new RangeError(`potrs: B must be a contiguous ${n}×k float64 block`);
  const ex = wasm();
  const work = s.alloc(ex.dpotrsWorkBytes(B.cols) >>> 0);
  ex.dpotrs(n, B.cols, L.ptr, B.ptr, work);
}

/** @internal log det(L·Lᵀ) = 2·Σ log L_ii (log in WASM, summed in index order). */
export function logdetChol(L: HeapMatrix): number {
  const n = requireSquare("logdetChol", L);
  return wasm().dlogdetChol(n, L.ptr);
}
