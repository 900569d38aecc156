// Sampling the quadratic regression task (docs: src/tasks/quadratic.ts):
//   x ~ N(0, I_d),  y = xᵀBx − tr B + s·ε,  ε ~ N(0, 1).
// Written once: task.sample (through src/kernels/tasks.ts) and every training step
// (assembly/nn/train.ts) call sampleQuadratic, so a training batch can be reproduced exactly.

import { dgemm } from "../blas/gemm";
import { dquaddiag, drowdot } from "../blas/level1";
import { rngNormal } from "../random/xoshiro";

/**
 * n samples with the generator state at `st`: X (n×d, row-major) gets the first n·d normals of
 * the stream, row by row; then, when s > 0, n more normals are drawn into `eps` (n slots) for
 * the label noise. `B` is the d×d matrix (row-major) or, when `diag`, its diagonal (d values);
 * `work` (n×d, only read when not `diag`) holds X·B.
 */
export function sampleQuadratic(n: i32, d: i32, st: usize, X: usize, y: usize, diag: bool, B: usize,
  trace: f64, noise: f64, work: usize, eps: usize): void {
  rngNormal(st, X, n * d, 0.0, 1.0);
  if (diag) {
    dquaddiag(n, d, X, d, B, y);
  } else {
    dgemm(n, d, d, X, d, 1, B, d, 1, work, d, false);
    drowdot(n, d, work, d, X, d, y);
  }
  for (let k = 0; k < n; k++) {
    const p = y + (<usize>k << 3);
    store<f64>(p, load<f64>(p) - trace);
  }
  if (noise > 0) {
    rngNormal(st, eps, n, 0.0, noise);
    for (let k = 0; k < n; k++) {
      const p = y + (<usize>k << 3);
      store<f64>(p, load<f64>(p) + load<f64>(eps + (<usize>k << 3)));
    }
  }
}

/** The WASM export of sampleQuadratic (booleans cross the boundary as 0/1). */
export function taskSampleQuadratic(n: i32, d: i32, st: usize, X: usize, y: usize, diag: i32, B: usize,
  trace: f64, noise: f64, work: usize, eps: usize): void {
  sampleQuadratic(n, d, st, X, y, diag != 0, B, trace, noise, work, eps);
}
