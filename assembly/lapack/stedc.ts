// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by divide and conquer.
//
// Algorithm: LAPACK DSTEDC / DLAED0–DLAED4 (Cuppen 1981; Gu & Eisenstat, "A divide-and-conquer
// algorithm for the symmetric tridiagonal eigenproblem", SIAM J. Matrix Anal. Appl. 16, 1995;
// Golub & Van Loan 4th ed. §8.4.4):
//   T = diag(T₁, T₂) + ρ v vᵀ, v = e_k + sign(β) e_{k+1}, ρ = |β| (tear at β = e_k);
//   solve T₁ = Q₁Λ₁Q₁ᵀ, T₂ = Q₂Λ₂Q₂ᵀ recursively (leaves of ≤ 25 rows by implicit QL, steqr.ts);
//   then T = diag(Q₁,Q₂)·(D + ρ z zᵀ)·diag(Q₁,Q₂)ᵀ with z = [last row of Q₁; ±first row of Q₂].
//   Merge: deflate tiny |z_i| and nearly equal d_i (Givens), solve the secular equation
//   1 + ρ Σ z_j²/(d_j − λ) = 0 for each remaining root (safeguarded rational iteration
//   with two fixed poles — the "fixed weight method" of Bunch, Nielsen & Sorensen 1978 — on
//   the distance to the nearer pole, so d_j − λ_i is known to full relative accuracy),
//   recompute ẑ by the Löwner formula (Gu–Eisenstat), so the vectors (D − λ_i)⁻¹ẑ are
//   orthogonal to working precision, and multiply them into Q with dgemm.
// Cost ≈ (4/3)·n³·(1 − deflation) flops, almost all in dgemm.
//
// Layout: q is n×n row-major, q[i][j] = component i of eigenvector j. The block of a
// sub-problem [lo, lo+m) is q[lo:lo+m, lo:lo+m]; q must be zero on entry.
// Determinism: the secular solver is plain scalar code, the products are dgemm: the SIMD
// and scalar builds give identical results.

import { dgemm } from "../blas/gemm";
import { ld, st } from "./level1";
import { dsteqr, steqrWorkBytes } from "./steqr";

const EPS: f64 = 1.1102230246251565e-16; // 2⁻⁵³
const SMLSIZ = 25;
const INV_SQRT2: f64 = 0.7071067811865476;

// Workspace (set by dstedc).
let N = 0;
let Q: usize = 0;
let D: usize = 0;
let E: usize = 0;
let qg: usize = 0; // m×m: gathered non-deflated columns (m×k), then deflated ones (m×(m−k))
let qo: usize = 0; // m×k: product
let U: usize = 0; // k×k: d_i − λ_j, then the secular eigenvectors
let U2: usize = 0; // k×k: U with rows in gather order
let vz: usize = 0, vds: usize = 0, vzs: usize = 0, vdl: usize = 0, vzl: usize = 0, vlam: usize = 0, vdd: usize = 0, vval: usize = 0;
let iperm: usize = 0, icol: usize = 0, ityp: usize = 0, ikcol: usize = 0, idcol: usize = 0, iord: usize = 0;
let leafz: usize = 0, leafw: usize = 0;

// @ts-ignore: decorator
@inline
function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

function align16(b: usize): usize {
  return (b + 15) & ~(<usize>15);
}

/** Workspace bytes for dstedc (n×n problem). */
export function stedcWorkBytes(n: i32): usize {
  const nn = align16(<usize>n * <usize>n * 8);
  const v8 = align16(<usize>n * 8);
  const v4 = align16(<usize>n * 4);
  return 4 * nn + 8 * v8 + 6 * v4 + align16(<usize>SMLSIZ * SMLSIZ * 8) + align16(steqrWorkBytes(SMLSIZ));
}

/**
 * dstedc: d[0..n−1], e[0..n−2] (destroyed) → d ascending eigenvalues, q (n×n row-major,
 * zero on entry) eigenvectors in columns. work: stedcWorkBytes(n). Returns 0, or > 0 if a
 * leaf QL iteration failed.
 */
