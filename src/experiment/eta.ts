// Cost model, calibration and ETA of a comparison run (issue 12, item 4).
//
// Two models of a point's cost:
// - `pointCost`: a static, machine-independent count of GEMM-equivalent flops. It orders the
//   worker pool's queue and assigns points to shards, so it must be a pure function of the
//   configuration (every shard of a job array computes the same assignment on its own).
// - `CostModel`: seconds on this machine, from a short probe before the run: per-step time of
//   SGD fitted as t = a + b·(flops per step) from a few hundred steps at 2–3 widths of the run,
//   per training kind (NN, NT), plus a GEMM rate for the one-off work (fits, exact risks,
//   theory). Cached per process. The per-flop time is not constant: at d = 450 it grows ~2.5×
//   from N = 30 to N = 4767 (the d×N weights leave the caches), so a single line
//   t = a + b·flops fitted to all widths misses the widest point by ~45 %; the model is that
//   line per segment between neighbouring probe widths (piecewise linear in flops), with probe
//   widths spread geometrically over the run's range.
// The probe trains in the precision of the run (config.nn/nt.precision) on the build this
// process has loaded (init({ fma: true }) loads the relaxed-SIMD one), so f32 and FMA runs
// are predicted from their own step times. The alternative, the f64 probe × one per-kind
// factor (f32+FMA ÷ f64 at the widest probe width), missed 1 000-step slices at d = 450 by up
// to 68 % (NN N = 69: the f32 gain is far from constant over widths) where the direct probe
// stayed within 17 % (bench/eta/slice.mjs, 2026-12-02, load ≈ 13 on 2 cores).
// Threads (issue 12, item 3) enter as a per-kind speed-up of the step measured by the probe
// (StepFit.threadSpeedup; 1 until the training functions take a `threads` option).
// The running ETA (EtaTracker) rescales the remaining predictions by the measured/predicted
// ratio of the finished points, and simulates the worker pool on what is left (list
// scheduling, Graham 1969), so it starts from the prediction rather than from "0 s" and stays
// sane when cheap and costly points alternate.

import type { NormalizedConfig } from "./config.js";
import type { Point } from "./points.js";
import type { RunContext } from "./run.js";
import { trainNN, trainNT } from "../training/loop.js";
import { randomFeatures } from "../regimes/rf.js";
import { matmul } from "../linalg/matmul.js";
import { createRng } from "../random/rng.js";
import { runtimeInfo } from "../runtime/module.js";

/** @internal Float type of an SGD step. */
export type Precision = "f64" | "f32";

/**
 * @internal
 * Threads hook (issue 12, item 3): true once trainNN/trainNT take a `threads` option. Until then
 * a model asked for k > 1 threads keeps a speed-up of 1 (the steps run on one thread); once
 * true, calibrate() times the widest probe width at k threads and at 1 and uses the ratio.
 */
export const TRAINING_THREADS = false;

/** @internal What a point does: `steps` SGD steps of `stepFlops` each (kind NN or NT), plus one-off work. */
export interface PointWork {
  kind: "NN" | "NT" | null;
  /** Float type of the SGD steps (the run's config.nn/nt.precision; "f64" when unset). */
  precision: Precision;
  steps: number;
  stepFlops: number;
  /** GEMM-equivalent flops of the one-off work: fits, exact risks, theory, checkpoints. */
  fixedFlops: number;
}

/** @internal Flops of one SGD step (forward + backward GEMMs; online: drawing the batch and y = xᵀBx). */
export function stepFlops(kind: "NN" | "NT", d: number, N: number, batch: number, online: boolean): number {
  // NN: X·W, the gradient Xᵀ·(…) and the elementwise passes ≈ 6·b·d·N; NT carries a second
  // d×N block (G) through the same products ≈ 10·b·d·N (measured NT/NN ≈ 1.7 per step at N = d = 450)
  return (kind === "NN" ? 6 : 10) * batch * d * N + (online ? 2 * batch * d * d : 0);
}

