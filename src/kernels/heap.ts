// Typed matrices in the WebAssembly heap: the one place (with src/runtime/) where TypeScript
// handles byte offsets. A HeapMatrix is a row-major block — element (i, j) of the stored
// matrix at ptr + (i·ld + j)·bytes — optionally viewed transposed (`A.T`), so that the BLAS
// wrappers (blas.ts) read the strides from the operand instead of twelve positional numbers.
//
// Memory comes from a Scope (runtime/module.ts): every block is freed when `scoped` returns
// or throws. memory.grow detaches JS views of the heap, so nothing here holds a view across
// calls: each read or write re-derives it.
// Internal to the package: every export is marked @internal (stripped from the .d.ts).

import { heapF32, heapF64, heapU8, scoped, Scope } from "../runtime/memory.js";
import type { Dtype, Matrix } from "../linalg/matrix.js";

/** @internal */
export { Scope, scoped };

/** @internal */
export class HeapMatrix {
  /**
   * @param ptr byte offset of element (0, 0)
   * @param rows rows of the matrix as seen (after the transposition, if any)
   * @param cols columns as seen
   * @param ld leading dimension (row stride, in elements) of the stored row-major block
   * @param transposed true when this is the transpose of the stored block
   */
  constructor(
    readonly ptr: number,
    readonly rows: number,
    readonly cols: number,
    readonly ld: number,
    readonly dtype: Dtype = "float64",
    readonly transposed = false,
  ) {}

  /** The transpose, as a view of the same memory. */
  get T(): HeapMatrix {
    return new HeapMatrix(this.ptr, this.cols, this.rows, this.ld, this.dtype, !this.transposed);
  }

  /** Distance in elements between (i, j) and (i + 1, j). */
  get rowStride(): number {
    return this.transposed ? 1 : this.ld;
  }

  /** Distance in elements between (i, j) and (i, j + 1). */
  get colStride(): number {
    return this.transposed ? this.ld : 1;
  }

  get length(): number {
    return this.rows * this.cols;
  }

  /** Stored without gaps in row-major order (ld = cols, not transposed): readable as one run. */
  get contiguous(): boolean {
    return !this.transposed && (this.ld === this.cols || this.rows <= 1);
  }
}

function bytesOf(dtype: Dtype): number {
  return dtype === "float64" ? 8 : 4;
}

function requireContiguous(name: string, A: HeapMatrix): void {
  if (!A.contiguous) throw new Error(`${name}: the heap matrix must be contiguous (ld = cols, not transposed)`);
}

/** @internal A fresh rows×cols block (contents undefined until written). */
export function allocMatrix(s: Scope, rows: number, cols: number, dtype: Dtype = "float64"): HeapMatrix {
  return new HeapMatrix(s.alloc(rows * cols * bytesOf(dtype)), rows, cols, cols, dtype);
}

/** @internal A fresh column vector (n×1). */
export function allocVector(s: Scope, n: number, dtype: Dtype = "float64"): HeapMatrix {
  return allocMatrix(s, n, 1, dtype);
}

/** @internal Copy row-major `data` (rows×cols) into a fresh block of the given dtype. */
export function upload(s: Scope, data: ArrayLike<number>, rows: number, cols: number, dtype: Dtype = "float64"): HeapMatrix {
  const ptr = dtype === "float64" ? s.f64(data) : s.f32(data);
  return new HeapMatrix(ptr, rows, cols, cols, dtype);
}

/** @internal Copy a Matrix into a fresh float64 block. */
export function uploadMatrix(s: Scope, m: Matrix): HeapMatrix {
  return upload(s, m.data, m.rows, m.cols, "float64");
}

/** @internal Copy a vector into a fresh n×1 float64 block. */
export function uploadVector(s: Scope, v: ArrayLike<number>): HeapMatrix {
  return upload(s, v, v.length, 1, "float64");
}

/** @internal A copy of a contiguous float64 block (the copy owns its memory). */
export function read(A: HeapMatrix): Float64Array {
  requireContiguous("read", A);
  if (A.dtype !== "float64") throw new Error("read: float64 block expected (readF32 reads float32)");
  const i = A.ptr >>> 3;
  return heapF64().slice(i, i + A.length);
}

/** @internal A copy of a contiguous float32 block. */
export function readF32(A: HeapMatrix): Float32Array {
  requireContiguous("readF32", A);
  if (A.dtype !== "float32") throw new Error("readF32: float32 block expected");
  const i = A.ptr >>> 2;
  return heapF32().slice(i, i + A.length);
}

/** @internal Copy a contiguous float64 block into `dst` from index `offset` on. */
export function readInto(A: HeapMatrix, dst: Float64Array, offset = 0): void {
  requireContiguous("readInto", A);
  const i = A.ptr >>> 3;
  dst.set(heapF64().subarray(i, i + A.length), offset);
}

/** @internal Overwrite a contiguous float64 block with `data` (length rows·cols). */
export function write(A: HeapMatrix, data: ArrayLike<number>): void {
  requireContiguous("write", A);
  if (data.length !== A.length) throw new RangeError(`write: ${data.length} values for a ${A.rows}×${A.cols} block`);
  if (A.dtype === "float64") heapF64().set(data, A.ptr >>> 3);
  else heapF32().set(data, A.ptr >>> 2);
}

/** @internal One float64 element of a block. */
export function element(A: HeapMatrix, i: number, j: number): number {
  return heapF64()[(A.ptr >>> 3) + i * A.rowStride + j * A.colStride];
}

/** @internal Copy float64 `src` into `dst` at (row0, col0), row by row (same-heap move; no rounding). */
export function copyInto(dst: HeapMatrix, src: HeapMatrix, row0 = 0, col0 = 0): void {
  if (dst.transposed || src.transposed || dst.dtype !== "float64" || src.dtype !== "float64") {
    throw new Error("copyInto: untransposed float64 blocks expected");
  }
  if (row0 + src.rows > dst.rows || col0 + src.cols > dst.cols) {
    throw new RangeError(
      `copyInto: a ${src.rows}×${src.cols} block does not fit at (${row0}, ${col0}) of ${dst.rows}×${dst.cols}`,
    );
  }
  const h = heapF64();
  const S0 = src.ptr >>> 3,
    D0 = (dst.ptr >>> 3) + row0 * dst.ld + col0;
  for (let r = 0; r < src.rows; r++) {
    h.copyWithin(D0 + r * dst.ld, S0 + r * src.ld, S0 + r * src.ld + src.cols);
  }
}

/** @internal `n` raw bytes at a block's address, copied out (integer outputs such as raw RNG words). */
export function readBytes(ptr: number, n: number): Uint8Array {
  return heapU8().slice(ptr, ptr + n);
}

/** @internal Raw bytes into the heap at `ptr`. */
export function writeBytes(ptr: number, bytes: Uint8Array): void {
  heapU8().set(bytes, ptr);
}
