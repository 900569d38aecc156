// Gaussian mixture classification (docs/theory.md §2.2): y = ±1 with probability ½,
// x | y ~ N(0, I + y·Δ), Δ symmetric with ‖Δ‖_op < 1.
//
// Δ is kept in eigen-form U·diag(δ)·Uᵀ (U d×r orthonormal), so that sampling and the Bayes rule
// never need a matrix square root or inverse at run time:
//   x = z + U[(√(1 + yδ) − 1) ∘ (Uᵀz)],  z ~ N(0, I)       ((I + yΔ)^{1/2} z)
//   Bayes: predict +1 iff Σₖ (uₖᵀx)² · 2δₖ/(1 − δₖ²) > Σₖ log((1 + δₖ)/(1 − δₖ))
// (the quadratic rule xᵀ(Σ₋⁻¹ − Σ₊⁻¹)x > log det Σ₊ − log det Σ₋ written in the eigenbasis).

import { checkFinite, checkOptions, checkSize, describe } from "../runtime/errors.js";
import { mixtureBayesErrors, mixtureSampler, sampleTask } from "../kernels/tasks.js";
import { createRng, type Rng, type Seed } from "../random/rng.js";
import { eigh } from "../linalg/eigh.js";
import type { Matrix } from "../linalg/matrix.js";
import { log1p } from "../theory/math.js";
import { checkRng, checkSymmetric, fromEigen, haarOrthogonal, registerSampler, type Sample } from "./common.js";

export interface MixtureTaskOptions {
  d: number;
  /**
   * "lowrank" (default): Δ = strength·U diag(γ/max γ) Uᵀ with U a Haar-random d×rank frame and
   * γ iid Exp(1); "diagonal": Δ = strength·diag(γ/max γ), γ iid Exp(1) (full rank);
   * or an explicit symmetric d×d Matrix (then `strength` must be omitted).
   */
  delta?: "lowrank" | "diagonal" | Matrix;
  /** ‖Δ‖_op for the drawn kinds, in (0, 1). Default 0.5. */
  strength?: number;
  /** Rank of a "lowrank" Δ (default ⌈d/10⌉). */
  rank?: number;
  /** Seed of the draws that define Δ (default 1). */
  seed?: Seed;
}

export interface MixtureTask {
  readonly kind: "mixture";
  readonly d: number;
  /** Δ as a dense symmetric matrix. */
  readonly delta: Matrix<Float64Array>;
  /** Δ's non-zero eigenvalues δ and their orthonormal eigenvectors U (d×r, columns). */
  readonly deltaEigen: { values: Float64Array; vectors: Matrix<Float64Array> };
  /** ‖Δ‖_op. */
  readonly strength: number;
  /** n samples: labels first (n uniforms: y = +1 iff u < ½), then n·d normals for z. */
  sample(n: number, rng: Rng): Sample;
  /** Monte Carlo estimate of the Bayes 0-1 error with nMC fresh samples, and its standard error. */
  bayesError(nMC: number, rng: Rng): { error: number; stderr: number };
}

const CHUNK = 1 << 14;

export function mixtureTask(options: MixtureTaskOptions): MixtureTask {
  const o = checkOptions<MixtureTaskOptions>("options", options, ["d", "delta", "strength", "rank", "seed"]);
  if (options === undefined) throw new TypeError("mixtureTask(options): options.d is required");
  const d = checkSize("options.d", o.d, 1, 1 << 15);
  const rng = createRng(o.seed ?? 1);
  const kind = o.delta ?? "lowrank";
  let values: Float64Array;
  let U: Matrix<Float64Array>;
  let isDiagonal = false;
  if (kind === "lowrank" || kind === "diagonal") {
    const strength = o.strength === undefined ? 0.5 : checkFinite("options.strength", o.strength, 0, 1);
    if (!(strength > 0 && strength < 1)) throw new RangeError(`options.strength must be in (0, 1) (‖Δ‖_op < 1), got ${strength}`);
    const r = kind === "diagonal" ? d : o.rank === undefined ? Math.ceil(d / 10) : checkSize("options.rank", o.rank, 1, d);
    if (kind === "diagonal" && o.rank !== undefined) throw new TypeError('options.rank only applies to delta "lowrank"');
    const g = rng.exponential(r);
    let gmax = 0;
    for (const x of g) gmax = Math.max(gmax, x);
    values = g.map((x) => (strength * x) / gmax);
    if (kind === "diagonal") {
      U = { rows: d, cols: d, data: new Float64Array(d * d) };
      for (let i = 0; i < d; i++) U.data[i * d + i] = 1;
      isDiagonal = true;
    } else {
      const q = haarOrthogonal(d, rng);
      U = { rows: d, cols: r, data: new Float64Array(d * r) };
      for (let i = 0; i < d; i++) for (let k = 0; k < r; k++) U.data[i * r + k] = q.data[i * d + k];
    }
  } else if (kind !== null && typeof kind === "object") {
    if (o.strength !== undefined)
      throw new TypeError("options.strength applies only to drawn deltas; an explicit options.delta sets its own norm");
    if (o.rank !== undefined) throw new TypeError('options.rank only applies to delta "lowrank"');
    const D = checkSymmetric("options.delta", kind);
    if (D.rows !== d) throw new RangeError(`options.delta is ${D.rows}×${D.cols}, but options.d is ${d}`);
    const e = eigh(D);
    let opnorm = 0;
    for (const x of e.values) opnorm = Math.max(opnorm, Math.abs(x));
    if (!(opnorm < 1)) throw new RangeError(`options.delta must have ‖Δ‖_op < 1 (so that I ± Δ are covariances), got ${opnorm}`);
    values = e.values;
    U = e.vectors;
  } else {
    throw new TypeError(`options.delta must be "lowrank", "diagonal" or a symmetric Matrix, got ${describe(kind)}`);
  }
  let strength = 0;
  for (const x of values) strength = Math.max(strength, Math.abs(x));
  const delta = isDiagonal
    ? {
        rows: d,
        cols: d,
        data: (() => {
          const a = new Float64Array(d * d);
          for (let i = 0; i < d; i++) a[i * d + i] = values[i];
          return a;
        })(),
      }
    : fromEigen(U, values);
  // the sampler (assembly/tasks/mixture.ts) holds the factors √(1 ± δ) − 1, computed once
  const sampler = mixtureSampler(values, U);
  // Bayes rule in the eigenbasis: +1 iff Σₖ wₖ (uₖᵀx)² > threshold
  const bayesW = values.map((v) => (2 * v) / (1 - v * v));
  let bayesThreshold = 0;
  for (const v of values) bayesThreshold += log1p(v) - log1p(-v);

  function sample(n: number, r_: Rng): Sample {
    checkSize("n", n, 0, Math.floor(2 ** 28 / d));
    checkRng("rng", r_);
    return sampleTask(sampler, n, r_);
  }

  function bayesError(nMC: number, r_: Rng): { error: number; stderr: number } {
    checkSize("nMC", nMC, 1, 2 ** 40);
    checkRng("rng", r_);
    let wrong = 0;
    for (let done = 0; done < nMC; done += CHUNK) {
      wrong += mixtureBayesErrors(sampler, Math.min(CHUNK, nMC - done), r_, bayesW, bayesThreshold);
    }
    const p = wrong / nMC;
    return { error: p, stderr: Math.sqrt((p * (1 - p)) / nMC) };
  }

  const task: MixtureTask = { kind: "mixture", d, delta, deltaEigen: { values, vectors: U }, strength, sample, bayesError };
  return registerSampler(task, sampler);
}
