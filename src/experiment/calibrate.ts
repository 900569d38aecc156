// Calibration of the cost model (src/experiment/cost.ts) by a short probe on this machine,
// before a run (issue 12, item 4).
//
// Per training kind, a few hundred steps at 2–5 widths of the run (spread geometrically, so
// every point interpolates between measured neighbours) give the per-step time on one thread
// and the setup time of a training call, plus a GEMM rate for the one-off work.
// The probe trains in the precision of the run (config.nn/nt.precision) on the build this
// process has loaded (init({ fma: true }) loads the relaxed-SIMD one), so f32 and FMA runs
// are predicted from their own step times. The alternative, the f64 probe × one per-kind
// factor (f32+FMA ÷ f64 at the widest probe width), missed 1 000-step slices at d = 450 by up
// to 68 % (NN N = 69: the f32 gain is far from constant over widths) where the direct probe
// stayed within 17 % (bench/eta/slice.mjs, 2026-12-02, load ≈ 13 on 2 cores).
// Threads: for a run whose points use k > 1 threads, the same widths are timed at k threads
// and at one by the wall clock, on a module with k threads — the loaded one (init({ threads }))
// or, for compare's worker pool, one in a worker of its own (src/experiment/pool.ts) — and
// each width keeps its speed-up.

import type { Point } from "./points.js";
import type { RunContext } from "./run.js";
import { pointWork, stepFlops, type CostModel, type Precision, type StepFit } from "./cost.js";
import { trainNN, trainNT } from "../training/loop.js";
import { randomFeatures } from "../regimes/rf.js";
import { matmul } from "../linalg/matmul.js";
import { createRng } from "../random/rng.js";
import { runtimeInfo, setThreadsGrant } from "../runtime/module.js";

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

/** @internal What the threaded timings measure: per kind, the probe widths and steps per timed run. */
export interface SpeedupRequest {
  threads: number;
  kinds: { kind: "NN" | "NT"; widths: number[]; steps: number[] }[];
}

/** @internal Per kind, the speed-up of `threads` threads over one at each requested width. */
export type SpeedupReply = Partial<Record<"NN" | "NT", number[]>>;

/** @internal Options of the calibration probe. */
export interface ProbeOptions {
  /** Target seconds of each timed run at a width (default 0.08; three runs, the fastest counts). */
  seconds?: number;
  /** Bounds on the timed steps per run (default 5 … 300). */
  minSteps?: number;
  maxSteps?: number;
  /** Threads per point of the run (default 1): the model then holds their speed-up at each probe width. */
  threads?: number;
  /**
   * Where the threaded timings run (with threads > 1): by default on the loaded module, which
   * then needs that many threads (init({ threads })); compare's pool passes a worker's instead.
   */
  measureSpeedups?: (request: SpeedupRequest) => Promise<SpeedupReply>;
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
 * Seconds of one training call of `steps` steps at width N, in the run's precision, on `g`
 * threads of the loaded module (its grant is set for the call and restored after). Trains a
 * throwaway model with its own seed: no point's numbers change.
 */
async function timeTraining(
  ctx: RunContext,
  kind: "NN" | "NT",
  N: number,
  steps: number,
  g: number,
  clock: () => number,
): Promise<number> {
  const c = ctx.config;
  const cfg = kind === "NN" ? c.nn : c.nt;
  const data = c.n === "online" ? { task: ctx.task, online: true as const } : { ...ctx.sample(0), online: false as const };
  const common = {
    ...data,
    N,
    steps,
    batch: cfg.batch,
    schedule: cfg.schedule,
    activation: c.activation,
    seed: 0x5eed,
    checkpoints: 0,
    // the run's rate, always explicit: a probe run that diverges stops there (its time until
    // then still measures the step) instead of being rerun at half the default rate
    ...(cfg.lr === undefined ? { lrScale: cfg.lrScale ?? 1 } : { lr: cfg.lr }),
    // the run's float type: an f32 step is not an f64 step at a fixed ratio (run.ts passes it the same way)
    ...(cfg.precision === undefined ? {} : { precision: cfg.precision }),
  };
  const previous = setThreadsGrant(() => g);
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
  } finally {
    setThreadsGrant(previous);
  }
  return (clock() - t) / 1000;
}

/** The fastest of a few timings: on a shared machine the others are slowed by whatever else runs. */
async function fastest(reps: number, time: () => Promise<number>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < reps; i++) best = Math.min(best, await time());
  return best;
}

/**
 * @internal
 * The speed-up of `threads` threads over one at each requested width, on the loaded module
 * (which has at least that many threads, or the grant is clamped to what it has): the per-step
 * time on one thread and on all, each from runs of 3 and 2·`steps` + 3 steps (the difference
 * leaves out the call's setup, which runs on one thread either way: timing whole calls gave
 * 1.5× at NN N = 4767 where the steps scale 2.0×), interleaved, the fastest of two each,
 * timed by the wall clock (the process's CPU time sums over threads). Clamped to
 * [0.25, threads]: a noisy timing cannot promise more than linear scaling.
 */
