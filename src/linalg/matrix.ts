// The Matrix type: a plain object { rows, cols, data }, row-major (element (i, j) at
// data[i·cols + j]), data a Float64Array or Float32Array. Plain objects cross worker and
// JSON boundaries easily and need no class identity.

import { checkEnum, checkSize, describe, firstNonFinite } from "../runtime/errors.js";
import { checkWasmBytes } from "../runtime/memory.js";

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

/**
 * A matrix argument of the fits, the models and the training functions: a Matrix (float64 data
 * is used as is; float32 data is copied once into a Float64Array) or the rows as nested arrays of
 * numbers (copied once). Float32 values are exact in float64, so the result equals that of the
 * converted input bit for bit.
 */
export type MatrixLike = Matrix | readonly (readonly number[])[];

/**
 * A vector argument: a Float64Array (used as is), a Float32Array or an array of numbers (copied
 * once into a Float64Array, exactly).
 */
export type VectorLike = Float64Array | Float32Array | readonly number[];

/** @internal How toF64Matrix / toF64Vector treat NaN and ±Infinity. */
export interface ConvertOptions {
  /** Reject non-finite entries (RangeError naming the argument and the position). Default true. */
  finite?: boolean;
}

/**
 * @internal The one conversion of a MatrixLike argument at the API boundary: a float64 Matrix
 * is returned as is (checked); float32 data or nested rows cost one O(rows·cols) copy into a new
 * Float64Array. Errors name the argument: ragged rows, non-numbers, non-finite entries (unless
 * `finite: false`), a malformed Matrix.
 */
export function toF64Matrix(name: string, v: unknown, options?: ConvertOptions): Matrix<Float64Array> {
  const finite = options?.finite ?? true;
  if (Array.isArray(v) && (v.length === 0 || Array.isArray(v[0]))) {
    const rows = v as unknown[];
    const r = rows.length;
    const c = r === 0 ? 0 : (rows[0] as unknown[]).length;
    const data = new Float64Array(r * c);
    for (let i = 0; i < r; i++) {
      const row = rows[i];
      if (!Array.isArray(row)) throw new TypeError(`${name}[${i}] must be an array of numbers (a row), got ${describe(row)}`);
      if (row.length !== c)
        throw new RangeError(`${name}[${i}] has length ${row.length}, but ${name}[0] has ${c} (rows must have equal lengths)`);
      for (let j = 0; j < c; j++) {
        const x: unknown = row[j];
        if (typeof x !== "number") throw new TypeError(`${name}[${i}][${j}] must be a number, got ${describe(x)}`);
        if (finite && x - x !== 0) throw new RangeError(`${name}[${i}][${j}] must be finite, got ${x}`);
        data[i * c + j] = x;
      }
    }
    return { rows: r, cols: c, data };
  }
  if (Array.isArray(v)) {
    throw new TypeError(
      `${name} must be a Matrix { rows, cols, data } or an array of rows (number[][]), got ${describe(v)} whose first entry is ${describe(v[0])} (one sample is [${name}]; a column vector is matrix(${v.length}, 1, ${name}))`,
    );
  }
  checkMatrix(name, v);
  const out: Matrix<Float64Array> =
    v.data instanceof Float64Array
      ? (v as Matrix<Float64Array>)
      : { rows: v.rows, cols: v.cols, data: Float64Array.from(v.data) };
  if (finite) {
    const i = firstNonFinite(out.data);
    if (i >= 0)
      throw new RangeError(`${name} has a non-finite entry ${out.data[i]} at (${Math.floor(i / out.cols)}, ${i % out.cols})`);
  }
  return out;
}

/**
 * @internal The one conversion of a VectorLike argument: a Float64Array is returned as is; a
 * Float32Array or an array of numbers costs one O(length) copy into a new Float64Array. `n`:
 * the required length (`what` says where it comes from in the error, e.g. "N"). Errors name the
 * argument and the position.
 */
export function toF64Vector(name: string, v: unknown, n?: number, what?: string, options?: ConvertOptions): Float64Array {
  const finite = options?.finite ?? true;
  let out: Float64Array;
  if (v instanceof Float64Array) {
    out = v;
  } else if (v instanceof Float32Array) {
    out = Float64Array.from(v);
  } else if (Array.isArray(v)) {
    out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== "number") throw new TypeError(`${name}[${i}] must be a number, got ${describe(x)}`);
      out[i] = x;
    }
  } else {
    const len = n === undefined ? "" : ` of length ${n}`;
    throw new TypeError(`${name} must be a Float64Array, a Float32Array or an array of numbers${len}, got ${describe(v)}`);
  }
  if (n !== undefined && out.length !== n) {
    throw new RangeError(`${name} must have length ${what === undefined ? "" : `${what} = `}${n}, got ${out.length}`);
  }
  if (finite) {
    const i = firstNonFinite(out);
    if (i >= 0) throw new RangeError(`${name}[${i}] must be finite, got ${out[i]}`);
  }
  return out;
}
