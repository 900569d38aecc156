// Eigenvalues and (optionally) eigenvectors of a symmetric tridiagonal matrix.
//
// Algorithm: LAPACK DSTEQR — implicit QL or QR (chosen per unreduced block so that the
// iteration chases towards the larger end: graded matrices keep their small eigenvalues),
// Wilkinson shift, 2×2 blocks solved directly (DLAEV2), negligible off-diagonals set to zero
// when e_i² ≤ ε²|d_i d_{i+1}| + safmin. Golub & Van Loan 4th ed. §8.3.4–8.3.5; Parlett,
// The Symmetric Eigenvalue Problem, ch. 8. About 3·(sweeps per eigenvalue)·n³ flops with
// vectors (≈ 6n³), O(n²) without.
//
// Eigenvectors: z holds Zᵀ row-major (row i = eigenvector i), so a rotation of the pair
// (i, i+1) updates two contiguous rows. The rotations of up to KSWEEP sweeps are buffered and
// applied together, column chunk by column chunk: each 8-column strip of Zᵀ stays in L1
// while every buffered sweep passes over it, with the row shared by consecutive rotations
// kept in registers (the wavefront idea of Van Zee, van de Geijn & Quintana-Ortí, "Restructuring
// the tridiagonal and bidiagonal QR algorithms for performance", ACM TOMS 40(3), 2014).
// Every element still sees the same rotations in the same order as in DLASR, so the result
// does not depend on the chunking or on the SIMD width.

import { ld, st, pow2, exponentOf } from "./level1";

const EPS: f64 = 1.1102230246251565e-16; // 2⁻⁵³, LAPACK dlamch('E')
const EPS2: f64 = EPS * EPS;
const SAFMIN: f64 = 2.2250738585072014e-308;
const SSFMAX: f64 = 4.4989137945431964e+153; // sqrt(1/safmin)/3
const SSFMIN: f64 = 3.0046956787126322e-123; // sqrt(safmin)/eps²

export const KSWEEP = 16;

// Rotation buffer (set by dsteqr from its workspace): sweep q has rotations
// (c, s) = (rc[q·n + t], rs[q·n + t]) for t < cnt, acting on rows (first + t, first + t + 1).
let rc: usize = 0;
let rs: usize = 0;
let rmeta: usize = 0; // i32 triples: first, cnt, forward
let rn: i32 = 0;
let nsweep = 0;

/** Bytes of workspace dsteqr needs for an n×n problem with vectors. */
export function steqrWorkBytes(n: i32): usize {
  return (<usize>2 * KSWEEP * <usize>n) * 8 + <usize>KSWEEP * 16;
}

// ---------------------------------------------------------------------------------------
// Applying buffered sweeps to an strip of columns [c0, c0 + w) of Zᵀ.
//
// Backward sweep (DLASR 'R','V','B', the QL case), rotations t = cnt−1 … 0 on rows (j, j+1),
// j = first + t:  z_{j+1} ← c·z_{j+1} − s·z_j,  z_j ← s·z_{j+1} + c·z_j  (old values).
// z_{j+1} as updated by the previous rotation is the "carry".
// Forward sweep ('R','V','F', the QR case): t = 0 … cnt−1, same formulas; the carry is z_j.

// The rotation of a row pair, `below` = z_{j+1} and `above` = z_j (old values), on one f64
// (L = f64) or on two columns at once (L = v128, SIMD build only):
//   z_{j+1} ← c·z_{j+1} − s·z_j (rotBelow),  z_j ← s·z_{j+1} + c·z_j (rotAbove).
// @ts-ignore: decorator
@inline function rotBelow<L>(c: L, s: L, below: L, above: L): L {
  if (sizeof<L>() == 16) {
    return f64x2.sub(f64x2.mul(c, below), f64x2.mul(s, above));
  } else {
    return c * below - s * above;
  }
}

// @ts-ignore: decorator
@inline function rotAbove<L>(c: L, s: L, below: L, above: L): L {
  if (sizeof<L>() == 16) {
    return f64x2.add(f64x2.mul(s, below), f64x2.mul(c, above));
  } else {
    return s * below + c * above;
  }
}

