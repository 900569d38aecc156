// Level-1 vector kernels shared by the LAPACK-style routines in this folder (pointers to
// float64, lengths in elements, unit stride).
//
// Determinism: element-wise kernels (axpy, rotations, scaling) do one rounding per mul/add,
// so the SIMD and the scalar paths agree trivially. Reductions fix their summation order:
// 8 partial sums s0..s7 (element i goes to s[i mod 8], i.e. four f64x2 accumulators A0..A3,
// lanes (s0,s1)…(s6,s7)), a 2-wide tail folded into A0, an odd last element kept apart, then
//   ((A0 + A1) + (A2 + A3)) lane-wise, lane0 + lane1, + last.
// The scalar path keeps the same eight sums and combines them in the same order, so both
// builds return bit-identical results. No FMA anywhere.

import { vmap, OP_DIV, OP_MUL, OP_SUB } from "../blas/elementwise";

// @ts-ignore: decorator
@inline
export function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline
export function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

// The final combination of the eight partial sums, as four f64x2 accumulators (SIMD build) or
// eight scalars (scalar build): the same additions in the same order.
// @ts-ignore: decorator
@inline
export function fold4(a0: v128, a1: v128, a2: v128, a3: v128): f64 {
  const c = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  return f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1);
}

// @ts-ignore: decorator
@inline
export function fold8(s0: f64, s1: f64, s2: f64, s3: f64, s4: f64, s5: f64, s6: f64, s7: f64): f64 {
  return ((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7));
}

/** Σ x[i]·y[i], i < n, in the fixed 8-way order described above. 2n flops. */
export function ddot(n: i32, x: usize, y: usize): f64 {
  let i = 0;
  let r: f64;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0);
    for (; i + 8 <= n; i += 8) {
      const px = x + (<usize>i << 3), py = y + (<usize>i << 3);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(px), v128.load(py)));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(px, 16), v128.load(py, 16)));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(px, 32), v128.load(py, 32)));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(px, 48), v128.load(py, 48)));
    }
    for (; i + 2 <= n; i += 2) {
      a0 = f64x2.add(a0, f64x2.mul(v128.load(x + (<usize>i << 3)), v128.load(y + (<usize>i << 3))));
    }
    r = fold4(a0, a1, a2, a3);
  } else {
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
    for (; i + 8 <= n; i += 8) {
      const px = x + (<usize>i << 3), py = y + (<usize>i << 3);
      s0 += load<f64>(px) * load<f64>(py);
      s1 += load<f64>(px, 8) * load<f64>(py, 8);
      s2 += load<f64>(px, 16) * load<f64>(py, 16);
      s3 += load<f64>(px, 24) * load<f64>(py, 24);
      s4 += load<f64>(px, 32) * load<f64>(py, 32);
      s5 += load<f64>(px, 40) * load<f64>(py, 40);
      s6 += load<f64>(px, 48) * load<f64>(py, 48);
      s7 += load<f64>(px, 56) * load<f64>(py, 56);
    }
    for (; i + 2 <= n; i += 2) {
      s0 += ld(x, i) * ld(y, i);
      s1 += ld(x, i + 1) * ld(y, i + 1);
    }
    r = fold8(s0, s1, s2, s3, s4, s5, s6, s7);
  }
  if (i < n) r += ld(x, i) * ld(y, i);
  return r;
}

/**
 * Fused symmetric-row step of SYMV: returns Σ a[i]·x[i] and does y[i] += alpha·a[i], one
 * pass over a (the row is read once). Same reduction order as `ddot`. 4n flops.
 */
