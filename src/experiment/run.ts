// Running one point of a comparison: build (or reuse) the task, draw W and the sample from
// the point's derived seeds, fit or train, and record the risk with the theory beside it.

import { createRng } from "../random/rng.js";
import { eigvalsh } from "../linalg/eigh.js";
import { quadraticTask, type QuadraticTask } from "../tasks/quadratic.js";
import { mixtureTask, type MixtureTask } from "../tasks/mixture.js";
import type { Sample } from "../tasks/common.js";
import { randomFeatures, fitRF } from "../regimes/rf.js";
import { fitNT } from "../regimes/nt.js";
import { trainNN, trainNT } from "../training/loop.js";
import { TrainedModel } from "../training/types.js";
import type { FittedModel } from "../regimes/model.js";
import { riskRF, riskNT, riskNN, expectedRiskNT } from "../theory/risks.js";
import { limitRF, limitNT, limitNN, type LimitSpectrum } from "../theory/limits.js";
import {
  bayesErrorExact,
  mixtureErrorExact,
  mixtureErrorWeakSignal,
  mixturePopulationRF,
  quadraticRuleError,
} from "../theory/mixture.js";
import type { NormalizedConfig } from "./config.js";
import { deriveSeed, type Point } from "./points.js";
import { runSweepPoint } from "./sweep.js";
import type { CompareMeta, CompareRow } from "./types.js";
import type { Matrix } from "../linalg/matrix.js";

/** @internal Per-run state shared by the points a process runs: the task and per-rep samples. */
export class RunContext {
  readonly task: QuadraticTask | MixtureTask;
  private readonly samples = new Map<number, Sample>();
  private spectrumCache: Float64Array | null = null;

  constructor(readonly config: NormalizedConfig) {
    const c = config;
    this.task =
      c.task === "quadratic"
        ? quadraticTask({ ...(c.taskOptions as object), d: c.d, seed: c.seed })
        : mixtureTask({ ...(c.taskOptions as object), d: c.d, seed: c.seed });
  }

  /** W for (N, rep): shared by RF and NT, so the NT ⊇ RF comparison holds point by point. */
  firstLayer(N: number, rep: number): Matrix<Float64Array> {
    return randomFeatures(this.config.d, N, createRng(deriveSeed(this.config.seed, "W", N, rep)));
  }

  /** The training sample of repetition `rep` (finite n), shared by every regime and width. */
  sample(rep: number): Sample {
    const n = this.config.n;
    if (n === "online") throw new Error("no finite sample in online mode");
    let s = this.samples.get(rep);
    if (!s) {
      s = this.task.sample(n, createRng(deriveSeed(this.config.seed, "sample", rep)));
      this.samples.set(rep, s);
    }
    return s;
  }

  /** Eigenvalues of B (for empirical NN limits). */
  spectrum(): Float64Array {
    const t = this.task as QuadraticTask;
    this.spectrumCache ??= t.eigenvalues ?? eigvalsh(t.B);
    return this.spectrumCache;
  }

  limitSpectrum(): LimitSpectrum {
    const t = this.task as QuadraticTask;
    if (t.spectrum === "exponential") return "exponential";
    if (t.spectrum === "goe") return "semicircle";
    return this.spectrum();
  }
}

const nnSecondLayer = (s: string) => (s === "free" ? "free" : "positive");

