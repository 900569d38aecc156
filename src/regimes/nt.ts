// Neural tangent (NT): the linearisation of the network at W, fitted by least squares over
// c, a and the directions S = [s₁ … s_N] (N·d + N + 1 parameters; docs/theory.md §3, §7):
//   f(x) = c + Σᵢ aᵢ σ(wᵢᵀx) + Σᵢ ⟨sᵢ, x⟩ σ'(wᵢᵀx).
// The intercept is eliminated by centring. Two solvers, same solution:
// - solveDirect (p = N(d+1) ≤ DIRECT_MAX_PARAMS): the explicit feature matrix Φ (n×p, WASM),
//   its Gram ΦᵀΦ (GEMM) and the pseudo-inverse from eigh — the NT features are always linearly
//   dependent (S = W·K with K antisymmetric gives SWᵀ + WSᵀ = 0), so the Gram is singular and
//   eigenvalues ≤ p·ε·λ_max are treated as zero (minimum-norm least squares);
// - solveCGLS otherwise: matrix-free CGLS (Hestenes–Stiefel CG on the normal equations, Björck,
//   Numerical Methods for Least Squares Problems §7.4); each iteration costs two GEMMs of n·d·N
//   (Φv = F a + rowsum((X S) ∘ σ'(Z)), Φᵀr = (Fᵀr, Xᵀ(σ'(Z) ∘ r))), Φ is never formed. Started
//   at 0 it converges to the minimum-norm solution as well. Stops when
//   ‖Φᵀr − nλθ‖ ≤ tol·‖Φᵀy‖ (default tol 1e-10) or after maxIter iterations (default 4000);
//   the iteration count and final relative residual are reported on the model.

import type { Matrix } from "../linalg/matrix.js";
import { pinvSolve } from "../linalg/pinv.js";
import { checkEnum, checkFinite, checkSize } from "../runtime/errors.js";
import {
  allocMatrix,
  allocVector,
  centerColumns,
  copyInto,
  gemm,
  ntFeatures,
  read,
  readInto,
  rowDot,
  scaleRows,
  scoped,
  uploadMatrix,
  uploadVector,
  write,
  type HeapMatrix,
  type Scope,
} from "../kernels/index.js";
import { features, Model, type Activation } from "./model.js";
import { resolveFit, type FitOptions } from "./rf.js";

/** Largest parameter count solved by the explicit normal equations. */
const DIRECT_MAX_PARAMS = 600;
/** Largest explicit feature matrix (bytes) the direct path may build. */
const DIRECT_MAX_BYTES = 2 ** 27;

const SOLVERS = ["auto", "direct", "cg"] as const;

export interface FitNTOptions extends FitOptions {
  /** "auto" (default: direct when small), "direct" or "cg". */
  solver?: "auto" | "direct" | "cg";
  /** CGLS relative tolerance on the normal-equations residual (default 1e-10). */
  tol?: number;
  /** CGLS iteration cap (default 4000). */
  maxIter?: number;
}

/** How fitNT solved its least-squares problem. */
export interface NTSolveInfo {
  solver: "direct" | "cg";
  /** CGLS iterations (0 for the direct solver). */
  iterations: number;
  /** ‖Φᵀr − nλθ‖ / ‖Φᵀy‖ at the end (0 for the direct solver). */
  relativeResidual: number;
  converged: boolean;
  /** Direct solver: the numerical rank of the Gram matrix. */
  rank?: number;
}

/** A fitted NT model: the FittedModel with the solver's diagnostics. */
export class NTModel extends Model {
  /** How the least-squares problem was solved, with CGLS diagnostics. */
  readonly solve: NTSolveInfo;

  constructor(
    activation: Activation,
    W: Matrix<Float64Array>,
    c: number,
    a: Float64Array,
    S: Matrix<Float64Array>,
    solve: NTSolveInfo,
  ) {
    super("NT", activation, W, c, a, S);
    this.solve = solve;
  }
}

/** The centred least-squares problem in the heap, shared by both solvers. */
interface Problem {
  s: Scope;
  n: number;
  d: number;
  N: number;
  /** p = N(d + 1) unknowns: θ = (a, S) with S row-major d×N. */
  p: number;
  ridge: number;
  /** Inputs, n×d. */
  X: HeapMatrix;
  /** Centred features F_c = σ(XW) − μ_F, n×N. */
  F: HeapMatrix;
  /** σ'(XW), n×N. */
  D: HeapMatrix;
  /** Centred targets, n×1 (and as a JS array). */
  y: HeapMatrix;
  yc: Float64Array;
}

interface Solution {
  theta: Float64Array;
  info: NTSolveInfo;
}

