// Neural tangent (NT): the linearisation of the network at W, fitted by least squares over
// c, a and the directions S = [s₁ … s_N] (N·d + N + 1 parameters; SPEC §3, §7):
//   f(x) = c + Σᵢ aᵢ σ(wᵢᵀx) + Σᵢ ⟨sᵢ, x⟩ σ'(wᵢᵀx).
// The intercept is eliminated by centring. Two solvers, same solution:
// - direct (p = N(d+1) ≤ DIRECT_MAX_PARAMS): the explicit feature matrix Φ (n×p, WASM), its
//   Gram ΦᵀΦ (GEMM) and the pseudo-inverse from eigh — the NT features are always linearly
//   dependent (S = W·K with K antisymmetric gives SWᵀ + WSᵀ = 0), so the Gram is singular and
//   eigenvalues ≤ p·ε·λ_max are treated as zero (minimum-norm least squares);
// - matrix-free CGLS (Hestenes–Stiefel CG on the normal equations, Björck, Numerical Methods
//   for Least Squares Problems §7.4) otherwise: each iteration costs two GEMMs of n·d·N
//   (Φv = F a + rowsum((X S) ∘ σ'(Z)), Φᵀr = (Fᵀr, Xᵀ(σ'(Z) ∘ r))), Φ is never formed. Started
//   at 0 it converges to the minimum-norm solution as well. Stops when
//   ‖Φᵀr − nλθ‖ ≤ tol·‖Φᵀy‖ (default tol 1e-10) or after maxIter iterations (default 4000);
//   the iteration count and final relative residual are reported on the model.

import { eigh } from "../linalg/eigh.js";
import { checkFinite, checkSize } from "../runtime/errors.js";
import { heapF64, readF64, scoped, wasm } from "../runtime/module.js";
import { featuresInto, Model } from "./model.js";
import { resolveFit, type FitOptions } from "./rf.js";

const EPS = 2 ** -52;
/** Largest parameter count solved by the explicit normal equations. */
export const DIRECT_MAX_PARAMS = 600;
/** Largest explicit feature matrix (bytes) the direct path may build. */
const DIRECT_MAX_BYTES = 2 ** 27;

export interface FitNTOptions extends FitOptions {
  /** "auto" (default: direct when small), "direct" or "cg". */
  solver?: "auto" | "direct" | "cg";
  /** CGLS relative tolerance on the normal-equations residual (default 1e-10). */
  tol?: number;
  /** CGLS iteration cap (default 4000). */
  maxIter?: number;
}

export interface NTModel extends Model {
  /** How the least-squares problem was solved, with CGLS diagnostics. */
  readonly solve: { solver: "direct" | "cg"; iterations: number; relativeResidual: number; converged: boolean; rank?: number };
}

