// compare(): the RF / NT / NN sweep (issue 6). Points run in this thread, or in Node
// worker_threads (one WASM instance each) with identical results, since every number of a
// point derives from its own seeds.

import { checkOptions, checkSize, describe } from "../runtime/errors.js";
import { runtimeInfo } from "../runtime/module.js";
import { normalizeConfig, type CompareConfig, type NormalizedConfig } from "./config.js";
import { enumeratePoints, parseShard, pointKey, shardPoints, type Point } from "./points.js";
import { RunContext, runMeta, runPoint } from "./run.js";
import { pointCost, pointWork, predictSeconds, type CostModel } from "./cost.js";
import { calibrate } from "./calibrate.js";
import { EtaTracker, longestFirst, poolSchedule } from "./schedule.js";
import type { CompareResult, CompareRow } from "./types.js";
import type { SpeedupRequest } from "./calibrate.js";
import { VERSION } from "../version.js";
import { yieldToEventLoop } from "../runtime/yield.js";

export interface CompareProgress {
  /** Points finished (including resumed ones) and the total of this run (or shard). */
  done: number;
  total: number;
  /** The row just finished. */
  row: CompareRow;
  elapsedSeconds: number;
  /**
   * Remaining seconds: the calibrated prediction of the points left, rescaled by the
   * measured/predicted ratio of the points finished, on the run's workers (EtaTracker).
   */
  etaSeconds: number | null;
}

/** What a run will do and how long it should take here (before any point runs). */
export interface ComparePlan {
  /** Points of this run (or shard), and how many of them are left (not skipped). */
  points: number;
  todo: number;
  /** Per regime: points left, their widths and SGD steps (0 for exact/fitted points). */
  regimes: { regime: string; points: number; widths: number[]; steps: number }[];
  workers: number;
  /**
   * The most threads one point uses: with workers > 1, hooks.threads (points get them in the
   * tail, once none wait); with one worker, the loaded module's threads (init({ threads })),
   * which every point uses.
   */
  threads: number;
  /**
   * Predicted wall-clock seconds on `workers` (longest-first list scheduling, with the tail's
   * points taking the idle cores when threads > 1), and summed over points on one thread each.
   */
  predictedSeconds: number;
  serialSeconds: number;
  /** Predicted seconds of each point left on one thread (with one worker: on its threads), in the order they will run. */
  perPoint: { index: number; regime: string; N: number; rep: number; seconds: number }[];
  /** The calibrated cost model (per-step fits, probe time). */
  model: CostModel;
}

export interface CompareHooks {
  onProgress?: (p: CompareProgress) => void;
  /** Called once with the run's meta block before the first point runs. */
  onMeta?: (meta: CompareResult["meta"]) => void;
  /** Called with each row as soon as it is finished (completion order). */
  onRow?: (row: CompareRow) => void;
  /** Stops after the points in flight; the result then holds the rows finished so far. */
  signal?: AbortSignal;
  /** Keys ("RF|60|0") of points already done (resume): they are skipped. */
  skip?: Iterable<string>;
  /** Run only shard "i/k" of the points. */
  shard?: string;
  /** Node worker threads (default 1: run in this thread). */
  workers?: number;
  /**
   * With workers > 1: the most threads one point may use (default 1). Each worker loads the
   * threads build; while points wait, every point runs on one thread, and once the queue is
   * empty the cores of finished workers go to the points still running (threads for the tail).
   * Rows are bit-identical for every value. Without workers, the caller's init({ threads }) applies.
   */
  threads?: number;
  /** Called once with the plan (calibrated prediction) before the first point runs. */
  onPlan?: (plan: ComparePlan) => void;
}

interface Selection {
  c: NormalizedConfig;
  all: Point[];
  mine: Point[];
  todo: Point[];
  workers: number;
  /** Most threads per point (ComparePlan.threads). */
  threads: number;
}

function select(
  c: NormalizedConfig,
  shard: string | undefined,
  skipKeys: Iterable<string> | undefined,
  workers: number,
  threads: number,
): Selection {
  const all = enumeratePoints(c);
  const mine = shard === undefined ? all : shardPoints(all, parseShard(shard), (p) => pointCost(c, p));
  const skip = new Set(skipKeys ?? []);
  const todo = mine.filter((p) => !skip.has(pointKey(p)));
  const w = Math.max(1, Math.min(workers, todo.length));
  // one worker: the points run in this thread, on the loaded module's threads
  return { c, all, mine, todo, workers: w, threads: w > 1 ? threads : runtimeInfo().threads.used };
}

