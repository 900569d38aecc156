// Cholesky factorisation S = L·Lᵀ of a symmetric positive definite matrix, triangular
// solves with it, and log det S.
//
// Algorithm: LAPACK DPOTRF (lower), blocked left-looking by column panels of NB
// (Golub & Van Loan 4th ed. §4.2.9; the "Crout" variant): for each panel J = [j0, j1)
//   S[j0:n, J] −= L[j0:n, 0:j0]·L[J, 0:j0]ᵀ          dgemm, the n³/3 bulk of the flops
//   then the panel is factored by dot products of length < NB (unit stride in row-major).
// n³/3 flops in all. Solves (DPOTRS): L Y = B then Lᵀ X = Y, blocked the same way, the
// off-diagonal blocks by dgemm, 2·n²·nrhs flops.
//
// Layout: row-major, leading dimension n; the lower triangle (s[i][j], j ≤ i) is read,
// L is written there and the strict upper triangle is zeroed. dgemm has no alpha, so each
// block product goes to scratch and is subtracted (dsub).

import { dgemm } from "../blas/gemm";
import { ld, st, ddot, daxpy, dsub, ddiv } from "./level1";

const NB = 64;

/** Scratch bytes for dpotrf (n×NB) — also enough for the value of a failed pivot. */
export function dpotrfWorkBytes(n: i32): usize {
  return max<usize>(<usize>n * NB * 8, 16);
}

/** Scratch bytes for dpotrs with nrhs right-hand sides (NB×nrhs). */
export function dpotrsWorkBytes(nrhs: i32): usize {
  return max<usize>(<usize>nrhs * NB * 8, 16);
}

/**
 * dpotrf: in-place Cholesky of a (n×n row-major, lower triangle) after adding `jitter` to
 * the diagonal. Returns 0, or k + 1 when the pivot of row k is not positive (then f64 at
 * `work` holds that pivot's value s_kk − Σ l_kj², and a is partly overwritten).
 */
export function dpotrf(n: i32, a: usize, work: usize, jitter: f64): i32 {
  const ldb = <usize>n << 3;
  if (jitter != 0.0) {
    for (let i = 0; i < n; i++) {
      const p = a + <usize>i * ldb + (<usize>i << 3);
      store<f64>(p, load<f64>(p) + jitter);
    }
  }
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = min(n, j0 + NB);
    const nb = j1 - j0;
    const pan = a + <usize>j0 * ldb + (<usize>j0 << 3); // S[j0, j0]
    if (j0 > 0) {
      // T = L[j0:n, 0:j0]·L[j0:j1, 0:j0]ᵀ, then S[j0:n, j0:j1] −= T.
      const lrow = a + <usize>j0 * ldb;
      dgemm(n - j0, nb, j0, lrow, n, 1, lrow, 1, n, work, nb, false);
      for (let r = 0; r < n - j0; r++) {
        dsub(nb, work + <usize>r * <usize>nb * 8, pan + <usize>r * ldb);
      }
    }
    for (let i = j0; i < n; i++) {
      const row = a + <usize>i * ldb;
      const jmax = min(i, j1 - 1);
      for (let j = j0; j <= jmax; j++) {
        const t = ld(row, j) - ddot(j - j0, row + (<usize>j0 << 3), a + <usize>j * ldb + (<usize>j0 << 3));
        if (j < i) {
          st(row, j, t / ld(a + <usize>j * ldb, j));
        } else {
          if (!(t > 0.0)) {
            store<f64>(work, t);
            return i + 1;
          }
          st(row, i, Math.sqrt(t));
        }
      }
    }
  }
  for (let i = 0; i < n - 1; i++) memory.fill(a + <usize>i * ldb + (<usize>(i + 1) << 3), 0, <usize>(n - i - 1) << 3);
  return 0;
}

/**
 * dpotrs: b (n×nrhs row-major) ← S⁻¹·b given the Cholesky factor l (n×n row-major, lower).
 * work: dpotrsWorkBytes(nrhs).
 */
export function dpotrs(n: i32, nrhs: i32, l: usize, b: usize, work: usize): void {
  if (n == 0 || nrhs == 0) return;
  const ldb = <usize>n << 3;
  const rb = <usize>nrhs << 3;
  // Forward: L·Y = B.
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = min(n, i0 + NB);
    if (i0 > 0) {
      dgemm(i1 - i0, nrhs, i0, l + <usize>i0 * ldb, n, 1, b, nrhs, 1, work, nrhs, false);
      dsub((i1 - i0) * nrhs, work, b + <usize>i0 * rb);
    }
    for (let i = i0; i < i1; i++) {
      const li = l + <usize>i * ldb;
      const bi = b + <usize>i * rb;
      for (let j = i0; j < i; j++) daxpy(nrhs, -ld(li, j), b + <usize>j * rb, bi);
      ddiv(nrhs, ld(li, i), bi);
    }
  }
  // Backward: Lᵀ·X = Y, blocks bottom-up (same block boundaries).
  const last = ((n - 1) / NB) * NB;
  for (let i0 = last; i0 >= 0; i0 -= NB) {
    const i1 = min(n, i0 + NB);
    if (i1 < n) {
      // B[i0:i1] −= L[i1:n, i0:i1]ᵀ·X[i1:n]
      dgemm(i1 - i0, nrhs, n - i1, l + <usize>i1 * ldb + (<usize>i0 << 3), 1, n, b + <usize>i1 * rb, nrhs, 1, work, nrhs, false);
      dsub((i1 - i0) * nrhs, work, b + <usize>i0 * rb);
    }
    for (let i = i1 - 1; i >= i0; i--) {
      const bi = b + <usize>i * rb;
      for (let j = i + 1; j < i1; j++) daxpy(nrhs, -ld(l + <usize>j * ldb, i), b + <usize>j * rb, bi);
      ddiv(nrhs, ld(l + <usize>i * ldb, i), bi);
    }
  }
}

/** log det S = 2·Σ log l_ii from a Cholesky factor (AssemblyScript Math.log: identical in
 *  every engine), summed in index order. */
export function dlogdetChol(n: i32, l: usize): f64 {
  const ldb = <usize>n << 3;
  let s = 0.0;
  for (let i = 0; i < n; i++) s += Math.log(ld(l + <usize>i * ldb, i));
  return 2.0 * s;
}