export function dstedc(n: i32, d: usize, e: usize, q: usize, work: usize): i32 {
  if (n <= 0) return 0;
  N = n; Q = q; D = d; E = e;
  const nn = align16(<usize>n * <usize>n * 8);
  const v8 = align16(<usize>n * 8);
  const v4 = align16(<usize>n * 4);
  let p = work;
  qg = p; p += nn;
  qo = p; p += nn;
  U = p; p += nn;
  U2 = p; p += nn;
  vz = p; p += v8; vds = p; p += v8; vzs = p; p += v8; vdl = p; p += v8;
  vzl = p; p += v8; vlam = p; p += v8; vdd = p; p += v8; vval = p; p += v8;
  iperm = p; p += v4; icol = p; p += v4; ityp = p; p += v4; ikcol = p; p += v4; idcol = p; p += v4; iord = p; p += v4;
  leafz = p; p += align16(<usize>SMLSIZ * SMLSIZ * 8);
  leafw = p;
  return solve(0, n);
}

function solve(lo: i32, m: i32): i32 {
  if (m <= SMLSIZ) return leaf(lo, m);
  const m1 = m >> 1;
  const k = lo + m1 - 1;
  const beta = ld(E, k);
  const rho = abs(beta);
  st(D, k, ld(D, k) - rho);
  st(D, k + 1, ld(D, k + 1) - rho);
  let info = solve(lo, m1);
  if (info != 0) return info;
  info = solve(lo + m1, m - m1);
  if (info != 0) return info;
  merge(lo, m, m1, beta);
  return 0;
}

function leaf(lo: i32, m: i32): i32 {
  const mb = <usize>m << 3;
  memory.fill(leafz, 0, <usize>m * mb);
  for (let i = 0; i < m; i++) st(leafz + <usize>i * mb, i, 1.0);
  const d = D + (<usize>lo << 3);
  const info = dsteqr(m, d, E + (<usize>lo << 3), leafz, leafw);
  if (info != 0) return info;
  // selection sort ascending, rows of leafz (eigenvectors) along
  for (let i = 0; i < m - 1; i++) {
    let kmin = i;
    let pmin = ld(d, i);
    for (let j = i + 1; j < m; j++) {
      if (ld(d, j) < pmin) { kmin = j; pmin = ld(d, j); }
    }
    if (kmin != i) {
      st(d, kmin, ld(d, i));
      st(d, i, pmin);
      const r1 = leafz + <usize>i * mb, r2 = leafz + <usize>kmin * mb;
      for (let j = 0; j < m; j++) { const t = ld(r1, j); st(r1, j, ld(r2, j)); st(r2, j, t); }
    }
  }
  const ldq = <usize>N << 3;
  const qb = Q + <usize>lo * ldq + (<usize>lo << 3);
  for (let r = 0; r < m; r++) {
    const qr = qb + <usize>r * ldq;
    for (let c = 0; c < m; c++) st(qr, c, ld(leafz + <usize>c * mb, r));
  }
  return 0;
}

// Column types for the block structure of diag(Q₁, Q₂): 1 = nonzero only in the top m1 rows,
// 2 = only in the bottom rows, 3 = mixed (after a deflating rotation between halves).

