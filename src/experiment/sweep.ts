// The lazy → rich sweep over the scale α of the network (compare({ sweep: { alpha } }); issue 13
// part 3; docs/alpha/README.md). In the mean-field parametrisation of docs/theory.md §6,
//   ŷ(x) = β·c + (α/N) Σᵢ aᵢ σ(wᵢᵀx),  SGD gradients rescaled by N/α² (W, aᵢ),
// the tangent kernel at initialisation does not depend on α, while the parameters move by
// O(1/α) to fit the target: a large α keeps training lazy (the linearisation at W₀, whose risk
// is riskNT(B, W₀)), a small α makes it rich (the network itself; Chizat, Oyallon & Bach, "On
// lazy training in differentiable programming", NeurIPS 2019). The initialisation is their
// "doubling" trick: N/2 directions vᵢ, each as two neurons (vᵢ, +1) and (vᵢ, −1), so the initial
// function is exactly zero for every α (no O(α) initial output to unlearn) and every α starts
// from the same W₀. For σ = t², gradient flow conserves aᵢ² − ‖wᵢ‖²/2 (docs/theory.md §6), which
// starts at 1 − ‖vᵢ‖²/2 > 0, so no output weight changes sign: the rich limit is the network
// with N/2 positive and N/2 negative neurons, riskNN(B, N, { positive: N/2, negative: N/2 }).

import { createRng } from "../random/rng.js";
import { randomFeatures } from "../regimes/rf.js";
import { riskNN, riskNT } from "../theory/risks.js";
import { trainNN } from "../training/loop.js";
import type { Matrix } from "../linalg/matrix.js";
import type { QuadraticTask } from "../tasks/quadratic.js";
import { checkOptions, checkPositive, checkSize, describe } from "../runtime/errors.js";
import type { RunContext } from "./run.js";
import { deriveSeed, type Point } from "./points.js";
import type { CompareRow } from "./types.js";

/**
 * The antisymmetric pair initialisation of the sweep from N/2 directions V (d×N/2, one per
 * column): neuron 2j is (vⱼ, +1) and neuron 2j+1 is (vⱼ, −1). Interleaved so that the kernel's
 * output sum, which accumulates even and odd neurons separately (assembly/nn/train.ts), adds
 * exact negatives: the initial output is exactly 0, not merely up to rounding.
 */
export function pairedInit(V: Matrix<Float64Array>): { W0: Matrix<Float64Array>; a0: Float64Array } {
  const d = V.rows,
    h = V.cols,
    N = 2 * h;
  const W = new Float64Array(d * N);
  for (let r = 0; r < d; r++)
    for (let j = 0; j < h; j++) {
      const v = V.data[r * h + j];
      W[r * N + 2 * j] = v;
      W[r * N + 2 * j + 1] = v;
    }
  const a0 = new Float64Array(N);
  for (let i = 0; i < N; i++) a0[i] = i % 2 === 0 ? 1 : -1;
  return { W0: { rows: d, cols: N, data: W }, a0 };
}

/** y^(1/m) for y > 0 by Newton's method with + − × ÷ only (identical in every engine). */
function root(y: number, m: number): number {
  if (y < 1) return 1 / root(1 / y, m);
  // from 1 + (y − 1)/m ≥ y^(1/m) (Bernoulli) Newton decreases monotonically to the root
  let x = 1 + (y - 1) / m;
  for (let it = 0; it < 500; it++) {
    let p = 1;
    for (let k = 0; k < m - 1; k++) p *= x; // x^(m−1)
    const next = x - (p * x - y) / (m * p);
    if (!(next < x)) break;
    x = next;
  }
  return x;
}

/** Options of logGrid: points per decade (default 2) or a total count (exclusive). */
export interface LogGridOptions {
  perDecade?: number;
  count?: number;
}

/**
 * A log-spaced grid from `start` to `stop` (both > 0, start ≤ stop): `perDecade` points per
 * factor 10 (default 2: 0.1, 0.316, 1, 3.16, …; the whole decades are exact), ending at the
 * last one ≤ stop, or `count` points with both ends included. Values are rounded to 6
 * significant digits and computed with + − × ÷ only, so every engine gets the same numbers.
 */
