// The Matrix type: a plain object { rows, cols, data }, row-major (element (i, j) at
// data[i·cols + j]), data a Float64Array or Float32Array. Plain objects cross worker and
// JSON boundaries easily and need no class identity.

import { checkEnum, checkSize, describe } from "../runtime/errors.js";
import { checkWasmBytes } from "../runtime/module.js";

export type FloatArray = Float64Array | Float32Array;

export interface Matrix<T extends FloatArray = FloatArray> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
}

export type Dtype = "float64" | "float32";

/** @internal */
export function dtypeOf(m: Matrix): Dtype {
  return m.data instanceof Float32Array ? "float32" : "float64";
}

/**
 * A rows×cols matrix. Without `data`: zeros (float64). A Float64Array/Float32Array is used as
 * is (not copied); any other array-like of numbers is copied into a Float64Array.
 */
export function matrix(rows: number, cols: number, data?: FloatArray | ArrayLike<number>): Matrix {
  checkSize("rows", rows);
  checkSize("cols", cols);
  const size = rows * cols;
  // Every computation copies its matrices into the wasm32 heap: refuse what cannot fit there
  // (V8 would otherwise say only "Invalid typed array length").
  if (data === undefined) checkWasmBytes("matrix(rows, cols)", [[`a ${rows}×${cols} float64 matrix`, size * 8]]);
  if (data === undefined) return { rows, cols, data: new Float64Array(size) };
  let arr: FloatArray;
  if (data instanceof Float64Array || data instanceof Float32Array) {
    arr = data;
  } else if (
    data !== null &&
    typeof data === "object" &&
    typeof (data as ArrayLike<number>).length === "number" &&
    !ArrayBuffer.isView(data)
  ) {
    arr = Float64Array.from(data as ArrayLike<number>, (x, i) => {
      if (typeof x !== "number") throw new TypeError(`data[${i}] must be a number, got ${describe(x)}`);
      return x;
    });
  } else {
    throw new TypeError(`data must be a Float64Array, a Float32Array or an array of numbers, got ${describe(data)}`);
  }
  if (arr.length !== size) {
    throw new RangeError(`data has length ${arr.length}, but a ${rows}×${cols} matrix needs ${size}`);
  }
  return { rows, cols, data: arr };
}

/** Build a matrix from nested arrays (all rows the same length). */
export function fromArray(rows: readonly (readonly number[])[], dtype: Dtype = "float64"): Matrix {
  if (!Array.isArray(rows)) throw new TypeError(`rows must be an array of arrays, got ${describe(rows)}`);
  checkEnum("dtype", dtype, ["float64", "float32"]);
  const r = rows.length;
  const c = r === 0 ? 0 : Array.isArray(rows[0]) ? rows[0].length : -1;
  const data = dtype === "float32" ? new Float32Array(r * c) : new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw new TypeError(`rows[${i}] must be an array, got ${describe(row)}`);
    if (row.length !== c) throw new RangeError(`rows[${i}] has length ${row.length}, but rows[0] has ${c}`);
    for (let j = 0; j < c; j++) {
      const x = row[j];
      if (typeof x !== "number") throw new TypeError(`rows[${i}][${j}] must be a number, got ${describe(x)}`);
      data[i * c + j] = x;
    }
  }
  return { rows: r, cols: c, data };
}

/** Nested arrays, one per row. */
export function toArray(m: Matrix): number[][] {
  checkMatrix("m", m);
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A new matrix holding mᵀ (same dtype). */
export function transpose<T extends FloatArray>(m: Matrix<T>): Matrix<T> {
  checkMatrix("m", m);
  const { rows, cols, data } = m;
  const out = new (data.constructor as { new (n: number): T })(rows * cols);
  // Blocked so both sides stay in cache for large matrices.
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = data[i * cols + j];
    }
  }
  return { rows: cols, cols: rows, data: out };
}

/** @internal Throws a TypeError/RangeError naming `name` unless `m` is a well-formed Matrix. */
export function checkMatrix(name: string, m: unknown): asserts m is Matrix {
  if (m === null || typeof m !== "object")
    throw new TypeError(`${name} must be a Matrix { rows, cols, data }, got ${describe(m)}`);
  if (ArrayBuffer.isView(m) || Array.isArray(m)) {
    const n = (m as ArrayLike<number>).length;
    throw new TypeError(
      `${name} must be a Matrix { rows, cols, data }, got ${describe(m)} (a column vector is matrix(${n}, 1, ${name}))`,
    );
  }
  const { rows, cols, data } = m as Matrix;
  if (!(data instanceof Float64Array || data instanceof Float32Array)) {
    throw new TypeError(`${name}.data must be a Float64Array or a Float32Array, got ${describe(data)}`);
  }
  checkSize(`${name}.rows`, rows);
  checkSize(`${name}.cols`, cols);
  if (data.length !== rows * cols) {
    throw new RangeError(`${name}.data has length ${data.length}, but ${name} is ${rows}×${cols} (needs ${rows * cols})`);
  }
}