/** @internal Run one point; `signal` aborts training (the point then returns null). */
export async function runPoint(ctx: RunContext, p: Point, signal?: AbortSignal): Promise<CompareRow | null> {
  if (p.alpha !== undefined) return runSweepPoint(ctx, p, signal);
  const c = ctx.config;
  const t0 = performance.now();
  const seed = deriveSeed(c.seed, p.regime, p.N, p.rep);
  const online = c.n === "online";
  const task = ctx.task;
  let model: FittedModel | null = null;
  let W: Matrix<Float64Array> | null = null;
  let method = "";
  let exactRisk: number | null = null;
  if (p.regime !== "NN") W = ctx.firstLayer(p.N, p.rep);
  let error01Exact: number | undefined;
  if (p.regime === "RF") {
    if (online && task.kind === "quadratic" && c.activation === "square") {
      exactRisk = riskRF(task, W!);
      method = "exact";
    } else if (online && task.kind === "mixture") {
      // the population least-squares fit (n → ∞), and the exact 0-1 error of its rule sign f
      const fit = mixturePopulationRF(task, W!);
      exactRisk = fit.risk;
      error01Exact = quadraticRuleError(task, fit.M, -fit.c).error;
      method = "exact";
    } else {
      const { X, y } = ctx.sample(p.rep);
      try {
        model = fitRF({ X, y, W: W!, ridge: c.ridge, activation: c.activation });
        method = "lstsq";
      } catch (e) {
        if (!(e instanceof RangeError && /linearly dependent/.test(e.message)) || c.ridge > 0) throw e;
        model = fitRF({ X, y, W: W!, ridge: 1e-10, activation: c.activation });
        method = "lstsq+ridge1e-10";
      }
    }
  } else if (p.regime === "NT") {
    if (online) {
      if (c.nt.method === "exact" && task.kind === "quadratic" && c.activation === "square") {
        exactRisk = riskNT(task, W!);
        method = "exact";
      } else {
        model = await trainNT({
          task,
          N: p.N,
          W0: W!,
          steps: c.nt.steps,
          batch: c.nt.batch,
          schedule: c.nt.schedule,
          seed,
          activation: c.activation,
          signal,
          ...(c.nt.lr === undefined ? {} : { lr: c.nt.lr }),
          ...(c.nt.lrScale === undefined ? {} : { lrScale: c.nt.lrScale }),
          ...(c.nt.precision === undefined ? {} : { precision: c.nt.precision }),
        });
        method = "sgd";
      }
    } else {
      const { X, y } = ctx.sample(p.rep);
      const m = fitNT({ X, y, W: W!, ridge: c.ridge, activation: c.activation });
      model = m;
      method = m.solve.solver === "direct" ? "lstsq" : "cg";
    }
  } else {
    const common = {
      N: p.N,
      steps: c.nn.steps,
      batch: c.nn.batch,
      schedule: c.nn.schedule,
      optimizer: c.nn.optimizer,
      secondLayer: c.nn.secondLayer,
      alpha: c.nn.alpha,
      activation: c.activation,
      seed,
      signal,
      ...(c.nn.lr === undefined ? {} : { lr: c.nn.lr }),
      ...(c.nn.lrScale === undefined ? {} : { lrScale: c.nn.lrScale }),
      ...(c.nn.precision === undefined ? {} : { precision: c.nn.precision }),
    };
    model = online
      ? await trainNN({ ...common, task, online: true })
      : await trainNN({ ...common, ...ctx.sample(p.rep), online: false });
    method = c.nn.optimizer;
  }
  if (signal?.aborted) return null;
  const mcRng = createRng(deriveSeed(c.seed, "test", p.regime, p.N, p.rep));
  let risk: number, error01: number | undefined;
  if (exactRisk !== null) {
    risk = exactRisk;
  } else {
    const est = model!.populationRisk(task, { nMC: c.mcSamples, rng: mcRng });
    risk = est.risk;
    error01 = est.error01;
    // mixture, σ = t²: the model is c + xᵀMx, so the 0-1 error of sign f is exact (Imhof)
    if (task.kind === "mixture" && c.activation === "square") {
      const q = model!.quadraticForm();
      error01Exact = quadraticRuleError(task, symmetrised(q.M), -q.c).error;
    }
  }
  const rho = p.N / c.d;
  let theory: CompareRow["theory"];
  let normalizedRisk: number;
  if (task.kind === "quadratic" && c.activation !== "square") {
    // the closed forms (riskRF/NT/NN and their limits) are for σ = t² only: no theory to set beside
    normalizedRisk = task.risk0 === 0 ? 0 : risk / task.risk0;
    theory = { exact: null, expected: null, limit: null };
  } else if (task.kind === "quadratic") {
    const R0 = task.risk0;
    normalizedRisk = R0 === 0 ? 0 : risk / R0;
    const s2 = task.noise * task.noise,
      signalPart = 2 * task.frobB2;
    const lim = (v: number) => (v * signalPart + s2) / R0;
    if (p.regime === "RF") {
      theory = { exact: riskRF(task, W!) / R0, expected: null, limit: lim(limitRF(task.kappa, rho)) };
    } else if (p.regime === "NT") {
      theory = { exact: riskNT(task, W!) / R0, expected: expectedRiskNT(task, p.N) / R0, limit: lim(limitNT(task.kappa, rho)) };
    } else {
      const sl = nnSecondLayer(c.nn.secondLayer);
      const exact = riskNN(task, p.N, { secondLayer: sl }) / R0;
      const spec = ctx.limitSpectrum();
      const limitOk = sl === "free" || spec === "exponential" || (spec instanceof Float64Array && spec.every((x) => x >= 0));
      theory = { exact, expected: exact, limit: limitOk ? lim(limitNN(spec, rho)) : null };
    }
  } else if (c.activation !== "square") {
    // the class theories are for quadratic rules (σ = t²): none beside relu / tanh points
    normalizedRisk = risk;
    theory = { exact: null, expected: null, limit: null };
  } else {
    normalizedRisk = risk;
    // exact: the exact 0-1 error of the class's explicit rule sign(xᵀMx − t), M = Proj_class of
    // the Bayes matrix, best t (≥ the Bayes error by construction); weakSignal: Φ(−‖Proj Δ‖_F/√2),
    // the small-‖Δ‖ approximation, which can fall below the Bayes error (docs/theory.md §2.2)
    const opt = p.regime === "NN" ? { N: p.N } : { W: W! };
    const exact = mixtureErrorExact(task, p.regime, opt).error;
    const ws = mixtureErrorWeakSignal(task, p.regime, opt);
    theory = { exact, expected: null, limit: null, weakSignal: ws };
  }
  const row: CompareRow = {
    task: task.kind,
    regime: p.regime,
    d: c.d,
    N: p.N,
    rho,
    rep: p.rep,
    seed,
    risk,
    normalizedRisk,
    theory,
    ...(error01 === undefined ? {} : { error01 }),
    ...(error01Exact === undefined ? {} : { error01Exact }),
    ...(model instanceof TrainedModel
      ? {
          steps: model.training.steps,
          ...(model.training.lrHalvings === undefined ? {} : { lrHalvings: model.training.lrHalvings }),
          convergence: rowConvergence(model),
          ...(task.kind === "quadratic" ? rowCurve(model, task.risk0) : {}),
        }
      : {}),
    method,
    seconds: (performance.now() - t0) / 1000,
  };
  return row;
}