/**
 * @internal
 * The work of a point. The one-off terms were sized from measured point times at d = 450 and
 * d = 30 with 1 SGD step (riskRF/riskNT/expectedRiskNT/riskNN, exact-risk checkpoints,
 * population risks); they only need to be right within a factor ~2, as they are a small share
 * of a trained point and the running ETA corrects them from measured times.
 */
export function pointWork(c: NormalizedConfig, p: Point): PointWork {
  const { d } = c,
    N = p.N;
  const online = c.n === "online";
  const n = online ? 0 : (c.n as number);
  const mc = c.task === "mixture" ? 4 * c.mcSamples * d * N : 0;
  const none = { kind: null, steps: 0, stepFlops: 0, precision: "f64" as Precision };
  if (p.regime === "RF") {
    const theory = c.task === "quadratic" ? 4 * d ** 3 + 14 * (d * d * N + N ** 3) : 0;
    const fit = online && c.task === "quadratic" && c.activation === "square" ? 0 : 2 * n * N * N + N ** 3 + 2 * n * d * N;
    return { ...none, fixedFlops: theory + fit + mc };
  }
  if (p.regime === "NT") {
    const theory = c.task === "quadratic" ? 28 * d ** 3 + 73 * d * d * N : 0;
    if (online && c.nt.method === "sgd") {
      return {
        kind: "NT",
        precision: c.nt.precision ?? "f64",
        steps: c.nt.steps,
        stepFlops: stepFlops("NT", d, N, c.nt.batch, true),
        fixedFlops: theory + 20 * 4 * d * d * N + mc,
      };
    }
    const fit = online ? 0 : 60 * n * d * N;
    return { ...none, fixedFlops: theory + fit + mc };
  }
  const theory = c.task === "quadratic" ? 3 * d ** 3 + 9 * d * d * N : 0;
  return {
    kind: "NN",
    precision: c.nn.precision ?? "f64",
    steps: c.nn.steps,
    stepFlops: stepFlops("NN", d, N, c.nn.batch, online),
    fixedFlops: theory + (online ? 20 * 2 * d * d * N : 0) + mc,
  };
}

/** @internal Static relative cost of a point (flops): for shard assignment and the pool's queue order. */
export function pointCost(c: NormalizedConfig, p: Point): number {
  const w = pointWork(c, p);
  return w.steps * w.stepFlops + w.fixedFlops;
}

/** Seconds per SGD step, piecewise linear in flops through the probe's measurements. */
export interface StepFit {
  /** The probe's measurements (flops per step, seconds per step, steps timed), by increasing flops. */
  samples: { N: number; flops: number; seconds: number; steps: number }[];
  /** Seconds of a training call besides its steps (context setup, reading the model). */
  setup: number;
  /** Float type the probe trained in (the run's). Spelled out: StepFit is public, Precision internal. */
  precision: "f64" | "f32";
  /** Per-step speed-up of CostModel.threads threads over one (the samples are one-thread times; 1 for one thread). */
  threadSpeedup: number;
}

/** Seconds of a point on this machine, calibrated by a short probe (ComparePlan.model). */
export interface CostModel {
  NN?: StepFit;
  NT?: StepFit;
  /** The WebAssembly build the probe ran on ("relaxed" with init({ fma: true }), "simd", "scalar", "custom"). */
  build: string;
  /** Threads per training run the model predicts for (1 until training takes a `threads` option). */
  threads: number;
  /** GEMM-equivalent flop rate of the one-off work (flops per second). */
  flopRate: number;
  /** Fixed seconds per point (bookkeeping besides the modelled work). */
  perPoint: number;
  /** Seconds the probe took. */
  probeSeconds: number;
}

/**
 * @internal
 * Seconds of one step of `flops` flops: the line t = a + b·f through the two probe samples
 * around f (interpolation); beyond the probed range, the end segment's line (left of the
 * first sample: proportional to flops, which stays positive).
 */
