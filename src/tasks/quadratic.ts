// The quadratic regression task (docs/theory.md §2.1): x ~ N(0, I_d), y = xᵀBx − tr B + ε, ε ~ N(0, s²).

import { checkSize, checkFinite, checkOptions, describe } from "../runtime/errors.js";
import { quadraticSampler, sampleTask } from "../kernels/tasks.js";
import { createRng, type Rng, type Seed } from "../random/rng.js";
import { matmul } from "../linalg/matmul.js";
import type { Matrix } from "../linalg/matrix.js";
import { checkRng, checkSymmetric, fromEigen, haarOrthogonal, registerSampler, type Sample } from "./common.js";

export type QuadraticSpectrum = "exponential" | "goe" | "lowrank" | "flat";

export interface QuadraticTaskOptions {
  /** Input dimension d ≥ 1. */
  d: number;
  /**
   * How B is drawn (ignored when `B` is given):
   * - "exponential" (default, the paper's): B = diag(γ)/√d, γⱼ iid Exp(1); κ ≈ 1/2.
   * - "goe": B = (G + Gᵀ)/(√2·d), G iid N(0, 1): semicircle spectrum on [−2, 2]/√d; κ ≈ 0.
   * - "lowrank": B = Z Zᵀ/d with Z d×rank iid N(0, 1): PSD of rank `rank` (the unbounded gap).
   * - "flat": eigenvalues +1/√d (⌈d/2⌉ of them) and −1/√d.
   * - a Float64Array of d eigenvalues: B = diag(λ).
   */
  spectrum?: QuadraticSpectrum | Float64Array;
  /** Rank for "lowrank" (default ⌈d/10⌉). */
  rank?: number;
  /** An explicit symmetric d×d target matrix (overrides `spectrum`). */
  B?: Matrix;
  /** Conjugate B by a Haar-random rotation (default false; RF/NT/NN risks are rotation invariant in law). */
  rotate?: boolean;
  /** Standard deviation s of the additive label noise (default 0). */
  noise?: number;
  /** Seed of the draws that define B (default 1). Samples use the Rng passed to `sample`. */
  seed?: Seed;
}

export interface QuadraticTask {
  readonly kind: "quadratic";
  readonly d: number;
  /** Name of the spectrum ("custom" for a given B or eigenvalue vector). */
  readonly spectrum: QuadraticSpectrum | "custom";
  /** The symmetric target matrix. */
  readonly B: Matrix<Float64Array>;
  /** Label noise standard deviation s. */
  readonly noise: number;
  /** tr B. */
  readonly traceB: number;
  /** ‖B‖_F². */
  readonly frobB2: number;
  /** Var(y) = 2‖B‖_F² + s²: the risk of the best constant, used to normalise risks. */
  readonly risk0: number;
  /** κ = (tr B)² / (d‖B‖_F²) ∈ [0, 1]: the share of the isotropic part. */
  readonly kappa: number;
  /** B's eigenvalues when known by construction (diagonal B), else null. */
  readonly eigenvalues: Float64Array | null;
  /** Whether B is diagonal (sampling then costs O(n·d) instead of O(n·d²)). */
  readonly diagonal: boolean;
  /** n fresh samples: X's rows ~ N(0, I_d) (n·d normals first), then n noise normals if s > 0. */
  sample(n: number, rng: Rng): Sample;
}