export function logGrid(start: number, stop: number, options?: LogGridOptions): number[] {
  const a = checkPositive("start", start),
    b = checkPositive("stop", stop);
  if (b < a) throw new RangeError(`stop must be ≥ start, got start = ${a}, stop = ${b}`);
  const o = checkOptions<LogGridOptions>("options", options, ["perDecade", "count"]);
  if (o.perDecade !== undefined && o.count !== undefined)
    throw new TypeError("options.perDecade and options.count are exclusive");
  const round = (v: number) => Number(v.toPrecision(6));
  if (o.count !== undefined) {
    const n = checkSize("options.count", o.count, 1, 1000);
    if (n === 1 || a === b) return [round(a)];
    const r = root(b / a, n - 1);
    const out = [round(a)];
    let v = a;
    for (let i = 1; i < n - 1; i++) out.push(round((v *= r)));
    out.push(round(b));
    return [...new Set(out)];
  }
  const k = o.perDecade === undefined ? 2 : checkSize("options.perDecade", o.perDecade, 1, 100);
  const r = root(10, k);
  const out: number[] = [];
  let decade = a;
  for (let i = 0; out.length <= 1000; i++) {
    let v = decade;
    for (let j = 0; j < i % k; j++) v *= r;
    // tolerance for the rounding of the products: a grid 0.1:1000 ends at 1000
    if (v > b * (1 + 1e-9)) break;
    out.push(round(v));
    if (i % k === k - 1) decade *= 10;
  }
  if (out.length > 1000) throw new RangeError(`logGrid: more than 1000 points from ${a} to ${b}`);
  return out;
}

interface SweepStart {
  W0: Matrix<Float64Array>;
  a0: Float64Array;
  norm0: number;
  lazy: number;
  rich: number;
}

// The start of each repetition (W₀, a₀ and the two theory limits), computed once per context:
// every α of a repetition shares it.
const starts = new WeakMap<RunContext, Map<number, SweepStart>>();

/** @internal The shared start of repetition `rep`: same W₀ for every α. */
export function sweepStart(ctx: RunContext, N: number, rep: number): SweepStart {
  let m = starts.get(ctx);
  if (!m) starts.set(ctx, (m = new Map()));
  let s = m.get(rep);
  if (!s) {
    const c = ctx.config;
    const task = ctx.task as QuadraticTask;
    const { W0, a0 } = pairedInit(randomFeatures(c.d, N / 2, createRng(deriveSeed(c.seed, "alpha-W", N, rep))));
    let n2 = 0;
    for (const x of W0.data) n2 += x * x;
    const R0 = task.risk0;
    s = {
      W0,
      a0,
      norm0: Math.sqrt(n2),
      lazy: riskNT(task, W0) / R0,
      rich: riskNN(task, N, { secondLayer: { positive: N / 2, negative: N / 2 } }) / R0,
    };
    m.set(rep, s);
  }
  return s;
}

/** @internal Run one point of an α sweep; `signal` aborts training (the point then returns null). */
export async function runSweepPoint(ctx: RunContext, p: Point, signal?: AbortSignal): Promise<CompareRow | null> {
  const c = ctx.config;
  if (p.alpha === undefined) throw new TypeError(`runSweepPoint: point ${describe(p)} has no alpha`);
  const t0 = performance.now();
  const task = ctx.task as QuadraticTask;
  const start = sweepStart(ctx, p.N, p.rep);
  // one data stream per repetition: every α sees the same batches
  const seed = deriveSeed(c.seed, "alpha-data", p.N, p.rep);
  const model = await trainNN({
    task,
    N: p.N,
    W0: start.W0,
    a0: start.a0,
    alpha: p.alpha,
    secondLayer: "free",
    steps: c.nn.steps,
    batch: c.nn.batch,
    schedule: c.nn.schedule,
    optimizer: c.nn.optimizer,
    seed,
    signal,
    ...(c.nn.lr === undefined ? {} : { lr: c.nn.lr }),
    ...(c.nn.lrScale === undefined ? {} : { lrScale: c.nn.lrScale }),
    ...(c.nn.precision === undefined ? {} : { precision: c.nn.precision }),
  });
  if (signal?.aborted) return null;
  const W = model.params.W.data,
    W0 = start.W0.data;
  let m2 = 0;
  for (let i = 0; i < W.length; i++) {
    const dx = W[i] - W0[i];
    m2 += dx * dx;
  }
  const risk = model.populationRisk(task).risk;
  const { lossSlope, lossSlopeSE, riskChange, converged } = model.training.convergence;
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    task: "quadratic",
    regime: "NN",
    d: c.d,
    N: p.N,
    rho: p.N / c.d,
    rep: p.rep,
    seed,
    alpha: p.alpha,
    risk,
    normalizedRisk: task.risk0 === 0 ? 0 : risk / task.risk0,
    movement: Math.sqrt(m2) / start.norm0,
    theory: { exact: null, expected: null, limit: null, lazy: start.lazy, rich: start.rich },
    steps: model.training.steps,
    convergence: { lossSlope: finite(lossSlope), lossSlopeSE: finite(lossSlopeSE), riskChange, converged },
    // the exact normalised risk at the checkpoints, as on compare's other trained rows
    ...(model.curve.risk.length === 0
      ? {}
      : {
          curve: {
            step: Array.from(model.curve.riskStep),
            risk: Array.from(model.curve.risk, (r) => (task.risk0 === 0 ? 0 : r / task.risk0)),
          },
        }),
    method: c.nn.optimizer,
    seconds: (performance.now() - t0) / 1000,
  };
}
