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
import { ld, st, ddot, ddotAxpy, daxpy, dscal, dnrm2, fold4, fold8 } from "./level1";

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
 * Fused row step: the rank-2 update of step k on a row segment, a[j] −= vi·w[j] + wi·v[j],
 * immediately followed by step k+1's SYMV on the updated values: returns Σ a[j]·x[j] and
 * does y[j] += xi·a[j]. One pass over the row instead of two (the reduction is bound by
 * memory traffic). Same 8-way reduction order as ddot / ddotAxpy, so the result equals
 * dsyr2Row followed by ddotAxpy bit for bit, in both builds. 8n flops.
 */
function dsyr2DotAxpy(n: i32, vi: f64, wi: f64, v: usize, w: usize, a: usize, x: usize, y: usize, xi: f64): f64 {
  let j = 0;
  let r: f64;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(vi), sw = f64x2.splat(wi), sx = f64x2.splat(xi);
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0);
    for (; j + 8 <= n; j += 8) {
      const o = <usize>j << 3;
      const pa = a + o, pv = v + o, pw = w + o, px = x + o, py = y + o;
      const u0 = f64x2.sub(v128.load(pa), f64x2.add(f64x2.mul(sv, v128.load(pw)), f64x2.mul(sw, v128.load(pv))));
      const u1 = f64x2.sub(v128.load(pa, 16), f64x2.add(f64x2.mul(sv, v128.load(pw, 16)), f64x2.mul(sw, v128.load(pv, 16))));
      const u2 = f64x2.sub(v128.load(pa, 32), f64x2.add(f64x2.mul(sv, v128.load(pw, 32)), f64x2.mul(sw, v128.load(pv, 32))));
      const u3 = f64x2.sub(v128.load(pa, 48), f64x2.add(f64x2.mul(sv, v128.load(pw, 48)), f64x2.mul(sw, v128.load(pv, 48))));
      v128.store(pa, u0); v128.store(pa, u1, 16); v128.store(pa, u2, 32); v128.store(pa, u3, 48);
      a0 = f64x2.add(a0, f64x2.mul(u0, v128.load(px)));
      a1 = f64x2.add(a1, f64x2.mul(u1, v128.load(px, 16)));
      a2 = f64x2.add(a2, f64x2.mul(u2, v128.load(px, 32)));
      a3 = f64x2.add(a3, f64x2.mul(u3, v128.load(px, 48)));
      v128.store(py, f64x2.add(v128.load(py), f64x2.mul(sx, u0)));
      v128.store(py, f64x2.add(v128.load(py, 16), f64x2.mul(sx, u1)), 16);
      v128.store(py, f64x2.add(v128.load(py, 32), f64x2.mul(sx, u2)), 32);
      v128.store(py, f64x2.add(v128.load(py, 48), f64x2.mul(sx, u3)), 48);
    }
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const u0 = f64x2.sub(v128.load(a + o), f64x2.add(f64x2.mul(sv, v128.load(w + o)), f64x2.mul(sw, v128.load(v + o))));
      v128.store(a + o, u0);
      a0 = f64x2.add(a0, f64x2.mul(u0, v128.load(x + o)));
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(sx, u0)));
    }
    r = fold4(a0, a1, a2, a3);
  } else {
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
    for (; j + 8 <= n; j += 8) {
      const u0 = ld(a, j) - (vi * ld(w, j) + wi * ld(v, j));
      const u1 = ld(a, j + 1) - (vi * ld(w, j + 1) + wi * ld(v, j + 1));
      const u2 = ld(a, j + 2) - (vi * ld(w, j + 2) + wi * ld(v, j + 2));
      const u3 = ld(a, j + 3) - (vi * ld(w, j + 3) + wi * ld(v, j + 3));
      const u4 = ld(a, j + 4) - (vi * ld(w, j + 4) + wi * ld(v, j + 4));
      const u5 = ld(a, j + 5) - (vi * ld(w, j + 5) + wi * ld(v, j + 5));
      const u6 = ld(a, j + 6) - (vi * ld(w, j + 6) + wi * ld(v, j + 6));
      const u7 = ld(a, j + 7) - (vi * ld(w, j + 7) + wi * ld(v, j + 7));
      st(a, j, u0); st(a, j + 1, u1); st(a, j + 2, u2); st(a, j + 3, u3);
      st(a, j + 4, u4); st(a, j + 5, u5); st(a, j + 6, u6); st(a, j + 7, u7);
      s0 += u0 * ld(x, j); s1 += u1 * ld(x, j + 1); s2 += u2 * ld(x, j + 2); s3 += u3 * ld(x, j + 3);
      s4 += u4 * ld(x, j + 4); s5 += u5 * ld(x, j + 5); s6 += u6 * ld(x, j + 6); s7 += u7 * ld(x, j + 7);
      st(y, j, ld(y, j) + xi * u0); st(y, j + 1, ld(y, j + 1) + xi * u1);
      st(y, j + 2, ld(y, j + 2) + xi * u2); st(y, j + 3, ld(y, j + 3) + xi * u3);
      st(y, j + 4, ld(y, j + 4) + xi * u4); st(y, j + 5, ld(y, j + 5) + xi * u5);
      st(y, j + 6, ld(y, j + 6) + xi * u6); st(y, j + 7, ld(y, j + 7) + xi * u7);
    }
    for (; j + 2 <= n; j += 2) {
      const u0 = ld(a, j) - (vi * ld(w, j) + wi * ld(v, j));
      const u1 = ld(a, j + 1) - (vi * ld(w, j + 1) + wi * ld(v, j + 1));
      st(a, j, u0); st(a, j + 1, u1);
      s0 += u0 * ld(x, j); s1 += u1 * ld(x, j + 1);
      st(y, j, ld(y, j) + xi * u0); st(y, j + 1, ld(y, j + 1) + xi * u1);
    }
    r = fold8(s0, s1, s2, s3, s4, s5, s6, s7);
  }
  if (j < n) {
    const u = ld(a, j) - (vi * ld(w, j) + wi * ld(v, j));
    st(a, j, u);
    r += u * ld(x, j);
    st(y, j, ld(y, j) + xi * u);
  }
  return r;
}

