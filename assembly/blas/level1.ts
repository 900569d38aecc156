// Level-1/2 helpers (row-major, strides in elements). SIMD and scalar paths from one source;
// reductions fix their summation order in both builds (ddot's 8-way order from
// lapack/level1.ts; dquaddiag's even/odd lanes combined lane0 + lane1), and elementwise
// passes round once per operation, so both builds give bit-identical results.

import { ddot } from "../lapack/level1";
import { vmap, OP_ADD, OP_MUL, OP_SUB } from "./elementwise";

/**
 * out[i] = Σⱼ A[i][j]·B[i][j] for i < n, j < d (row-wise dot products of two n×d matrices
 * with row strides lda, ldb). Used for quadratic forms xᵢᵀ B xᵢ = ⟨X B, X⟩ row by row.
 */
export function drowdot(n: i32, d: i32, a: usize, lda: i32, b: usize, ldb: i32, out: usize): void {
  const ra = <usize>lda << 3, rb = <usize>ldb << 3;
  for (let i = 0; i < n; i++) {
    const pa = a + <usize>i * ra, pb = b + <usize>i * rb;
    store<f64>(out + (<usize>i << 3), ddot(d, pa, pb));
  }
}

/**
 * out[i] = Σⱼ diag[j]·X[i][j]² (quadratic forms with a diagonal matrix), X n×d, row stride ldx.
 * Two lane accumulators (even/odd index), combined lane0 + lane1, in both builds.
 */
export function dquaddiag(n: i32, d: i32, x: usize, ldx: i32, diag: usize, out: usize): void {
  const rx = <usize>ldx << 3;
  for (let i = 0; i < n; i++) {
    const px = x + <usize>i * rx;
    let j = 0;
    let s0: f64 = 0, s1: f64 = 0;
    if (ASC_FEATURE_SIMD) {
      let acc = f64x2.splat(0.0);
      for (; j + 1 < d; j += 2) {
        const o = <usize>j << 3;
        const v = v128.load(px + o);
        acc = f64x2.add(acc, f64x2.mul(v128.load(diag + o), f64x2.mul(v, v)));
      }
      s0 = f64x2.extract_lane(acc, 0);
      s1 = f64x2.extract_lane(acc, 1);
    } else {
      for (; j + 1 < d; j += 2) {
        const o = <usize>j << 3;
        const v0 = load<f64>(px + o), v1 = load<f64>(px + o, 8);
        s0 += load<f64>(diag + o) * (v0 * v0);
        s1 += load<f64>(diag + o, 8) * (v1 * v1);
      }
    }
    if (j < d) {
      const o = <usize>j << 3;
      const v = load<f64>(px + o);
      s0 += load<f64>(diag + o) * (v * v);
    }
    store<f64>(out + (<usize>i << 3), s0 + s1);
  }
}

/**
 * T[i][k] *= (labels[i] > 0 ? sp[k] : sm[k]) for an n×r matrix T (row stride ldt): per-row
 * choice between two column scalings (class-conditional factors of the Gaussian mixture).
 */
export function dscalerowsel(n: i32, r: i32, t: usize, ldt: i32, labels: usize, sp: usize, sm: usize): void {
  const rt = <usize>ldt << 3;
  for (let i = 0; i < n; i++) {
    const s = load<f64>(labels + (<usize>i << 3)) > 0 ? sp : sm;
    const row = t + <usize>i * rt;
    vmap<usize>(OP_MUL, r, row, s, row);
  }
}

/**
 * Column means of an n×m matrix A (row stride lda) into `means`, then A[i][j] −= means[j].
 * Vectorised across columns (each lane owns a column and sums rows in ascending order), so
 * the SIMD and scalar builds agree bit for bit.
 */
export function dcentercols(n: i32, m: i32, a: usize, lda: i32, means: usize): void {
  const ra = <usize>lda << 3;
  memory.fill(means, 0, <usize>m << 3);
  for (let i = 0; i < n; i++) vmap<usize>(OP_ADD, m, means, a + <usize>i * ra, means);
  vmap<f64>(OP_MUL, m, means, 1.0 / <f64>n, means);
  for (let i = 0; i < n; i++) {
    const row = a + <usize>i * ra;
    vmap<usize>(OP_SUB, m, row, means, row);
  }
}

/** out[i][j] = A[i][j]·v[i] for an n×m matrix (row strides lda, ldo); out may equal A. */
export function dscalerows(n: i32, m: i32, a: usize, lda: i32, v: usize, out: usize, ldo: i32): void {
  const ra = <usize>lda << 3, ro = <usize>ldo << 3;
  for (let i = 0; i < n; i++) {
    const src = a + <usize>i * ra, dst = out + <usize>i * ro;
    vmap<f64>(OP_MUL, m, src, load<f64>(v + (<usize>i << 3)), dst);
  }
}

/**
 * Explicit NT feature block: out[r][j·N + i] = X[r][j]·D[r][i] for r < n, j < d, i < N
 * (the derivative features ⟨sᵢ, x⟩σ'(wᵢᵀx) of the linearised network, ordered like the
 * row-major d×N matrix S = [s₁ … s_N]), out row stride ldo.
 */
export function dntfeatures(n: i32, d: i32, nn: i32, x: usize, dd: usize, out: usize, ldo: i32): void {
  for (let r = 0; r < n; r++) {
    const xr = x + (<usize>(r * d) << 3);
    const dr = dd + (<usize>(r * nn) << 3);
    const orow = out + <usize>r * (<usize>ldo << 3);
    for (let j = 0; j < d; j++) {
      vmap<f64>(OP_MUL, nn, dr, load<f64>(xr + (<usize>j << 3)), orow + (<usize>(j * nn) << 3));
    }
  }
}
