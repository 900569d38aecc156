// Shared pieces of the task definitions.

import { checkMatrix, type Matrix } from "../linalg/matrix.js";
import { householderQR } from "../linalg/qr.js";
import { describe, firstNonFinite } from "../runtime/errors.js";
import type { Rng } from "../random/rng.js";

/** A training sample: n inputs as rows of X (n×d) and their targets y (length n). */
export interface Sample {
  X: Matrix<Float64Array>;
  y: Float64Array;
}

/**
 * Haar-distributed d×d orthogonal matrix: QR of a Gaussian matrix with R's diagonal signs
 * moved into Q (Mezzadri, "How to generate random matrices from the classical compact
 * groups", Notices AMS 54, 2007).
 */
export function haarOrthogonal(d: number, rng: Rng): Matrix<Float64Array> {
  const g = rng.normalMatrix(d, d);
  const { q, rdiag } = householderQR(g);
  for (let j = 0; j < d; j++) {
    if (rdiag[j] < 0) for (let i = 0; i < d; i++) q.data[i * d + j] = -q.data[i * d + j];
  }
  return q;
}

/** U·diag(λ)·Uᵀ for U d×r (row-major) and λ of length r, in plain arithmetic (symmetric exactly). */
export function fromEigen(u: Matrix<Float64Array>, lambda: ArrayLike<number>): Matrix<Float64Array> {
  const d = u.rows, r = u.cols;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += u.data[i * r + k] * lambda[k] * u.data[j * r + k];
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return { rows: d, cols: d, data: out };
}

/** Relative tolerance for symmetry checks: |s_ij − s_ji| ≤ SYM_TOL · max|s|. */
export const SYM_TOL = 1e-12;

/** Validate a square, finite, symmetric float64 matrix argument; returns a float64 copy. */
export function checkSymmetric(name: string, s: unknown): Matrix<Float64Array> {
  checkMatrix(name, s);
  if (s.rows !== s.cols) throw new RangeError(`${name} must be square, got ${s.rows}×${s.cols}`);
  const bad = firstNonFinite(s.data);
  if (bad >= 0) throw new RangeError(`${name} has a non-finite entry ${s.data[bad]} at (${Math.floor(bad / s.cols)}, ${bad % s.cols})`);
  const n = s.rows;
  let max = 0;
  for (const x of s.data) max = Math.max(max, Math.abs(x));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const diff = Math.abs(s.data[i * n + j] - s.data[j * n + i]);
      if (diff > SYM_TOL * max) {
        throw new RangeError(`${name} must be symmetric: |${name}[${i}][${j}] − ${name}[${j}][${i}]| = ${diff} exceeds ${SYM_TOL}·max|${name}| = ${SYM_TOL * max}`);
      }
    }
  }
  return { rows: n, cols: n, data: Float64Array.from(s.data) };
}

export function checkRng(name: string, rng: unknown): asserts rng is Rng {
  if (rng === null || typeof rng !== "object" || typeof (rng as Rng).withState !== "function") {
    throw new TypeError(`${name} must be an Rng from createRng(seed), got ${describe(rng)}`);
  }
}
