// matmul: validation and memory traffic around the dgemm/sgemm kernels (assembly/blas/gemm.ts).

import { gemm, read, readF32, scoped, upload } from "../kernels/index.js";
import { checkWasmBytes } from "../runtime/memory.js";
import { checkBoolean, checkOptions, firstNonFinite } from "../runtime/errors.js";
import { checkMatrix, type FloatArray, type Matrix } from "./matrix.js";

export interface MatmulOptions {
  /** Use aᵀ in place of a. */
  transA?: boolean;
  /** Use bᵀ in place of b. */
  transB?: boolean;
  /**
   * Reject NaN/±Infinity in the inputs (RangeError naming the entry). Default false: like
   * BLAS and numpy, non-finite values propagate through the IEEE arithmetic.
   */
  checkFinite?: boolean;
}

/**
 * C = op(a)·op(b) as a new Matrix. float64 when both inputs are Float64Array, float32 when
 * both are Float32Array. Cost 2·m·n·k flops (m×k times k×n); packed-panel SIMD GEMM.
 */
export function matmul<T extends FloatArray>(a: Matrix<T>, b: Matrix<T>, options?: MatmulOptions): Matrix<T> {
  checkMatrix("a", a);
  checkMatrix("b", b);
  const o = checkOptions<MatmulOptions>("options", options, ["transA", "transB", "checkFinite"]);
  const transA = o.transA === undefined ? false : checkBoolean("options.transA", o.transA);
  const transB = o.transB === undefined ? false : checkBoolean("options.transB", o.transB);
  const finite = o.checkFinite === undefined ? false : checkBoolean("options.checkFinite", o.checkFinite);
  const f32 = a.data instanceof Float32Array;
  if (f32 !== b.data instanceof Float32Array) {
    throw new TypeError(
      `a and b must have the same dtype, got a.data ${a.data.constructor.name} and b.data ${b.data.constructor.name}`,
    );
  }
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    const sa = `${transA ? "aᵀ" : "a"} is ${m}×${k}`;
    const sb = `${transB ? "bᵀ" : "b"} is ${kb}×${n}`;
    throw new RangeError(`matmul: inner dimensions differ (${sa}, ${sb})`);
  }
  if (finite) {
    for (const [name, x] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const i = firstNonFinite(x.data);
      if (i >= 0)
        throw new RangeError(`${name} has a non-finite entry ${x.data[i]} at (${Math.floor(i / x.cols)}, ${i % x.cols})`);
    }
  }
  const size = m * n;
  if (size === 0) return { rows: m, cols: n, data: new (a.data.constructor as { new (n: number): T })(0) };
  const el = f32 ? 4 : 8;
  checkWasmBytes("matmul", [
    [`a (${a.rows}×${a.cols})`, a.data.length * el],
    [`b (${b.rows}×${b.cols})`, b.data.length * el],
    [`the ${m}×${n} result`, size * el],
  ]);
  const dtype = f32 ? "float32" : "float64";
  return scoped((s) => {
    const A = upload(s, a.data, a.rows, a.cols, dtype),
      B = upload(s, b.data, b.rows, b.cols, dtype);
    const C = gemm(s, transA ? A.T : A, transB ? B.T : B);
    return { rows: m, cols: n, data: (f32 ? readF32(C) : read(C)) as T };
  });
}