// Rotation coefficient t of a buffer, as an f64 or splat to both lanes of a v128.
// @ts-ignore: decorator
@inline function coef<L>(p: usize, t: i32): L {
  if (sizeof<L>() == 16) {
    return v128.load64_splat(p + (<usize>t << 3));
  } else {
    return ld(p, t);
  }
}

// 8 columns in four f64x2 registers (SIMD build): the register-blocked strip.
function strip8(z: usize, ldb: usize, q: i32): void {
  const first = load<i32>(rmeta + (<usize>q * 12));
  const cnt = load<i32>(rmeta + (<usize>q * 12), 4);
  const fwd = load<i32>(rmeta + (<usize>q * 12), 8);
  const cp = rc + (<usize>q * <usize>rn << 3);
  const sp = rs + (<usize>q * <usize>rn << 3);
  if (fwd == 0) {
    let p = z + <usize>(first + cnt) * ldb;
    let k0 = v128.load(p), k1 = v128.load(p, 16), k2 = v128.load(p, 32), k3 = v128.load(p, 48);
    for (let t = cnt - 1; t >= 0; t--) {
      const c = coef<v128>(cp, t), s = coef<v128>(sp, t);
      const below = p;
      p -= ldb;
      const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
      v128.store(below, rotBelow<v128>(c, s, k0, x0));
      v128.store(below, rotBelow<v128>(c, s, k1, x1), 16);
      v128.store(below, rotBelow<v128>(c, s, k2, x2), 32);
      v128.store(below, rotBelow<v128>(c, s, k3, x3), 48);
      k0 = rotAbove<v128>(c, s, k0, x0);
      k1 = rotAbove<v128>(c, s, k1, x1);
      k2 = rotAbove<v128>(c, s, k2, x2);
      k3 = rotAbove<v128>(c, s, k3, x3);
    }
    v128.store(p, k0); v128.store(p, k1, 16); v128.store(p, k2, 32); v128.store(p, k3, 48);
  } else {
    let p = z + <usize>first * ldb;
    let k0 = v128.load(p), k1 = v128.load(p, 16), k2 = v128.load(p, 32), k3 = v128.load(p, 48);
    for (let t = 0; t < cnt; t++) {
      const c = coef<v128>(cp, t), s = coef<v128>(sp, t);
      const above = p;
      p += ldb;
      const y0 = v128.load(p), y1 = v128.load(p, 16), y2 = v128.load(p, 32), y3 = v128.load(p, 48);
      v128.store(above, rotAbove<v128>(c, s, y0, k0));
      v128.store(above, rotAbove<v128>(c, s, y1, k1), 16);
      v128.store(above, rotAbove<v128>(c, s, y2, k2), 32);
      v128.store(above, rotAbove<v128>(c, s, y3, k3), 48);
      k0 = rotBelow<v128>(c, s, y0, k0);
      k1 = rotBelow<v128>(c, s, y1, k1);
      k2 = rotBelow<v128>(c, s, y2, k2);
      k3 = rotBelow<v128>(c, s, y3, k3);
    }
    v128.store(p, k0); v128.store(p, k1, 16); v128.store(p, k2, 32); v128.store(p, k3, 48);
  }
}

// Two columns in one f64x2 register (L = v128, SIMD build) or one column (L = f64: the
// scalar build, and the odd last column of the SIMD build): the same formulas.
function strip<L>(z: usize, ldb: usize, q: i32): void {
  const first = load<i32>(rmeta + (<usize>q * 12));
  const cnt = load<i32>(rmeta + (<usize>q * 12), 4);
  const fwd = load<i32>(rmeta + (<usize>q * 12), 8);
  const cp = rc + (<usize>q * <usize>rn << 3);
  const sp = rs + (<usize>q * <usize>rn << 3);
  if (fwd == 0) {
    let p = z + <usize>(first + cnt) * ldb;
    let k = load<L>(p);
    for (let t = cnt - 1; t >= 0; t--) {
      const c = coef<L>(cp, t), s = coef<L>(sp, t);
      const below = p;
      p -= ldb;
      const x = load<L>(p);
      store<L>(below, rotBelow<L>(c, s, k, x));
      k = rotAbove<L>(c, s, k, x);
    }
    store<L>(p, k);
  } else {
    let p = z + <usize>first * ldb;
    let k = load<L>(p);
    for (let t = 0; t < cnt; t++) {
      const c = coef<L>(cp, t), s = coef<L>(sp, t);
      const above = p;
      p += ldb;
      const y = load<L>(p);
      store<L>(above, rotAbove<L>(c, s, y, k));
      k = rotBelow<L>(c, s, y, k);
    }
    store<L>(p, k);
  }
}

