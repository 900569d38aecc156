// Elementwise and row-wise passes over heap matrices (assembly/blas/level1.ts, assembly/nn/
// activation.ts). Each fixes its summation order in the SIMD and scalar builds, so results
// are bit-identical in both. Operands are float64, row-major with their leading dimension.
// Internal to the package: every export is marked @internal (stripped from the .d.ts).

import { wasm } from "../runtime/module.js";
import type { HeapMatrix } from "./heap.js";

function rowMajor(fn: string, ...ms: HeapMatrix[]): void {
  for (const m of ms) {
    if (m.transposed || m.dtype !== "float64") throw new Error(`${fn}: untransposed float64 blocks expected`);
  }
}

function vectorOf(fn: string, v: HeapMatrix, n: number): void {
  if (!v.contiguous || v.dtype !== "float64" || v.length !== n)
    throw new RangeError(`${fn}: a contiguous float64 vector of length ${n} expected`);
}

function sameShape(fn: string, A: HeapMatrix, B: HeapMatrix): void {
  if (A.rows !== B.rows || A.cols !== B.cols) throw new RangeError(`${fn}: ${A.rows}×${A.cols} and ${B.rows}×${B.cols} differ`);
}

/** @internal out[i] = Σⱼ A[i][j]·B[i][j]: row-wise dot products (8-way ddot order). */
export function rowDot(A: HeapMatrix, B: HeapMatrix, out: HeapMatrix): void {
  rowMajor("rowDot", A, B);
  sameShape("rowDot", A, B);
  vectorOf("rowDot", out, A.rows);
  wasm().drowdot(A.rows, A.cols, A.ptr, A.ld, B.ptr, B.ld, out.ptr);
}

/** @internal out[i] = Σⱼ diag[j]·X[i][j]²: quadratic forms with a diagonal matrix. */
export function quadDiag(X: HeapMatrix, diag: HeapMatrix, out: HeapMatrix): void {
  rowMajor("quadDiag", X);
  vectorOf("quadDiag", diag, X.cols);
  vectorOf("quadDiag", out, X.rows);
  wasm().dquaddiag(X.rows, X.cols, X.ptr, X.ld, diag.ptr, out.ptr);
}

/** @internal T[i][k] *= (labels[i] > 0 ? plus[k] : minus[k]): per-row choice of a column scaling. */
export function scaleRowsBySign(T: HeapMatrix, labels: HeapMatrix, plus: HeapMatrix, minus: HeapMatrix): void {
  rowMajor("scaleRowsBySign", T);
  vectorOf("scaleRowsBySign", labels, T.rows);
  vectorOf("scaleRowsBySign", plus, T.cols);
  vectorOf("scaleRowsBySign", minus, T.cols);
  wasm().dscalerowsel(T.rows, T.cols, T.ptr, T.ld, labels.ptr, plus.ptr, minus.ptr);
}

/** @internal Column means of A into `means`, then A[i][j] −= means[j] (rows summed in order). */
export function centerColumns(A: HeapMatrix, means: HeapMatrix): void {
  rowMajor("centerColumns", A);
  vectorOf("centerColumns", means, A.cols);
  wasm().dcentercols(A.rows, A.cols, A.ptr, A.ld, means.ptr);
}

/** @internal out[i][j] = A[i][j]·v[i] (out may be A). */
export function scaleRows(A: HeapMatrix, v: HeapMatrix, out: HeapMatrix): void {
  rowMajor("scaleRows", A, out);
  sameShape("scaleRows", A, out);
  vectorOf("scaleRows", v, A.rows);
  wasm().dscalerows(A.rows, A.cols, A.ptr, A.ld, v.ptr, out.ptr, out.ld);
}

/**
 * @internal
 * F = σ(Z) and D = σ'(Z) elementwise over a contiguous block (`kind`: the core's activation
 * code); F may be Z (in place), D null to skip the derivative.
 */
export function activate(Z: HeapMatrix, F: HeapMatrix, D: HeapMatrix | null, kind: number): void {
  for (const m of D === null ? [Z, F] : [Z, F, D]) vectorOf("activate", m, Z.length);
  wasm().dactivate(Z.length, Z.ptr, F.ptr, D === null ? 0 : D.ptr, kind);
}

/**
 * @internal
 * The explicit NT feature block out[r][j·N + i] = X[r][j]·D[r][i] (X n×d and D n×N contiguous),
 * into out (n×(d·N), any leading dimension): columns ordered like the row-major d×N matrix S.
 */
export function ntFeatures(X: HeapMatrix, D: HeapMatrix, out: HeapMatrix): void {
  const n = X.rows,
    d = X.cols,
    N = D.cols;
  vectorOf("ntFeatures", X, n * d);
  vectorOf("ntFeatures", D, n * N);
  rowMajor("ntFeatures", out);
  if (D.rows !== n || out.rows !== n || out.cols !== d * N) throw new RangeError(`ntFeatures: out must be ${n}×${d * N}`);
  wasm().dntfeatures(n, d, N, X.ptr, D.ptr, out.ptr, out.ld);
}
