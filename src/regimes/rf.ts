// Random features (RF): W frozen at initialisation, only c and a are fitted (docs/theory.md §3, §7).

import type { Matrix } from "../linalg/matrix.js";
import { solveSPD } from "../linalg/cholesky.js";
import { checkFinite, checkOptions, checkSize } from "../runtime/errors.js";
import { allocVector, centerColumns, gemm, read, scoped, uploadMatrix, uploadVector } from "../kernels/index.js";
import type { Rng } from "../random/rng.js";
import { checkRng } from "../tasks/common.js";
import { checkActivation, checkW, checkXY, features, Model, type Activation } from "./model.js";

/** W ∈ R^{d×N} with iid N(0, 1/d) entries: wᵢ ~ N(0, I_d/d), one neuron per column. */
export function randomFeatures(d: number, N: number, rng: Rng): Matrix<Float64Array> {
  checkSize("d", d, 1);
  checkSize("N", N, 1);
  checkRng("rng", rng);
  return rng.normalMatrix(d, N, 1 / Math.sqrt(d));
}

export interface FitOptions {
  X: Matrix;
  y: Float64Array;
  /** First layer, d×N (one neuron per column). */
  W: Matrix;
  /** Ridge penalty λ ≥ 0 on the trained weights (not on c); objective (1/n)‖y − f‖² + λ‖θ‖². */
  ridge?: number;
  /** σ: "square" (default), "relu" or "tanh". */
  activation?: Activation;
}

/** @internal Validated inputs shared by fitRF and fitNT, with the centred targets. */
export interface ResolvedFit {
  X: Matrix<Float64Array>;
  y: Float64Array;
  n: number;
  d: number;
  W: Matrix<Float64Array>;
  N: number;
  ridge: number;
  act: Activation;
  /** Mean of y. */
  ybar: number;
  /** y − ȳ. */
  yc: Float64Array;
}

/** @internal Validate the options of fitRF / fitNT (`extraKeys`: the caller's own options). */
export function resolveFit(options: FitOptions, extraKeys: readonly string[]): ResolvedFit {
  const o = checkOptions<FitOptions>("options", options, ["X", "y", "W", "ridge", "activation", ...extraKeys]);
  const { X, y } = checkXY(o.X, o.y);
  const n = X.rows,
    d = X.cols;
  const W = checkW(o.W, d);
  const ridge = o.ridge === undefined ? 0 : checkFinite("options.ridge", o.ridge, 0);
  const act = checkActivation("options.activation", o.activation);
  let ybar = 0;
  for (const v of y) ybar += v;
  ybar /= n;
  const yc = y.map((v) => v - ybar);
  return { X, y, n, d, W, N: W.cols, ridge, act, ybar, yc };
}

/**
 * RF fit: exact (ridge) least squares over c and a on the features σ(wᵢᵀx). The intercept is
 * eliminated by centring y and the feature columns (in WASM), then
 *   (F_cᵀF_c/n + λI) a = F_cᵀy_c/n      (Cholesky, assembly/lapack),   c = ȳ − μ_Fᵀa.
 * With λ = 0 and linearly dependent features (n ≤ N, or N > d(d+1)/2 for σ = t²) the Gram
 * matrix is singular and the error says so: pass ridge > 0.
 */
export function fitRF(options: FitOptions): Model {
  const { X, n, W, N, ridge, act, ybar, yc } = resolveFit(options, []);
  const { G, rhs, means } = scoped((s) => {
    const { F } = features(s, uploadMatrix(s, X), W, act, false);
    const mu = allocVector(s, N);
    centerColumns(F, mu); // F_c and μ_F
    const g = read(gemm(s, F.T, F)); // F_cᵀF_c
    const r = read(gemm(s, F.T, uploadVector(s, yc))); // F_cᵀy_c
    for (let i = 0; i < N * N; i++) g[i] /= n;
    for (let i = 0; i < N; i++) g[i * N + i] += ridge;
    return { G: g, rhs: r.map((v) => v / n), means: read(mu) };
  });
  let a: Float64Array;
  try {
    a = solveSPD({ rows: N, cols: N, data: G }, { rows: N, cols: 1, data: rhs }).data as Float64Array;
  } catch (e) {
    if (e instanceof RangeError && /positive definite/.test(e.message)) {
      throw new RangeError(
        `fitRF: the ${N} random features are linearly dependent on these ${n} samples (least squares has no unique solution): pass ridge > 0. (${e.message})`,
      );
    }
    throw e;
  }
  let c = ybar;
  for (let i = 0; i < N; i++) c -= means[i] * a[i];
  return new Model("RF", act, W, c, a, null);
}
