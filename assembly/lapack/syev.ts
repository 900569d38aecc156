// Symmetric eigendecomposition driver: S = V·diag(w)·Vᵀ, eigenvalues ascending.
//
// Algorithm (LAPACK DSYEVD; DSYEV for eigenvalues only):
//   1. scale S by a power of two so that max|s_ij| ∈ [1, 2) (exact; inputs near 1e±300
//      neither overflow nor underflow during the reduction), w scaled back at the end;
//   2. Householder tridiagonalisation Qᵀ S Q = T (sytrd.ts, 4/3·n³ flops);
//   3. eigenvalues only: implicit QL/QR with Wilkinson shifts on (d, e) (steqr.ts), O(n²),
//      then sorted; with vectors: divide and conquer on T (stedc.ts, ≈ 4/3·n³ or less, in
//      dgemm), then V = Q·Z by blocked compact-WY reflector application (2n³, dgemm).
// (LAPACK's DSYEVD is the same pipeline.)
// Only the lower triangle of S (row-major: s[i][j], j ≤ i) is read.

import { ld, st, damax, pow2, exponentOf } from "./level1";
import { dsytrdU, dormtrU, dormtrWorkBytes } from "./sytrd";
import { dsteqr } from "./steqr";
import { dstedc, stedcWorkBytes } from "./stedc";

function align16(b: usize): usize {
  return (b + 15) & ~(<usize>15);
}

/** Workspace bytes dsyev needs (TS allocates it). */
export function dsyevWorkBytes(n: i32, wantz: i32): usize {
  const nn = <usize>n * <usize>n * 8;
  const vec = align16(<usize>n * 8);
  let b = align16(nn) + 4 * vec; // a, e, tau, p, spare
  if (wantz != 0) b += max(stedcWorkBytes(n), dormtrWorkBytes(n));
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
  const sw = p + 2 * vec;

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

  // 3. eigenvalues only: QL/QR on (d, e), O(n²); with vectors: divide and conquer on T, then
  //    V = Q·Z by the blocked back-transformation.
  if (wantz == 0) {
    const info = dsteqr(n, w, e, 0, 0);
    for (let i = 0; i < n - 1; i++) {
      let kmin = i;
      let pmin = ld(w, i);
      for (let j = i + 1; j < n; j++) {
        const x = ld(w, j);
        if (x < pmin) { kmin = j; pmin = x; }
      }
      if (kmin != i) { st(w, kmin, ld(w, i)); st(w, i, pmin); }
    }
    for (let i = 0; i < n; i++) st(w, i, ld(w, i) * unsc);
    return info;
  }
  memory.fill(v, 0, nn);
  const info = dstedc(n, w, e, v, sw);
  if (info != 0) return info;
  dormtrU(n, a, tau, v, sw);
  for (let i = 0; i < n; i++) st(w, i, ld(w, i) * unsc);
  return info;
}
