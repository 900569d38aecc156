// Random features (RF): W frozen at initialisation, only c and a are fitted (SPEC §3, §7).

import type { Matrix } from "../linalg/matrix.js";
import { solveSPD } from "../linalg/cholesky.js";
import { checkFinite, checkOptions, checkSize } from "../runtime/errors.js";
import { heapF64, readF64, scoped, wasm } from "../runtime/module.js";
import type { Rng } from "../random/rng.js";
import { checkRng } from "../tasks/common.js";
import { checkActivation, checkW, checkXY, featuresInto, Model, type Activation } from "./model.js";

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

/** Validated inputs shared by fitRF and fitNT, with the centred targets. */
// Return type written out: an inferred one emits Float64Array<ArrayBufferLike> into rf.d.ts,
// which TypeScript < 5.7 rejects ("Float64Array is not generic").
export function resolveFit(options: FitOptions, extraKeys: readonly string[]): {
  X: Matrix<Float64Array>; y: Float64Array; n: number; d: number; W: Matrix<Float64Array>; N: number;
  ridge: number; act: Activation; ybar: number; yc: Float64Array;
} {
  const o = checkOptions<FitOptions>("options", options, ["X", "y", "W", "ridge", "activation", ...extraKeys]);
  const { X, y } = checkXY(o.X, o.y);
  const n = X.rows, d = X.cols;
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
  const { X, n, d, W, N, ridge, act, ybar, yc } = resolveFit(options, []);
  const { G, rhs, means } = scoped((s) => {
    const ex = wasm();
    const px = s.f64(X.data);
    const { pf } = featuresInto(s, px, n, d, W, act, false);
    const pm = s.alloc(N * 8);
    ex.dcentercols(n, N, pf, N, pm);
    const pg = s.alloc(N * N * 8);
    ex.dgemm(N, N, n, pf, 1, N, pf, N, 1, pg, N, 0); // F_cᵀF_c
    const py = s.f64(yc);
    const pr = s.alloc(N * 8);
    ex.dgemm(N, 1, n, pf, 1, N, py, 1, 1, pr, 1, 0); // F_cᵀy_c
    const h = heapF64();
    const g = new Float64Array(N * N);
    for (let i = 0; i < N * N; i++) g[i] = h[(pg >>> 3) + i] / n;
    for (let i = 0; i < N; i++) g[i * N + i] += ridge;
    const r = readF64(pr, N).map((v) => v / n);
    return { G: g, rhs: r, means: readF64(pm, N) };
  });
  let a: Float64Array;
  try {
    a = solveSPD({ rows: N, cols: N, data: G }, { rows: N, cols: 1, data: rhs }).data as Float64Array;
  } catch (e) {
    if (e instanceof RangeError && /positive definite/.test(e.message)) {
      throw new RangeError(`fitRF: the ${N} random features are linearly dependent on these ${n} samples (least squares has no unique solution): pass ridge > 0. (${e.message})`);
    }
    throw e;
  }
  let c = ybar;
  for (let i = 0; i < N; i++) c -= means[i] * a[i];
  return new Model("RF", act, W, c, a, null);
}