function merge(lo: i32, m: i32, m1: i32, beta: f64): void {
  const ldq = <usize>N << 3;
  const qb = Q + <usize>lo * ldq + (<usize>lo << 3);
  const d = D + (<usize>lo << 3);
  let rho = abs(beta);
  const sg: f64 = beta < 0.0 ? -1.0 : 1.0;
  // z = [last row of Q₁; sign(β)·first row of Q₂] / √2, ρ·2 (‖z‖ = 1).
  {
    const r1 = qb + <usize>(m1 - 1) * ldq, r2 = qb + <usize>m1 * ldq;
    for (let c = 0; c < m1; c++) st(vz, c, ld(r1, c) * INV_SQRT2);
    for (let c = m1; c < m; c++) st(vz, c, sg * ld(r2, c) * INV_SQRT2);
  }
  rho *= 2.0;
  // Merge the two ascending halves: perm[i] = column of the i-th smallest d.
  {
    let a = 0, b = m1, o = 0;
    while (a < m1 && b < m) {
      if (ld(d, b) < ld(d, a)) sti(iperm, o++, b++);
      else sti(iperm, o++, a++);
    }
    while (a < m1) sti(iperm, o++, a++);
    while (b < m) sti(iperm, o++, b++);
  }
  let zmax = 0.0, dmax = 0.0;
  for (let i = 0; i < m; i++) {
    const c = ldi(iperm, i);
    st(vds, i, ld(d, c));
    st(vzs, i, ld(vz, c));
    sti(icol, i, c);
    sti(ityp, i, c < m1 ? 1 : 2);
    zmax = max(zmax, abs(ld(vz, c)));
    dmax = max(dmax, abs(ld(d, c)));
  }
  const tol = 8.0 * EPS * max(dmax, zmax);

  // Deflation (DLAED2): tiny ρ|z_j|, or a Givens rotation that zeroes z of a near pair.
  let k = 0, nd = 0;
  if (rho * zmax > tol) {
    let pj = -1;
    for (let j = 0; j < m; j++) {
      if (rho * abs(ld(vzs, j)) <= tol) {
        st(vval, nd, ld(vds, j)); sti(idcol, nd, ldi(icol, j)); nd++;
        continue;
      }
      if (pj < 0) { pj = j; continue; }
      let s = ld(vzs, pj), c = ld(vzs, j);
      const big = max(abs(c), abs(s));
      const tau = big * Math.sqrt((c / big) * (c / big) + (s / big) * (s / big));
      const t = ld(vds, j) - ld(vds, pj);
      c /= tau;
      s = -s / tau;
      if (abs(t * c * s) <= tol) {
        st(vzs, j, tau);
        st(vzs, pj, 0.0);
        // columns x = col(pj), y = col(j): x ← c x + s y, y ← c y − s x
        const cx = ldi(icol, pj), cy = ldi(icol, j);
        for (let r = 0; r < m; r++) {
          const rp = qb + <usize>r * ldq;
          const x = ld(rp, cx), y = ld(rp, cy);
          st(rp, cx, c * x + s * y);
          st(rp, cy, c * y - s * x);
        }
        if (ldi(ityp, pj) != ldi(ityp, j)) { sti(ityp, pj, 3); sti(ityp, j, 3); }
        const dp = ld(vds, pj), dj = ld(vds, j);
        st(vds, pj, dp * c * c + dj * s * s);
        st(vds, j, dp * s * s + dj * c * c);
        st(vval, nd, ld(vds, pj)); sti(idcol, nd, cx); nd++;
        pj = j;
      } else {
        st(vdl, k, ld(vds, pj)); st(vzl, k, ld(vzs, pj)); sti(ikcol, k, ldi(icol, pj)); sti(iord, k, ldi(ityp, pj)); k++;
        pj = j;
      }
    }
    if (pj >= 0) {
      st(vdl, k, ld(vds, pj)); st(vzl, k, ld(vzs, pj)); sti(ikcol, k, ldi(icol, pj)); sti(iord, k, ldi(ityp, pj)); k++;
    }
  } else {
    for (let j = 0; j < m; j++) { st(vval, nd, ld(vds, j)); sti(idcol, nd, ldi(icol, j)); nd++; }
  }

  // Gather order: non-deflated columns grouped by type (1, 3, 2) so that the top m1 rows
  // of Q see only the first n1 + n3 and the bottom rows only the last n3 + n2 (DLAED3's
  // split product, half the flops of a dense one). iperm[r] = secular index of column r.
  let n1 = 0, n3 = 0;
  {
    let r = 0;
    for (let t = 0; t < 3; t++) {
      const want = t == 0 ? 1 : (t == 1 ? 3 : 2);
      for (let j = 0; j < k; j++) {
        if (ldi(iord, j) == want) { sti(iperm, r++, j); if (want == 1) n1++; else if (want == 3) n3++; }
      }
    }
  }
  // Gather: non-deflated columns → qg (m×k, in gather order), deflated → qg + m·k (m×nd).
  const qd = qg + (<usize>m * <usize>k << 3);
  for (let r = 0; r < m; r++) {
    const rp = qb + <usize>r * ldq;
    const g = qg + (<usize>r * <usize>k << 3);
    for (let j = 0; j < k; j++) st(g, j, ld(rp, ldi(ikcol, ldi(iperm, j))));
    const h = qd + (<usize>r * <usize>nd << 3);
    for (let j = 0; j < nd; j++) st(h, j, ld(rp, ldi(idcol, j)));
  }

  if (k > 0) {
    secular(k, rho);
    const kb = <usize>k << 3;
    for (let r = 0; r < k; r++) memory.copy(U2 + <usize>r * kb, U + <usize>ldi(iperm, r) * kb, kb);
    // top: qo[0:m1] = qg[0:m1, 0:n1+n3]·U2[0:n1+n3]; bottom: qo[m1:m] = qg[m1:m, n1:k]·U2[n1:k]
    dgemm(m1, k, n1 + n3, qg, k, 1, U2, k, 1, qo, k, false);
    dgemm(m - m1, k, k - n1, qg + <usize>m1 * kb + (<usize>n1 << 3), k, 1, U2 + <usize>n1 * kb, k, 1, qo + <usize>m1 * kb, k, false);
  }

  // Sort all m eigenvalues: λ (ascending) merged with the deflated values (insertion-sorted).
  for (let i = 1; i < nd; i++) {
    const v = ld(vval, i);
    const c = ldi(idcol, i);
    let j = i - 1;
    while (j >= 0 && ld(vval, j) > v) {
      st(vval, j + 1, ld(vval, j));
      sti(idcol, j + 1, ldi(idcol, j));
      j--;
    }
    st(vval, j + 1, v);
    sti(idcol, j + 1, c);
  }
  // order[o] = source: < k → root, ≥ k → deflated (k + index)
  {
    let a = 0, b = 0, o = 0;
    while (a < k && b < nd) {
      if (ld(vval, b) < ld(vlam, a)) { sti(iperm, o, k + b); st(d, o, ld(vval, b)); b++; }
      else { sti(iperm, o, a); st(d, o, ld(vlam, a)); a++; }
      o++;
    }
    while (a < k) { sti(iperm, o, a); st(d, o, ld(vlam, a)); a++; o++; }
    while (b < nd) { sti(iperm, o, k + b); st(d, o, ld(vval, b)); b++; o++; }
  }
  for (let r = 0; r < m; r++) {
    const rp = qb + <usize>r * ldq;
    const g = qo + (<usize>r * <usize>k << 3);
    const h = qd + (<usize>r * <usize>nd << 3);
    for (let c = 0; c < m; c++) {
      const s = ldi(iperm, c);
      st(rp, c, s < k ? ld(g, s) : ld(h, s - k));
    }
  }
}

