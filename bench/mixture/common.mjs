// Small matrix helpers shared by the mixture studies (budget.mjs, gap.mjs, train.mjs).

/** The n×n identity, as the library's { rows, cols, data } matrix. */
export const identity = (n) => ({
  rows: n,
  cols: n,
  data: new Float64Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 1 : 0)),
});

/**
 * M ← (M + Mᵀ)/2 in place (returns M): difference quotients of estimated covariances and solves
 * are symmetric only up to rounding, and the library's quadratic-form routines insist on symmetry.
 */
export function symmetrize(M) {
  const n = M.rows;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (M.data[i * n + j] + M.data[j * n + i]);
      M.data[i * n + j] = m;
      M.data[j * n + i] = m;
    }
  return M;
}