/** Apply every buffered sweep to all n columns of Zᵀ (n×n, row-major), then empty the buffer. */
function flush(n: i32, z: usize): void {
  if (nsweep == 0) return;
  const ldb = <usize>n << 3;
  let c0 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c0 + 8 <= n; c0 += 8) {
      const zc = z + (<usize>c0 << 3);
      for (let q = 0; q < nsweep; q++) strip8(zc, ldb, q);
    }
    for (; c0 + 2 <= n; c0 += 2) {
      const zc = z + (<usize>c0 << 3);
      for (let q = 0; q < nsweep; q++) strip<v128>(zc, ldb, q);
    }
  }
  for (; c0 < n; c0++) {
    const zc = z + (<usize>c0 << 3);
    for (let q = 0; q < nsweep; q++) strip<f64>(zc, ldb, q);
  }
  nsweep = 0;
}

/** Start buffering a sweep of `cnt` rotations on rows first..first+cnt; returns its slot. */
function beginSweep(n: i32, z: usize, first: i32, cnt: i32, forward: bool): i32 {
  if (nsweep == KSWEEP) flush(n, z);
  const q = nsweep++;
  const mp = rmeta + <usize>q * 12;
  store<i32>(mp, first);
  store<i32>(mp, cnt, 4);
  store<i32>(mp, forward ? 1 : 0, 8);
  return q;
}

// @ts-ignore: decorator
@inline
function slotC(q: i32): usize {
  return rc + (<usize>q * <usize>rn << 3);
}

// @ts-ignore: decorator
@inline
function slotS(q: i32): usize {
  return rs + (<usize>q * <usize>rn << 3);
}

// ---------------------------------------------------------------------------------------
// 2×2 and rotation helpers (LAPACK DLAEV2, DLAE2, DLARTG, DLAPY2)

let rt1: f64 = 0, rt2: f64 = 0, cs1: f64 = 0, sn1: f64 = 0;

/** Eigen-decomposition of [[a, b], [b, c]]: rt1 (larger |·|), rt2, and (cs1, sn1) the unit
 *  eigenvector of rt1 (DLAEV2). */
