// Deterministic inputs (a 32-bit LCG, uniform in [−0.5, 0.5)): the same matrices in every
// runtime. Environment-agnostic.

export function lcgFill(arr, seed) {
  let s = seed >>> 0;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    arr[i] = s / 2 ** 32 - 0.5;
  }
  return arr;
}

/** A rows×cols lazytrain-style Matrix { rows, cols, data } (row-major). */
export const mat = (rows, cols, seed, Ctor = Float64Array) => ({ rows, cols, data: lcgFill(new Ctor(rows * cols), seed) });

/** Random symmetric n×n (lower triangle drawn, mirrored). */
export function symmetric(n, seed) {
  let s = seed >>> 0;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const x = s / 2 ** 32 - 0.5;
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return { rows: n, cols: n, data: a };
}

/** Symmetric positive definite: G·Gᵀ/n + I for a random n×n G (well conditioned). */
export function spd(n, seed) {
  const g = lcgFill(new Float64Array(n * n), seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += g[i * n + k] * g[j * n + k];
      a[i * n + j] = a[j * n + i] = acc / n + (i === j ? 1 : 0);
    }
  }
  return { rows: n, cols: n, data: a };
}

/** An ml-matrix Matrix holding the same row-major data. */
export function toMl(Matrix, m) {
  const out = new Matrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.set(i, j, m.data[i * m.cols + j]);
  return out;
}

/** Nested arrays (mathjs input). */
export function toNested(m) {
  const out = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}
