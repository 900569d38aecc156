// Inspection: the loss and raw gradient of the training objective at given parameters on a
// fixed batch, computed by the WASM code every training step runs (testing and inspection).

import * as ABI from "../kernels/abi.js";
import { TrainingContext } from "../kernels/train.js";
import type { Matrix } from "../linalg/matrix.js";
import { checkEnum, checkFinite, checkOptions, checkPositive, describe } from "../runtime/errors.js";
import { ACTIVATION_CODE, checkActivation, checkFiniteMatrix, checkW, type Activation } from "../regimes/model.js";
import { SECOND_LAYER_MODES } from "./defaults.js";
import { checkF64Vector, SECOND_ABI } from "./options.js";
import { thetaLayout, type ThetaShape } from "./params.js";
import type { SecondLayerMode } from "./types.js";

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
  const o = checkOptions<LossAndGradientOptions>("options", options, [
    "regime",
    "secondLayer",
    "alpha",
    "beta",
    "activation",
    "W",
    "a0",
  ]);
  const regime = checkEnum<"NN" | "NT">("options.regime", o.regime, ["NN", "NT"], "NN");
  if (params === null || typeof params !== "object") throw new TypeError(`params must be an object, got ${describe(params)}`);
  const x = checkFiniteMatrix("X", X);
  if (!(y instanceof Float64Array)) throw new TypeError(`y must be a Float64Array, got ${describe(y)}`);
  if (y.length !== x.rows || x.rows < 1) throw new RangeError(`y has length ${y.length}, but X has ${x.rows} rows`);
  const d = x.cols;
  const second =
    regime === "NN" ? checkEnum<SecondLayerMode>("options.secondLayer", o.secondLayer, SECOND_LAYER_MODES, "shared") : "free";
  const alpha = checkPositive("options.alpha", o.alpha, 1),
    beta = checkPositive("options.beta", o.beta, 1);
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
  const nt = regime === "NT";
  const shape: ThetaShape = { regime, d, N, shared: !nt && second === "shared" };
  const ctx = new TrainingContext({
    mode: nt ? ABI.MODE_NT : ABI.MODE_NN,
    d,
    N,
    b: x.rows,
    act: ACTIVATION_CODE[activation],
    second: nt ? ABI.SECOND_FREE : SECOND_ABI[second],
    alpha,
    beta,
    opt: ABI.OPT_SGD,
    W0: first.data,
    a0: ntA0 ?? a0,
    c0,
    G0,
    task: null,
    data: null,
    sched: ABI.SCHED_CONSTANT,
    lr: 1,
    steps: 1,
    tail1: 0,
    tail2: 0,
    ref: 1,
    explode: Infinity,
  });
  try {
    // NT: θ's a block starts at a (the context starts it at a⁰)
    if (nt) ctx.setTheta(a0, d * N);
    const { loss, gradient: g } = ctx.lossAndGradient(x.data, y);
    const { dN, na } = thetaLayout(shape);
    const block = { rows: d, cols: N, data: g.slice(0, dN) };
    const ga = shape.shared ? g[dN] : g.slice(dN, dN + na);
    const gradient = nt ? { G: block, a: ga, c: g[dN + na] } : { W: block, a: ga, c: g[dN + na] };
    return { loss, gradient };
  } finally {
    ctx.release();
  }
}
