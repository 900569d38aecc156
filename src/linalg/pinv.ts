// Least squares through the pseudo-inverse of a symmetric positive semi-definite matrix, from
// its eigendecomposition G = V Λ Vᵀ (eigh.ts):
//   x = G⁺b = Σ_{λ_k > cut} (v_kᵀb / λ_k) v_k,      bᵀG⁺b = Σ_{λ_k > cut} (v_kᵀb)² / λ_k,
// with cut = n·ε·max(λ_max, 0): a Gram matrix's eigenvalues carry absolute error ≈ ε·λ_max,
// so smaller ones are indistinguishable from zero (the numerical rank decision; Golub & Van
// Loan, Matrix Computations 4th ed., §5.5.4). x is the minimum-norm least-squares solution.

import type { Matrix } from "./matrix.js";
import { eigh } from "./eigh.js";

const EPS = 2 ** -52;

/** @internal */
export interface PseudoInverseSolve {
  /** G⁺b (null unless asked for). */
  x: Float64Array | null;
  /** bᵀG⁺b. */
  quadratic: number;
  /** Eigenvalues kept (the numerical rank of G). */
  rank: number;
}

/** @internal G⁺b and bᵀG⁺b for a symmetric positive semi-definite n×n G (float64). */
export function pinvSolve(G: Matrix<Float64Array>, b: Float64Array, wantX: boolean): PseudoInverseSolve {
  const n = G.rows;
  const { values, vectors } = eigh(G);
  const V = vectors.data;
  const cut = n * EPS * Math.max(values[n - 1], 0);
  const x = wantX ? new Float64Array(n) : null;
  let quadratic = 0,
    rank = 0;
  for (let k = 0; k < n; k++) {
    if (!(values[k] > cut)) continue;
    rank++;
    let c = 0;
    for (let i = 0; i < n; i++) c += V[i * n + k] * b[i];
    quadratic += (c * c) / values[k];
    if (x !== null) {
      const t = c / values[k];
      for (let i = 0; i < n; i++) x[i] += t * V[i * n + k];
    }
  }
  return { x, quadratic, rank };
}