/** Calibrate, predict each point, and order the queue (longest first with workers, canonical without). */
async function makePlan(
  ctx: RunContext,
  s: Selection,
  signal?: AbortSignal,
): Promise<{ plan: ComparePlan; queue: Point[]; seconds: Map<number, number>; speedup: (p: Point, g: number) => number }> {
  const { c, todo, workers, threads } = s;
  // a pool's threaded timings run on a threads module in a worker of their own (this thread's
  // module is not the one its workers load); one worker's, on the loaded module
  const measureSpeedups =
    workers > 1 && threads > 1 ? async (r: SpeedupRequest) => (await import("./pool.js")).speedupsInWorker(c, r) : undefined;
  const model = await calibrate(ctx, todo, {
    threads,
    ...(signal ? { signal } : {}),
    ...(measureSpeedups ? { measureSpeedups } : {}),
  });
  // with workers, each point's one-thread time and its speed-up on the g threads the tail may
  // grant it; with one worker, its time on the module's threads (every point uses them)
  const g0 = workers > 1 ? 1 : threads;
  const seconds = new Map(todo.map((p) => [p.index, predictSeconds(model, pointWork(c, p), g0)]));
  const speedup = (p: Point, g: number) =>
    g <= 1 || workers === 1 ? 1 : seconds.get(p.index)! / predictSeconds(model, pointWork(c, p), g);
  // the pool takes the longest predicted first, so the widest points do not run alone at the
  // end; one thread keeps the canonical order (the figure fills in from the left)
  const queue = workers > 1 ? longestFirst(todo, (p) => seconds.get(p.index)!) : todo;
  const times = queue.map((p) => seconds.get(p.index)!);
  const regimes = c.regimes
    .map((r) => {
      const ps = todo.filter((p) => p.regime === r);
      return {
        regime: r as string,
        points: ps.length,
        widths: [...new Set(ps.map((p) => p.N))].sort((a, b) => a - b),
        steps: ps.length ? pointWork(c, ps[0]).steps : 0,
      };
    })
    .filter((r) => r.points > 0);
  const plan: ComparePlan = {
    points: s.mine.length,
    todo: todo.length,
    regimes,
    workers,
    threads,
    predictedSeconds: poolSchedule(
      queue.map((p) => ({ seconds: seconds.get(p.index)!, speedup: (g: number) => speedup(p, g) })),
      workers,
      workers > 1 ? threads : 1,
    ),
    serialSeconds: times.reduce((a, b) => a + b, 0),
    perPoint: queue.map((p) => ({ index: p.index, regime: p.regime, N: p.N, rep: p.rep, seconds: seconds.get(p.index)! })),
    model,
  };
  return { plan, queue, seconds, speedup };
}

/**
 * The plan of a run without running it: which points, how many steps, and the predicted time
 * on `workers` (with up to `threads` threads per point, as compare's hooks.threads) from a
 * short calibration probe on this machine (a few seconds at the paper's scale). Needs init().
 */
export async function planCompare(
  config: CompareConfig,
  options: { shard?: string; skip?: Iterable<string>; workers?: number; threads?: number } = {},
): Promise<ComparePlan> {
  const c = normalizeConfig(config);
  const o = checkOptions<{ shard?: string; skip?: Iterable<string>; workers?: number; threads?: number }>("options", options, [
    "shard",
    "skip",
    "workers",
    "threads",
  ]);
  const workers = o.workers === undefined ? 1 : checkSize("options.workers", o.workers, 1, 64);
  const threads = o.threads === undefined ? 1 : checkSize("options.threads", o.threads, 1, 64);
  runtimeInfo(); // fail early and clearly when init() has not run
  const s = select(c, o.shard, o.skip, workers, threads);
  return (await makePlan(new RunContext(c), s)).plan;
}

/** Run a comparison; resolves to { meta, rows } with rows in canonical point order. */
export async function compare(config: CompareConfig, hooks?: CompareHooks): Promise<CompareResult> {
  const c = normalizeConfig(config);
  const h = checkOptions<CompareHooks>("hooks", hooks, [
    "onProgress",
    "onMeta",
    "onRow",
    "onPlan",
    "signal",
    "skip",
    "shard",
    "workers",
    "threads",
  ]);
  for (const k of ["onProgress", "onMeta", "onRow", "onPlan"] as const) {
    if (h[k] !== undefined && typeof h[k] !== "function")
      throw new TypeError(`hooks.${k} must be a function, got ${describe(h[k])}`);
  }
  if (h.signal !== undefined && !(typeof h.signal === "object" && h.signal !== null && "aborted" in h.signal)) {
    throw new TypeError(`hooks.signal must be an AbortSignal, got ${describe(h.signal)}`);
  }
  const workers = h.workers === undefined ? 1 : checkSize("hooks.workers", h.workers, 1, 64);
  const threads = h.threads === undefined ? 1 : checkSize("hooks.threads", h.threads, 1, 64);
  runtimeInfo(); // fail early and clearly when init() has not run
  const sel = select(c, h.shard, h.skip, workers, threads);
  const { all, mine, todo } = sel;
  const ctx = new RunContext(c);
  const meta = runMeta(ctx, VERSION, all.length);
  if (h.shard !== undefined) meta.shard = h.shard;
  h.onMeta?.(meta);
  const rows: { index: number; row: CompareRow }[] = [];
  const { plan, queue, seconds, speedup } = await makePlan(ctx, sel, h.signal);
  h.onPlan?.(plan);
  const eta = new EtaTracker(
    queue.map((p) => ({ index: p.index, seconds: seconds.get(p.index)!, cls: p.regime, speedup: (g) => speedup(p, g) })),
    sel.workers,
    undefined,
    sel.workers > 1 ? sel.threads : 1,
  );
  const t0 = performance.now();
  let done = mine.length - todo.length;
  const finish = (p: Point, row: CompareRow) => {
    rows.push({ index: p.index, row });
    done++;
    const at = performance.now();
    eta.finish(p.index, row.seconds, at / 1000);
    h.onRow?.(row);
    h.onProgress?.({ done, total: mine.length, row, elapsedSeconds: (at - t0) / 1000, etaSeconds: eta.eta(at / 1000) });
  };
  const start = (p: Point) => eta.start(p.index, performance.now() / 1000);
  if (workers > 1 && todo.length > 1) {
    const { runPool } = await import("./pool.js");
    await runPool(c, queue, sel.workers, finish, h.signal, start, {
      threads,
      cores: workers,
      seconds: (p) => seconds.get(p.index)!,
    });
  } else {
    for (const p of queue) {
      if (h.signal?.aborted) break;
      start(p);
      const row = await runPoint(ctx, p, h.signal);
      if (row === null) break;
      finish(p, row);
      // let timers, progress output and abort handlers run between points
      await yieldToEventLoop();
    }
  }
  rows.sort((a, b) => a.index - b.index);
  return { meta, rows: rows.map((r) => r.row) };
}
