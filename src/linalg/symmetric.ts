// Validation shared by the symmetric factorisations (eigh.ts, cholesky.ts): a square,
// finite, symmetric Matrix. The kernels read only the lower triangle, so symmetry is a
// contract checked here rather than enforced by averaging.

import { checkFinite, firstNonFinite } from "../runtime/errors.js";
import { checkMatrix, type Matrix } from "./matrix.js";

/** Default relative symmetry tolerance: |s_ij − s_ji| ≤ 1e-12 · max|s|. */
export const DEFAULT_SYMMETRY_TOLERANCE = 1e-12;

/**
 * Throws unless `s` is a square Matrix with finite entries and
 * max_{i>j} |s_ij − s_ji| ≤ tol · max_ij |s_ij|. Returns n.
 * float32 data are accepted (the computation runs in float64 on the exact float64 values).
 */
export function checkSymmetric(name: string, s: unknown, tol: number): number {
  checkMatrix(name, s);
  const m = s as Matrix;
  if (m.rows !== m.cols) throw new RangeError(`${name} must be square, got ${m.rows}×${m.cols}`);
  const n = m.rows,
    a = m.data;
  const bad = firstNonFinite(a);
  if (bad >= 0) throw new RangeError(`${name} has a non-finite entry ${a[bad]} at (${Math.floor(bad / n)}, ${bad % n})`);
  let amax = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > amax) amax = v;
  }
  let worst = 0,
    wi = 0,
    wj = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const d = Math.abs(a[i * n + j] - a[j * n + i]);
      if (d > worst) {
        worst = d;
        wi = i;
        wj = j;
      }
    }
  }
  // d can overflow to Infinity for entries near ±1.8e308 of opposite signs: still asymmetric.
  if (worst > tol * amax) {
    throw new RangeError(
      `${name} is not symmetric: |${name}[${wi}][${wj}] − ${name}[${wj}][${wi}]| = ${worst} ` +
        `(${a[wi * n + wj]} vs ${a[wj * n + wi]}) exceeds ${tol} · max|${name}| = ${tol * amax}`,
    );
  }
  return n;
}

/** options.symmetryTolerance: a finite number ≥ 0 (default 1e-12). */
export function checkSymmetryTolerance(name: string, v: unknown): number {
  if (v === undefined) return DEFAULT_SYMMETRY_TOLERANCE;
  return checkFinite(name, v, 0);
}
