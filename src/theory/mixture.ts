// Weak-signal approximation of the 0-1 error on the Gaussian mixture (docs/theory.md §2.2): for small
// ‖Δ‖_op the best rule over a linear class of quadratic forms {xᵀMx : M ∈ 𝒮} has error
//   ≈ Φ(−‖Proj_𝒮 Δ‖_F / √2),
// with ‖Proj Δ‖_F² = ‖Δ‖_F² (Bayes), the N largest λ(Δ)² (NN), ‖Δ‖_F² − ‖P⊥ΔP⊥‖_F² (NT)
// and bᵀG⁺b (RF, the Gram projection of §4).

import type { Matrix } from "../linalg/matrix.js";
import { eigh, eigvalsh } from "../linalg/eigh.js";
import { matmul } from "../linalg/matmul.js";
import { householderQR, columns } from "../linalg/qr.js";
import { checkEnum, checkFinite, checkOptions, checkSize, describe } from "../runtime/errors.js";
import { imhofCdf, quadError, quadThreshold } from "../kernels/quadform.js";
import { checkSymmetric } from "../tasks/common.js";
import type { MixtureTask } from "../tasks/mixture.js";
import { checkW } from "../regimes/model.js";
import { complementNorm2, projectionRF, rfGramSolve } from "./risks.js";
import { log1p, normalCdf } from "../kernels/math.js";
import { largestSquares } from "./limits.js";
import { pinvSolve } from "../linalg/pinv.js";

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

// ---------------------------------------------------------------------------------------
// Exact 0-1 errors (issue 13 part 4). The weak-signal formula above can fall below the Bayes
// error once ‖Δ‖_op is not small. Here every class is represented by an explicit member rule
// sign(xᵀMx − t), M = Proj_class(T) for a target matrix T, whose error is computed exactly:
// under class ± (x ~ N(0, Σ±), Σ± = I ± Δ) the form xᵀMx is Σₖ μₖ zₖ² with μ the eigenvalues of
// Σ±^{1/2} M Σ±^{1/2}, whose CDF is evaluated by Imhof's integral in WASM (assembly/math/imhof.ts),
// and t minimises ½P₊(xᵀMx < t) + ½P₋(xᵀMx ≥ t). The result is an upper bound on the best error
// of the class (the rule is in the class), and ≥ the Bayes error (the Bayes rule is the best of
// all rules), so a plotted class curve can no longer cross below the Bayes line.
// T defaults to the Bayes matrix M_B = Σ₋⁻¹ − Σ₊⁻¹ = U diag(2δ/(1 − δ²)) Uᵀ (≈ 2Δ for weak
// signals; then NN with N ≥ rank Δ is exactly the Bayes rule); `project: "delta"` projects Δ.

export interface ExactErrorOptions extends WeakSignalOptions {
  /** Matrix the class projects: "bayes" (default) M_B = Σ₋⁻¹ − Σ₊⁻¹, or "delta" (Δ itself). */
  project?: "bayes" | "delta";
  /** Truncation tolerance of each CDF series (default 1e-10). */
  eps?: number;
}

export interface ExactError {
  /** Exact 0-1 error of the rule (equal class priors). */
  error: number;
  /** Its threshold t (predict +1 iff xᵀMx ≥ t). */
  threshold: number;
  /**
   * Accuracy of the CDF evaluations behind `error` (their maximum): the series' rigorous
   * truncation bound (> 8 weights), or the change of the last step halving of the
   * saddle-point contour (≤ 8 weights; exponentially convergent, so an over-estimate).
   */
  bound: number;
}

interface DeltaEigen {
  d: number;
  values: Float64Array;
  U: Matrix<Float64Array>;
}

function deltaEigenOf(delta: Matrix | MixtureTask): DeltaEigen {
  let values: Float64Array, U: Matrix<Float64Array>, d: number;
  if (delta !== null && typeof delta === "object" && (delta as MixtureTask).kind === "mixture") {
    const t = delta as MixtureTask;
    values = t.deltaEigen.values;
    U = t.deltaEigen.vectors;
    d = t.d;
  } else {
    const D = checkSymmetric("delta", delta);
    const e = eigh(D);
    values = e.values;
    U = e.vectors;
    d = D.rows;
  }
  for (let k = 0; k < values.length; k++) {
    if (!(Math.abs(values[k]) < 1))
      throw new RangeError(`delta must have ‖Δ‖_op < 1 (I ± Δ must be covariances), got an eigenvalue ${values[k]}`);
  }
  return { d, values, U };
}

