// The default learning rate of gradient training (documented in the README).

import { checkEnum, checkOptions, checkPositive, checkSize } from "../runtime/errors.js";
import type { Optimizer, SecondLayerMode } from "./types.js";

export const SECOND_LAYER_MODES: readonly SecondLayerMode[] = ["shared", "free", "positive"];
export const OPTIMIZERS: readonly Optimizer[] = ["sgd", "adam"];

/**
 * The default SGD learning rate, from the scaling of docs/theory.md §6 (documented in the README):
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
  regime: "NN" | "NT";
  d: number;
  N: number;
  batch: number;
  varY: number;
  alpha: number;
  secondLayer?: SecondLayerMode;
  optimizer?: Optimizer;
}): number {
  const v = checkOptions<Parameters<typeof defaultLearningRate>[0]>("options", o, [
    "regime",
    "d",
    "N",
    "batch",
    "varY",
    "alpha",
    "secondLayer",
    "optimizer",
  ]);
  if (o === undefined)
    throw new TypeError("defaultLearningRate(options): options { regime, d, N, batch, varY, alpha } are required");
  checkEnum<"NN" | "NT">("options.regime", v.regime, ["NN", "NT"]);
  checkSize("options.d", v.d, 1);
  checkSize("options.N", v.N, 1);
  checkSize("options.batch", v.batch, 1);
  checkPositive("options.varY", v.varY);
  checkPositive("options.alpha", v.alpha);
  checkEnum<SecondLayerMode>("options.secondLayer", v.secondLayer, SECOND_LAYER_MODES, "shared");
  checkEnum<Optimizer>("options.optimizer", v.optimizer, OPTIMIZERS, "sgd");
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
    let lo = 1,
      hi = 2;
    while (f(hi) < 0 && hi < 1e12) hi *= 2;
    if (f(lo) >= 0) hi = lo;
    for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
      const mid = 0.5 * (lo + hi);
      if (f(mid) < 0) lo = mid;
      else hi = mid;
    }
    q = hi;
    a2 = a2of(q);
  }
  const lam = 4 * a2 * q * (1 + (o.d + 2) / o.batch) + q * q + 1;
  return 1 / (2 * lam);
}
