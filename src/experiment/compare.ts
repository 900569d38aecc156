// compare(): the RF / NT / NN sweep (issue 6). Points run in this thread, or in Node
// worker_threads (one WASM instance each) with identical results, since every number of a
// point derives from its own seeds.

import { checkOptions, checkSize, describe } from "../runtime/errors.js";
import { runtimeInfo } from "../runtime/module.js";
import { normalizeConfig, type CompareConfig } from "./config.js";
import { enumeratePoints, parseShard, pointKey, shardPoints, type Point } from "./points.js";
import { RunContext, runMeta, runPoint, pointCost } from "./run.js";
import type { CompareResult, CompareRow } from "./types.js";
import { VERSION } from "../version.js";
import { yieldToEventLoop } from "../runtime/yield.js";

export interface CompareProgress {
  /** Points finished (including resumed ones) and the total of this run (or shard). */
  done: number;
  total: number;
  /** The row just finished. */
  row: CompareRow;
  elapsedSeconds: number;
  /** Remaining seconds, estimated from the cost model of the points left (null until one point ran). */
  etaSeconds: number | null;
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
}

/** Run a comparison; resolves to { meta, rows } with rows in canonical point order. */
export async function compare(config: CompareConfig, hooks?: CompareHooks): Promise<CompareResult> {
  const c = normalizeConfig(config);
  const h = checkOptions<CompareHooks>("hooks", hooks, ["onProgress", "onMeta", "onRow", "signal", "skip", "shard", "workers"]);
  for (const k of ["onProgress", "onMeta", "onRow"] as const) {
    if (h[k] !== undefined && typeof h[k] !== "function")
      throw new TypeError(`hooks.${k} must be a function, got ${describe(h[k])}`);
  }
  if (h.signal !== undefined && !(typeof h.signal === "object" && h.signal !== null && "aborted" in h.signal)) {
    throw new TypeError(`hooks.signal must be an AbortSignal, got ${describe(h.signal)}`);
  }
  const workers = h.workers === undefined ? 1 : checkSize("hooks.workers", h.workers, 1, 64);
  runtimeInfo(); // fail early and clearly when init() has not run
  const all = enumeratePoints(c);
  const mine = h.shard === undefined ? all : shardPoints(all, parseShard(h.shard));
  const skip = new Set(h.skip ?? []);
  const todo = mine.filter((p) => !skip.has(pointKey(p)));
  const ctx = new RunContext(c);
  const meta = runMeta(ctx, VERSION, all.length);
  if (h.shard !== undefined) meta.shard = h.shard;
  h.onMeta?.(meta);
  const rows: { index: number; row: CompareRow }[] = [];
  const t0 = performance.now();
  const costLeft = { value: todo.reduce((s, p) => s + pointCost(c, p), 0) };
  let costDone = 0;
  let done = mine.length - todo.length;
  const finish = (p: Point, row: CompareRow) => {
    rows.push({ index: p.index, row });
    done++;
    const cost = pointCost(c, p);
    costDone += cost;
    costLeft.value -= cost;
    const elapsed = (performance.now() - t0) / 1000;
    h.onRow?.(row);
    h.onProgress?.({
      done,
      total: mine.length,
      row,
      elapsedSeconds: elapsed,
      etaSeconds: costDone > 0 ? (elapsed * costLeft.value) / costDone : null,
    });
  };
  if (workers > 1 && todo.length > 1) {
    const { runPool } = await import("./pool.js");
    await runPool(c, todo, Math.min(workers, todo.length), finish, h.signal);
  } else {
    for (const p of todo) {
      if (h.signal?.aborted) break;
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
