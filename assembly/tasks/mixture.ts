// Sampling the Gaussian mixture task (docs: src/tasks/mixture.ts): y = ±1 with probability ½,
// x | y ~ N(0, I + yΔ), with Δ = U diag(δ) Uᵀ (U d×r orthonormal) kept in eigen-form:
//   x = (I + yΔ)^{1/2} z = z + U[(√(1 + yδ) − 1) ∘ (Uᵀz)],  z ~ N(0, I_d),
// or, when Δ is diagonal (U = I), x = √(1 + yδ) ∘ z.
// Written once: task.sample and task.bayesError (through src/kernels/tasks.ts) and every
// training step (assembly/nn/train.ts) call sampleMixture, so a training batch can be reproduced.

import { dgemm } from "../blas/gemm";
import { dquaddiag, dscalerowsel } from "../blas/level1";
import { rngNormal, rngUniform } from "../random/xoshiro";

/**
 * The per-direction factors for y = +1 (sp) and y = −1 (sm) from the r eigenvalues δ:
 * √(1 ± δₖ) − 1 in the low-rank form, √(1 ± δₖ) when `diag`.
 */
export function mixtureFactors(r: i32, delta: usize, diag: bool, sp: usize, sm: usize): void {
  const shift = diag ? 0.0 : 1.0;
  for (let k = 0; k < r; k++) {
    const o = <usize>k << 3;
    const v = load<f64>(delta + o);
    store<f64>(sp + o, Math.sqrt(1.0 + v) - shift);
    store<f64>(sm + o, Math.sqrt(1.0 - v) - shift);
  }
}

/**
 * n samples with the generator state at `st`: n uniforms first (y = +1 iff u < ½, written to
 * y), then n·d normals z into X (row by row), transformed in place. `U` (d×r) and `work`
 * (n×r: Z·U) are only read when not `diag`; sp, sm are the factors of mixtureFactors.
 */
export function sampleMixture(n: i32, d: i32, r: i32, st: usize, X: usize, y: usize, diag: bool,
  U: usize, sp: usize, sm: usize, work: usize): void {
  rngUniform(st, y, n);
  for (let k = 0; k < n; k++) {
    const p = y + (<usize>k << 3);
    store<f64>(p, load<f64>(p) < 0.5 ? 1.0 : -1.0);
  }
  rngNormal(st, X, n * d, 0.0, 1.0);
  if (diag) {
    dscalerowsel(n, d, X, d, y, sp, sm);
  } else {
    dgemm(n, r, d, X, d, 1, U, r, 1, work, r, false); // T = Z·U
    dscalerowsel(n, r, work, r, y, sp, sm); // T ∘= S(y)
    dgemm(n, d, r, work, r, 1, U, 1, r, X, d, true); // X = Z + T·Uᵀ
  }
}

/**
 * Monte Carlo of the Bayes rule: draws n samples (sampleMixture, same stream order), computes
 * q = Σₖ wₖ (uₖᵀx)² (into q, n slots; `work` n×r holds X·U when not `diag`) and returns how
 * many are misclassified by "predict +1 iff q > threshold".
 */
export function mixtureBayesErrors(n: i32, d: i32, r: i32, st: usize, X: usize, y: usize, diag: bool,
  U: usize, sp: usize, sm: usize, work: usize, w: usize, threshold: f64, q: usize): i32 {
  sampleMixture(n, d, r, st, X, y, diag, U, sp, sm, work);
  if (diag) {
    dquaddiag(n, d, X, d, w, q);
  } else {
    dgemm(n, r, d, X, d, 1, U, r, 1, work, r, false);
    dquaddiag(n, r, work, r, w, q);
  }
  let wrong = 0;
  for (let k = 0; k < n; k++) {
    const o = <usize>k << 3;
    const pred = load<f64>(q + o) > threshold ? 1.0 : -1.0;
    if (pred != load<f64>(y + o)) wrong++;
  }
  return wrong;
}

// WASM exports (booleans cross the boundary as 0/1)

export function taskMixtureFactors(r: i32, delta: usize, diag: i32, sp: usize, sm: usize): void {
  mixtureFactors(r, delta, diag != 0, sp, sm);
}

export function taskSampleMixture(n: i32, d: i32, r: i32, st: usize, X: usize, y: usize, diag: i32,
  U: usize, sp: usize, sm: usize, work: usize): void {
  sampleMixture(n, d, r, st, X, y, diag != 0, U, sp, sm, work);
}

export function taskMixtureBayesErrors(n: i32, d: i32, r: i32, st: usize, X: usize, y: usize, diag: i32,
  U: usize, sp: usize, sm: usize, work: usize, w: usize, threshold: f64, q: usize): i32 {
  return mixtureBayesErrors(n, d, r, st, X, y, diag != 0, U, sp, sm, work, w, threshold, q);
}
