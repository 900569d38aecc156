// Exact population risks for a fixed first layer W (d×N, one neuron per column) on the
// quadratic task (docs/theory.md §1, §4). Every quadratic-activation model is a pair (c, M) and
//   E[(xᵀBx − tr B − c − xᵀMx)²] = 2‖B − M‖_F² + (c + tr M)²   (Isserlis),
// so with the free offset c the risk of a class is 2·min over M in the class of ‖B − M‖_F².

import type { Matrix } from "../linalg/matrix.js";
import { matmul } from "../linalg/matmul.js";
import { householderQR, columns } from "../linalg/qr.js";
import { eigvalsh } from "../linalg/eigh.js";
import { pinvSolve, type PseudoInverseSolve } from "../linalg/pinv.js";
import { checkFinite, checkOptions, checkSize, describe } from "../runtime/errors.js";
import { checkSymmetric } from "../tasks/common.js";
import { largestSquares } from "./limits.js";
import { checkW } from "../regimes/model.js";
import type { QuadraticTask } from "../tasks/quadratic.js";

/** A symmetric target: a matrix, or a task (its B, with eigenvalues when known). */
export type Target = Matrix | QuadraticTask;

interface ResolvedTarget {
  B: Matrix<Float64Array>;
  eigenvalues: Float64Array | null;
  noise: number;
}

function resolve(name: string, t: unknown): ResolvedTarget {
  if (t !== null && typeof t === "object" && (t as QuadraticTask).kind === "quadratic") {
    const task = t as QuadraticTask;
    return { B: task.B, eigenvalues: task.eigenvalues, noise: task.noise };
  }
  return { B: checkSymmetric(name, t), eigenvalues: null, noise: 0 };
}

function frob2(m: Matrix): number {
  let s = 0;
  for (const x of m.data) s += x * x;
  return s;
}

function trace(m: Matrix): number {
  let s = 0;
  for (let i = 0; i < m.rows; i++) s += m.data[i * m.cols + i];
  return s;
}

/**
 * ‖Proj_RF S‖_F² = bᵀG⁺b: the squared norm of the projection of S onto span{wᵢwᵢᵀ}, with
 * G_ij = ⟨wᵢ, wⱼ⟩², bᵢ = wᵢᵀSwᵢ. G⁺ from eigh(G); eigenvalues ≤ N·ε·λ_max count as zero
 * (the rank decision; G is a Gram matrix, so its eigenvalues carry absolute error ≈ ε·λ_max).
 */
export function projectionRF(S: Matrix<Float64Array>, W: Matrix<Float64Array>): { value: number; rank: number } {
  const { quadratic: value, rank } = rfGramSolve(S, W, false);
  return { value, rank };
}

/**
 * @internal The RF projection's least-squares system for S: G_ij = ⟨wᵢ, wⱼ⟩², bᵢ = wᵢᵀSwᵢ, solved
 * by the pseudo-inverse (linalg/pinv.ts): bᵀG⁺b, the numerical rank, and with `wantX` the
 * coefficients c = G⁺b of Proj_RF S = Σ cᵢ wᵢwᵢᵀ.
 */
export function rfGramSolve(S: Matrix<Float64Array>, W: Matrix<Float64Array>, wantX: boolean): PseudoInverseSolve {
  const N = W.cols,
    d = W.rows;
  const K = matmul(W, W, { transA: true });
  const G = K.data.map((x) => x * x);
  // K is exactly symmetric (same summation order for (i, j) and (j, i)); so is G.
  const SW = matmul(S, W);
  const b = new Float64Array(N);
  for (let j = 0; j < d; j++) for (let i = 0; i < N; i++) b[i] += W.data[j * N + i] * SW.data[j * N + i];
  return pinvSolve({ rows: N, cols: N, data: G }, b, wantX);
}

/**
 * ‖P⊥SP⊥‖_F² with P the projector on span(W): from a complement basis Q⊥ of span(W)
 * (rank-revealing Householder QR of W, tolerance max(d, N)·ε·max‖wᵢ‖), as ‖Q⊥ᵀ S Q⊥‖_F² —
 * computed directly, without the cancellation of ‖S‖² − 2‖SQ‖² + ‖QᵀSQ‖².
 */
export function complementNorm2(S: Matrix<Float64Array>, W: Matrix<Float64Array>): { value: number; rank: number } {
  const d = W.rows;
  const qr = householderQR(W, { pivot: true });
  if (qr.rank >= d) return { value: 0, rank: qr.rank };
  const Qp = columns(qr.q, qr.rank, d);
  const C = matmul(Qp, matmul(S, Qp), { transA: true });
  return { value: frob2(C), rank: qr.rank };
}

export interface RiskOptions {
  /** Label-noise standard deviation s, added as s² (default: the task's, or 0 for a matrix). */
  noise?: number;
}

function noiseOf(o: Partial<RiskOptions>, t: ResolvedTarget): number {
  const s = o.noise === undefined ? t.noise : checkFinite("options.noise", o.noise, 0);
  return s * s;
}

