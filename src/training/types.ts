// Public types of gradient training (trainNN, trainNT): options, progress, curve, result.
//
// Parameterisation (mean-field, docs/theory.md §6; the authors' TensorFlow scripts):
//   NN  ŷ(x) = β·c + (α/N) Σᵢ Aᵢ σ(wᵢᵀx),  Aᵢ = a (one shared scalar) or aᵢ (per neuron)
//   NT  ŷ(x) = β·c + (α/N) Σᵢ [aᵢ σ(wᵢᵀx) + a⁰ᵢ σ'(wᵢᵀx) gᵢᵀx],  W, a⁰ frozen; a starts at a⁰
// Returned models use the plain form of regimes/model.ts: aᵢ(model) = (α/N)·Aᵢ, c(model) = β·c
// and, for NT, sᵢ(model) = (α/N)·a⁰ᵢ·gᵢ, so predict / quadraticForm / populationRisk apply unchanged.

import type { Matrix, MatrixLike, VectorLike } from "../linalg/matrix.js";
import type { Seed } from "../random/rng.js";
import type { Convergence } from "./convergence.js";
import { encodeArray, encodeMatrix, encodeNumber, Model, type Activation, type ModelJSON, type Task } from "../regimes/model.js";

export type SecondLayerMode = "shared" | "free" | "positive";
export type Optimizer = "sgd" | "adam";
export type Schedule = "paper" | "constant" | "cosine";
/** Float type of the training step: "f64" (default) or "f32" (the authors' float32). */
export type Precision = "f64" | "f32";

export interface TrainProgress {
  /** Steps completed so far. */
  step: number;
  /** Steps requested. */
  steps: number;
  /** Mean batch loss over the steps since the previous report. */
  loss: number;
  /** Learning rate of the current step. */
  lr: number;
  /** Seconds since training started. */
  elapsed: number;
  /** Estimated seconds to completion (elapsed / step · remaining steps). */
  eta: number;
}

interface CommonOptions {
  /** A task (quadraticTask / mixtureTask): fresh samples every step. Give either task or X, y. */
  task?: Task;
  /**
   * A fixed training sample (n×d: a Matrix or rows as number[][]) and its targets (length n):
   * full-batch or minibatch training on it. Float32 data and plain arrays are copied once into
   * Float64Arrays (exact).
   */
  X?: MatrixLike;
  y?: VectorLike;
  /** Number of neurons N ≥ 1. */
  N: number;
  /** Initial (NN) or frozen (NT) first layer, d×N (MatrixLike); default iid N(0, 1/d) from `seed`. */
  W0?: MatrixLike;
  /** Initial offset c (default 0). */
  c0?: number;
  /** Mean-field output scale α > 0 (default 1; larger α pushes training toward the lazy regime). */
  alpha?: number;
  /** Offset scale β > 0 (default 1). */
  beta?: number;
  /** σ: "square" (default), "relu" or "tanh". */
  activation?: Activation;
  /**
   * Float type of the training step: "f64" (default; bit-identical in every engine and build)
   * or "f32" — the authors trained in float32 — where the step (forward, backward, update: θ,
   * gradient, Adam moments and activations) runs in float32 with f32x4 SIMD, about twice the
   * throughput. Either way the batches are drawn in float64 (an f32 run sees the f64 run's
   * batches rounded once to float32), the batch losses are summed in float64, the returned model
   * is float64 (the float32 parameters widened exactly) and its population risks are exact.
   */
  precision?: Precision;
  /** "sgd" (default: plain SGD, the authors' protocol) or "adam" (β₁ 0.9, β₂ 0.999, ε 1e-8). */
  optimizer?: Optimizer;
  /** Base learning rate (default: see defaultLearningRate). */
  lr?: number;
  /**
   * Multiplier of the default learning rate (default 1; exclusive with `lr`). The default rule
   * is conservative for N ≥ d, where 2–4× converges several times faster (divergence starts
   * near 8×).
   */
  lrScale?: number;
  /**
   * "paper" (default): lr, then lr/10 over the last 30 % of the steps (NT: 20 %) for half of that
   * tail, then lr/15 — the authors' 100k-step schedule (last 30k / 20k steps) scaled to `steps`;
   * "constant"; "cosine": lr·(1 + cos(πt/steps))/2.
   */
  schedule?: Schedule;
  /** Number of steps ≥ 1. */
  steps: number;
  /** Batch size (default 100; with X, y: capped at n, and batch ≥ n is full-batch GD). */
  batch?: number;
  /** true (default with a task): fresh samples every step. false: train on the given X, y. */
  online?: boolean;
  /** Seed of initialisation and data (default 1); see the stream layout in the README. */
  seed?: Seed;
  /** Exact population-risk checkpoints recorded in the curve (quadratic task, square; default 20). */
  checkpoints?: number;
  /** Called with progress at most every `progressInterval` ms and once at the end. */
  onProgress?: (p: TrainProgress) => void;
  /** Minimum milliseconds between onProgress calls (default 250). */
  progressInterval?: number;
  /** Stops training cleanly between chunks; the model trained so far is returned (aborted: true). */
  signal?: AbortSignal;
}

