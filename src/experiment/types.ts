// Result records of a comparison run (one row per regime × width × repetition).

import type { Regime } from "../regimes/model.js";

export interface CompareRow {
  task: "quadratic" | "mixture";
  regime: Regime;
  d: number;
  N: number;
  /** N / d. */
  rho: number;
  rep: number;
  /** The point's own seed (derived from the base seed, regime, N and rep). */
  seed: number;
  /** Population square loss of the trained/fitted model (exact for the quadratic task with σ = t²). */
  risk: number;
  /** risk / R0 (R0 = Var y); for the mixture task risk / E[y²] = risk. */
  normalizedRisk: number;
  /** α sweep rows (config.sweep): the scale α of the network (trainNN's `alpha`). */
  alpha?: number;
  /** α sweep rows: the relative movement of the first layer, ‖W − W₀‖_F / ‖W₀‖_F. */
  movement?: number;
  /**
   * Normalised theory: exact for this W (RF/NT) or this N (NN), its average over W (NT), and the
   * d → ∞ limit. Mixture: `exact` is the exact 0-1 error of the class's explicit rule
   * sign(xᵀMx − t) (M = Proj_class of the Bayes matrix, best t; ≥ the Bayes error), and
   * `weakSignal` the approximation Φ(−‖Proj Δ‖_F/√2) (small ‖Δ‖ only; it can fall below Bayes).
   * α sweep rows: exact, expected and limit are null (no theory holds at a finite α) and `lazy` =
   * riskNT(B, W₀)/R₀ (the α → ∞ limit), `rich` = the NN risk with the sign split of the initial
   * output weights, riskNN(B, N, { positive: N/2, negative: N/2 })/R₀ (the small-α limit under
   * gradient flow).
   */
  theory: {
    exact: number | null;
    expected: number | null;
    limit: number | null;
    weakSignal?: number;
    lazy?: number;
    rich?: number;
  };
  /** Mixture task: 0-1 test error (Monte Carlo). */
  error01?: number;
  /**
   * Mixture task with σ = t²: the exact 0-1 error of the model's rule sign(c + xᵀMx) (Imhof's
   * integral on its quadratic form; no Monte Carlo noise). Rows of older runs lack it.
   */
  error01Exact?: number;
  /** SGD steps run (trained points). */
  steps?: number;
  /** Trained points whose default learning rate diverged: how many times it was halved (TrainInfo.lrHalvings). */
  lrHalvings?: number;
  /**
   * Trained points: the run's convergence diagnostic (TrainedModel.training.convergence) —
   * relative loss slope over the final 10 % of the steps and its standard error (null when not
   * finite), relative exact-risk change over the final 10 % (null without checkpoints), and
   * `converged` ⇔ |lossSlope| < 1 % + 3·lossSlopeSE and |riskChange| < 1 %
   * (src/training/convergence.ts). The API's way to find unconverged points is this flag.
   * Rows of older runs lack it.
   */
  convergence?: { lossSlope: number | null; lossSlopeSE: number | null; riskChange: number | null; converged: boolean };
  /**
   * Trained points of the quadratic task with σ = t²: the exact normalised risk R/R₀ at the
   * training's checkpoints (`step` ascending, from 0 to the last step), the risk-vs-step curve
   * behind `convergence`. Rows of older runs lack it.
   */
  curve?: { step: number[]; risk: number[] };
  /** How the point was solved: "exact", "lstsq", "cg", "sgd", "adam". */
  method: string;
  /** Wall-clock seconds of this point (not reproducible, unlike every other field). */
  seconds: number;
}

export interface CompareMeta {
  version: string;
  task: "quadratic" | "mixture";
  d: number;
  n: number | "online";
  reps: number;
  seed: number;
  regimes: Regime[];
  activation: string;
  /** Spectrum name (quadratic) or Δ kind (mixture). */
  spectrum: string;
  /** κ of the quadratic target. */
  kappa?: number;
  /** R0 = Var y. */
  risk0?: number;
  /** Bayes error (mixture): exact since issue 13 (Imhof's integral); older runs: Monte Carlo. */
  bayesError?: number;
  /** The Monte Carlo estimate of the Bayes error with its standard error (mixture), as a check. */
  bayesErrorMC?: { error: number; stderr: number };
  /** An α sweep (config.sweep): its scales and its width; the rows then carry `alpha`. */
  sweep?: { alpha: number[]; N: number };
  /** d → ∞ theory curves [ρ, value] for the figure. */
  theoryCurves?: Partial<Record<Regime, [number, number][]>>;
  /** The normalised configuration the run used. */
  config: unknown;
  /** Total number of points of the (unsharded) run. */
  points: number;
  /** Shard "i/k" when run sharded. */
  shard?: string;
}

export interface CompareResult {
  meta: CompareMeta;
  rows: CompareRow[];
}
