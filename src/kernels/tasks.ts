// Kernels layer, task sampling: the only TypeScript that hands task parameters to the
// WebAssembly samplers (assembly/tasks) and reads their output back. The samplers are the ones
// every training step runs, so task.sample(b, r) reproduces a training batch bit for bit.
//
// A sampler is the task reduced to what the WASM code needs, built once per task (the mixture
// factors √(1 ± δ) − 1 are computed here, by assembly/tasks/mixture.ts, and nowhere else).

import * as ABI from "./abi.js";
import { abiWasm } from "./checked.js";
import type { Exports } from "../runtime/abi.js";
import { readF64, scoped, type Scope } from "../runtime/memory.js";
import type { Matrix } from "../linalg/matrix.js";
import type { Rng } from "../random/rng.js";

/** @internal Quadratic task x ~ N(0, I), y = xᵀBx − tr B + s·ε. */
export interface QuadraticSampler {
  readonly kind: "quadratic";
  readonly d: number;
  /** B is diagonal: `B` then holds its d diagonal entries (sampling costs O(n·d)). */
  readonly diagonal: boolean;
  /** B (d×d, row-major) or its diagonal. */
  readonly B: Float64Array;
  readonly trace: number;
  readonly noise: number;
}

/** @internal Mixture task x | y ~ N(0, I + yΔ), Δ = U diag(δ) Uᵀ. */
export interface MixtureSampler {
  readonly kind: "mixture";
  readonly d: number;
  /** Number of eigen-directions of Δ (d when diagonal). */
  readonly r: number;
  /** U is the identity: x = √(1 + yδ) ∘ z. */
  readonly diagonal: boolean;
  /** U (d×r, row-major); null when diagonal. */
  readonly U: Float64Array | null;
  /** Factors for y = +1 and y = −1: √(1 ± δ) − 1 (diagonal: √(1 ± δ)). */
  readonly sPlus: Float64Array;
  readonly sMinus: Float64Array;
}

/** @internal */
export type TaskSampler = QuadraticSampler | MixtureSampler;

/** @internal */
export function quadraticSampler(B: Matrix<Float64Array>, diagonal: boolean, trace: number, noise: number): QuadraticSampler {
  const d = B.rows;
  const data = diagonal ? Float64Array.from({ length: d }, (_, i) => B.data[i * d + i]) : B.data;
  return { kind: "quadratic", d, diagonal, B: data, trace, noise };
}

function isIdentity(m: Matrix<Float64Array>): boolean {
  if (m.rows !== m.cols) return false;
  const n = m.rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (m.data[i * n + j] !== (i === j ? 1 : 0)) return false;
  return true;
}

/** @internal The sampler of Δ = U diag(δ) Uᵀ (U d×r orthonormal columns); diagonal when U is exactly I. */
export function mixtureSampler(values: Float64Array, U: Matrix<Float64Array>): MixtureSampler {
  const r = values.length,
    d = U.rows;
  const diagonal = isIdentity(U);
  const [sPlus, sMinus] = scoped((s) => {
    const ex = abiWasm();
    const pd = s.f64(values),
      pp = s.alloc(r * 8),
      pm = s.alloc(r * 8);
    ex.taskMixtureFactors(r, pd, diagonal ? 1 : 0, pp, pm);
    return [readF64(pp, r), readF64(pm, r)];
  });
  return { kind: "mixture", d, r, diagonal, U: diagonal ? null : U.data, sPlus, sMinus };
}

/** Heap copies of a sampler's parameters and its work buffers for batches of n rows. */
interface HeapSampler {
  /** B (quadratic) or U (mixture, 0 when diagonal). */
  p0: number;
  /** Mixture factors (0 for quadratic). */
  p1: number;
  p2: number;
  /** n×d (quadratic, dense B: X·B) or n×r (mixture, low rank: Z·U); 0 when unused. */
  work: number;
}