export interface TrainNNOptions extends CommonOptions {
  /**
   * Second layer: "shared" (default, the authors' NN: one scalar a, initialised at 0);
   * "free": per-neuron aᵢ with random signs ±1 (signs never flip under gradient flow since
   * aᵢ² − ‖wᵢ‖²/2 is conserved: training stalls at the sign-split optimum); "positive":
   * per-neuron aᵢ initialised at 1 and kept ≥ 0 by projection after each update.
   */
  secondLayer?: SecondLayerMode;
  /** Initial second layer: a number for "shared", a vector of length N otherwise. */
  a0?: number | VectorLike;
}

export interface TrainNTOptions extends CommonOptions {
  /**
   * a⁰ (length N): the frozen weights of the linearisation and the initial a. Default: random
   * signs ±1 (the authors' script draws N(0, 1); pass `a0: createRng(s).normal(N)` for that).
   */
  a0?: VectorLike;
}

/** A training curve: thinned batch losses and, when cheap, exact population risks. */
export interface TrainingCurve {
  /** Last step (exclusive end) of each window. */
  step: Float64Array;
  /** Mean batch loss over each window (≤ 1000 windows of equal length). */
  loss: Float64Array;
  /** Steps at which the population risk was computed (quadratic task with σ = t² only). */
  riskStep: Float64Array;
  /** Exact population risk 2‖B − M‖² + (c + tr M)² + s² at riskStep. */
  risk: Float64Array;
}

/** Raw parameters in the mean-field parameterisation above. */
export interface TrainedParameters {
  /** NN: the trained first layer; NT: the frozen W. */
  W: Matrix<Float64Array>;
  /** NN shared: the scalar a; otherwise aᵢ (length N). */
  a: number | Float64Array;
  c: number;
  /** NT: G (d×N, one direction gᵢ per column). */
  G?: Matrix<Float64Array>;
  /** NT: the frozen a⁰. */
  a0?: Float64Array;
}

export interface TrainInfo {
  /** The resolved options (defaults filled in; task/X/y/W0/callbacks omitted). */
  options: Record<string, unknown>;
  /** Steps completed (< requested when aborted). */
  steps: number;
  aborted: boolean;
  seconds: number;
  /** Learning rate actually used as the schedule's base. */
  lr: number;
  /**
   * Present when the default rate diverged: how many times it was halved (1 to 3) before this
   * run, from the same seeds, trained without diverging (`lr` is the halved rate).
   */
  lrHalvings?: number;
  /**
   * Convergence diagnostic of the curve: relative loss slope over the final 10 % of the steps
   * (with its standard error), relative exact-risk change over the final 10 %, and `converged`
   * (both below 1 %, the slope's bound widened by 3 standard errors; see
   * training/convergence.ts for the rule and why).
   */
  convergence: Convergence;
}

export class TrainedModel extends Model {
  constructor(
    regime: "NN" | "NT",
    activation: Activation,
    W: Matrix<Float64Array>,
    c: number,
    a: Float64Array,
    S: Matrix<Float64Array> | null,
    /** Raw trained parameters (mean-field form). */
    readonly params: TrainedParameters,
    readonly curve: TrainingCurve,
    readonly training: TrainInfo,
  ) {
    super(regime, activation, W, c, a, S);
  }

  /** The JSON form with the raw parameters, the curve and the training info (see ModelJSON). */
  override toJSON(): ModelJSON {
    const p = this.params,
      cv = this.curve,
      t = this.training;
    const params: NonNullable<ModelJSON["trained"]>["params"] = {
      a: typeof p.a === "number" ? encodeNumber(p.a) : encodeArray(p.a),
      c: encodeNumber(p.c),
    };
    if (p.G !== undefined) params.G = encodeMatrix(p.G);
    if (p.a0 !== undefined) params.a0 = encodeArray(p.a0);
    return {
      ...super.toJSON(),
      trained: {
        params,
        curve: {
          step: encodeArray(cv.step),
          loss: encodeArray(cv.loss),
          riskStep: encodeArray(cv.riskStep),
          risk: encodeArray(cv.risk),
        },
        training: {
          options: encodeValue(t.options) as Record<string, unknown>,
          steps: t.steps,
          aborted: t.aborted,
          seconds: encodeNumber(t.seconds),
          lr: encodeNumber(t.lr),
          ...(t.lrHalvings === undefined ? {} : { lrHalvings: t.lrHalvings }),
        },
      },
    };
  }
}

/**
 * @internal A resolved-options value in JSON-safe form: numbers that JSON cannot carry (NaN,
 * ±Infinity, -0) become { number: "…" }, bigints (seeds) { bigint: "…" }; decodeValue inverts it.
 */
export function encodeValue(v: unknown): unknown {
  if (typeof v === "number") {
    const e = encodeNumber(v);
    return typeof e === "number" ? e : { number: e };
  }
  if (typeof v === "bigint") return { bigint: v.toString() };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== "function") out[k] = encodeValue(x);
    return out;
  }
  return v;
}