export function stepSeconds(samples: { flops: number; seconds: number }[], flops: number): number {
  if (samples.length === 0) throw new RangeError("stepSeconds: no samples");
  if (!(flops >= 0) || !Number.isFinite(flops))
    throw new RangeError(`stepSeconds: flops must be a finite number ≥ 0, got ${flops}`);
  for (const x of samples) {
    if (!(x.flops > 0 && x.seconds > 0) || !Number.isFinite(x.flops) || !Number.isFinite(x.seconds))
      throw new RangeError(`stepSeconds: a sample needs positive finite flops and seconds, got ${x.flops} flops, ${x.seconds} s`);
  }
  const s = [...samples].sort((x, y) => x.flops - y.flops);
  if (flops <= s[0].flops || s.length === 1) return (s[0].seconds * flops) / s[0].flops;
  let i = 0;
  while (i < s.length - 2 && flops > s[i + 1].flops) i++;
  const [p, q] = [s[i], s[i + 1]];
  if (q.flops === p.flops) return Math.max(p.seconds, q.seconds);
  const b = (q.seconds - p.seconds) / (q.flops - p.flops);
  const t = p.seconds + b * (flops - p.flops);
  // a noisy probe can make a segment fall; never predict below the proportional rule of the
  // last sample for a point beyond it
  return flops > q.flops && b < 0 ? (q.seconds * flops) / q.flops : t;
}

/** @internal Predicted seconds of a point on the calibrated machine. */
export function predictSeconds(m: CostModel, w: PointWork): number {
  let s = m.perPoint + w.fixedFlops / m.flopRate;
  if (w.kind !== null && w.steps > 0) {
    const f = m[w.kind];
    if (f === undefined) throw new Error(`cost model has no ${w.kind} calibration`);
    // an f64 probe says little about f32 steps (and back): refuse rather than mispredict
    if (f.precision !== w.precision)
      throw new Error(`cost model: ${w.kind} was calibrated in ${f.precision}, the point trains in ${w.precision}`);
    if (!(f.threadSpeedup > 0) || !Number.isFinite(f.threadSpeedup))
      throw new RangeError(`cost model: ${w.kind} threadSpeedup must be a positive number, got ${f.threadSpeedup}`);
    s += f.setup + (w.steps * stepSeconds(f.samples, w.stepFlops)) / f.threadSpeedup;
  }
  return s;
}

/**
 * @internal
 * Probe widths of a kind: the smallest and the largest of the run, and between them the
 * run's widths nearest a geometric grid with ratio ≤ ~8 (3 widths for N = 30…450, 4 for
 * 30…4767), so every point interpolates between measured neighbours. Only × and ÷ (no
 * Math.log / **, whose last bits differ between engines): a width w is nearest the grid point
 * g_j = lo·(hi/lo)^{j/(m−1)} in log distance iff w^{m−1} is nearest T_j = lo^{m−1−j}·hi^j in ratio.
 */
export function probeWidths(widths: number[]): number[] {
  const u = [...new Set(widths)].sort((a, b) => a - b);
  const lo = u[0],
    hi = u[u.length - 1];
  let octaves = 0; // ⌈log₈(hi/lo)⌉
  for (let x = lo; x < hi; x *= 8) octaves++;
  const m = Math.min(5, Math.max(2, octaves + 1));
  if (u.length <= m) return u;
  const power = (x: number, n: number) => {
    let r = 1;
    for (let i = 0; i < n; i++) r *= x;
    return r;
  };
  const ratio = (a: number, b: number) => (a > b ? a / b : b / a);
  const out = new Set<number>([lo, hi]);
  for (let j = 1; j < m - 1; j++) {
    const T = power(lo, m - 1 - j) * power(hi, j);
    let best = u[1];
    for (const w of u.slice(1, -1)) if (ratio(power(w, m - 1), T) < ratio(power(best, m - 1), T)) best = w;
    out.add(best);
  }
  return [...out].sort((a, b) => a - b);
}