export function quadraticTask(options: QuadraticTaskOptions): QuadraticTask {
  const o = checkOptions<QuadraticTaskOptions>("options", options, ["d", "spectrum", "rank", "B", "rotate", "noise", "seed"]);
  if (options === undefined) throw new TypeError("quadraticTask(options): options.d is required");
  const d = checkSize("options.d", o.d, 1, 1 << 15);
  const noise = o.noise === undefined ? 0 : checkFinite("options.noise", o.noise, 0);
  const rotate = o.rotate ?? false;
  if (typeof rotate !== "boolean") throw new TypeError(`options.rotate must be a boolean, got ${describe(rotate)}`);
  const rng = createRng(o.seed ?? 1);
  let B: Matrix<Float64Array>;
  let spectrum: QuadraticSpectrum | "custom";
  let eigenvalues: Float64Array | null = null;
  const scale = 1 / Math.sqrt(d);
  if (o.B !== undefined) {
    B = checkSymmetric("options.B", o.B);
    if (B.rows !== d) throw new RangeError(`options.B is ${B.rows}×${B.cols}, but options.d is ${d}`);
    spectrum = "custom";
  } else {
    const sp = o.spectrum ?? "exponential";
    if (sp instanceof Float64Array) {
      if (sp.length !== d) throw new RangeError(`options.spectrum has ${sp.length} eigenvalues, but options.d is ${d}`);
      for (let i = 0; i < d; i++) checkFinite(`options.spectrum[${i}]`, sp[i]);
      eigenvalues = Float64Array.from(sp);
      spectrum = "custom";
    } else if (sp === "exponential") {
      eigenvalues = rng.exponential(d).map((g) => g * scale);
      spectrum = sp;
    } else if (sp === "flat") {
      eigenvalues = Float64Array.from({ length: d }, (_, i) => (i < Math.ceil(d / 2) ? scale : -scale));
      spectrum = sp;
    } else if (sp === "goe") {
      const g = rng.normalMatrix(d, d);
      const c = 1 / (Math.SQRT2 * d);
      const data = new Float64Array(d * d);
      for (let i = 0; i < d; i++)
        for (let j = 0; j <= i; j++) {
          const v = (g.data[i * d + j] + g.data[j * d + i]) * c;
          data[i * d + j] = v;
          data[j * d + i] = v;
        }
      B = { rows: d, cols: d, data };
      spectrum = sp;
    } else if (sp === "lowrank") {
      const k = o.rank === undefined ? Math.ceil(d / 10) : checkSize("options.rank", o.rank, 1, d);
      const z = rng.normalMatrix(d, k);
      const zz = matmul(z, z, { transB: true });
      // the GEMM sums both triangles in the same order, so this is already symmetric; enforce it
      for (let i = 0; i < d; i++)
        for (let j = 0; j < i; j++) {
          const v = zz.data[i * d + j] / d;
          zz.data[i * d + j] = v;
          zz.data[j * d + i] = v;
        }
      for (let i = 0; i < d; i++) zz.data[i * d + i] /= d;
      B = zz;
      spectrum = sp;
    } else {
      throw new TypeError(
        `options.spectrum must be "exponential", "goe", "lowrank", "flat" or a Float64Array of eigenvalues, got ${describe(sp)}`,
      );
    }
    if (o.rank !== undefined && sp !== "lowrank") throw new TypeError(`options.rank only applies to spectrum "lowrank"`);
  }
  if (eigenvalues !== null) {
    if (rotate) {
      B = fromEigen(haarOrthogonal(d, rng), eigenvalues);
    } else {
      const data = new Float64Array(d * d);
      for (let i = 0; i < d; i++) data[i * d + i] = eigenvalues[i];
      B = { rows: d, cols: d, data };
    }
  } else if (rotate) {
    const q = haarOrthogonal(d, rng);
    const qb = matmul(q, B!);
    const r = matmul(qb, q, { transB: true });
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) r.data[j * d + i] = r.data[i * d + j];
    B = r;
  }
  const Bm = B!;
  let diagonal = true;
  for (let i = 0; i < d && diagonal; i++)
    for (let j = 0; j < d; j++)
      if (i !== j && Bm.data[i * d + j] !== 0) {
        diagonal = false;
        break;
      }
  if (diagonal && eigenvalues === null) eigenvalues = Float64Array.from({ length: d }, (_, i) => Bm.data[i * d + i]);
  let traceB = 0,
    frobB2 = 0;
  for (let i = 0; i < d; i++) traceB += Bm.data[i * d + i];
  for (const x of Bm.data) frobB2 += x * x;
  const kappa = frobB2 === 0 ? 0 : (traceB * traceB) / (d * frobB2);
  const sampler = quadraticSampler(Bm, diagonal, traceB, noise);

  function sample(n: number, r: Rng): Sample {
    checkSize("n", n, 0, Math.floor(2 ** 28 / d));
    checkRng("rng", r);
    return sampleTask(sampler, n, r);
  }

  const task: QuadraticTask = {
    kind: "quadratic",
    d,
    spectrum,
    B: Bm,
    noise,
    traceB,
    frobB2,
    risk0: 2 * frobB2 + noise * noise,
    kappa,
    eigenvalues,
    diagonal,
    sample,
  };
  return registerSampler(task, sampler);
}