export function fitNT(options: FitNTOptions): NTModel {
  const { X, n, d, W, N, ridge, act, ybar, yc } = resolveFit(options, ["solver", "tol", "maxIter"]);
  const o = options as Partial<FitNTOptions>;
  const solver = o.solver ?? "auto";
  if (solver !== "auto" && solver !== "direct" && solver !== "cg") throw new TypeError(`options.solver must be "auto", "direct" or "cg", got ${String(solver)}`);
  const tol = o.tol === undefined ? 1e-10 : checkFinite("options.tol", o.tol, 0, 1);
  const maxIter = o.maxIter === undefined ? 4000 : checkSize("options.maxIter", o.maxIter, 1);
  const p = N * (d + 1);
  const direct = solver === "direct" || (solver === "auto" && p <= DIRECT_MAX_PARAMS && n * p * 8 <= DIRECT_MAX_BYTES);
  if (solver === "direct" && n * p * 8 > DIRECT_MAX_BYTES) {
    throw new RangeError(`options.solver "direct" would build a ${n}×${p} feature matrix (${(n * p * 8) / 2 ** 20} MiB > ${DIRECT_MAX_BYTES / 2 ** 20} MiB): use "cg"`);
  }
  const result = scoped((s) => {
    const ex = wasm();
    const px = s.f64(X.data);
    const { pf, pd } = featuresInto(s, px, n, d, W, act, true);
    const pmf = s.alloc(N * 8);
    ex.dcentercols(n, N, pf, N, pmf); // F_c and μ_F
    // μ_S = XᵀD/n (d×N): the means of the derivative features x_j σ'(zᵢ)
    const pms = s.alloc(d * N * 8);
    ex.dgemm(d, N, n, px, 1, d, pd, N, 1, pms, N, 0);
    const muF = readF64(pmf, N);
    const muS = readF64(pms, d * N).map((v) => v / n);
    const py = s.f64(yc);
    let theta: Float64Array;
    let info: NTModel["solve"];
    if (direct) {
      // Φ = [F_c | derivative block], centred column by column
      const pphi = s.alloc(n * p * 8);
      const pblk = s.alloc(n * N * d * 8);
      ex.dntfeatures(n, d, N, px, pd, pblk, N * d);
      // assemble rows: [F_c(r, :) | block(r, :)]
      const h = heapF64();
      const F0 = pf >>> 3, B0 = pblk >>> 3, P0 = pphi >>> 3;
      for (let r = 0; r < n; r++) {
        h.copyWithin(P0 + r * p, F0 + r * N, F0 + r * N + N);
        h.copyWithin(P0 + r * p + N, B0 + r * N * d, B0 + (r + 1) * N * d);
      }
      const pm = s.alloc(p * 8);
      ex.dcentercols(n, p, pphi, p, pm);
      const pg = s.alloc(p * p * 8);
      ex.dgemm(p, p, n, pphi, 1, p, pphi, p, 1, pg, p, 0);
      const prhs = s.alloc(p * 8);
      ex.dgemm(p, 1, n, pphi, 1, p, py, 1, 1, prhs, 1, 0);
      const G = readF64(pg, p * p);
      for (let i = 0; i < p * p; i++) G[i] /= n;
      for (let i = 0; i < p; i++) G[i * p + i] += ridge;
      for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) G[j * p + i] = G[i * p + j];
      const rhs = readF64(prhs, p).map((v) => v / n);
      const { values, vectors } = eigh({ rows: p, cols: p, data: G });
      const cut = p * EPS * Math.max(values[p - 1], 0);
      theta = new Float64Array(p);
      let rank = 0;
      for (let k = 0; k < p; k++) {
        if (!(values[k] > cut)) continue;
        rank++;
        let c = 0;
        for (let i = 0; i < p; i++) c += vectors.data[i * p + k] * rhs[i];
        c /= values[k];
        for (let i = 0; i < p; i++) theta[i] += c * vectors.data[i * p + k];
      }
      info = { solver: "direct", iterations: 0, relativeResidual: 0, converged: true, rank };
    } else {
      // CGLS on (ΦᵀΦ + nλI)θ = Φᵀy_c with the matrix-free products below.
      const pa = s.alloc(N * 8), pS = s.alloc(d * N * 8), pt = s.alloc(n * N * 8);
      const pq = s.alloc(n * 8), pg = s.alloc(n * 8), pr = s.alloc(n * 8);
      const pe = s.alloc(n * N * 8), pga = s.alloc(N * 8), pgs = s.alloc(d * N * 8);
      const apply = (v: Float64Array): Float64Array => {
        const h = heapF64();
        // θ = (a, S) with S row-major d×N, the heap layout the GEMM reads
        h.set(v.subarray(0, N), pa >>> 3);
        h.set(v.subarray(N), pS >>> 3);
        ex.dgemm(n, 1, N, pf, N, 1, pa, 1, 1, pq, 1, 0); // F_c a
        ex.dgemm(n, N, d, px, d, 1, pS, N, 1, pt, N, 0); // T = X S
        ex.drowdot(n, N, pt, N, pd, N, pg); // rowsum(T ∘ D)
        const q = readF64(pq, n), g = readF64(pg, n);
        let mg = 0;
        for (let i = 0; i < n; i++) mg += g[i];
        mg /= n;
        for (let i = 0; i < n; i++) q[i] += g[i] - mg;
        return q;
      };
      const applyT = (r: Float64Array): Float64Array => {
        heapF64().set(r, pr >>> 3);
        ex.dgemm(N, 1, n, pf, 1, N, pr, 1, 1, pga, 1, 0); // F_cᵀ r
        ex.dscalerows(n, N, pd, N, pr, pe, N); // E = D ∘ r
        ex.dgemm(d, N, n, px, 1, d, pe, N, 1, pgs, N, 0); // Xᵀ E
        const out = new Float64Array(p);
        out.set(readF64(pga, N), 0);
        out.set(heapF64().subarray(pgs >>> 3, (pgs >>> 3) + d * N), N);
        return out;
      };
      const damp = n * ridge;
      theta = new Float64Array(p);
      const r = Float64Array.from(yc);
      let sv = applyT(r);
      const norm0 = Math.sqrt(dot(sv, sv));
      const pv = Float64Array.from(sv);
      let gamma = dot(sv, sv);
      let it = 0, rel = norm0 === 0 ? 0 : 1;
      while (rel > tol && it < maxIter) {
        const q = apply(pv);
        const delta = dot(q, q) + damp * dot(pv, pv);
        if (!(delta > 0)) break;
        const alpha = gamma / delta;
        for (let i = 0; i < p; i++) theta[i] += alpha * pv[i];
        for (let i = 0; i < n; i++) r[i] -= alpha * q[i];
        sv = applyT(r);
        if (damp > 0) for (let i = 0; i < p; i++) sv[i] -= damp * theta[i];
        const g2 = dot(sv, sv);
        it++;
        rel = Math.sqrt(g2) / norm0;
        const beta = g2 / gamma;
        gamma = g2;
        for (let i = 0; i < p; i++) pv[i] = sv[i] + beta * pv[i];
      }
      info = { solver: "cg", iterations: it, relativeResidual: rel, converged: rel <= tol };
    }
    return { theta, muF, muS, info };
  });
  const { theta, muF, muS, info } = result;
  const a = theta.slice(0, N);
  const S = { rows: d, cols: N, data: theta.slice(N) };
  let c = ybar;
  for (let i = 0; i < N; i++) c -= muF[i] * a[i];
  for (let k = 0; k < d * N; k++) c -= muS[k] * S.data[k];
  const model = new Model("NT", act, W, c, a, S) as NTModel;
  Object.defineProperty(model, "solve", { value: info, enumerable: true });
  return model;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}
