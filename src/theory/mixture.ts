// Weak-signal approximation of the 0-1 error on the Gaussian mixture (docs/theory.md §2.2): for small
// ‖Δ‖_op the best rule over a linear class of quadratic forms {xᵀMx : M ∈ 𝒮} has error
//   ≈ Φ(−‖Proj_𝒮 Δ‖_F / √2),
// with ‖Proj Δ‖_F² = ‖Δ‖_F² (Bayes), the N largest λ(Δ)² (NN), ‖Δ‖_F² − ‖P⊥ΔP⊥‖_F² (NT)
// and bᵀG⁺b (RF, the Gram projection of §4).

import type { Matrix } from "../linalg/matrix.js";
import { eigvalsh } from "../linalg/eigh.js";
import { checkEnum, checkOptions, checkSize } from "../runtime/errors.js";
import { checkSymmetric } from "../tasks/common.js";
import type { MixtureTask } from "../tasks/mixture.js";
import { checkW } from "../regimes/model.js";
import { complementNorm2, projectionRF } from "./risks.js";
import { normalCdf } from "../kernels/math.js";
import { largestSquares } from "./limits.js";

export interface WeakSignalOptions {
  /** First layer d×N for "RF" and "NT". */
  W?: Matrix;
  /** Width for "NN". */
  N?: number;
}

/** ‖Proj_𝒮 Δ‖_F² for the regime's class. */
export function mixtureProjection(
  delta: Matrix | MixtureTask,
  regime: "bayes" | "RF" | "NT" | "NN",
  options?: WeakSignalOptions,
): number {
  const o = checkOptions<WeakSignalOptions>("options", options, ["W", "N"]);
  let D: Matrix<Float64Array>;
  let values: Float64Array | null = null;
  if (delta !== null && typeof delta === "object" && (delta as MixtureTask).kind === "mixture") {
    D = (delta as MixtureTask).delta;
    values = (delta as MixtureTask).deltaEigen.values;
  } else {
    D = checkSymmetric("delta", delta);
  }
  let f2 = 0;
  for (const x of D.data) f2 += x * x;
  switch (checkEnum("regime", regime, ["bayes", "RF", "NT", "NN"])) {
    case "bayes":
      return f2;
    case "NN": {
      const N = checkSize("options.N", o.N, 1);
      return largestSquares(values ?? eigvalsh(D), N);
    }
    case "NT":
      return f2 - complementNorm2(D, checkW(o.W, D.rows)).value;
    case "RF":
      return projectionRF(D, checkW(o.W, D.rows)).value;
  }
}

/** Φ(−‖Proj_𝒮 Δ‖_F/√2): the weak-signal 0-1 error of the best rule in the regime's class. */
export function mixtureErrorWeakSignal(
  delta: Matrix | MixtureTask,
  regime: "bayes" | "RF" | "NT" | "NN",
  options?: WeakSignalOptions,
): number {
  const p = mixtureProjection(delta, regime, options);
  return normalCdf(-Math.sqrt(Math.max(0, p) / 2));
}