function dlaev2(a: f64, b: f64, c: f64): void {
  const sm = a + c, df = a - c, adf = abs(df), tb = b + b, ab = abs(tb);
  let acmx: f64, acmn: f64;
  if (abs(a) > abs(c)) { acmx = a; acmn = c; } else { acmx = c; acmn = a; }
  let rt: f64;
  if (adf > ab) { const q = ab / adf; rt = adf * Math.sqrt(1.0 + q * q); }
  else if (adf < ab) { const q = adf / ab; rt = ab * Math.sqrt(1.0 + q * q); }
  else rt = ab * Math.SQRT2;
  let sgn1: i32;
  if (sm < 0.0) {
    rt1 = 0.5 * (sm - rt);
    sgn1 = -1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0.0) {
    rt1 = 0.5 * (sm + rt);
    sgn1 = 1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
    sgn1 = 1;
  }
  let cs: f64, sgn2: i32;
  if (df >= 0.0) { cs = df + rt; sgn2 = 1; } else { cs = df - rt; sgn2 = -1; }
  if (abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1.0 / Math.sqrt(1.0 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab == 0.0) {
    cs1 = 1.0;
    sn1 = 0.0;
  } else {
    const tn = -cs / tb;
    cs1 = 1.0 / Math.sqrt(1.0 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 == sgn2) {
    const tn = cs1;
    cs1 = -sn1;
    sn1 = tn;
  }
}

let gc: f64 = 0, gs: f64 = 0, gr: f64 = 0;

/** Plane rotation [c s; −s c]·[f; g] = [r; 0] (DLARTG, LAPACK 3.2 conventions). */
function dlartg(f: f64, g: f64): void {
  if (g == 0.0) { gc = 1.0; gs = 0.0; gr = f; return; }
  if (f == 0.0) { gc = 0.0; gs = 1.0; gr = g; return; }
  const big = max(abs(f), abs(g));
  let r: f64;
  if (big > 1e150 || big < 1e-150) {
    const f1 = f / big, g1 = g / big;
    r = big * Math.sqrt(f1 * f1 + g1 * g1);
  } else {
    r = Math.sqrt(f * f + g * g);
  }
  let c = f / r, s = g / r;
  if (abs(f) > abs(g) && c < 0.0) { c = -c; s = -s; r = -r; }
  gc = c; gs = s; gr = r;
}

/** sqrt(x² + 1) without overflow. */
function hypot1(x: f64): f64 {
  const ax = abs(x);
  if (ax > 1e150) return ax * Math.sqrt(1.0 + (1.0 / ax) * (1.0 / ax));
  return Math.sqrt(x * x + 1.0);
}

function scaleRange(x: usize, n: i32, f: f64): void {
  for (let i = 0; i < n; i++) st(x, i, ld(x, i) * f);
}

/**
 * dsteqr: d[0..n−1] (diagonal), e[0..n−2] (off-diagonal, destroyed). On exit d holds the
 * eigenvalues (unsorted; the driver sorts). With z ≠ 0 (Zᵀ, n×n row-major, on entry the
 * transposed orthogonal factor of the reduction, e.g. Qᵀ or I), the same rotations are applied
 * to its rows so that row i becomes the eigenvector of d[i]. `work`: steqrWorkBytes(n).
 * Returns 0, or the number of off-diagonals that failed to converge in 30·n iterations.
 */
export function dsteqr(n: i32, d: usize, e: usize, z: usize, work: usize): i32 {
  if (n <= 1) return 0;
  const wantz = z != 0;
  rn = n;
  rc = work;
  rs = work + (<usize>KSWEEP * <usize>n << 3);
  rmeta = work + (<usize>2 * KSWEEP * <usize>n << 3);
  nsweep = 0;
  const nmaxit = n * 30;
  let jtot = 0;
  let l1 = 0;
  while (l1 < n) {
    if (l1 > 0) st(e, l1 - 1, 0.0);
    // Split: find the first negligible off-diagonal at or after l1.
    let m = l1;
    for (; m < n - 1; m++) {
      const tst = abs(ld(e, m));
      if (tst == 0.0) break;
      if (tst <= Math.sqrt(abs(ld(d, m))) * Math.sqrt(abs(ld(d, m + 1))) * EPS) {
        st(e, m, 0.0);
        break;
      }
    }
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend == l) continue;
    // Scale the block [l, lend] into a safe range by a power of two (exact).
    let anorm = 0.0;
    for (let i = l; i <= lend; i++) anorm = max(anorm, abs(ld(d, i)));
    for (let i = l; i < lend; i++) anorm = max(anorm, abs(ld(e, i)));
    if (anorm == 0.0) continue;
    let scale = 1.0;
    if (anorm > SSFMAX) scale = pow2(exponentOf(SSFMAX) - exponentOf(anorm));
    else if (anorm < SSFMIN) scale = pow2(exponentOf(SSFMIN) - exponentOf(anorm));
    if (scale != 1.0) {
      scaleRange(d + (<usize>l << 3), lend - l + 1, scale);
      scaleRange(e + (<usize>l << 3), lend - l, scale);
    }
    // QL when the bottom end is larger in magnitude (iterate towards the top), else QR.
    if (abs(ld(d, lend)) < abs(ld(d, l))) {
      lend = lsv;
      l = lendsv;
    }
    if (lend > l) {
      // ---------------- QL iteration
      while (true) {
        let mm = l;
        if (l != lend) {
          for (; mm < lend; mm++) {
            const t = abs(ld(e, mm));
            if (t * t <= EPS2 * abs(ld(d, mm)) * abs(ld(d, mm + 1)) + SAFMIN) break;
          }
        } else {
          mm = lend;
        }
        if (mm < lend) st(e, mm, 0.0);
        let p = ld(d, l);
        if (mm == l) {
          // eigenvalue found
          l++;
          if (l <= lend) continue;
          break;
        }
        if (mm == l + 1) {
          dlaev2(ld(d, l), ld(e, l), ld(d, l + 1));
          if (wantz) {
            const q = beginSweep(n, z, l, 1, false);
            st(slotC(q), 0, cs1);
            st(slotS(q), 0, sn1);
          }
          st(d, l, rt1);
          st(d, l + 1, rt2);
          st(e, l, 0.0);
          l += 2;
          if (l <= lend) continue;
          break;
        }
        if (jtot == nmaxit) break;
        jtot++;
        // Wilkinson shift
        let g = (ld(d, l + 1) - p) / (ld(e, l) * 2.0);
        let r = hypot1(g);
        g = ld(d, mm) - p + ld(e, l) / (g + (g >= 0.0 ? abs(r) : -abs(r)));
        let s = 1.0, c = 1.0;
        p = 0.0;
        let q = 0;
        let cp: usize = 0, sp: usize = 0;
        if (wantz) {
          q = beginSweep(n, z, l, mm - l, false);
          cp = slotC(q);
          sp = slotS(q);
        }
        for (let i = mm - 1; i >= l; i--) {
          const f = s * ld(e, i);
          const b = c * ld(e, i);
          dlartg(g, f);
          c = gc; s = gs; r = gr;
          if (i != mm - 1) st(e, i + 1, r);
          g = ld(d, i + 1) - p;
          r = (ld(d, i) - g) * s + c * 2.0 * b;
          p = s * r;
          st(d, i + 1, g + p);
          g = c * r - b;
          if (wantz) {
            st(cp, i - l, c);
            st(sp, i - l, -s);
          }
        }
        st(d, l, ld(d, l) - p);
        st(e, l, g);
      }
    } else {
      // ---------------- QR iteration
      while (true) {
        let mm = l;
        if (l != lend) {
          for (; mm > lend; mm--) {
            const t = abs(ld(e, mm - 1));
            if (t * t <= EPS2 * abs(ld(d, mm)) * abs(ld(d, mm - 1)) + SAFMIN) break;
          }
        } else {
          mm = lend;
        }
        if (mm > lend) st(e, mm - 1, 0.0);
        let p = ld(d, l);
        if (mm == l) {
          l--;
          if (l >= lend) continue;
          break;
        }
        if (mm == l - 1) {
          dlaev2(ld(d, l - 1), ld(e, l - 1), ld(d, l));
          if (wantz) {
            const q = beginSweep(n, z, l - 1, 1, true);
            st(slotC(q), 0, cs1);
            st(slotS(q), 0, sn1);
          }
          st(d, l - 1, rt1);
          st(d, l, rt2);
          st(e, l - 1, 0.0);
          l -= 2;
          if (l >= lend) continue;
          break;
        }
        if (jtot == nmaxit) break;
        jtot++;
        let g = (ld(d, l - 1) - p) / (ld(e, l - 1) * 2.0);
        let r = hypot1(g);
        g = ld(d, mm) - p + ld(e, l - 1) / (g + (g >= 0.0 ? abs(r) : -abs(r)));
        let s = 1.0, c = 1.0;
        p = 0.0;
        let q = 0;
        let cp: usize = 0, sp: usize = 0;
        if (wantz) {
          q = beginSweep(n, z, mm, l - mm, true);
          cp = slotC(q);
          sp = slotS(q);
        }
        for (let i = mm; i < l; i++) {
          const f = s * ld(e, i);
          const b = c * ld(e, i);
          dlartg(g, f);
          c = gc; s = gs; r = gr;
          if (i != mm) st(e, i - 1, r);
          g = ld(d, i) - p;
          r = (ld(d, i + 1) - g) * s + c * 2.0 * b;
          p = s * r;
          st(d, i, g + p);
          g = c * r - b;
          if (wantz) {
            st(cp, i - mm, c);
            st(sp, i - mm, s);
          }
        }
        st(d, l, ld(d, l) - p);
        st(e, l - 1, g);
      }
    }
    // Undo the block scaling.
    if (scale != 1.0) {
      const inv = 1.0 / scale;
      scaleRange(d + (<usize>lsv << 3), lendsv - lsv + 1, inv);
      scaleRange(e + (<usize>lsv << 3), lendsv - lsv, inv);
    }
    if (jtot >= nmaxit) {
      if (wantz) flush(n, z);
      let info = 0;
      for (let i = 0; i < n - 1; i++) if (ld(e, i) != 0.0) info++;
      return info;
    }
  }
  if (wantz) flush(n, z);
  return 0;
}