/** @internal Options of the calibration probe. */
export interface ProbeOptions {
  /** Target seconds of each timed run at a width (default 0.08; three runs, the fastest counts). */
  seconds?: number;
  /** Bounds on the timed steps per run (default 5 … 300). */
  minSteps?: number;
  maxSteps?: number;
  /** Threads per training run (default 1): the model's speed-up comes from the probe (TRAINING_THREADS). */
  threads?: number;
  signal?: AbortSignal;
}

const cache = new Map<string, CostModel>();
const now = () => performance.now();

/**
 * The probe's clock, in ms: the process's CPU time where there is one (Node), else the wall
 * clock. On a machine shared with other work the wall time of a short probe varies ~2×
 * between runs; the CPU time measures the step on a core of its own. Nothing else runs in the
 * process during the probe (it precedes the worker pool), so this is this thread's time. The
 * running ETA then rescales by the measured (wall-clock) point times, which carry the load.
 */
const probeClock: () => number = (() => {
  const proc = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  if (typeof proc?.cpuUsage === "function") {
    const cpu = proc.cpuUsage.bind(proc);
    return () => {
      const u = cpu();
      return (u.user + u.system) / 1000;
    };
  }
  return now;
})();

/**
 * @internal
 * Calibrate the cost model for the SGD points among `points` (cached per process by what the
 * step time depends on). Trains throwaway models with their own seed: no point's numbers change.
 */
export async function calibrate(ctx: RunContext, points: Point[], options: ProbeOptions = {}): Promise<CostModel> {
  const c = ctx.config;
  const online = c.n === "online";
  const kinds: { kind: "NN" | "NT"; widths: number[] }[] = [];
  for (const kind of ["NN", "NT"] as const) {
    const ws = points.filter((p) => pointWork(c, p).kind === kind).map((p) => p.N);
    if (ws.length) kinds.push({ kind, widths: probeWidths(ws) });
  }
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new RangeError(`options.threads must be an integer in 1…64, got ${threads}`);
  const build = runtimeInfo().build;
  // what the step time depends on (not the seed or the target's spectrum: the same GEMMs)
  const key = JSON.stringify({
    build,
    task: c.task,
    d: c.d,
    n: c.n,
    act: c.activation,
    kinds,
    options: { ...options, signal: undefined },
    nn: [c.nn.batch, c.nn.optimizer, c.nn.secondLayer, c.nn.steps, c.nn.precision ?? "f64"],
    nt: [c.nt.batch, c.nt.steps, c.nt.precision ?? "f64"],
  });
  const hit = cache.get(key);
  if (hit) return hit;
  const t0 = now();
  const target = options.seconds ?? 0.08,
    minSteps = options.minSteps ?? 5,
    maxSteps = options.maxSteps ?? 300;
  const model: CostModel = { build, threads, flopRate: gemmRate() * 0.66, perPoint: 3e-4, probeSeconds: 0 };
  const data = online ? { task: ctx.task, online: true as const } : { ...ctx.sample(0), online: false as const };
  for (const { kind, widths } of kinds) {
    const cfg = kind === "NN" ? c.nn : c.nt;
    const precision: Precision = cfg.precision ?? "f64";
    // a short run is not probed for longer than a quarter of one of its points
    const maxK = Math.max(minSteps, Math.min(maxSteps, Math.ceil(cfg.steps / 4)));
    const run = async (N: number, steps: number, k = 1, clock = probeClock) => {
      const common = {
        ...data,
        N,
        steps,
        batch: cfg.batch,
        schedule: cfg.schedule,
        activation: c.activation,
        seed: 0x5eed,
        checkpoints: 0,
        ...(cfg.lr === undefined ? {} : { lr: cfg.lr }),
        ...(cfg.lrScale === undefined ? {} : { lrScale: cfg.lrScale }),
        // the run's float type: an f32 step is not an f64 step at a fixed ratio (run.ts passes it the same way)
        ...(cfg.precision === undefined ? {} : { precision: cfg.precision }),
        // reached only when TRAINING_THREADS (the threads work adds the option to trainNN/trainNT)
        ...(k > 1 ? { threads: k } : {}),
      };
      const t = clock();
      try {
        if (kind === "NN") {
          await trainNN({ ...common, optimizer: c.nn.optimizer, secondLayer: c.nn.secondLayer, alpha: c.nn.alpha });
        } else {
          await trainNT({ ...common, W0: randomFeatures(c.d, N, createRng(0x5eed)) });
        }
      } catch (e) {
        // a few steps at the schedule's start may diverge at a width where the run would not:
        // the time until then still measures the step
        if (!(e instanceof Error && /diverge/i.test(e.message))) throw e;
      }
      return (clock() - t) / 1000;
    };
    await run(widths[0], 3); // warm-up: the engine tiers up the kernels on first use
    const samples: StepFit["samples"] = [];
    let setup = 0;
    // the fastest of a few runs: on a shared machine the others are slowed by whatever else
    // runs (the running ETA then rescales by the measured point times)
    const fastest = async (N: number, steps: number, reps: number, k = 1, clock = probeClock) => {
      let best = Infinity;
      for (let i = 0; i < reps; i++) best = Math.min(best, await run(N, steps, k, clock));
      return best;
    };
    for (const N of widths) {
      if (options.signal?.aborted) break;
      const t3 = await fastest(N, 3, 2);
      const k = Math.max(minSteps, Math.min(maxK, Math.round(target / Math.max(t3 / 3, 1e-6))));
      const tk = await fastest(N, k + 3, 3);
      const per = Math.max((tk - t3) / k, 1e-9);
      setup = Math.max(setup, t3 - 3 * per);
      samples.push({ N, flops: stepFlops(kind, c.d, N, cfg.batch, online), seconds: per, steps: k });
    }
    if (samples.length === 0) continue;
    samples.sort((x, y) => x.flops - y.flops);
    model[kind] = {
      samples,
      setup: Math.max(0, setup),
      precision,
      threadSpeedup: await threadSpeedup(samples[samples.length - 1], threads, fastest),
    };
  }
  model.probeSeconds = (now() - t0) / 1000;
  if (!options.signal?.aborted) cache.set(key, model);
  return model;
}

