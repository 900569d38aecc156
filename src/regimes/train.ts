// Gradient training of the two-layer network (NN) and of its linearisation (NT) by online SGD
// — the authors' protocol (SPEC §6) — or Adam, on fresh samples every step or on a given
// sample. Every step runs in WebAssembly (assembly/nn/train.ts): sampling, forward, loss,
// backward as GEMMs plus fused elementwise passes, update. This file validates, allocates the
// buffers once per run, drives the kernel in chunks (progress, AbortSignal, divergence) and
// wraps the result in the shared model interface (model.ts).
//
// Parameterisation (mean-field, SPEC §6; the authors' TensorFlow scripts):
//   NN  ŷ(x) = β·c + (α/N) Σᵢ Aᵢ σ(wᵢᵀx),  Aᵢ = a (one shared scalar) or aᵢ (per neuron)
//   NT  ŷ(x) = β·c + (α/N) Σᵢ [aᵢ σ(wᵢᵀx) + a⁰ᵢ σ'(wᵢᵀx) gᵢᵀx],  W, a⁰ frozen; a starts at a⁰
// Loss: mean over the batch of (ŷ − y)²; SGD steps θ ← θ − lr·s·∇L with the rescaling
// s = N/α² (W, G, per-neuron a), 1/α² (shared a), 1/β² (c).
// Returned models use the plain form of model.ts: aᵢ(model) = (α/N)·Aᵢ, c(model) = β·c and,
// for NT, sᵢ(model) = (α/N)·a⁰ᵢ·gᵢ, so predict / quadraticForm / populationRisk apply unchanged.

import type { Matrix } from "../linalg/matrix.js";
import { checkFinite, checkOptions, checkSize, describe } from "../runtime/errors.js";
import { heapF64, readF64, Scope, wasm } from "../runtime/module.js";
import { yieldToEventLoop } from "../runtime/yield.js";
import { createRng, Rng, type Seed } from "../random/rng.js";
import { checkActivation, checkFiniteMatrix, checkW, checkXY, Model, ACTIVATION_CODE, type Activation, type Task } from "./model.js";

export type SecondLayerMode = "shared" | "free" | "positive";
export type Optimizer = "sgd" | "adam";
export type Schedule = "paper" | "constant" | "cosine";

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
  /** A fixed training sample (n×d) and its targets: full-batch or minibatch training on it. */
  X?: Matrix;
  y?: Float64Array;
  /** Number of neurons N ≥ 1. */
  N: number;
  /** Initial (NN) or frozen (NT) first layer, d×N; default iid N(0, 1/d) from `seed`. */
  W0?: Matrix;
  /** Initial offset c (default 0). */
  c0?: number;
  /** Mean-field output scale α > 0 (default 1; larger α pushes training toward the lazy regime). */
  alpha?: number;
  /** Offset scale β > 0 (default 1). */
  beta?: number;
  /** σ: "square" (default), "relu" or "tanh". */
  activation?: Activation;
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
  /** Initial second layer: a number for "shared", a Float64Array of N otherwise. */
  a0?: number | Float64Array;
}

export interface TrainNTOptions extends CommonOptions {
  /**
   * a⁰ (length N): the frozen weights of the linearisation and the initial a. Default: random
   * signs ±1 (the authors' script draws N(0, 1); pass `a0: createRng(s).normal(N)` for that).
   */
  a0?: Float64Array;
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
}

// ---------------------------------------------------------------------------------------
// Context slots: mirror of assembly/nn/train.ts (nnCtxSlots() is checked before use).

const C = {
  MODE: 0, D: 1, N: 2, B: 3, ACT: 4, SECOND: 5, ALPHA: 6, BETA: 7, OPT: 8,
  ADAM_B1: 9, ADAM_B2: 10, ADAM_EPS: 11, ADAM_B1T: 12, ADAM_B2T: 13,
  TASK: 14, TASK_DIAG: 15, TASK_R: 16, TRACE: 17, NOISE: 18, TASK_P0: 19, TASK_P1: 20, TASK_P2: 21,
  THETA: 22, GRAD: 23, M: 24, V: 25, W0: 26, A0: 27, X: 28, Y: 29, Z: 30, F: 31, DZ: 32, T: 33,
  WORK: 34, VEC: 35, COEF: 36, COLACC: 37, STEP: 38, STEPS: 39, SCHED: 40, LR: 41, TAIL1: 42, TAIL2: 43,
  REF: 44, EXPLODE: 45, XALL: 46, YALL: 47, NDATA: 48, PERM: 49, UNIF: 50, POS: 51,
} as const;
const SLOTS = 52;

/** Divergence: a batch loss above EXPLODE × max(E y², first loss), or not finite. */
const EXPLODE = 1e4;
const MAX_CHUNK = 4096;
const CHUNK_SECONDS = 0.05;
const SECOND_CODE: Record<SecondLayerMode, number> = { shared: 0, free: 1, positive: 2 };
const SCHED_CODE: Record<Schedule, number> = { constant: 0, paper: 1, cosine: 2 };