function checkEps(v: unknown): number {
  if (v === undefined) return 1e-10;
  const e = checkFinite("options.eps", v);
  if (!(e > 0 && e < 1)) throw new RangeError(`options.eps must be in (0, 1), got ${e}`);
  return e;
}

/** U diag(f) Uᵀ (d×d) for U d×r. */
function fromEigenRect(U: Matrix<Float64Array>, f: ArrayLike<number>): Matrix<Float64Array> {
  const d = U.rows,
    r = U.cols;
  const UF = new Float64Array(d * r);
  for (let i = 0; i < d; i++) for (let k = 0; k < r; k++) UF[i * r + k] = U.data[i * r + k] * f[k];
  return matmul({ rows: d, cols: r, data: UF }, U, { transB: true });
}

/** Weights μ (class + and −) of xᵀMx for a dense symmetric M: eig(Σ±^{1/2} M Σ±^{1/2}). */
function weightsOf(M: Matrix<Float64Array>, e: DeltaEigen): [Float64Array, Float64Array] {
  const out: Float64Array[] = [];
  for (const sign of [1, -1]) {
    // Σ^{1/2} = I + U diag(√(1 ± δ) − 1) Uᵀ
    const S = fromEigenRect(
      e.U,
      Array.from(e.values, (v) => Math.sqrt(1 + sign * v) - 1),
    );
    for (let i = 0; i < e.d; i++) S.data[i * e.d + i] += 1;
    const A = matmul(S, matmul(M, S));
    const n = e.d;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) {
        const m = 0.5 * (A.data[i * n + j] + A.data[j * n + i]);
        A.data[i * n + j] = m;
        A.data[j * n + i] = m;
      }
    out.push(eigvalsh(A));
  }
  return [out[0], out[1]];
}

function bestThreshold(wp: Float64Array, wm: Float64Array, eps: number): ExactError {
  const r = quadThreshold(wp, wm, eps);
  return { error: r.error, threshold: r.threshold, bound: r.bound };
}

/**
 * P(Σₖ μₖ zₖ² < c), zₖ iid N(0, 1): the CDF of a weighted sum of χ²₁ variables (any Gaussian
 * quadratic form), by Imhof's integral evaluated with Davies' aliasing-controlled midpoint rule
 * in WASM (> 8 weights; a rigorous truncation bound ≤ eps, and the aliasing error ≤ 4e^{−40}), or
 * along Helstrom's saddle-point contour (≤ 8 weights, where the series converges too slowly;
 * `bound` is then the last step-halving change). c = 0 with ≤ 8 weights stays on the series,
 * capped at 4·10⁶ terms: `bound` then says how far it got.
 */
export function chi2MixtureCdf(
  weights: ArrayLike<number>,
  c: number,
  options?: { eps?: number },
): { p: number; bound: number; terms: number } {
  const o = checkOptions<{ eps?: number }>("options", options, ["eps"]);
  if (weights === null || typeof weights !== "object" || typeof (weights as ArrayLike<number>).length !== "number") {
    throw new TypeError(`weights must be an array of numbers, got ${describe(weights)}`);
  }
  for (let i = 0; i < weights.length; i++) checkFinite(`weights[${i}]`, weights[i]);
  checkFinite("c", c);
  const eps = checkEps(o.eps);
  return imhofCdf(weights, c, eps);
}

/**
 * Exact Bayes error of the mixture (docs/theory.md §2.2): the rule xᵀM_Bx > Σ log((1+δ)/(1−δ)),
 * M_B = Σ₋⁻¹ − Σ₊⁻¹, has weights 2δ/(1−δ) under class + and 2δ/(1+δ) under class −.
 */
