// Shared pieces of the task definitions.

import type { Matrix } from "../linalg/matrix.js";
import { checkSymmetric as checkSymmetricShared, DEFAULT_SYMMETRY_TOLERANCE } from "../linalg/symmetric.js";
import { householderQR } from "../linalg/qr.js";
import { describe } from "../runtime/errors.js";
import type { Rng } from "../random/rng.js";
import { mixtureSampler, quadraticSampler, type TaskSampler } from "../kernels/tasks.js";
import type { QuadraticTask } from "./quadratic.js";
import type { MixtureTask } from "./mixture.js";

/** A training sample: n inputs as rows of X (n×d) and their targets y (length n). */
export interface Sample {
  X: Matrix<Float64Array>;
  y: Float64Array;
}

/**
 * @internal
 * Haar-distributed d×d orthogonal matrix: QR of a Gaussian matrix with R's diagonal signs
 * moved into Q (Mezzadri, "How to generate random matrices from the classical compact
 * groups", Notices AMS 54, 2007).
 */
export function haarOrthogonal(d: number, rng: Rng): Matrix<Float64Array> {
  const g = rng.normalMatrix(d, d);
  const { q, rdiag } = householderQR(g);
  for (let j = 0; j < d; j++) {
    if (rdiag[j] < 0) for (let i = 0; i < d; i++) q.data[i * d + j] = -q.data[i * d + j];
  }
  return q;
}

/** @internal U·diag(λ)·Uᵀ for U d×r (row-major) and λ of length r, in plain arithmetic (symmetric exactly). */
export function fromEigen(u: Matrix<Float64Array>, lambda: ArrayLike<number>): Matrix<Float64Array> {
  const d = u.rows,
    r = u.cols;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += u.data[i * r + k] * lambda[k] * u.data[j * r + k];
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return { rows: d, cols: d, data: out };
}

/**
 * @internal
 * Validate a square, finite, symmetric matrix argument (shared rule of src/linalg/symmetric.ts:
 * |s_ij − s_ji| ≤ 1e-12·max|s|); returns a float64 copy the caller may keep.
 */
export function checkSymmetric(name: string, s: unknown): Matrix<Float64Array> {
  const n = checkSymmetricShared(name, s, DEFAULT_SYMMETRY_TOLERANCE);
  return { rows: n, cols: n, data: Float64Array.from((s as Matrix).data) };
}

/** @internal */
export function checkRng(name: string, rng: unknown): asserts rng is Rng {
  if (rng === null || typeof rng !== "object" || typeof (rng as Rng).withState !== "function") {
    throw new TypeError(`${name} must be an Rng from createRng(seed), got ${describe(rng)}`);
  }
}

// The WASM sampler of each task object (src/kernels/tasks.ts), built once when the task is
// created; task.sample and the training loop both use it.
const samplers = new WeakMap<object, TaskSampler>();

/** @internal */
export function registerSampler<T extends QuadraticTask | MixtureTask>(task: T, sampler: TaskSampler): T {
  samplers.set(task, sampler);
  return task;
}

/**
 * @internal
 * The sampler of a task made by quadraticTask / mixtureTask; for a task-shaped copy (e.g. a
 * spread `{ ...task }`), one derived the same way from its public fields.
 */
export function samplerOf(task: QuadraticTask | MixtureTask): TaskSampler {
  let s = samplers.get(task);
  if (s === undefined) {
    s =
      task.kind === "quadratic"
        ? quadraticSampler(task.B, task.diagonal, task.traceB, task.noise)
        : mixtureSampler(task.deltaEigen.values, task.deltaEigen.vectors);
    samplers.set(task, s);
  }
  return s;
}
