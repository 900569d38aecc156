// Symmetric eigendecomposition driver: S = V·diag(w)·Vᵀ, eigenvalues ascending.
//
// Algorithm (LAPACK DSYEV with the QL/QR tridiagonal solver):
//   1. scale S by a power of two so that max|s_ij| ∈ [1, 2) (exact; inputs near 1e±300
//      neither overflow nor underflow during the reduction), w scaled back at the end;
//   2. Householder tridiagonalisation Qᵀ S Q = T (sytrd.ts, 4/3·n³ flops);
//   3. with vectors: form Qᵀ explicitly (4/3·n³), run implicit QL/QR on T applying the
//      rotations to the rows of Qᵀ (steqr.ts, ≈ 6n³), so row i ends as eigenvector i;
//      without vectors: the same iteration on (d, e) alone, O(n²);
//   4. sort ascending (selection sort: at most n − 1 row swaps), transpose rows → columns.
// Only the lower triangle of S (row-major: s[i][j], j ≤ i) is read.

import { ld, st, damax, pow2, exponentOf } from "./level1";
import { dsytrdU, dorgtrU } from "./sytrd";
import { dsteqr, steqrWorkBytes } from "./steqr";

function align16(b: usize): usize {
  return (b + 15) & ~(<usize>15);
}

/** Workspace bytes dsyev needs (TS allocates it). */
export function dsyevWorkBytes(n: i32, wantz: i32): usize {
  const nn = <usize>n * <usize>n * 8;
  const vec = align16(<usize>n * 8);
  let b = align16(nn) + 4 * vec; // a, e, tau, p, spare
  if (wantz != 0) b += align16(nn) + align16(steqrWorkBytes(n));
  return b;
}

/**
 * dsyev: eigenvalues w[0..n−1] (ascending) of the symmetric n×n matrix s (row-major, lower
 * triangle read) and, when wantz ≠ 0, eigenvectors as the columns of v (n×n row-major).
 * work: dsyevWorkBytes(n, wantz) bytes. Returns 0, or > 0 when the QL/QR iteration failed
 * to converge (LAPACK INFO).
 */
export function dsyev(n: i32, s: usize, w: usize, v: usize, work: usize, wantz: i32): i32 {
  if (n <= 0) return 0;
  const ldb = <usize>n << 3;
  const nn = <usize>n * ldb;
  const vec = align16(ldb);
  const a = work;
  const e = a + align16(nn);
  const tau = e + vec;
  const p = tau + vec;
  const zt = p + 2 * vec;
  const sw = zt + align16(nn);

  // 1. max |s_ij| over the lower triangle, power-of-two scale.
  let amax = 0.0;
  for (let i = 0; i < n; i++) amax = max(amax, damax(i + 1, s + <usize>i * ldb));
  if (amax == 0.0) {
    memory.fill(w, 0, ldb);
    if (wantz != 0) {
      memory.fill(v, 0, nn);
      for (let i = 0; i < n; i++) st(v + <usize>i * ldb, i, 1.0);
    }
    return 0;
  }
  let k = -exponentOf(amax);
  if (k > 1022) k = 1022;
  if (k < -1022) k = -1022;
  const sc = pow2(k), unsc = pow2(-k);

  // a (upper triangle) = scaled lower triangle of s, transposed: a[j][i] = s[i][j], j ≤ i.
  for (let i = 0; i < n; i++) {
    const srow = s + <usize>i * ldb;
    for (let j = 0; j <= i; j++) st(a + <usize>j * ldb, i, ld(srow, j) * sc);
  }

  // 2. T = Qᵀ S Q: d → w, e, reflectors in a.
  dsytrdU(n, a, w, e, tau, p);

  // 3. tridiagonal QL/QR.
  let info = 0;
  if (wantz != 0) {
    dorgtrU(n, a, tau, zt);
    info = dsteqr(n, w, e, zt, sw);
  } else {
    info = dsteqr(n, w, e, 0, 0);
  }

  // 4. sort ascending (selection sort, swapping eigenvector rows along).
  for (let i = 0; i < n - 1; i++) {
    let kmin = i;
    let pmin = ld(w, i);
    for (let j = i + 1; j < n; j++) {
      const x = ld(w, j);
      if (x < pmin) { kmin = j; pmin = x; }
    }
    if (kmin != i) {
      st(w, kmin, ld(w, i));
      st(w, i, pmin);
      if (wantz != 0) {
        const r1 = zt + <usize>i * ldb, r2 = zt + <usize>kmin * ldb;
        for (let j = 0; j < n; j++) {
          const t = ld(r1, j);
          st(r1, j, ld(r2, j));
          st(r2, j, t);
        }
      }
    }
  }
  for (let i = 0; i < n; i++) st(w, i, ld(w, i) * unsc);

  // v = (Zᵀ)ᵀ, blocked transpose.
  if (wantz != 0) {
    const B = 16;
    for (let i0 = 0; i0 < n; i0 += B) {
      const i1 = min(n, i0 + B);
      for (let j0 = 0; j0 < n; j0 += B) {
        const j1 = min(n, j0 + B);
        for (let i = i0; i < i1; i++) {
          const vr = v + <usize>i * ldb;
          for (let j = j0; j < j1; j++) st(vr, j, ld(zt + <usize>j * ldb, i));
        }
      }
    }
  }
  return info;
}