export function bayesErrorExact(delta: Matrix | MixtureTask, options?: { eps?: number }): ExactError {
  const o = checkOptions<{ eps?: number }>("options", options, ["eps"]);
  const eps = checkEps(o.eps);
  const e = deltaEigenOf(delta);
  const wp = e.values.map((v) => (2 * v) / (1 - v));
  const wm = e.values.map((v) => (2 * v) / (1 + v));
  let t = 0;
  for (const v of e.values) t += log1p(v) - log1p(-v);
  const r = quadError(wp, wm, t, eps);
  return { error: r.error, threshold: t, bound: r.bound };
}

/**
 * Exact 0-1 error of the explicit rule of a class: sign(xᵀMx − t) with M = Proj_class(T) (T the
 * Bayes matrix, or Δ with `project: "delta"`) and the best threshold t. Classes: "NN" (rank ≤ N:
 * the N eigen-directions of Δ with the largest |δ|), "NT" (M = T − P⊥TP⊥, P the projector on
 * span W), "RF" (the least-squares projection of T on span{wᵢwᵢᵀ}), "bayes" (= bayesErrorExact).
 */
export function mixtureErrorExact(
  delta: Matrix | MixtureTask,
  regime: "bayes" | "RF" | "NT" | "NN",
  options?: ExactErrorOptions,
): ExactError {
  const o = checkOptions<ExactErrorOptions>("options", options, ["W", "N", "project", "eps"]);
  const eps = checkEps(o.eps);
  const project = o.project ?? "bayes";
  if (project !== "bayes" && project !== "delta")
    throw new TypeError(`options.project must be "bayes" or "delta", got ${describe(project)}`);
  if (regime !== "bayes" && regime !== "RF" && regime !== "NT" && regime !== "NN") {
    throw new TypeError(`regime must be "bayes", "RF", "NT" or "NN", got ${describe(regime)}`);
  }
  if (regime === "bayes") return bayesErrorExact(delta, { eps });
  const e = deltaEigenOf(delta);
  const r = e.values.length;
  const tau = e.values.map((v) => (project === "bayes" ? (2 * v) / (1 - v * v) : v));
  if (regime === "NN") {
    const N = checkSize("options.N", o.N, 1);
    // the N largest |τ| (|τ| is increasing in |δ|); M shares Δ's eigenvectors, so the weights
    // are (1 ± δ)·τ on the kept directions
    const order = Array.from({ length: r }, (_, k) => k).sort((a, b) => Math.abs(tau[b]) - Math.abs(tau[a]) || a - b);
    const keep = order.slice(0, Math.min(N, r));
    const wp = Float64Array.from(keep, (k) => (1 + e.values[k]) * tau[k]);
    const wm = Float64Array.from(keep, (k) => (1 - e.values[k]) * tau[k]);
    return bestThreshold(wp, wm, eps);
  }
  const W = checkW(o.W, e.d);
  const T = fromEigenRect(e.U, tau);
  let M: Matrix<Float64Array>;
  if (regime === "NT") {
    const qr = householderQR(W, { pivot: true });
    if (qr.rank >= e.d) M = T;
    else {
      const Qp = columns(qr.q, qr.rank, e.d);
      const C = matmul(Qp, matmul(T, Qp), { transA: true });
      const R = matmul(Qp, matmul(C, Qp, { transB: true }));
      M = { rows: e.d, cols: e.d, data: T.data.map((x, i) => x - R.data[i]) };
    }
  } else {
    M = rfProjection(T, W);
  }
  const [wp, wm] = weightsOf(M, e);
  return bestThreshold(wp, wm, eps);
}

/**
 * Exact 0-1 error of any quadratic rule on the mixture: predict +1 iff xᵀMx ≥ t (for a model
 * f(x) = c + xᵀMx, sign f is this rule with t = −c). `error` is that rule's error at the given
 * `threshold`; with `best: true` also the error (and threshold) of the same M with the best t,
 * which splits a trained model's gap to its class theory into "wrong offset" and "wrong M".
 */