/** R_RF(W) = 2(‖B‖_F² − bᵀG⁺b) (+ s²): best c + Σ aᵢ(wᵢᵀx)². Zero only once N ≥ d(d+1)/2. */
export function riskRF(B: Target, W: Matrix, options?: RiskOptions): number {
  const t = resolve("B", B);
  const o = checkOptions<RiskOptions>("options", options, ["noise"]);
  const w = checkW(W, t.B.rows);
  const p = projectionRF(t.B, w).value;
  return 2 * Math.max(0, frob2(t.B) - p) + noiseOf(o, t);
}

/** R_NT(W) = 2‖P⊥BP⊥‖_F² (+ s²): the linearisation at W. Zero once rank W = d. */
export function riskNT(B: Target, W: Matrix, options?: RiskOptions): number {
  const t = resolve("B", B);
  const o = checkOptions<RiskOptions>("options", options, ["noise"]);
  const w = checkW(W, t.B.rows);
  return 2 * complementNorm2(t.B, w).value + noiseOf(o, t);
}

export type SecondLayer = "free" | "positive" | { positive: number; negative: number };

export interface RiskNNOptions extends RiskOptions {
  /**
   * Sign constraints on the second layer: "free" (default; any signs: keep the N eigenvalues
   * of largest |λ|), "positive" (all aᵢ ≥ 0, as with the paper's shared a: keep the N largest
   * positive eigenvalues), or fixed counts { positive: N₊, negative: N₋ } (keep the N₊ largest
   * positive and N₋ most negative). N is ignored for the counts form.
   */
  secondLayer?: SecondLayer;
}

function spectrumOf(t: ResolvedTarget): Float64Array {
  return t.eigenvalues ?? eigvalsh(t.B);
}

/** R_NN = 2 Σ (eigenvalues the network cannot represent)² (Eckart–Young) (+ s²). */
export function riskNN(B: Target, N: number, options?: RiskNNOptions): number {
  const t = resolve("B", B);
  const o = checkOptions<RiskNNOptions>("options", options, ["noise", "secondLayer"]);
  const sl = o.secondLayer ?? "free";
  let nPos: number,
    nNeg: number,
    free = false;
  if (sl === "free" || sl === "positive") {
    checkSize("N", N, 1);
    if (sl === "free") {
      free = true;
      nPos = nNeg = 0;
    } else {
      nPos = N;
      nNeg = 0;
    }
  } else if (sl !== null && typeof sl === "object") {
    nPos = checkSize("options.secondLayer.positive", sl.positive);
    nNeg = checkSize("options.secondLayer.negative", sl.negative);
  } else {
    throw new TypeError(`options.secondLayer must be "free", "positive" or { positive, negative }, got ${describe(sl)}`);
  }
  const lam = spectrumOf(t);
  // Every nonzero eigenvalue representable (N ≥ rank B; always once N ≥ d): the risk is 0 by
  // rank. Return it exactly: total − kept below sums the same squares in two orders and can
  // leave ~1e-16 of rounding. Rank decision as for G⁺ in projectionRF: |λ| ≤ d·ε·max|λ| is 0
  // (a computed spectrum of a rank-r B has d − r eigenvalues of that size).
  let lmax = 0;
  for (const x of lam) lmax = Math.max(lmax, Math.abs(x));
  const tol = lam.length * 2 ** -52 * lmax;
  let nPlus = 0,
    nMinus = 0;
  for (const x of lam)
    if (x > tol) nPlus++;
    else if (x < -tol) nMinus++;
  if (free ? N >= nPlus + nMinus : nPos >= nPlus && nNeg >= nMinus) return noiseOf(o, t);
  let total = 0;
  for (const x of lam) total += x * x;
  let kept = 0;
  if (free) {
    kept = largestSquares(lam, N);
  } else {
    const posv = Array.from(lam)
      .filter((x) => x > 0)
      .sort((p, q) => q - p);
    const negv = Array.from(lam)
      .filter((x) => x < 0)
      .sort((p, q) => p - q);
    for (let i = 0; i < Math.min(nPos, posv.length); i++) kept += posv[i] * posv[i];
    for (let i = 0; i < Math.min(nNeg, negv.length); i++) kept += negv[i] * negv[i];
  }
  return 2 * Math.max(0, total - kept) + noiseOf(o, t);
}

/**
 * E_W R_NT for span(W) uniformly random of dimension N (W with iid Gaussian entries), k = d − N:
 * 2[α (tr B)² + β ‖B‖_F²], α = k(d−k)/(d(d−1)(d+2)), β = k(kd+d−2)/(d(d−1)(d+2)); 0 for N ≥ d.
 */
export function expectedRiskNT(B: Target, N: number, options?: RiskOptions): number {
  const t = resolve("B", B);
  const o = checkOptions<RiskOptions>("options", options, ["noise"]);
  checkSize("N", N, 1);
  const d = t.B.rows;
  const s2 = noiseOf(o, t);
  const k = d - N;
  if (k <= 0) return s2;
  const den = d * (d - 1) * (d + 2);
  const alpha = (k * (d - k)) / den;
  const beta = (k * (k * d + d - 2)) / den;
  const tr = trace(t.B);
  return 2 * (alpha * tr * tr + beta * frob2(t.B)) + s2;
}

/** risk / R0 for a task (R0 = 2‖B‖_F² + s²). */
export function normalizedRisk(risk: number, task: QuadraticTask): number {
  checkFinite("risk", risk, 0);
  return task.risk0 === 0 ? 0 : risk / task.risk0;
}