// ---------------------------------------------------------------------------------------
// Default learning rate

/**
 * The default SGD learning rate, from the scaling of SPEC §6 (documented in the README):
 * plain SGD on L = mean (ŷ − y)² is stable while lr·λ < 1 for the largest eigenvalue λ of the
 * rescaled tangent kernel, and for online minibatches the kernel's trace over the batch size
 * adds to it. For σ = t² we predict the kernel at the end of training, where the output
 * scale T (≈ tr M of the fitted quadratic form) is reached:
 *   T  = √(min(N, d)·Var(y)/2)            (an upper bound on tr M from ‖M‖_F² ≤ Var(y)/2)
 *   NN shared: q = ‖W‖²/N grows from 1 with a² = (q − 1)/2 (conserved quantity), α·a·q = T;
 *   NN per-neuron (aᵢ = ±1 start): a² = (q + 1)/2;  NT: W frozen (q = 1), a = a⁰ ~ 1.
 *   λ + tr/b ≈ 4a²q·(1 + (d + 2)/b) + q² + 1,   lr = 1 / (2·(λ + tr/b)).
 * The factor 2 leaves room for the transient overshoot of the loss (measured: d = 20…100 diverges
 * from about 8× this value, converges fastest near 2×). Adam's default is 1e-3.
 */
export function defaultLearningRate(o: {
  regime: "NN" | "NT"; d: number; N: number; batch: number; varY: number; alpha: number;
  secondLayer?: SecondLayerMode; optimizer?: Optimizer;
}): number {
  const v = checkOptions<Parameters<typeof defaultLearningRate>[0]>("options", o, ["regime", "d", "N", "batch", "varY", "alpha", "secondLayer", "optimizer"]);
  if (o === undefined) throw new TypeError("defaultLearningRate(options): options { regime, d, N, batch, varY, alpha } are required");
  if (v.regime !== "NN" && v.regime !== "NT") throw new TypeError(`options.regime must be "NN" or "NT", got ${describe(v.regime)}`);
  checkSize("options.d", v.d, 1);
  checkSize("options.N", v.N, 1);
  checkSize("options.batch", v.batch, 1);
  if (!(checkFinite("options.varY", v.varY, 0) > 0)) throw new RangeError(`options.varY must be > 0, got ${v.varY}`);
  if (!(checkFinite("options.alpha", v.alpha, 0) > 0)) throw new RangeError(`options.alpha must be > 0, got ${v.alpha}`);
  if (v.secondLayer !== undefined && !Object.hasOwn(SECOND_CODE, v.secondLayer)) throw new TypeError(`options.secondLayer must be "shared", "free" or "positive", got ${describe(v.secondLayer)}`);
  if (v.optimizer !== undefined && v.optimizer !== "sgd" && v.optimizer !== "adam") throw new TypeError(`options.optimizer must be "sgd" or "adam", got ${describe(v.optimizer)}`);
  if (o.optimizer === "adam") return 1e-3;
  const T = Math.sqrt((Math.min(o.N, o.d) * o.varY) / 2);
  let a2: number, q: number;
  if (o.regime === "NT") {
    q = 1;
    a2 = 1;
  } else {
    const shared = (o.secondLayer ?? "shared") === "shared";
    // solve α·a(q)·q = T for q ≥ 1 by bisection (monotone in q); a(q)² as above
    const a2of = (x: number) => (shared ? (x - 1) / 2 : (x + 1) / 2);
    const f = (x: number) => o.alpha * Math.sqrt(a2of(x)) * x - T;
    let lo = 1, hi = 2;
    while (f(hi) < 0 && hi < 1e12) hi *= 2;
    if (f(lo) >= 0) hi = lo;
    for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
      const mid = 0.5 * (lo + hi);
      if (f(mid) < 0) lo = mid; else hi = mid;
    }
    q = hi;
    a2 = a2of(q);
  }
  const lam = 4 * a2 * q * (1 + (o.d + 2) / o.batch) + q * q + 1;
  return 1 / (2 * lam);
}

// ---------------------------------------------------------------------------------------
// Validation helpers

function checkEnum<T extends string>(name: string, v: unknown, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
  throw new TypeError(`${name} must be ${allowed.map((x) => JSON.stringify(x)).join(", ")}, got ${describe(v)}`);
}

function checkPositive(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  const x = checkFinite(name, v);
  if (!(x > 0)) throw new RangeError(`${name} must be > 0, got ${x}`);
  return x;
}

function checkTask(name: string, t: unknown): Task {
  if (t === null || typeof t !== "object" || ((t as Task).kind !== "quadratic" && (t as Task).kind !== "mixture") || typeof (t as Task).sample !== "function") {
    throw new TypeError(`${name} must be a quadraticTask(…) or mixtureTask(…), got ${describe(t)}`);
  }
  return t as Task;
}