function toHeap(s: Scope, t: TaskSampler, n: number): HeapSampler {
  if (t.kind === "quadratic") {
    return { p0: s.f64(t.B), p1: 0, p2: 0, work: t.diagonal ? 0 : s.alloc(n * t.d * 8) };
  }
  return {
    p0: t.U === null ? 0 : s.f64(t.U),
    p1: s.f64(t.sPlus),
    p2: s.f64(t.sMinus),
    work: t.diagonal ? 0 : s.alloc(n * t.r * 8),
  };
}

/**
 * n samples into the heap (X n×d at px, labels at py), drawn from `rng` by the WASM sampler
 * (one pass over the generator state, in the order documented by each task).
 */
function sampleInto(
  ex: Exports,
  t: TaskSampler,
  h: HeapSampler,
  n: number,
  st: number,
  px: number,
  py: number,
  eps: number,
): void {
  if (t.kind === "quadratic") {
    ex.taskSampleQuadratic(n, t.d, st, px, py, t.diagonal ? 1 : 0, h.p0, t.trace, t.noise, h.work, eps);
  } else {
    ex.taskSampleMixture(n, t.d, t.r, st, px, py, t.diagonal ? 1 : 0, h.p0, h.p1, h.p2, h.work);
  }
}

/** @internal n fresh samples of the task: X (n×d) and y (n). */
export function sampleTask(t: TaskSampler, n: number, rng: Rng): { X: Matrix<Float64Array>; y: Float64Array } {
  const d = t.d;
  return scoped((s) => {
    const ex = abiWasm();
    const h = toHeap(s, t, n);
    const px = s.alloc(n * d * 8),
      py = s.alloc(n * 8);
    const eps = t.kind === "quadratic" && t.noise > 0 ? s.alloc(n * 8) : 0;
    rng.withState((st) => sampleInto(ex, t, h, n, st, px, py, eps));
    return { X: { rows: n, cols: d, data: readF64(px, n * d) }, y: readF64(py, n) };
  });
}

/**
 * @internal
 * Bayes rule of the mixture on n fresh samples: the number misclassified by "predict +1 iff
 * Σₖ wₖ (uₖᵀx)² > threshold" (w of length r).
 */
export function mixtureBayesErrors(t: MixtureSampler, n: number, rng: Rng, w: Float64Array, threshold: number): number {
  return scoped((s) => {
    const ex = abiWasm();
    const h = toHeap(s, t, n);
    const px = s.alloc(n * t.d * 8),
      py = s.alloc(n * 8),
      pq = s.alloc(n * 8),
      pw = s.f64(w);
    return rng.withState((st) =>
      ex.taskMixtureBayesErrors(n, t.d, t.r, st, px, py, t.diagonal ? 1 : 0, h.p0, h.p1, h.p2, h.work, pw, threshold, pq),
    );
  });
}

/**
 * @internal
 * Write a task's slots of a training context (batch b) and allocate its heap copies in `s`:
 * CTX_TASK, CTX_TASK_DIAG, CTX_TASK_R, CTX_TRACE, CTX_NOISE, CTX_TASK_P0..P2, CTX_WORK. The
 * label-noise draws go to the context's CTX_VEC (b slots, allocated by the caller).
 */
export function writeTaskSlots(s: Scope, c: Float64Array, t: TaskSampler, b: number): void {
  const h = toHeap(s, t, b);
  c[ABI.CTX_TASK_DIAG] = t.diagonal ? 1 : 0;
  c[ABI.CTX_TASK_P0] = h.p0;
  c[ABI.CTX_WORK] = h.work;
  if (t.kind === "quadratic") {
    c[ABI.CTX_TASK] = ABI.TASK_QUADRATIC;
    c[ABI.CTX_TRACE] = t.trace;
    c[ABI.CTX_NOISE] = t.noise;
  } else {
    c[ABI.CTX_TASK] = ABI.TASK_MIXTURE;
    c[ABI.CTX_TASK_R] = t.r;
    c[ABI.CTX_TASK_P1] = h.p1;
    c[ABI.CTX_TASK_P2] = h.p2;
  }
}