export function fitNT(options: FitNTOptions): NTModel {
  const { X, n, d, W, N, ridge, act, ybar, yc } = resolveFit(options, ["solver", "tol", "maxIter"]);
  const o = options as Partial<FitNTOptions>;
  const solver = checkEnum("options.solver", o.solver, SOLVERS, "auto");
  const tol = o.tol === undefined ? 1e-10 : checkFinite("options.tol", o.tol, 0, 1);
  const maxIter = o.maxIter === undefined ? 4000 : checkSize("options.maxIter", o.maxIter, 1);
  const p = N * (d + 1);
  const direct = solver === "direct" || (solver === "auto" && p <= DIRECT_MAX_PARAMS && n * p * 8 <= DIRECT_MAX_BYTES);
  if (solver === "direct" && n * p * 8 > DIRECT_MAX_BYTES) {
    throw new RangeError(
      `options.solver "direct" would build a ${n}×${p} feature matrix (${(n * p * 8) / 2 ** 20} MiB > ${DIRECT_MAX_BYTES / 2 ** 20} MiB): use "cg"`,
    );
  }
  const { theta, muF, muS, info } = scoped((s) => {
    const Xh = uploadMatrix(s, X);
    const { F, D } = features(s, Xh, W, act, true);
    const mu = allocVector(s, N);
    centerColumns(F, mu); // F_c and μ_F
    // μ_S = XᵀD/n (d×N): the means of the derivative features x_j σ'(zᵢ)
    const muS = read(gemm(s, Xh.T, D as HeapMatrix)).map((v) => v / n);
    const pr: Problem = { s, n, d, N, p, ridge, X: Xh, F, D: D as HeapMatrix, y: uploadVector(s, yc), yc };
    return { ...(direct ? solveDirect(pr) : solveCGLS(pr, tol, maxIter)), muF: read(mu), muS };
  });
  const a = theta.slice(0, N);
  const S = { rows: d, cols: N, data: theta.slice(N) };
  let c = ybar;
  for (let i = 0; i < N; i++) c -= muF[i] * a[i];
  for (let k = 0; k < d * N; k++) c -= muS[k] * S.data[k];
  return new NTModel(act, W, c, a, S, info);
}

/** Φ = [F_c | derivative block] explicitly, centred; (ΦᵀΦ/n + λI)⁺ Φᵀy_c/n by eigh. */
function solveDirect(pr: Problem): Solution {
  const { s, n, d, N, p, ridge } = pr;
  const Phi = allocMatrix(s, n, p);
  const block = allocMatrix(s, n, N * d);
  ntFeatures(pr.X, pr.D, block);
  copyInto(Phi, pr.F, 0, 0);
  copyInto(Phi, block, 0, N);
  centerColumns(Phi, allocVector(s, p));
  const G = read(gemm(s, Phi.T, Phi));
  const rhs = read(gemm(s, Phi.T, pr.y)).map((v) => v / n);
  for (let i = 0; i < p * p; i++) G[i] /= n;
  for (let i = 0; i < p; i++) G[i * p + i] += ridge;
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) G[j * p + i] = G[i * p + j];
  const { x, rank } = pinvSolve({ rows: p, cols: p, data: G }, rhs, true);
  return { theta: x as Float64Array, info: { solver: "direct", iterations: 0, relativeResidual: 0, converged: true, rank } };
}

/** CGLS on (ΦᵀΦ + nλI)θ = Φᵀy_c with the matrix-free products Φv and Φᵀr. */
function solveCGLS(pr: Problem, tol: number, maxIter: number): Solution {
  const { s, n, d, N, p, ridge, X, F, D } = pr;
  const a = allocVector(s, N),
    S = allocMatrix(s, d, N),
    T = allocMatrix(s, n, N);
  const q = allocVector(s, n),
    g = allocVector(s, n),
    r = allocVector(s, n);
  const E = allocMatrix(s, n, N),
    ga = allocVector(s, N),
    gS = allocMatrix(s, d, N);
  const apply = (v: Float64Array): Float64Array => {
    // θ = (a, S) with S row-major d×N, the heap layout the GEMM reads
    write(a, v.subarray(0, N));
    write(S, v.subarray(N));
    gemm(s, F, a, q); // F_c a
    gemm(s, X, S, T); // T = X S
    rowDot(T, D, g); // rowsum(T ∘ D)
    const qv = read(q),
      gv = read(g);
    let mg = 0;
    for (let i = 0; i < n; i++) mg += gv[i];
    mg /= n;
    for (let i = 0; i < n; i++) qv[i] += gv[i] - mg;
    return qv;
  };
  const applyT = (rv: Float64Array): Float64Array => {
    write(r, rv);
    gemm(s, F.T, r, ga); // F_cᵀ r
    scaleRows(D, r, E); // E = D ∘ r
    gemm(s, X.T, E, gS); // Xᵀ E
    const out = new Float64Array(p);
    readInto(ga, out, 0);
    readInto(gS, out, N);
    return out;
  };
  const damp = n * ridge;
  const theta = new Float64Array(p);
  const res = Float64Array.from(pr.yc);
  let sv = applyT(res);
  const norm0 = Math.sqrt(dot(sv, sv));
  const pv = Float64Array.from(sv);
  let gamma = dot(sv, sv);
  let it = 0,
    rel = norm0 === 0 ? 0 : 1;
  while (rel > tol && it < maxIter) {
    const qv = apply(pv);
    const delta = dot(qv, qv) + damp * dot(pv, pv);
    if (!(delta > 0)) break;
    const alpha = gamma / delta;
    for (let i = 0; i < p; i++) theta[i] += alpha * pv[i];
    for (let i = 0; i < n; i++) res[i] -= alpha * qv[i];
    sv = applyT(res);
    if (damp > 0) for (let i = 0; i < p; i++) sv[i] -= damp * theta[i];
    const g2 = dot(sv, sv);
    it++;
    rel = Math.sqrt(g2) / norm0;
    const beta = g2 / gamma;
    gamma = g2;
    for (let i = 0; i < p; i++) pv[i] = sv[i] + beta * pv[i];
  }
  return { theta, info: { solver: "cg", iterations: it, relativeResidual: rel, converged: rel <= tol } };
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}