function checkF64Vector(name: string, v: unknown, n: number): Float64Array {
  if (!(v instanceof Float64Array)) throw new TypeError(`${name} must be a Float64Array of length ${n}, got ${describe(v)}`);
  if (v.length !== n) throw new RangeError(`${name} must have length N = ${n}, got ${v.length}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(v[i])) throw new RangeError(`${name}[${i}] must be finite, got ${v[i]}`);
  return v;
}

const COMMON_KEYS = ["task", "X", "y", "N", "W0", "c0", "alpha", "beta", "activation", "optimizer", "lr", "lrScale", "schedule",
  "steps", "batch", "online", "seed", "checkpoints", "onProgress", "progressInterval", "signal", "a0"] as const;

interface Resolved {
  regime: "NN" | "NT";
  fn: string;
  task: Task | null;
  X: Matrix<Float64Array> | null;
  y: Float64Array | null;
  d: number;
  N: number;
  W0: Matrix<Float64Array>;
  a0: Float64Array; // NN: initial a (length 1 when shared); NT: the frozen a⁰
  c0: number;
  second: SecondLayerMode;
  alpha: number;
  beta: number;
  activation: Activation;
  optimizer: Optimizer;
  lr: number;
  schedule: Schedule;
  steps: number;
  batch: number;
  online: boolean;
  seed: Seed;
  checkpoints: number;
  onProgress: ((p: TrainProgress) => void) | null;
  progressInterval: number;
  signal: AbortSignal | null;
  varY: number;
  dataRng: Rng;
}

function resolve(regime: "NN" | "NT", options: unknown): Resolved {
  const fn = regime === "NN" ? "trainNN" : "trainNT";
  if (options === undefined || options === null || typeof options !== "object") {
    throw new TypeError(`${fn}(options): options must be an object with task (or X, y), N and steps, got ${describe(options)}`);
  }
  const keys: readonly string[] = regime === "NN" ? [...COMMON_KEYS, "secondLayer"] : COMMON_KEYS;
  const o = checkOptions<TrainNNOptions>("options", options, keys);
  const hasTask = o.task !== undefined, hasData = o.X !== undefined || o.y !== undefined;
  if (hasTask === hasData) {
    throw new TypeError(`${fn}: give either options.task (online training on fresh samples) or options.X and options.y (a fixed sample), ${hasTask ? "not both" : "got neither"}`);
  }
  const online = o.online === undefined ? hasTask : o.online;
  if (typeof online !== "boolean") throw new TypeError(`options.online must be a boolean, got ${describe(online)}`);
  if (online && hasData) throw new TypeError(`options.online: true draws fresh samples from options.task; it cannot be used with a fixed X, y (set online: false or pass a task)`);
  if (!online && hasTask) throw new TypeError(`options.online: false trains on a fixed sample: pass options.X and options.y (e.g. from task.sample(n, rng)) instead of options.task`);
  let task: Task | null = null, X: Matrix<Float64Array> | null = null, y: Float64Array | null = null;
  let d: number, varY: number;
  if (hasTask) {
    task = checkTask("options.task", o.task);
    d = task.d;
    varY = task.kind === "quadratic" ? task.risk0 : 1;
  } else {
    const xy = checkXY(o.X, o.y);
    X = xy.X;
    y = xy.y;
    d = X.cols;
    let s = 0;
    for (const v of y) s += v * v;
    varY = s / y.length;
  }
  if (!(varY > 0)) varY = 1;
  const N = checkSize("options.N", o.N, 1, 1 << 20);
  const steps = checkSize("options.steps", o.steps, 1, 2 ** 31 - 2);
  const batch0 = o.batch === undefined ? 100 : checkSize("options.batch", o.batch, 1, 1 << 24);
  const batch = X !== null ? Math.min(batch0, X.rows) : batch0;
  const alpha = checkPositive("options.alpha", o.alpha, 1);
  const beta = checkPositive("options.beta", o.beta, 1);
  const activation = checkActivation("options.activation", o.activation);
  const optimizer = checkEnum<Optimizer>("options.optimizer", o.optimizer, ["sgd", "adam"], "sgd");
  const schedule = checkEnum<Schedule>("options.schedule", o.schedule, ["paper", "constant", "cosine"], "paper");
  const second = regime === "NN" ? checkEnum<SecondLayerMode>("options.secondLayer", o.secondLayer, ["shared", "free", "positive"], "shared") : "free";
  const seed = o.seed ?? 1;
  const checkpoints = o.checkpoints === undefined ? 20 : checkSize("options.checkpoints", o.checkpoints, 0, 10000);
  const c0 = o.c0 === undefined ? 0 : checkFinite("options.c0", o.c0);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw new TypeError(`options.onProgress must be a function, got ${describe(o.onProgress)}`);
  const progressInterval = o.progressInterval === undefined ? 250 : checkFinite("options.progressInterval", o.progressInterval, 0);
  const sig = o.signal;
  if (sig !== undefined && (sig === null || typeof sig !== "object" || typeof (sig as AbortSignal).aborted !== "boolean")) {
    throw new TypeError(`options.signal must be an AbortSignal (e.g. new AbortController().signal), got ${describe(sig)}`);
  }
  const lr0 = o.lr === undefined ? undefined : checkFinite("options.lr", o.lr);
  if (lr0 !== undefined && !(lr0 > 0)) throw new RangeError(`options.lr must be > 0, got ${lr0}`);
  const lrScale = o.lrScale === undefined ? 1 : checkFinite("options.lrScale", o.lrScale);
  if (!(lrScale > 0)) throw new RangeError(`options.lrScale must be > 0, got ${lrScale}`);
  if (lr0 !== undefined && o.lrScale !== undefined) throw new TypeError("options.lr and options.lrScale are exclusive (lrScale multiplies the default rate)");
  // Generator streams: the initialisation draws from createRng(seed); the data stream is the
  // same generator after one jump (r = createRng(seed); r.split(); r is the data stream).
  const dataRng = createRng(seed);
  const initRng = dataRng.split();
  let W0: Matrix<Float64Array>;
  if (o.W0 !== undefined) {
    W0 = checkW(o.W0, d);
    if (W0.cols !== N) throw new RangeError(`options.W0 must be d×N = ${d}×${N} (one neuron per column), got ${W0.rows}×${W0.cols}`);
    W0 = { rows: d, cols: N, data: Float64Array.from(W0.data) };
  } else {
    W0 = initRng.normalMatrix(d, N, 1 / Math.sqrt(d));
  }
  let a0: Float64Array;
  if (regime === "NT") {
    // random signs ±1 (the authors drew a⁰ ~ N(0, 1); any a⁰ without zeros spans the same NT
    // class, and unit |a⁰ᵢ| conditions the SGD better: a tiny a⁰ᵢ makes its gᵢ learn slowly)
    a0 = o.a0 === undefined ? initRng.uniform(N).map((v) => (v < 0.5 ? 1 : -1)) : Float64Array.from(checkF64Vector("options.a0", o.a0, N));
  } else if (second === "shared") {
    if (o.a0 !== undefined && typeof o.a0 !== "number") throw new TypeError(`options.a0 must be a number for secondLayer "shared", got ${describe(o.a0)}`);
    a0 = Float64Array.of(o.a0 === undefined ? 0 : checkFinite("options.a0", o.a0));
  } else if (o.a0 !== undefined) {
    a0 = Float64Array.from(checkF64Vector("options.a0", o.a0, N));
    if (second === "positive") for (let i = 0; i < N; i++) if (a0[i] < 0) throw new RangeError(`options.a0[${i}] = ${a0[i]} is negative, but secondLayer "positive" keeps aᵢ ≥ 0`);
  } else if (second === "free") {
    const u = initRng.uniform(N);
    a0 = u.map((v) => (v < 0.5 ? 1 : -1));
  } else {
    a0 = new Float64Array(N).fill(1);
  }
  const lr = lr0 ?? lrScale * defaultLearningRate({ regime, d, N, batch, varY, alpha, secondLayer: second, optimizer });
  return {
    regime, fn, task, X, y, d, N, W0, a0, c0, second, alpha, beta, activation, optimizer, lr, schedule, steps, batch,
    online, seed, checkpoints, onProgress: (o.onProgress as Resolved["onProgress"]) ?? null, progressInterval,
    signal: (sig as AbortSignal | undefined) ?? null, varY, dataRng,
  };
}

// ---------------------------------------------------------------------------------------
// Context construction

interface Ctx {
  ctx: number;
  theta: number;
  grad: number;
  nTheta: number;
  X: number;
  y: number;
}

interface CtxConfig {
  regime: "NN" | "NT";
  d: number;
  N: number;
  b: number;
  activation: Activation;
  second: SecondLayerMode;
  alpha: number;
  beta: number;
  optimizer: Optimizer;
  W0: Matrix<Float64Array>;
  a0: Float64Array;
  c0: number;
  G0?: Float64Array;
  task: Task | null;
  X: Matrix<Float64Array> | null;
  y: Float64Array | null;
  lr: number;
  schedule: Schedule;
  steps: number;
  varY: number;
}

function isIdentity(m: Matrix<Float64Array>): boolean {
  if (m.rows !== m.cols) return false;
  const n = m.rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (m.data[i * n + j] !== (i === j ? 1 : 0)) return false;
  return true;
}

function buildContext(s: Scope, cfg: CtxConfig): Ctx {
  const ex = wasm();
  if (ex.nnCtxSlots() !== SLOTS) throw new Error(`lazytrain: the WebAssembly module's training context has ${ex.nnCtxSlots()} slots, expected ${SLOTS} (stale .wasm?)`);
  const { d, N, b } = cfg;
  const nt = cfg.regime === "NT";
  const na = !nt && cfg.second === "shared" ? 1 : N;
  const dN = d * N;
  const nTheta = dN + na + 1;
  const c = new Float64Array(SLOTS);
  c[C.MODE] = nt ? 1 : 0;
  c[C.D] = d; c[C.N] = N; c[C.B] = b;
  c[C.ACT] = ACTIVATION_CODE[cfg.activation];
  c[C.SECOND] = nt ? 1 : SECOND_CODE[cfg.second];
  c[C.ALPHA] = cfg.alpha; c[C.BETA] = cfg.beta;
  c[C.OPT] = cfg.optimizer === "adam" ? 1 : 0;
  c[C.ADAM_B1] = 0.9; c[C.ADAM_B2] = 0.999; c[C.ADAM_EPS] = 1e-8; c[C.ADAM_B1T] = 1; c[C.ADAM_B2T] = 1;
  c[C.STEPS] = cfg.steps;
  c[C.SCHED] = SCHED_CODE[cfg.schedule];
  c[C.LR] = cfg.lr;
  // paper schedule: the last 30 % (NN) / 20 % (NT) of the steps at lr/10 then lr/15, half each
  const tail = nt ? 0.2 : 0.3;
  c[C.TAIL1] = Math.round(cfg.steps * tail);
  c[C.TAIL2] = Math.round(cfg.steps * tail / 2);
  c[C.REF] = cfg.varY;
  c[C.EXPLODE] = EXPLODE;

  // parameters θ = [W or G | a | c]
  const theta0 = new Float64Array(nTheta);
  if (nt) {
    if (cfg.G0) theta0.set(cfg.G0, 0);
    theta0.set(cfg.a0, dN);
  } else {
    theta0.set(cfg.W0.data, 0);
    theta0.set(cfg.a0, dN);
  }
  theta0[dN + na] = cfg.c0;
  const theta = s.f64(theta0);
  c[C.THETA] = theta;
  c[C.GRAD] = s.alloc(nTheta * 8);
  if (cfg.optimizer === "adam") {
    c[C.M] = s.f64(new Float64Array(nTheta));
    c[C.V] = s.f64(new Float64Array(nTheta));
  }
  if (nt) {
    c[C.W0] = s.f64(cfg.W0.data);
    c[C.A0] = s.f64(cfg.a0);
  }
  c[C.X] = s.alloc(b * d * 8);
  c[C.Y] = s.alloc(b * 8);
  c[C.Z] = s.alloc(b * N * 8);
  c[C.F] = s.alloc(b * N * 8);
  c[C.DZ] = s.alloc(b * N * 8);
  c[C.T] = s.alloc(b * N * 8);
  c[C.VEC] = s.alloc(b * 8);
  c[C.COEF] = s.alloc(N * 8);
  c[C.COLACC] = s.alloc(Math.max(b, N) * 8);
  const task = cfg.task;
  if (task !== null && task.kind === "quadratic") {
    c[C.TASK] = 0;
    c[C.TRACE] = task.traceB;
    c[C.NOISE] = task.noise;
    c[C.TASK_DIAG] = task.diagonal ? 1 : 0;
    if (task.diagonal) {
      c[C.TASK_P0] = s.f64(Float64Array.from({ length: d }, (_, i) => task.B.data[i * d + i]));
    } else {
      c[C.TASK_P0] = s.f64(task.B.data);
      c[C.WORK] = s.alloc(b * d * 8);
    }
  } else if (task !== null) {
    // mixture: the factors of mixture.ts (√(1 ± δ), minus 1 in the low-rank eigen-form)
    c[C.TASK] = 1;
    const U = task.deltaEigen.vectors, vals = task.deltaEigen.values;
    const diag = U.rows === d && isIdentity(U);
    c[C.TASK_DIAG] = diag ? 1 : 0;
    c[C.TASK_R] = vals.length;
    c[C.TASK_P1] = s.f64(vals.map((v) => Math.sqrt(1 + v) - (diag ? 0 : 1)));
    c[C.TASK_P2] = s.f64(vals.map((v) => Math.sqrt(1 - v) - (diag ? 0 : 1)));
    if (!diag) {
      c[C.TASK_P0] = s.f64(U.data);
      c[C.WORK] = s.alloc(b * vals.length * 8);
    }
  } else if (cfg.X !== null && cfg.y !== null) {
    const n = cfg.X.rows;
    c[C.TASK] = 2;
    c[C.NDATA] = n;
    c[C.XALL] = s.f64(cfg.X.data);
    c[C.YALL] = s.f64(cfg.y);
    c[C.PERM] = s.alloc(n * 4);
    c[C.UNIF] = s.alloc(n * 8);
    c[C.POS] = n; // shuffle before the first minibatch
  }
  const ctx = s.f64(c);
  return { ctx, theta, grad: c[C.GRAD], nTheta, X: c[C.X], y: c[C.Y] };
}

/** Wrap the current parameters (heap θ) as a model of model.ts. */
function readModel(cfg: CtxConfig, theta: number): { regime: "NN" | "NT"; W: Matrix<Float64Array>; c: number; a: Float64Array; S: Matrix<Float64Array> | null; params: TrainedParameters } {
  const { d, N, alpha, beta } = cfg;
  const nt = cfg.regime === "NT";
  const na = !nt && cfg.second === "shared" ? 1 : N;
  const dN = d * N;
  const th = readF64(theta, dN + na + 1);
  const sc = alpha / N;
  const cRaw = th[dN + na];
  const aRaw = th.slice(dN, dN + na);
  const a = new Float64Array(N);
  for (let i = 0; i < N; i++) a[i] = sc * aRaw[na === 1 ? 0 : i];
  if (nt) {
    const G = { rows: d, cols: N, data: th.slice(0, dN) };
    const S = { rows: d, cols: N, data: new Float64Array(dN) };
    for (let j = 0; j < d; j++) for (let i = 0; i < N; i++) S.data[j * N + i] = sc * cfg.a0[i] * G.data[j * N + i];
    const W = { rows: d, cols: N, data: Float64Array.from(cfg.W0.data) };
    return { regime: "NT", W, c: beta * cRaw, a, S, params: { W, a: aRaw, c: cRaw, G, a0: Float64Array.from(cfg.a0) } };
  }
  const W = { rows: d, cols: N, data: th.slice(0, dN) };
  return { regime: "NN", W, c: beta * cRaw, a, S: null, params: { W, a: na === 1 ? aRaw[0] : aRaw, c: cRaw } };
}

// ---------------------------------------------------------------------------------------
// The training loop

// Yield to the event loop between chunks (abort signals, progress UIs).
const tick = yieldToEventLoop;
const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

async function train(regime: "NN" | "NT", options: unknown): Promise<TrainedModel> {
  const r = resolve(regime, options);
  const cfg: CtxConfig = {
    regime, d: r.d, N: r.N, b: r.batch, activation: r.activation, second: r.second, alpha: r.alpha, beta: r.beta,
    optimizer: r.optimizer, W0: r.W0, a0: r.a0, c0: r.c0, task: r.task, X: r.X, y: r.y, lr: r.lr,
    schedule: r.schedule, steps: r.steps, varY: r.varY,
  };
  const S = r.steps;
  const stride = Math.ceil(S / 1000);
  const nWin = Math.ceil(S / stride);
  const winSum = new Float64Array(nWin);
  const riskSteps: number[] = [], risks: number[] = [];
  const exactRisk = r.task !== null && r.task.kind === "quadratic" && r.activation === "square" && r.checkpoints > 0;
  const checkpointEvery = exactRisk ? Math.max(1, Math.ceil(S / r.checkpoints)) : Infinity;
  const flopsPerStep = (regime === "NT" ? 6 : 4) * r.batch * r.d * r.N + 40 * r.batch * r.d;
  let chunk = Math.max(1, Math.min(MAX_CHUNK, Math.floor((CHUNK_SECONDS * 2e9) / flopsPerStep)));
  const s = new Scope();
  const t0 = now();
  let ctxPtr = 0;
  let t = 0;
  let aborted = false;
  let lastReport = t0, repSum = 0, repN = 0;
  const report = (final: boolean) => {
    if (r.onProgress === null) return;
    const tn = now();
    if (!final && tn - lastReport < r.progressInterval) return;
    const elapsed = (tn - t0) / 1e3;
    const lr = t < S ? wasm().nnLearningRate(ctxPtr, t) : wasm().nnLearningRate(ctxPtr, S - 1);
    const p: TrainProgress = { step: t, steps: S, loss: repN > 0 ? repSum / repN : NaN, lr, elapsed, eta: t > 0 ? (elapsed / t) * (S - t) : NaN };
    lastReport = tn;
    repSum = 0;
    repN = 0;
    r.onProgress(p);
  };
  try {
    const c = buildContext(s, cfg);
    ctxPtr = c.ctx;
    const lossPtr = s.alloc(MAX_CHUNK * 8);
    const recordRisk = () => {
      const m = readModel(cfg, c.theta);
      const model = new Model(m.regime, r.activation, m.W, m.c, m.a, m.S);
      riskSteps.push(t);
      risks.push(model.populationRisk(r.task!).risk);
    };
    if (exactRisk) recordRisk();
    while (t < S) {
      if (r.signal?.aborted) { aborted = true; break; }
      if (wasm() !== s.exports) throw new Error(`${r.fn}: lazytrain was re-initialised with other options during training (at step ${t})`);
      const nextCheckpoint = exactRisk ? Math.min(S, (Math.floor(t / checkpointEvery) + 1) * checkpointEvery) : S;
      const k = Math.min(chunk, nextCheckpoint - t);
      const ex = wasm();
      const started = now();
      const done = r.dataRng.withState((st) => ex.nnTrain(c.ctx, st, k, lossPtr));
      const spent = (now() - started) / 1e3;
      const losses = readF64(lossPtr, Math.min(k, done + 1));
      for (let j = 0; j < done; j++) {
        const L = losses[j];
        winSum[Math.floor((t + j) / stride)] += L;
        repSum += L;
        repN++;
      }
      if (done < k) {
        const step = t + done;
        const L = losses[done];
        const lr = ex.nnLearningRate(c.ctx, step);
        throw Object.assign(new Error(
          `${r.fn}: training diverged at step ${step}: batch loss ${L} ${Number.isFinite(L) ? `exceeds ${EXPLODE} × the reference ${heapF64()[(c.ctx >>> 3) + C.REF]}` : "is not finite"}; ` +
          `try a smaller lr (this run used lr = ${r.lr}${r.schedule !== "constant" ? `, ${lr} at that step` : ""}${regime === "NN" ? `, alpha = ${r.alpha}` : ""})`,
        ), { step, loss: L, lr: r.lr });
      }
      t += done;
      if (exactRisk && (t % checkpointEvery === 0 || t === S)) recordRisk();
      // aim at ~CHUNK_SECONDS per chunk
      if (spent > 0) chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round(chunk * Math.min(4, CHUNK_SECONDS / spent))));
      report(false);
      if (t < S) await tick();
    }
    if (aborted && exactRisk && riskSteps[riskSteps.length - 1] !== t) recordRisk();
    report(true);
    const m = readModel(cfg, c.theta);
    const nDone = Math.ceil(t / stride);
    const cs = new Float64Array(nDone), cl = new Float64Array(nDone);
    for (let j = 0; j < nDone; j++) {
      const end = Math.min((j + 1) * stride, t);
      cs[j] = end;
      cl[j] = winSum[j] / (end - j * stride);
    }
    const curve: TrainingCurve = { step: cs, loss: cl, riskStep: Float64Array.from(riskSteps), risk: Float64Array.from(risks) };
    const info: TrainInfo = {
      options: {
        regime, N: r.N, d: r.d, ...(regime === "NN" ? { secondLayer: r.second } : {}), alpha: r.alpha, beta: r.beta,
        activation: r.activation, optimizer: r.optimizer, lr: r.lr, schedule: r.schedule, steps: r.steps, batch: r.batch,
        online: r.online, seed: r.seed, checkpoints: r.checkpoints, task: r.task?.kind ?? "data",
      },
      steps: t, aborted, seconds: (now() - t0) / 1e3, lr: r.lr,
    };
    return new TrainedModel(m.regime, r.activation, m.W, m.c, m.a, m.S, m.params, curve, info);
  } finally {
    s.release();
  }
}