/**
 * @internal
 * Per-step speed-up of `threads` threads over one, at the widest probe width (where threads
 * pay; the narrow points are cheap either way). 1 for one thread, and 1 while the training
 * functions have no `threads` option (TRAINING_THREADS). The threads work may refine this per
 * width. Both runs are timed by the wall clock: the process's CPU time sums over threads.
 */
async function threadSpeedup(
  widest: { N: number; seconds: number; steps: number },
  threads: number,
  fastest: (N: number, steps: number, reps: number, threads: number, clock: () => number) => Promise<number>,
): Promise<number> {
  if (threads === 1 || !TRAINING_THREADS) return 1;
  const k = widest.steps + 3;
  const one = await fastest(widest.N, k, 2, 1, now);
  const many = await fastest(widest.N, k, 2, threads, now);
  return Math.max(1, one / many);
}

/** GEMM rate of this machine (flops per second), from a few 128×128 products. */
function gemmRate(): number {
  const n = 128,
    rng = createRng(7);
  const a = rng.normalMatrix(n, n),
    b = rng.normalMatrix(n, n);
  matmul(a, b);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = probeClock();
    for (let i = 0; i < 4; i++) matmul(a, b);
    best = Math.min(best, (probeClock() - t) / 4);
  }
  return (2 * n ** 3) / (best / 1000);
}

/**
 * @internal
 * Makespan of list scheduling: jobs taken in the given order, each to the worker that frees
 * first; `busy` are the remaining seconds of workers already occupied.
 */