/** The exact-risk checkpoints of a trained point, normalised (quadratic task with σ = t² only). */
function rowCurve(model: TrainedModel, risk0: number): Pick<CompareRow, "curve"> {
  const { riskStep, risk } = model.curve;
  if (risk.length === 0) return {};
  return { curve: { step: Array.from(riskStep), risk: Array.from(risk, (r) => (risk0 === 0 ? 0 : r / risk0)) } };
}

/** M with its two triangles averaged (a product W·diag(a)·Wᵀ is symmetric only up to rounding). */
function symmetrised(M: Matrix<Float64Array>): Matrix<Float64Array> {
  const n = M.rows,
    out = Float64Array.from(M.data);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (out[i * n + j] + out[j * n + i]);
      out[i * n + j] = m;
      out[j * n + i] = m;
    }
  return { rows: n, cols: n, data: out };
}

/** The row's convergence record: a non-finite loss slope (too short a curve) becomes null, as JSON would. */
function rowConvergence(model: TrainedModel): NonNullable<CompareRow["convergence"]> {
  const { lossSlope, lossSlopeSE, riskChange, converged } = model.training.convergence;
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return { lossSlope: finite(lossSlope), lossSlopeSE: finite(lossSlopeSE), riskChange, converged };
}

/** @internal Relative cost of a point (static flops; src/experiment/cost.ts), kept exported from here. */
export { pointCost } from "./cost.js";

/** @internal The meta block: task description, theory curves for the figure. */
export function runMeta(ctx: RunContext, version: string, points: number): CompareMeta {
  const c = ctx.config;
  const task = ctx.task;
  const meta: CompareMeta = {
    version,
    task: task.kind,
    d: c.d,
    n: c.n,
    reps: c.reps,
    seed: c.seed,
    regimes: c.regimes,
    activation: c.activation,
    spectrum: task.kind === "quadratic" ? task.spectrum : String((c.taskOptions as { delta?: unknown }).delta ?? "lowrank"),
    config: c,
    points,
  };
  if (task.kind === "quadratic") {
    meta.kappa = task.kappa;
    meta.risk0 = task.risk0;
  }
  if (c.sweep !== undefined) {
    // an α sweep: no curves over N/d; its theory lines (lazy, rich) are on every row
    meta.sweep = { alpha: c.sweep.alpha, N: c.widths.NN[0] };
  } else if (task.kind === "quadratic" && c.activation === "square") {
    let rmax = 0;
    for (const r of c.regimes) for (const N of c.widths[r]) rmax = Math.max(rmax, N / c.d);
    const grid = Array.from({ length: 121 }, (_, i) => (rmax * 1.04 * i) / 120);
    const s2 = task.noise * task.noise,
      sp = 2 * task.frobB2,
      R0 = task.risk0;
    const lim = (v: number) => (v * sp + s2) / R0;
    const curves: CompareMeta["theoryCurves"] = {};
    if (c.regimes.includes("RF")) curves.RF = grid.map((x) => [x, lim(limitRF(task.kappa, x))]);
    if (c.regimes.includes("NT")) curves.NT = grid.map((x) => [x, lim(limitNT(task.kappa, x))]);
    if (c.regimes.includes("NN")) {
      const spec = ctx.limitSpectrum();
      const free = nnSecondLayer(c.nn.secondLayer) === "free";
      if (free || spec === "exponential" || (spec instanceof Float64Array && spec.every((x) => x >= 0))) {
        curves.NN = grid.map((x) => [x, lim(limitNN(spec, x))]);
      }
    }
    meta.theoryCurves = curves;
  } else if (task.kind === "mixture") {
    // exact (Imhof's integral on the likelihood-ratio rule); the Monte Carlo estimate beside it
    // as an independent check
    meta.bayesError = bayesErrorExact(task).error;
    const mc = task.bayesError(c.mcSamples, createRng(deriveSeed(c.seed, "bayes")));
    meta.bayesErrorMC = { error: mc.error, stderr: mc.stderr };
  }
  return meta;
}
