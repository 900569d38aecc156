// Finite-difference support for the training tests: nnLossAndGradient's parameters with one
// entry moved, whatever the block's form (a number, a Matrix, or a Float64Array).

/**
 * A copy of `params` whose entry `i` of `block` is shifted by `delta` (other blocks shared).
 * @template {Record<string, any>} P
 * @param {P} params
 * @param {string} block
 * @param {number} i
 * @param {number} delta
 * @returns {P}
 */
export function shiftParam(params, block, i, delta) {
  /** @type {Record<string, any>} */
  const p = { ...params };
  const v = p[block];
  if (typeof v === 'number') p[block] = v + delta;
  else if (v.data) {
    const data = Float64Array.from(v.data);
    data[i] += delta;
    p[block] = { ...v, data };
  } else {
    const a = Float64Array.from(v);
    a[i] += delta;
    p[block] = a;
  }
  return /** @type {P} */ (p);
}