/**
 * Roots λ_0 < … < λ_{k−1} of 1 + ρ Σ z_j²/(d_j − λ) (d = vdl ascending, distinct; z = vzl)
 * into vlam, and the k×k matrix U of normalised eigenvectors (D − λ_j)⁻¹ẑ in columns.
 */
function secular(k: i32, rho: f64): void {
  if (k == 1) {
    st(vlam, 0, ld(vdl, 0) + rho * ld(vzl, 0) * ld(vzl, 0));
    st(U, 0, 1.0);
    return;
  }
  let sumz2 = 0.0;
  for (let i = 0; i < k; i++) sumz2 += ld(vzl, i) * ld(vzl, i);
  const kb = <usize>k << 3;
  for (let j = 0; j < k; j++) {
    // Bracket and origin (the nearer pole).
    let org: i32, lo: f64, hi: f64, tau: f64;
    const dj = ld(vdl, j);
    if (j < k - 1) {
      // Initial guess (as DLAED4): the two nearest poles exact, the other terms frozen at the
      // midpoint; its sign there also picks the origin (the nearer pole) and the half-interval.
      const del = ld(vdl, j + 1) - dj;
      const mid = del * 0.5;
      let c = 0.0;
      for (let i = 0; i < k; i++) {
        if (i == j || i == j + 1) continue;
        const z = ld(vzl, i);
        c += z * z / ((ld(vdl, i) - dj) - mid);
      }
      c += 1.0 / rho;
      const zj2 = ld(vzl, j) * ld(vzl, j), zk2 = ld(vzl, j + 1) * ld(vzl, j + 1);
      const w = c - zj2 / mid + zk2 / (del - mid);
      let a: f64, b: f64;
      if (w >= 0.0) {
        org = j; lo = 0.0; hi = mid;
        a = c * del + zj2 + zk2; b = zj2 * del;
      } else {
        org = j + 1; lo = (dj - ld(vdl, j + 1)) + mid; hi = 0.0;
        a = -c * del + zj2 + zk2; b = -zk2 * del;
      }
      const disc = Math.sqrt(abs(a * a - 4.0 * b * c));
      tau = a > 0.0 ? 2.0 * b / (a + disc) : (a - disc) / (2.0 * c);
      if (!(tau > lo && tau < hi)) tau = lo + (hi - lo) * 0.5;
    } else {
      org = j; lo = 0.0; hi = rho * sumz2 * (1.0 + 16.0 * EPS);
      tau = hi * 0.5;
    }
    const o = ld(vdl, org);
    for (let i = 0; i < k; i++) st(vdd, i, ld(vdl, i) - o);
    for (let it = 0; it < 200; it++) {
      // DLAED4's error bound: the partial sums (erra, errb) bound the rounding in ψ and φ.
      let psi = 0.0, dpsi = 0.0, phi = 0.0, dphi = 0.0, erra = 0.0, errb = 0.0;
      for (let i = 0; i <= j; i++) {
        const z = ld(vzl, i);
        const t = z / (ld(vdd, i) - tau);
        psi += z * t;
        dpsi += t * t;
        erra += psi;
      }
      for (let i = j + 1; i < k; i++) {
        const z = ld(vzl, i);
        const t = z / (ld(vdd, i) - tau);
        phi += z * t;
        dphi += t * t;
        errb += phi;
      }
      psi *= rho; dpsi *= rho; phi *= rho; dphi *= rho;
      const f = 1.0 + psi + phi;
      const erretm = 8.0 * (phi - psi) + rho * (abs(erra) + errb) + 2.0 + 3.0 * abs(tau) * (dpsi + dphi);
      if (abs(f) <= EPS * erretm) break;
      if (f > 0.0) hi = tau; else lo = tau;
      if (hi - lo <= 2.0 * EPS * max(abs(lo), abs(hi))) break;
      // Rational model with fixed poles d_j (ψ) and d_{j+1} (φ).
      const da = ld(vdd, j) - tau;
      let eta: f64;
      if (j < k - 1) {
        const db = ld(vdd, j + 1) - tau;
        const c = f - dpsi * da - dphi * db;
        const a = c * (da + db) + dpsi * da * da + dphi * db * db;
        const b = da * db * f;
        const disc = Math.sqrt(abs(a * a - 4.0 * b * c));
        if (c == 0.0) eta = b / a;
        else if (a <= 0.0) eta = (a - disc) / (2.0 * c);
        else eta = 2.0 * b / (a + disc);
      } else {
        const c = f - dpsi * da;
        eta = c > 0.0 ? da + dpsi * da * da / c : NaN;
      }
      let tn = tau + eta;
      if (!(tn > lo && tn < hi)) tn = lo + (hi - lo) * 0.5;
      if (tn == tau) break;
      tau = tn;
    }
    st(vlam, j, o + tau);
    // U[i][j] = d_i − λ_j, accurately as (d_i − d_org) − τ
    for (let i = 0; i < k; i++) st(U + <usize>i * kb, j, ld(vdd, i) - tau);
  }
  // Löwner: ẑ_i² = Π_j (λ_j − d_i) / Π_{j≠i} (d_j − d_i)  (up to the common factor ρ).
  for (let i = 0; i < k; i++) {
    const ui = U + <usize>i * kb;
    const di = ld(vdl, i);
    let w = ld(ui, i);
    for (let j = 0; j < k; j++) {
      if (j != i) w *= ld(ui, j) / (di - ld(vdl, j));
    }
    const zh = Math.sqrt(abs(w));
    st(vz, i, ld(vzl, i) >= 0.0 ? zh : -zh);
  }
  // Columns (D − λ_j)⁻¹ ẑ, normalised.
  for (let j = 0; j < k; j++) {
    let s = 0.0;
    for (let i = 0; i < k; i++) {
      const p = U + <usize>i * kb + (<usize>j << 3);
      const v = ld(vz, i) / load<f64>(p);
      store<f64>(p, v);
      s += v * v;
    }
    const r = 1.0 / Math.sqrt(s);
    for (let i = 0; i < k; i++) {
      const p = U + <usize>i * kb + (<usize>j << 3);
      store<f64>(p, load<f64>(p) * r);
    }
  }
}
