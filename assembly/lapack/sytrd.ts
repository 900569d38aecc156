// Householder reduction of a symmetric matrix to tridiagonal form, and the explicit
// orthogonal factor.
//
// Algorithm: LAPACK DSYTD2 / DORGTR (UPLO = 'L'), Golub & Van Loan, Matrix Computations
// 4th ed., §8.3.1: for k = 0..n−2 a reflector H_k = I − τ_k v_k v_kᵀ (v_k[k+1] = 1) annihilates
// column k below the subdiagonal, and the trailing block is updated by the symmetric rank-2
// update  A₂₂ ← A₂₂ − v wᵀ − w vᵀ,  p = τ A₂₂ v,  w = p − (τ/2)(pᵀv) v.
// Then Qᵀ A Q = T (tridiagonal) with Q = H_0 H_1 ⋯ H_{n−2}.  4/3·n³ flops for the reduction,
// 2n³ more to apply Q to the tridiagonal eigenvectors (blocked, dgemm).
//
// Layout: row-major, leading dimension n. The routines work on the UPPER triangle of the
// row-major array (a[i][j], j ≥ i — the lower triangle of the column-major view, i.e.
// LAPACK's 'L' case), so that column k below the diagonal is row k right of it: the
// reflector, the SYMV (one fused dot+axpy per row) and the rank-2 update all run with unit
// stride and SIMD. On exit row k holds v_k in a[k][k+1..n−1] with the leading 1 explicit.

import { dgemm } from "../blas/gemm";
import { ld, st, ddot, ddotAxpy, daxpy, dscal, dnrm2, dsub } from "./level1";

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

const NBQ = 32; // reflectors per block in the back-transformation

/** Workspace bytes for dormtrU (n×n problem). */
export function dormtrWorkBytes(n: i32): usize {
  return (<usize>3 * NBQ * <usize>n + <usize>NBQ * NBQ + <usize>NBQ + <usize>n * <usize>n) * 8;
}

/**
 * dormtr (SIDE = 'L', TRANS = 'N'): z ← Q·z, z n×n row-major, Q = H_0 H_1 ⋯ H_{n−2} from the
 * reflectors left in `a` by dsytrdU. Blocked with the compact WY form (Schreiber & Van Loan
 * 1989; LAPACK DLARFT + DLARFB): for each block of NBQ reflectors, last block first,
 *   H_{k0} ⋯ H_{k1−1} = I − V T Vᵀ,  z[k0+1:, :] −= V·(T·(Vᵀ·z[k0+1:, :])),
 * three dgemm calls; 2n³ flops in all.
 */
export function dormtrU(n: i32, a: usize, tau: usize, z: usize, work: usize): void {
  const nref = n - 1;
  if (nref <= 0) return;
  const ldb = <usize>n << 3;
  const vt = work; // NBQ × mrow (row stride mrow), Vᵀ with explicit zeros and ones
  const w1 = vt + (<usize>NBQ * <usize>n << 3); // NBQ × n
  const w2 = w1 + (<usize>NBQ * <usize>n << 3); // NBQ × n
  const tt = w2 + (<usize>NBQ * <usize>n << 3); // NBQ × NBQ
  const tmpv = tt + (<usize>NBQ * NBQ << 3); // NBQ
  const big = tmpv + (<usize>NBQ << 3); // n × n
  for (let k0 = ((nref - 1) / NBQ) * NBQ; k0 >= 0; k0 -= NBQ) {
    const k1 = min(nref, k0 + NBQ);
    const nb = k1 - k0;
    const mrow = n - k0 - 1;
    const mb = <usize>mrow << 3;
    // Vᵀ rows: v_{k0+i}[k0+1+r] = 0 (r < i), 1 (r = i), a[k0+i][k0+1+r] (r > i)
    for (let i = 0; i < nb; i++) {
      const vr = vt + <usize>i * mb;
      const arow = a + <usize>(k0 + i) * ldb + (<usize>(k0 + 1) << 3);
      if (i > 0) memory.fill(vr, 0, <usize>i << 3);
      st(vr, i, 1.0);
      if (mrow - i - 1 > 0) memory.copy(vr + (<usize>(i + 1) << 3), arow + (<usize>(i + 1) << 3), <usize>(mrow - i - 1) << 3);
    }
    // T (nb×nb, upper): T[i][i] = τ_i, T[0:i, i] = −τ_i·T[0:i, 0:i]·(V[:, 0:i]ᵀ v_i)
    const nbb = <usize>nb << 3;
    memory.fill(tt, 0, <usize>nb * nbb);
    for (let i = 0; i < nb; i++) {
      const ti = ld(tau, k0 + i);
      const vi = vt + <usize>i * mb + (<usize>i << 3);
      for (let p = 0; p < i; p++) {
        st(tmpv, p, -ti * ddot(mrow - i, vt + <usize>p * mb + (<usize>i << 3), vi));
      }
      for (let p = 0; p < i; p++) {
        const tp = tt + <usize>p * nbb;
        let s = 0.0;
        for (let q = p; q < i; q++) s += ld(tp, q) * ld(tmpv, q);
        st(tp, i, s);
      }
      st(tt + <usize>i * nbb, i, ti);
    }
    const zr = z + <usize>(k0 + 1) * ldb;
    // W1 = Vᵀ·z[k0+1:, :]   (nb × n)
    dgemm(nb, n, mrow, vt, mrow, 1, zr, n, 1, w1, n, false);
    // W2 = T·W1
    dgemm(nb, n, nb, tt, nb, 1, w1, n, 1, w2, n, false);
    // big = V·W2 (mrow × n); z[k0+1:, :] −= big
    dgemm(mrow, n, nb, vt, 1, mrow, w2, n, 1, big, n, false);
    dsub(mrow * n, big, zr);
  }
}