export function quadraticRuleError(
  delta: Matrix | MixtureTask,
  M: Matrix,
  threshold: number,
  options?: { eps?: number; best?: boolean },
): { error: number; bound: number; best?: ExactError } {
  const o = checkOptions<{ eps?: number; best?: boolean }>("options", options, ["eps", "best"]);
  const eps = checkEps(o.eps);
  if (o.best !== undefined && typeof o.best !== "boolean")
    throw new TypeError(`options.best must be a boolean, got ${describe(o.best)}`);
  const e = deltaEigenOf(delta);
  const Ms = checkSymmetric("M", M);
  if (Ms.rows !== e.d) throw new RangeError(`M is ${Ms.rows}×${Ms.cols}, but delta is ${e.d}×${e.d}`);
  const t = checkFinite("threshold", threshold);
  const [wp, wm] = weightsOf(Ms, e);
  const r = quadError(wp, wm, t, eps);
  return o.best ? { error: r.error, bound: r.bound, best: bestThreshold(wp, wm, eps) } : { error: r.error, bound: r.bound };
}

/**
 * The RF model c + Σ aᵢ(wᵢᵀx)² fitted by least squares on the whole mixture distribution
 * (n → ∞; what an RF fit on n samples tends to). With M = Σ aᵢwᵢwᵢᵀ, E xxᵀ = I and E y = 0:
 *   E(y − c − xᵀMx)² = 1 − 2 tr(MΔ) + 2 tr(M²) + 2 tr(MΔMΔ) + (tr MΔ)²   at c = −tr M
 * (Var xᵀMx = 2 tr(MΣMΣ) under each class, plus the variance of the class means), i.e.
 * 1 − 2bᵀa + aᵀ(2G + 2H + bbᵀ)a with bᵢ = wᵢᵀΔwᵢ, G_ij = (wᵢᵀwⱼ)², H_ij = (wᵢᵀΔwⱼ)²; so
 * a = A⁺b (A = 2G + 2H + bbᵀ, pseudo-inverse as for the RF projection) and the risk is 1 − bᵀA⁺b.
 */
export function mixturePopulationRF(
  delta: Matrix | MixtureTask,
  W: Matrix,
): { c: number; a: Float64Array; M: Matrix<Float64Array>; risk: number } {
  const e = deltaEigenOf(delta);
  const w = checkW(W, e.d);
  const N = w.cols,
    d = e.d;
  const K = matmul(w, w, { transA: true });
  const UW = matmul(e.U, w, { transA: true }); // r×N
  const r = e.values.length;
  const DUW = new Float64Array(r * N);
  for (let k = 0; k < r; k++) for (let i = 0; i < N; i++) DUW[k * N + i] = e.values[k] * UW.data[k * N + i];
  const L = matmul(UW, { rows: r, cols: N, data: DUW }, { transA: true }); // WᵀΔW
  const b = new Float64Array(N);
  for (let i = 0; i < N; i++) b[i] = L.data[i * N + i];
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      // symmetric by construction: K and L are symmetrised entry by entry
      const k = 0.5 * (K.data[i * N + j] + K.data[j * N + i]),
        l = 0.5 * (L.data[i * N + j] + L.data[j * N + i]);
      A[i * N + j] = 2 * k * k + 2 * l * l + b[i] * b[j];
    }
  const sol = pinvSolve({ rows: N, cols: N, data: A }, b, true);
  const a = sol.x as Float64Array;
  const WA = new Float64Array(d * N);
  for (let j = 0; j < d; j++) for (let i = 0; i < N; i++) WA[j * N + i] = w.data[j * N + i] * a[i];
  const M = matmul({ rows: d, cols: N, data: WA }, w, { transB: true });
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (M.data[i * d + j] + M.data[j * d + i]);
      M.data[i * d + j] = m;
      M.data[j * d + i] = m;
    }
  let tr = 0;
  for (let i = 0; i < d; i++) tr += M.data[i * d + i];
  return { c: -tr, a, M, risk: Math.max(0, 1 - sol.quadratic) };
}

/** Σ cᵢ wᵢwᵢᵀ with c = G⁺b, G_ij = ⟨wᵢ, wⱼ⟩², bᵢ = wᵢᵀTwᵢ (same rank rule as projectionRF). */
function rfProjection(T: Matrix<Float64Array>, W: Matrix<Float64Array>): Matrix<Float64Array> {
  const N = W.cols,
    d = W.rows;
  const c = rfGramSolve(T, W, true).x as Float64Array;
  const WC = new Float64Array(d * N);
  for (let j = 0; j < d; j++) for (let i = 0; i < N; i++) WC[j * N + i] = W.data[j * N + i] * c[i];
  return matmul({ rows: d, cols: N, data: WC }, W, { transB: true });
}