/**
 * Train the two-layer network (all of W, a, c) by online SGD — the authors' protocol: fresh
 * Gaussian samples every step, batch 100, plain SGD with the mean-field rescaling and the
 * "paper" schedule — or Adam, or on a fixed sample. Resolves to the trained model (with its
 * curve); rejects with an Error naming the step and loss when the loss diverges.
 */
export function trainNN(options: TrainNNOptions): Promise<TrainedModel> {
  return train("NN", options);
}

/**
 * Train the linearisation of the network at its initialisation (NT: a, G and c; W and a⁰
 * frozen) by online SGD, as the authors' NT script. Its objective is a convex quadratic, so it
 * converges to the population least-squares risk theory.riskNT(B, W).
 */
export function trainNT(options: TrainNTOptions): Promise<TrainedModel> {
  return train("NT", options);
}

// ---------------------------------------------------------------------------------------
// Inspection / testing utilities

/**
 * The learning rate of every step 0 … steps − 1 under a schedule, computed by the kernel the
 * training runs (for plots and checks). regime "NN" (default) or "NT" picks the paper tail.
 */
export function learningRates(options: { lr: number; steps: number; schedule?: Schedule; regime?: "NN" | "NT" }): Float64Array {
  const o = checkOptions<{ lr: number; steps: number; schedule: Schedule; regime: "NN" | "NT" }>("options", options, ["lr", "steps", "schedule", "regime"]);
  const lr = checkPositive("options.lr", o.lr, NaN);
  if (o.lr === undefined) throw new TypeError("options.lr is required");
  const steps = checkSize("options.steps", o.steps, 1, 1 << 26);
  const schedule = checkEnum<Schedule>("options.schedule", o.schedule, ["paper", "constant", "cosine"], "paper");
  const regime = checkEnum<"NN" | "NT">("options.regime", o.regime, ["NN", "NT"], "NN");
  const s = new Scope();
  try {
    const ex = wasm();
    const c = new Float64Array(SLOTS);
    const tail = regime === "NT" ? 0.2 : 0.3;
    c[C.STEPS] = steps; c[C.SCHED] = SCHED_CODE[schedule]; c[C.LR] = lr;
    c[C.TAIL1] = Math.round(steps * tail); c[C.TAIL2] = Math.round(steps * tail / 2);
    const ctx = s.f64(c);
    const out = new Float64Array(steps);
    for (let t = 0; t < steps; t++) out[t] = ex.nnLearningRate(ctx, t);
    return out;
  } finally {
    s.release();
  }
}

