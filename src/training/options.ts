// Resolving and validating the options of trainNN / trainNT: defaults filled in, every
// argument checked (errors name it), the initial parameters drawn from the seed's streams.

import * as ABI from "../kernels/abi.js";
import { toF64Vector, type Matrix } from "../linalg/matrix.js";
import { checkEnum, checkFinite, checkOptions, checkPositive, checkSize, describe } from "../runtime/errors.js";
import { createRng, type Rng, type Seed } from "../random/rng.js";
import { checkActivation, checkW, checkXY, type Activation, type Task } from "../regimes/model.js";
import { defaultLearningRate, OPTIMIZERS, SECOND_LAYER_MODES } from "./defaults.js";
import { SCHEDULES } from "./schedule.js";
import type { Optimizer, Precision, Schedule, SecondLayerMode, TrainNNOptions, TrainProgress } from "./types.js";

/** Option values as the kernel's enum codes (src/kernels/abi.ts). */
export const SECOND_ABI: Readonly<Record<SecondLayerMode, number>> = {
  shared: ABI.SECOND_SHARED,
  free: ABI.SECOND_FREE,
  positive: ABI.SECOND_POSITIVE,
};

export function checkTask(name: string, t: unknown): Task {
  if (
    t === null ||
    typeof t !== "object" ||
    ((t as Task).kind !== "quadratic" && (t as Task).kind !== "mixture") ||
    typeof (t as Task).sample !== "function"
  ) {
    throw new TypeError(`${name} must be a quadraticTask(…) or mixtureTask(…), got ${describe(t)}`);
  }
  return t as Task;
}

/** A finite vector of length N (VectorLike input converted once by toF64Vector). */
export function checkF64Vector(name: string, v: unknown, n: number): Float64Array {
  return toF64Vector(name, v, n, "N");
}

const COMMON_KEYS = [
  "task",
  "X",
  "y",
  "N",
  "W0",
  "c0",
  "alpha",
  "beta",
  "activation",
  "optimizer",
  "lr",
  "lrScale",
  "schedule",
  "steps",
  "batch",
  "online",
  "seed",
  "checkpoints",
  "onProgress",
  "progressInterval",
  "signal",
  "a0",
  "precision",
] as const;

/** Values of the `precision` option (the training step's float type); "f64" is the default. */
export const PRECISIONS: readonly Precision[] = ["f64", "f32"];
export const PRECISION_ABI: Readonly<Record<Precision, number>> = { f64: ABI.PREC_F64, f32: ABI.PREC_F32 };