export async function measureSpeedups(ctx: RunContext, request: SpeedupRequest): Promise<SpeedupReply> {
  const out: SpeedupReply = {};
  for (const { kind, widths, steps } of request.kinds) {
    await timeTraining(ctx, kind, widths[widths.length - 1], 3, request.threads, now); // warm up the helpers
    const s: number[] = [];
    for (let i = 0; i < widths.length; i++) {
      const k = 2 * steps[i];
      const best = [Infinity, Infinity, Infinity, Infinity]; // one thread: 3, k + 3 steps; all: 3, k + 3
      for (let r = 0; r < 2; r++) {
        for (const [j, g, n] of [
          [0, 1, 3],
          [1, 1, k + 3],
          [2, request.threads, 3],
          [3, request.threads, k + 3],
        ]) {
          best[j] = Math.min(best[j], await timeTraining(ctx, kind, widths[i], n, g, now));
        }
      }
      const one = Math.max(best[1] - best[0], 1e-9),
        many = Math.max(best[3] - best[2], 1e-9);
      s.push(Math.min(request.threads, Math.max(0.25, one / many)));
    }
    out[kind] = s;
  }
  return out;
}

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
  if (options.measureSpeedups !== undefined && typeof options.measureSpeedups !== "function")
    throw new TypeError("options.measureSpeedups must be a function");
  const info = runtimeInfo();
  if (threads > 1 && options.measureSpeedups === undefined && info.threads.used < threads)
    throw new RangeError(
      `options.threads is ${threads} but the loaded module has ${info.threads.used} thread${info.threads.used > 1 ? "s" : ""} (init({ threads })); pass options.measureSpeedups to time them elsewhere`,
    );
  // what the step time depends on (not the seed or the target's spectrum: the same GEMMs)
  const key = JSON.stringify({
    build: info.build,
    threadsHere: info.threads.used,
    task: c.task,
    d: c.d,
    n: c.n,
    act: c.activation,
    kinds,
    options: { ...options, signal: undefined, measureSpeedups: options.measureSpeedups ? "elsewhere" : "here" },
    nn: [c.nn.batch, c.nn.optimizer, c.nn.secondLayer, c.nn.steps, c.nn.precision ?? "f64"],
    nt: [c.nt.batch, c.nt.steps, c.nt.precision ?? "f64"],
  });
  const hit = cache.get(key);
  if (hit) return hit;
  const t0 = now();
  const target = options.seconds ?? 0.08,
    minSteps = options.minSteps ?? 5,
    maxSteps = options.maxSteps ?? 300;
  const model: CostModel = { build: info.build, threads, flopRate: gemmRate() * 0.66, perPoint: 3e-4, probeSeconds: 0 };
  const request: SpeedupRequest = { threads, kinds: [] };
  for (const { kind, widths } of kinds) {
    const cfg = kind === "NN" ? c.nn : c.nt;
    const precision: Precision = cfg.precision ?? "f64";
    // a short run is not probed for longer than a quarter of one of its points
    const maxK = Math.max(minSteps, Math.min(maxSteps, Math.ceil(cfg.steps / 4)));
    // one thread (grant 1 on a threads module): the step's own time, by the CPU clock
    const run = (N: number, steps: number) => timeTraining(ctx, kind, N, steps, 1, probeClock);
    await run(widths[0], 3); // warm-up: the engine tiers up the kernels on first use
    const samples: StepFit["samples"] = [];
    let setup = 0;
    for (const N of widths) {
      if (options.signal?.aborted) break;
      const t3 = await fastest(2, () => run(N, 3));
      const k = Math.max(minSteps, Math.min(maxK, Math.round(target / Math.max(t3 / 3, 1e-6))));
      const tk = await fastest(3, () => run(N, k + 3));
      const per = Math.max((tk - t3) / k, 1e-9);
      setup = Math.max(setup, t3 - 3 * per);
      samples.push({ N, flops: stepFlops(kind, c.d, N, cfg.batch, online), seconds: per, steps: k });
    }
    if (samples.length === 0) continue;
    samples.sort((x, y) => x.flops - y.flops);
    model[kind] = { samples, setup: Math.max(0, setup), precision, threadSpeedup: 1 };
    request.kinds.push({ kind, widths: samples.map((s) => s.N), steps: samples.map((s) => s.steps) });
  }
  if (threads > 1 && request.kinds.length > 0 && !options.signal?.aborted) {
    const reply = await (options.measureSpeedups ?? ((r: SpeedupRequest) => measureSpeedups(ctx, r)))(request);
    for (const { kind } of request.kinds) {
      const f = model[kind]!,
        s = reply[kind];
      if (!Array.isArray(s) || s.length !== f.samples.length || !s.every((v) => v > 0 && Number.isFinite(v)))
        throw new Error(`calibrate: the threaded probe returned no valid ${kind} speed-ups (${JSON.stringify(s)})`);
      f.samples.forEach((x, i) => (x.speedup = s[i]));
      f.threadSpeedup = s[s.length - 1];
    }
  }
  model.probeSeconds = (now() - t0) / 1000;
  if (!options.signal?.aborted) cache.set(key, model);
  return model;
}

/** GEMM rate of this machine (flops per second, one thread), from a few 128×128 products. */
function gemmRate(): number {
  const previous = setThreadsGrant(() => 1);
  try {
    return gemmRateOneThread();
  } finally {
    setThreadsGrant(previous);
  }
}

function gemmRateOneThread(): number {
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
