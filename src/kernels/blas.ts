// Level-3 BLAS by name: C = op(A)·op(B) on heap matrices (assembly/blas/gemm.ts: packed-panel
// GEMM, 4×4 SIMD micro-kernels; Goto & van de Geijn, "Anatomy of high-performance matrix
// multiplication", ACM TOMS 34(3), 2008). The transposition is read from the operand
// (`A.T`), the strides from its leading dimension, so a call reads like the formula:
//   gemm(s, F.T, F)        // FᵀF into a fresh block
//   gemm(s, X, S, T)       // T = X·S into an existing block
// Internal to the package: every export is marked @internal (stripped from the .d.ts).

import { threadControl, wasm } from "../runtime/module.js";
import { heapU8 } from "../runtime/memory.js";
import { allocMatrix, HeapMatrix, type Scope } from "./heap.js";

/** @internal Options of gemm. */
export interface GemmOptions {
  /** C += op(A)·op(B) instead of C = op(A)·op(B). */
  accumulate?: boolean;
}

/**
 * @internal
 * C = A·B (or C += A·B) where A and B may be transposed views; C is allocated in `s` when not
 * given. float64 operands run dgemm, float32 operands sgemm; C must be an untransposed block of
 * the same dtype that does not alias A or B. 2·m·n·k flops.
 */
export function gemm(s: Scope, A: HeapMatrix, B: HeapMatrix, C?: HeapMatrix, options?: GemmOptions): HeapMatrix {
  const m = A.rows,
    k = A.cols,
    n = B.cols;
  if (B.rows !== k) throw new RangeError(`gemm: inner dimensions differ (A is ${m}×${k}, B is ${B.rows}×${n})`);
  if (A.dtype !== B.dtype) throw new TypeError(`gemm: A is ${A.dtype}, B is ${B.dtype}`);
  const out = C ?? allocMatrix(s, m, n, A.dtype);
  if (out.rows !== m || out.cols !== n) throw new RangeError(`gemm: C is ${out.rows}×${out.cols}, A·B is ${m}×${n}`);
  if (out.transposed || out.dtype !== A.dtype)
    throw new TypeError("gemm: C must be an untransposed block of the operands' dtype");
  const acc = options?.accumulate === true ? 1 : 0;
  const ex = wasm();
  const ctl = threadControl();
  if (ctl !== 0 && m * n * k >= PARALLEL_FLOPS && n >= 16) {
    // init({ threads }): output columns shared over the threads (assembly/threads.ts); each
    // element is summed in the same order whichever thread computes it, so the bits do not change
    const args = s.alloc(ex.gemmArgsBytes!());
    const v = [m, n, k, A.ptr, A.rowStride, A.colStride, B.ptr, B.rowStride, B.colStride, out.ptr, out.ld, acc];
    new Int32Array(heapU8().buffer, args, v.length).set(v);
    ex.gemmParallel!(ctl, A.dtype === "float64" ? 0 : 1, args);
    return out;
  }
  const kernel = A.dtype === "float64" ? ex.dgemm : ex.sgemm;
  kernel(m, n, k, A.ptr, A.rowStride, A.colStride, B.ptr, B.rowStride, B.colStride, out.ptr, out.ld, acc);
  return out;
}

/** m·n·k from which a product is shared over the threads: 64³, ≈ 50 µs on one core, ≫ a dispatch. */
const PARALLEL_FLOPS = 64 ** 3;