export function ddotAxpy(n: i32, a: usize, x: usize, y: usize, alpha: f64): f64 {
  let i = 0;
  let r: f64;
  if (ASC_FEATURE_SIMD) {
    const al = f64x2.splat(alpha);
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 3;
      const pa = a + o, px = x + o, py = y + o;
      const v0 = v128.load(pa), v1 = v128.load(pa, 16), v2 = v128.load(pa, 32), v3 = v128.load(pa, 48);
      a0 = f64x2.add(a0, f64x2.mul(v0, v128.load(px)));
      a1 = f64x2.add(a1, f64x2.mul(v1, v128.load(px, 16)));
      a2 = f64x2.add(a2, f64x2.mul(v2, v128.load(px, 32)));
      a3 = f64x2.add(a3, f64x2.mul(v3, v128.load(px, 48)));
      v128.store(py, f64x2.add(v128.load(py), f64x2.mul(al, v0)));
      v128.store(py, f64x2.add(v128.load(py, 16), f64x2.mul(al, v1)), 16);
      v128.store(py, f64x2.add(v128.load(py, 32), f64x2.mul(al, v2)), 32);
      v128.store(py, f64x2.add(v128.load(py, 48), f64x2.mul(al, v3)), 48);
    }
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const v0 = v128.load(a + o);
      a0 = f64x2.add(a0, f64x2.mul(v0, v128.load(x + o)));
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(al, v0)));
    }
    r = fold4(a0, a1, a2, a3);
  } else {
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 3;
      const pa = a + o, px = x + o, py = y + o;
      const v0 = load<f64>(pa), v1 = load<f64>(pa, 8), v2 = load<f64>(pa, 16), v3 = load<f64>(pa, 24);
      const v4 = load<f64>(pa, 32), v5 = load<f64>(pa, 40), v6 = load<f64>(pa, 48), v7 = load<f64>(pa, 56);
      s0 += v0 * load<f64>(px); s1 += v1 * load<f64>(px, 8);
      s2 += v2 * load<f64>(px, 16); s3 += v3 * load<f64>(px, 24);
      s4 += v4 * load<f64>(px, 32); s5 += v5 * load<f64>(px, 40);
      s6 += v6 * load<f64>(px, 48); s7 += v7 * load<f64>(px, 56);
      store<f64>(py, load<f64>(py) + alpha * v0); store<f64>(py, load<f64>(py, 8) + alpha * v1, 8);
      store<f64>(py, load<f64>(py, 16) + alpha * v2, 16); store<f64>(py, load<f64>(py, 24) + alpha * v3, 24);
      store<f64>(py, load<f64>(py, 32) + alpha * v4, 32); store<f64>(py, load<f64>(py, 40) + alpha * v5, 40);
      store<f64>(py, load<f64>(py, 48) + alpha * v6, 48); store<f64>(py, load<f64>(py, 56) + alpha * v7, 56);
    }
    for (; i + 2 <= n; i += 2) {
      const v0 = ld(a, i), v1 = ld(a, i + 1);
      s0 += v0 * ld(x, i);
      s1 += v1 * ld(x, i + 1);
      st(y, i, ld(y, i) + alpha * v0);
      st(y, i + 1, ld(y, i + 1) + alpha * v1);
    }
    r = fold8(s0, s1, s2, s3, s4, s5, s6, s7);
  }
  if (i < n) {
    const v = ld(a, i);
    r += v * ld(x, i);
    st(y, i, ld(y, i) + alpha * v);
  }
  return r;
}

/** y[i] += alpha·x[i]. 2n flops. */
export function daxpy(n: i32, alpha: f64, x: usize, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const al = f64x2.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(al, v128.load(x + o))));
      v128.store(y + o, f64x2.add(v128.load(y + o, 16), f64x2.mul(al, v128.load(x + o, 16))), 16);
    }
  }
  for (; i < n; i++) st(y, i, ld(y, i) + alpha * ld(x, i));
}

/** y[i] −= x[i] (the "C −= T" step after a dgemm into scratch). n flops. */
export function dsub(n: i32, x: usize, y: usize): void {
  vmap<usize>(OP_SUB, n, y, x, y);
}

/** x[i] *= alpha. n flops. */
export function dscal(n: i32, alpha: f64, x: usize): void {
  vmap<f64>(OP_MUL, n, x, alpha, x);
}

/** x[i] /= alpha (true division, as in a triangular solve). n flops. */
export function ddiv(n: i32, alpha: f64, x: usize): void {
  vmap<f64>(OP_DIV, n, x, alpha, x);
}

/** max |x[i]| (exact: no rounding, so the order does not matter). */
export function damax(n: i32, x: usize): f64 {
  let m = 0.0;
  for (let i = 0; i < n; i++) {
    const v = abs(ld(x, i));
    if (v > m) m = v;
  }
  return m;
}

/**
 * ‖x‖₂ without spurious underflow/overflow: the plain sum of squares when it is safely in
 * range, else recomputed on x / max|x| (dnrm2's purpose, simpler method).
 */
export function dnrm2(n: i32, x: usize): f64 {
  if (n <= 0) return 0.0;
  const ss = ddot(n, x, x);
  if (ss > 1e-290 && ss < 1e290) return Math.sqrt(ss);
  const m = damax(n, x);
  if (m == 0.0) return 0.0;
  let s = 0.0;
  const r = 1.0 / m;
  for (let i = 0; i < n; i++) {
    const v = ld(x, i) * r;
    s += v * v;
  }
  return m * Math.sqrt(s);
}

/** 2^k as f64 for −1022 ≤ k ≤ 1023 (exact, built from the exponent bits). */
export function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/** The binary exponent e with 2^e ≤ |x| < 2^(e+1) for normal x > 0. */
export function exponentOf(x: f64): i32 {
  return <i32>((reinterpret<u64>(x) >> 52) & 0x7ff) - 1023;
}