export function listSchedule(durations: number[], workers: number, busy: number[] = []): number {
  const free = [...busy.slice(0, workers)];
  while (free.length < workers) free.push(0);
  for (const t of durations) {
    let j = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[j]) j = i;
    free[j] += t;
  }
  return Math.max(0, ...free);
}

/** @internal The pool's queue order: longest predicted first, ties by canonical index. */
export function longestFirst<T extends { index: number }>(points: T[], cost: (p: T) => number): T[] {
  return points
    .map((p) => ({ p, c: cost(p) }))
    .sort((x, y) => y.c - x.c || x.p.index - y.p.index)
    .map((x) => x.p);
}

/**
 * @internal
 * Running ETA of a run. Each point has a predicted duration and a class (its regime: the model
 * errs differently for an SGD point and an exact risk). On every finished point the class's
 * measured/predicted ratio is updated; ratios are shrunk towards the run's overall ratio, and
 * that one towards 1, with a prior weight of `prior` × the run's predicted total, so a few
 * cheap points cannot rescale hours of training (the demo's "ETA 11105 min" for a two-second
 * run came from one cheap point's ratio applied to the whole run). The remaining time is the
 * makespan of the rescaled remaining points on the workers, after the points in flight.
 */
export class EtaTracker {
  private readonly pred = new Map<number, { seconds: number; cls: string }>();
  private readonly order: number[];
  private readonly started = new Map<number, number>();
  private readonly done = new Set<number>();
  private readonly measured = new Map<string, number>();
  private readonly predicted = new Map<string, number>();
  private readonly priorWeight: number;
  readonly total: number;

  constructor(
    points: { index: number; seconds: number; cls: string }[],
    readonly workers: number,
    prior = 0.05,
  ) {
    for (const p of points) {
      if (!(p.seconds >= 0) || !Number.isFinite(p.seconds))
        throw new RangeError(`EtaTracker: point ${p.index} has predicted seconds ${p.seconds}`);
      this.pred.set(p.index, { seconds: p.seconds, cls: p.cls });
    }
    this.order = points.map((p) => p.index);
    this.total = listSchedule(
      points.map((p) => p.seconds),
      workers,
    );
    const sum = points.reduce((s, p) => s + p.seconds, 0);
    this.priorWeight = Math.max(prior * sum, 1e-6);
  }

  start(index: number, at: number): void {
    this.started.set(index, at);
  }

  /** A finished point and its measured seconds (its own time, not the wall clock between events). */
  finish(index: number, seconds: number): void {
    const p = this.pred.get(index);
    if (p === undefined || this.done.has(index)) return;
    this.done.add(index);
    this.started.delete(index);
    this.measured.set(p.cls, (this.measured.get(p.cls) ?? 0) + seconds);
    this.predicted.set(p.cls, (this.predicted.get(p.cls) ?? 0) + p.seconds);
  }

  /** measured/predicted of the run so far, shrunk towards 1. */
  overallRatio(): number {
    let m = 0,
      q = 0;
    for (const v of this.measured.values()) m += v;
    for (const v of this.predicted.values()) q += v;
    return (m + this.priorWeight) / (q + this.priorWeight);
  }

  /** measured/predicted of a class, shrunk towards the overall ratio. */
  ratio(cls: string): number {
    const g = this.overallRatio();
    const m = this.measured.get(cls) ?? 0,
      q = this.predicted.get(cls) ?? 0;
    return (m + this.priorWeight * g) / (q + this.priorWeight);
  }

  /** Seconds left at time `at` (same clock as start()). */
  eta(at: number): number {
    const busy: number[] = [];
    for (const [i, t] of this.started) {
      const p = this.pred.get(i)!;
      busy.push(Math.max(0, p.seconds * this.ratio(p.cls) - Math.max(0, at - t)));
    }
    const rest: number[] = [];
    for (const i of this.order) {
      if (this.done.has(i) || this.started.has(i)) continue;
      const p = this.pred.get(i)!;
      rest.push(p.seconds * this.ratio(p.cls));
    }
    return listSchedule(rest, this.workers, busy);
  }
}