/**
 * dlarfg on row k (it must be final): H_k from x = a[k][k+1..n−1]; writes d[k], e[k], tau[k],
 * v_k over x (leading 1 explicit). Returns tau[k] (0 when there is nothing to annihilate).
 */
function reflector(n: i32, a: usize, k: i32, d: usize, e: usize, tau: usize): f64 {
  const ldb = <usize>n << 3;
  const m = n - k - 1;
  const x = a + <usize>k * ldb + (<usize>(k + 1) << 3);
  const alpha = ld(x, 0);
  const xn = dnrm2(m - 1, x + 8);
  st(d, k, ld(a + <usize>k * ldb, k));
  if (xn == 0.0) {
    st(tau, k, 0.0);
    st(e, k, alpha);
    return 0.0;
  }
  // beta = −sign(alpha)·‖(alpha, x)‖, tau = (beta − alpha)/beta, v = x/(alpha − beta)
  const big = max(abs(alpha), xn);
  const ra = alpha / big, rx = xn / big;
  let beta = big * Math.sqrt(ra * ra + rx * rx);
  if (alpha >= 0.0) beta = -beta;
  const t = (beta - alpha) / beta;
  dscal(m - 1, 1.0 / (alpha - beta), x + 8);
  st(x, 0, 1.0);
  st(tau, k, t);
  st(e, k, beta);
  return t;
}

/**
 * dsytrd: reduce the symmetric n×n matrix held in the upper triangle of `a` (row-major,
 * leading dimension n) to tridiagonal T: diagonal d[0..n−1], off-diagonal e[0..n−2];
 * reflectors stored in rows of `a` with scalars tau[0..n−2]. `p`: 2n doubles of scratch.
 *
 * Per step k: p = A₂₂·v (SYMV), w = τp − (τ²/2)(pᵀv)·v, A₂₂ −= v wᵀ + w vᵀ. The rank-2
 * update of step k and the SYMV of step k+1 share one pass over each row (dsyr2DotAxpy):
 * row k+1 is updated first, H_{k+1} generated from it, then every later row is updated and
 * immediately multiplied by v_{k+1}. Same arithmetic as the two-pass form.
 */
