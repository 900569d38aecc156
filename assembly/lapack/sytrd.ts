// Householder reduction of a symmetric matrix to tridiagonal form, and the explicit
// orthogonal factor.
//
// Algorithm: LAPACK DSYTD2 / DORGTR (UPLO = 'L'), Golub & Van Loan, Matrix Computations
// 4th ed., §8.3.1: for k = 0..n−2 a reflector H_k = I − τ_k v_k v_kᵀ (v_k[k+1] = 1) annihilates
// column k below the subdiagonal, and the trailing block is updated by the symmetric rank-2
// update  A₂₂ ← A₂₂ − v wᵀ − w vᵀ,  p = τ A₂₂ v,  w = p − (τ/2)(pᵀv) v.
// Then Qᵀ A Q = T (tridiagonal) with Q = H_0 H_1 ⋯ H_{n−2}.  4/3·n³ flops for the reduction,
// 4/3·n³ more for Qᵀ.
//
// Layout: row-major, leading dimension n. The routines work on the UPPER triangle of the
// row-major array (a[i][j], j ≥ i — the lower triangle of the column-major view, i.e.
// LAPACK's 'L' case), so that column k below the diagonal is row k right of it: the
// reflector, the SYMV (one fused dot+axpy per row) and the rank-2 update all run with unit
// stride and SIMD. On exit row k holds v_k in a[k][k+1..n−1] with the leading 1 explicit.

import { ld, st, ddot, ddotAxpy, daxpy, dscal, dnrm2 } from "./level1";

/** a[j] −= vi·w[j] + wi·v[j], j < n (one row of the symmetric rank-2 update). 4n flops. */
function dsyr2Row(n: i32, vi: f64, wi: f64, v: usize, w: usize, a: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(vi), sw = f64x2.splat(wi);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 3;
      const pa = a + o, pv = v + o, pw = w + o;
      v128.store(pa, f64x2.sub(v128.load(pa), f64x2.add(f64x2.mul(sv, v128.load(pw)), f64x2.mul(sw, v128.load(pv)))));
      v128.store(pa, f64x2.sub(v128.load(pa, 16), f64x2.add(f64x2.mul(sv, v128.load(pw, 16)), f64x2.mul(sw, v128.load(pv, 16)))), 16);
    }
  }
  for (; j < n; j++) st(a, j, ld(a, j) - (vi * ld(w, j) + wi * ld(v, j)));
}

/**
 * dsytrd: reduce the symmetric n×n matrix held in the upper triangle of `a` (row-major,
 * leading dimension n) to tridiagonal T: diagonal d[0..n−1], off-diagonal e[0..n−2];
 * reflectors stored in rows of `a` with scalars tau[0..n−2]. `p`: n doubles of scratch.
 */
export function dsytrdU(n: i32, a: usize, d: usize, e: usize, tau: usize, p: usize): void {
  const ldb = <usize>n << 3;
  for (let k = 0; k < n - 1; k++) {
    const m = n - k - 1; // length of the reflector
    const x = a + <usize>k * ldb + (<usize>(k + 1) << 3);
    const alpha = ld(x, 0);
    const xn = dnrm2(m - 1, x + 8);
    st(d, k, ld(a + <usize>k * ldb, k));
    if (xn == 0.0) {
      // dlarfg: H = I, nothing to annihilate.
      st(tau, k, 0.0);
      st(e, k, alpha);
      continue;
    }
    // dlarfg: beta = −sign(alpha)·‖(alpha, x)‖, tau = (beta − alpha)/beta, v = x/(alpha − beta).
    const big = max(abs(alpha), xn);
    const ra = alpha / big, rx = xn / big;
    let beta = big * Math.sqrt(ra * ra + rx * rx);
    if (alpha >= 0.0) beta = -beta;
    const t = (beta - alpha) / beta;
    dscal(m - 1, 1.0 / (alpha - beta), x + 8);
    st(x, 0, 1.0);
    st(tau, k, t);
    st(e, k, beta);
    // p = τ·A₂₂·v, A₂₂ held in its upper triangle: row r contributes A[r][r..]·v to p[r] and
    // v[r]·A[r][r+1..] to p[r+1..] (the mirrored lower part), in one pass over the row.
    memory.fill(p, 0, <usize>m << 3);
    for (let i = 0; i < m; i++) {
      const r = k + 1 + i;
      const row = a + <usize>r * ldb + (<usize>r << 3);
      const vi = ld(x, i);
      const s = ddotAxpy(m - i - 1, row + 8, x + (<usize>(i + 1) << 3), p + (<usize>(i + 1) << 3), vi);
      st(p, i, ld(p, i) + (ld(row, 0) * vi + s));
    }
    dscal(m, t, p);
    // w = p − (τ/2)(pᵀv)·v
    daxpy(m, -0.5 * t * ddot(m, p, x), x, p);
    // A₂₂ −= v wᵀ + w vᵀ (upper triangle)
    for (let i = 0; i < m; i++) {
      const r = k + 1 + i;
      const o = <usize>i << 3;
      dsyr2Row(m - i, ld(x, i), ld(p, i), x + o, p + o, a + <usize>r * ldb + (<usize>r << 3));
    }
  }
  if (n > 0) st(d, n - 1, ld(a + <usize>(n - 1) * ldb, n - 1));
}

/**
 * dorgtr, transposed: z (n×n row-major) ← Qᵀ = H_{n−2} ⋯ H_1 H_0, from the reflectors left in
 * `a` by dsytrdU. Row r of z is column r of Q (the layout the tridiagonal eigensolver
 * rotates with unit stride). Backward accumulation (G&VL §5.1.6): applying H_k last touches
 * only rows/columns k+1.. of z, so the work is 4/3·n³ flops.
 */
export function dorgtrU(n: i32, a: usize, tau: usize, z: usize): void {
  const ldb = <usize>n << 3;
  memory.fill(z, 0, <usize>n * ldb);
  for (let i = 0; i < n; i++) st(z + <usize>i * ldb, i, 1.0);
  for (let k = n - 2; k >= 0; k--) {
    const t = ld(tau, k);
    if (t == 0.0) continue;
    const m = n - k - 1;
    const v = a + <usize>k * ldb + (<usize>(k + 1) << 3);
    // z[r, k+1..] ← z[r, k+1..]·(I − τ v vᵀ) for the rows r > k (rows ≤ k are zero there).
    for (let r = k + 1; r < n; r++) {
      const zr = z + <usize>r * ldb + (<usize>(k + 1) << 3);
      daxpy(m, -(t * ddot(m, zr, v)), v, zr);
    }
  }
}