export interface Resolved {
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
  precision: Precision;
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

export function resolve(regime: "NN" | "NT", options: unknown): Resolved {
  const fn = regime === "NN" ? "trainNN" : "trainNT";
  if (options === undefined || options === null || typeof options !== "object") {
    throw new TypeError(`${fn}(options): options must be an object with task (or X, y), N and steps, got ${describe(options)}`);
  }
  const keys: readonly string[] = regime === "NN" ? [...COMMON_KEYS, "secondLayer"] : COMMON_KEYS;
  const o = checkOptions<TrainNNOptions>("options", options, keys);
  const hasTask = o.task !== undefined,
    hasData = o.X !== undefined || o.y !== undefined;
  if (hasTask === hasData) {
    throw new TypeError(
      `${fn}: give either options.task (online training on fresh samples) or options.X and options.y (a fixed sample), ${hasTask ? "not both" : "got neither"}`,
    );
  }
  const online = o.online === undefined ? hasTask : o.online;
  if (typeof online !== "boolean") throw new TypeError(`options.online must be a boolean, got ${describe(online)}`);
  if (online && hasData)
    throw new TypeError(
      `options.online: true draws fresh samples from options.task; it cannot be used with a fixed X, y (set online: false or pass a task)`,
    );
  if (!online && hasTask)
    throw new TypeError(
      `options.online: false trains on a fixed sample: pass options.X and options.y (e.g. from task.sample(n, rng)) instead of options.task`,
    );
  let task: Task | null = null,
    X: Matrix<Float64Array> | null = null,
    y: Float64Array | null = null;
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
  const optimizer = checkEnum<Optimizer>("options.optimizer", o.optimizer, OPTIMIZERS, "sgd");
  const precision = checkEnum<Precision>("options.precision", o.precision, PRECISIONS, "f64");
  const schedule = checkEnum<Schedule>("options.schedule", o.schedule, SCHEDULES, "paper");
  const second =
    regime === "NN" ? checkEnum<SecondLayerMode>("options.secondLayer", o.secondLayer, SECOND_LAYER_MODES, "shared") : "free";
  const seed = o.seed ?? 1;
  const checkpoints = o.checkpoints === undefined ? 20 : checkSize("options.checkpoints", o.checkpoints, 0, 10000);
  const c0 = o.c0 === undefined ? 0 : checkFinite("options.c0", o.c0);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function")
    throw new TypeError(`options.onProgress must be a function, got ${describe(o.onProgress)}`);
  const progressInterval =
    o.progressInterval === undefined ? 250 : checkFinite("options.progressInterval", o.progressInterval, 0);
  const sig = o.signal;
  if (sig !== undefined && (sig === null || typeof sig !== "object" || typeof (sig as AbortSignal).aborted !== "boolean")) {
    throw new TypeError(`options.signal must be an AbortSignal (e.g. new AbortController().signal), got ${describe(sig)}`);
  }
  const lr0 = o.lr === undefined ? undefined : checkPositive("options.lr", o.lr);
  const lrScale = checkPositive("options.lrScale", o.lrScale, 1);
  if (lr0 !== undefined && o.lrScale !== undefined)
    throw new TypeError("options.lr and options.lrScale are exclusive (lrScale multiplies the default rate)");
  // Generator streams: the initialisation draws from createRng(seed); the data stream is the
  // same generator after one jump (r = createRng(seed); r.split(); r is the data stream).
  const dataRng = createRng(seed);
  const initRng = dataRng.split();
  let W0: Matrix<Float64Array>;
  if (o.W0 !== undefined) {
    W0 = checkW(o.W0, d, "options.W0");
    if (W0.cols !== N)
      throw new RangeError(`options.W0 must be d×N = ${d}×${N} (one neuron per column), got ${W0.rows}×${W0.cols}`);
    // a private copy (training is asynchronous); converted input is one already
    if (W0 === o.W0) W0 = { rows: d, cols: N, data: Float64Array.from(W0.data) };
  } else {
    W0 = initRng.normalMatrix(d, N, 1 / Math.sqrt(d));
  }
  let a0: Float64Array;
  if (regime === "NT") {
    // random signs ±1 (the authors drew a⁰ ~ N(0, 1); any a⁰ without zeros spans the same NT
    // class, and unit |a⁰ᵢ| conditions the SGD better: a tiny a⁰ᵢ makes its gᵢ learn slowly)
    a0 =
      o.a0 === undefined
        ? initRng.uniform(N).map((v) => (v < 0.5 ? 1 : -1))
        : Float64Array.from(checkF64Vector("options.a0", o.a0, N));
  } else if (second === "shared") {
    if (o.a0 !== undefined && typeof o.a0 !== "number")
      throw new TypeError(`options.a0 must be a number for secondLayer "shared", got ${describe(o.a0)}`);
    a0 = Float64Array.of(o.a0 === undefined ? 0 : checkFinite("options.a0", o.a0));
  } else if (o.a0 !== undefined) {
    a0 = Float64Array.from(checkF64Vector("options.a0", o.a0, N));
    if (second === "positive")
      for (let i = 0; i < N; i++)
        if (a0[i] < 0) throw new RangeError(`options.a0[${i}] = ${a0[i]} is negative, but secondLayer "positive" keeps aᵢ ≥ 0`);
  } else if (second === "free") {
    const u = initRng.uniform(N);
    a0 = u.map((v) => (v < 0.5 ? 1 : -1));
  } else {
    a0 = new Float64Array(N).fill(1);
  }
  // NT on a mixture task: the inputs' covariance I ± Δ stretches the tangent features by up to
  // (1 + ‖Δ‖)² in their fourth moments, which the rule (sized for x ~ N(0, I)) does not see;
  // measured: d = 8, ‖Δ‖ = 0.8, N = 1 and 2 diverge within 20 steps at the rule, train at 0.5×
  const mixtureNT = regime === "NT" && task !== null && task.kind === "mixture" && optimizer === "sgd";
  const strength = mixtureNT ? (task as Task & { kind: "mixture" }).strength : 0;
  const stretch = 1 / ((1 + strength) * (1 + strength));
  // NN on a mixture task: the rule sizes the end-of-training output scale as T = √(min(N, d)·Var y/2),
  // an upper bound on tr M; the square-loss optimum of the mixture is far smaller and known:
  // M = s·U diag(δ/(1 + δ²)) Uᵀ, s = 1/(2 + Σ δ²/(1 + δ²)) (theory.mixturePopulationRF's
  // derivation, over all M), so T is capped at its trace. Measured (bench/mixture/gap.mjs,
  // docs/mixture/README.md): d = 200, N = 200 sat at 0-1 error 0.39 (theory 0.18) after 4 000
  // steps at the uncapped rule; a flat 10× diverged at N = 10
  // (σ = t² only: the optimum's trace is that of a quadratic form)
  const varRule =
    regime === "NN" && task !== null && task.kind === "mixture" && activation === "square"
      ? Math.min(varY, mixtureRateVar(task, N))
      : varY;
  const lr =
    lr0 ?? lrScale * stretch * defaultLearningRate({ regime, d, N, batch, varY: varRule, alpha, secondLayer: second, optimizer });
  return {
    regime,
    fn,
    task,
    X,
    y,
    d,
    N,
    W0,
    a0,
    c0,
    second,
    alpha,
    beta,
    activation,
    precision,
    optimizer,
    lr,
    schedule,
    steps,
    batch,
    online,
    seed,
    checkpoints,
    onProgress: (o.onProgress as Resolved["onProgress"]) ?? null,
    progressInterval,
    signal: (sig as AbortSignal | undefined) ?? null,
    varY,
    dataRng,
  };
}

/** The Var y that makes the rule's T = √(min(N, d)·Var y/2) the trace of the mixture's square-loss optimum. */
function mixtureRateVar(task: Task & { kind: "mixture" }, N: number): number {
  let q = 0,
    t = 0;
  for (const v of task.deltaEigen.values) {
    q += (v * v) / (1 + v * v);
    t += Math.abs(v) / (1 + v * v);
  }
  const T = t / (2 + q);
  // Δ = 0 (an explicit zero matrix): nothing to learn, keep the rule as it is
  return T > 0 ? (2 * T * T) / Math.min(N, task.d) : Infinity;
}