export interface LossAndGradientOptions {
  /** "NN" (default) or "NT". */
  regime?: "NN" | "NT";
  /** NN: "shared" (params.a a number) or "free"/"positive" (params.a a Float64Array). */
  secondLayer?: SecondLayerMode;
  alpha?: number;
  beta?: number;
  activation?: Activation;
  /** NT: the frozen first layer (d×N). */
  W?: Matrix;
  /** NT: the frozen a⁰ (length N). */
  a0?: Float64Array;
}

export interface LossAndGradient {
  /** (1/n) Σ (ŷ − y)². */
  loss: number;
  /** ∂loss/∂ parameters, raw (before the SGD rescaling), same shapes as the parameters. */
  gradient: { W?: Matrix<Float64Array>; G?: Matrix<Float64Array>; a: number | Float64Array; c: number };
}

/**
 * Loss and gradient of the training objective at given raw parameters on a fixed batch, by
 * the WASM code every training step runs (testing and inspection utility). Parameters:
 * NN { W (d×N), a (number when shared, else Float64Array N), c }; NT { G (d×N), a (N), c }
 * with options.W and options.a0.
 */
export function nnLossAndGradient(
  params: { W?: Matrix; G?: Matrix; a: number | Float64Array; c: number },
  X: Matrix,
  y: Float64Array,
  options?: LossAndGradientOptions,
): LossAndGradient {
  const o = checkOptions<LossAndGradientOptions>("options", options, ["regime", "secondLayer", "alpha", "beta", "activation", "W", "a0"]);
  const regime = checkEnum<"NN" | "NT">("options.regime", o.regime, ["NN", "NT"], "NN");
  if (params === null || typeof params !== "object") throw new TypeError(`params must be an object, got ${describe(params)}`);
  const x = checkFiniteMatrix("X", X);
  if (!(y instanceof Float64Array)) throw new TypeError(`y must be a Float64Array, got ${describe(y)}`);
  if (y.length !== x.rows || x.rows < 1) throw new RangeError(`y has length ${y.length}, but X has ${x.rows} rows`);
  const d = x.cols;
  const second = regime === "NN" ? checkEnum<SecondLayerMode>("options.secondLayer", o.secondLayer, ["shared", "free", "positive"], "shared") : "free";
  const alpha = checkPositive("options.alpha", o.alpha, 1), beta = checkPositive("options.beta", o.beta, 1);
  const activation = checkActivation("options.activation", o.activation);
  const first = checkW(regime === "NT" ? o.W : params.W, d);
  const N = first.cols;
  const c0 = checkFinite("params.c", params.c);
  let a0: Float64Array, G0: Float64Array | undefined;
  if (regime === "NT") {
    const G = checkW(params.G, d);
    if (G.cols !== N) throw new RangeError(`params.G must be ${d}×${N}, got ${G.rows}×${G.cols}`);
    G0 = G.data;
    a0 = checkF64Vector("params.a", params.a, N);
  } else if (second === "shared") {
    a0 = Float64Array.of(checkFinite("params.a", params.a));
  } else {
    a0 = checkF64Vector("params.a", params.a, N);
  }
  const ntA0 = regime === "NT" ? checkF64Vector("options.a0", o.a0, N) : null;
  const s = new Scope();
  try {
    const cfg: CtxConfig = {
      regime, d, N, b: x.rows, activation, second, alpha, beta, optimizer: "sgd",
      W0: first, a0: ntA0 ?? a0, c0, G0, task: null, X: null, y: null, lr: 1, schedule: "constant", steps: 1, varY: 1,
    };
    const c = buildContext(s, cfg);
    if (regime === "NT") {
      // θ's a block starts at a (not a⁰) here
      heapF64().set(a0, (c.theta >>> 3) + d * N);
    }
    heapF64().set(x.data, c.X >>> 3);
    heapF64().set(y, c.y >>> 3);
    const loss = wasm().nnLossGrad(c.ctx);
    const g = readF64(c.grad, c.nTheta);
    const dN = d * N, na = regime === "NN" && second === "shared" ? 1 : N;
    const block = { rows: d, cols: N, data: g.slice(0, dN) };
    const ga = na === 1 && regime === "NN" ? g[dN] : g.slice(dN, dN + na);
    const gradient = regime === "NT" ? { G: block, a: ga, c: g[dN + na] } : { W: block, a: ga, c: g[dN + na] };
    return { loss, gradient };
  } finally {
    s.release();
  }
}
