// eigh / eigvalsh: symmetric eigendecomposition in the WebAssembly core (assembly/lapack/).
//
// Algorithm (LAPACK DSYEVD): exact power-of-two scaling, Householder tridiagonalisation
// (DSYTD2; SIMD, the rank-2 update of one step fused with the SYMV of the next), then
//   eigh:     divide and conquer on the tridiagonal (DSTEDC: Cuppen's tearing, deflation,
//             secular equations, Gu–Eisenstat's Löwner formula for orthogonal vectors, merges
//             by dgemm) and the blocked compact-WY back-transformation (DORMTR, dgemm);
//   eigvalsh: implicit QL/QR with Wilkinson shifts on (d, e) (DSTEQR), O(n²).
// Golub & Van Loan, Matrix Computations 4th ed., §8.3–8.4. About 4/3·n³ flops for eigvalsh,
// ≈ 4n³ for eigh (most of it in dgemm).
// Accuracy: backward stable — ‖S V − V Λ‖ = O(nε‖S‖), ‖VᵀV − I‖ = O(nε).

import { read, scoped, syev, upload } from "../kernels/index.js";
import { checkOptions } from "../runtime/errors.js";
import type { Matrix } from "./matrix.js";
import { checkSymmetric, checkSymmetryTolerance } from "./symmetric.js";

const MAX_HEAP = 2 ** 32 - 2 ** 27;

export interface EighOptions {
  /**
   * Relative symmetry tolerance: the input is rejected (RangeError naming the worst pair)
   * when max_{i>j} |s_ij − s_ji| > symmetryTolerance · max|s|. Default 1e-12. Within the
   * tolerance only the lower triangle (s[i][j], j ≤ i) is used, as numpy's UPLO="L".
   */
  symmetryTolerance?: number;
}

export interface EighResult {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** n×n, float64: column j is the unit eigenvector of values[j]; s ≈ V·diag(values)·Vᵀ. */
  vectors: Matrix<Float64Array>;
}

function run(name: string, s: Matrix, options: unknown, wantz: boolean): { values: Float64Array; vectors: Float64Array | null } {
  const o = checkOptions<EighOptions>("options", options, ["symmetryTolerance"]);
  const tol = checkSymmetryTolerance("options.symmetryTolerance", o.symmetryTolerance);
  const n = checkSymmetric("s", s, tol);
  if (n === 0) return { values: new Float64Array(0), vectors: wantz ? new Float64Array(0) : null };
  // input copy, working copy, and with vectors the output plus 4 n×n blocks of workspace
  const need = (wantz ? 7 : 3) * n * n * 8;
  if (need > MAX_HEAP) {
    throw new RangeError(
      `${name}: s is ${n}×${n}, which needs about ${(need / 2 ** 30).toFixed(1)} GiB of WebAssembly memory (the limit is 4 GiB)`,
    );
  }
  return scoped((sc) => {
    const r = syev(sc, upload(sc, s.data, n, n), wantz);
    if (r.info !== 0) {
      throw new Error(`${name}: the QL/QR iteration did not converge in 30·n sweeps (${r.info} off-diagonal entries left)`);
    }
    return { values: read(r.values), vectors: r.vectors === null ? null : read(r.vectors) };
  });
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (columns) of the symmetric matrix s.
 * s may be float64 or float32 (computed in float64); results are float64. Throws a
 * RangeError for a non-square, non-finite or non-symmetric s (see EighOptions).
 */
export function eigh(s: Matrix, options?: EighOptions): EighResult {
  const r = run("eigh", s, options, true);
  const n = r.values.length;
  return { values: r.values, vectors: { rows: n, cols: n, data: r.vectors as Float64Array } };
}

/** Eigenvalues only, ascending (no eigenvector work: 4/3·n³ flops + O(n²)). Same contract as eigh. */
export function eigvalsh(s: Matrix, options?: EighOptions): Float64Array {
  return run("eigvalsh", s, options, false).values;
}