export function dsytrdU(n: i32, a: usize, d: usize, e: usize, tau: usize, p: usize): void {
  if (n <= 0) return;
  const ldb = <usize>n << 3;
  let pc = p, pn = p + ldb; // p of this step, p of the next
  if (n >= 2) {
    const t0 = reflector(n, a, 0, d, e, tau);
    if (t0 != 0.0) {
      const x = a + 8;
      const m = n - 1;
      memory.fill(pc, 0, <usize>m << 3);
      for (let i = 0; i < m; i++) {
        const r = 1 + i;
        const row = a + <usize>r * ldb + (<usize>r << 3);
        const vi = ld(x, i);
        const s = ddotAxpy(m - i - 1, row + 8, x + (<usize>(i + 1) << 3), pc + (<usize>(i + 1) << 3), vi);
        st(pc, i, ld(pc, i) + (ld(row, 0) * vi + s));
      }
    }
  }
  for (let k = 0; k < n - 1; k++) {
    const m = n - k - 1;
    const x = a + <usize>k * ldb + (<usize>(k + 1) << 3);
    const t = ld(tau, k);
    if (t != 0.0) {
      // w = τp − (τ/2)((τp)ᵀv)·v
      dscal(m, t, pc);
      daxpy(m, -0.5 * t * ddot(m, pc, x), x, pc);
      // row k+1 first: it defines H_{k+1}
      dsyr2Row(m, ld(x, 0), ld(pc, 0), x, pc, a + <usize>(k + 1) * ldb + (<usize>(k + 1) << 3));
    }
    if (k + 1 >= n - 1) break;
    const t1 = reflector(n, a, k + 1, d, e, tau);
    const x1 = a + <usize>(k + 1) * ldb + (<usize>(k + 2) << 3); // v_{k+1}, length m − 1
    if (t1 != 0.0) memory.fill(pn, 0, <usize>(m - 1) << 3);
    for (let i = 1; i < m; i++) {
      const r = k + 1 + i;
      const i1 = i - 1;
      const row = a + <usize>r * ldb + (<usize>r << 3);
      const o = <usize>i << 3, o1 = <usize>i1 << 3;
      if (t != 0.0 && t1 != 0.0) {
        const vi = ld(x, i), wi = ld(pc, i), xi = ld(x1, i1);
        const diag = ld(row, 0) - (vi * wi + wi * vi);
        st(row, 0, diag);
        const s = dsyr2DotAxpy(m - i - 1, vi, wi, x + o + 8, pc + o + 8, row + 8, x1 + o1 + 8, pn + o1 + 8, xi);
        st(pn, i1, ld(pn, i1) + (diag * xi + s));
      } else if (t != 0.0) {
        dsyr2Row(m - i, ld(x, i), ld(pc, i), x + o, pc + o, row);
      } else if (t1 != 0.0) {
        const xi = ld(x1, i1);
        const s = ddotAxpy(m - i - 1, row + 8, x1 + o1 + 8, pn + o1 + 8, xi);
        st(pn, i1, ld(pn, i1) + (ld(row, 0) * xi + s));
      }
    }
    const tmp = pc; pc = pn; pn = tmp;
  }
  st(d, n - 1, ld(a + <usize>(n - 1) * ldb, n - 1));
}

const NBQ = 64; // reflectors per block in the back-transformation

/** Workspace bytes for dormtrU (n×n problem). */
export function dormtrWorkBytes(n: i32): usize {
  return (<usize>3 * NBQ * <usize>n + <usize>NBQ * NBQ + <usize>NBQ) * 8;
}

/**
 * dormtr (SIDE = 'L', TRANS = 'N'): z ← Q·z, z n×n row-major, Q = H_0 H_1 ⋯ H_{n−2} from the
 * reflectors left in `a` by dsytrdU. Blocked with the compact WY form (Schreiber & Van Loan
 * 1989; LAPACK DLARFT + DLARFB): for each block of NBQ reflectors, last block first,
 *   H_{k0} ⋯ H_{k1−1} = I − V T Vᵀ,  z[k0+1:, :] −= V·(T·(Vᵀ·z[k0+1:, :])),
 * three dgemm calls (the last accumulating into z); 2n³ flops in all.
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
    // W2 = −T·W1 (negating T is exact)
    for (let i = 0; i < nb * nb; i++) st(tt, i, -ld(tt, i));
    dgemm(nb, n, nb, tt, nb, 1, w1, n, 1, w2, n, false);
    // z[k0+1:, :] += V·W2, accumulated by dgemm in place (the same roundings as z − V·(T·W1))
    dgemm(mrow, n, nb, vt, 1, mrow, w2, n, 1, zr, n, true);
  }
}
