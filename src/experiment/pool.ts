// Node worker_threads pool for compare(): k workers, one WASM instance each, fed points one
// at a time in the order given (compare() passes them longest predicted first, so the long NN
// points start early and the widest do not run alone at the end).
//
// Threads for the tail (hooks.threads = t > 1): each worker loads the threads build with t
// threads, and the pool grants every running point one core while points wait in the queue.
// Once the queue is empty, a finished worker's core goes to the running point with the most
// predicted work left per granted thread (up to t); a worker applies its grant at its next
// training chunk (src/runtime/module.ts setThreadsGrant). Results are bit-identical for every
// thread count (assembly/threads.ts), so the grants change when a run ends, never its numbers.

import { runtimeInfo } from "../runtime/module.js";
import type { NormalizedConfig } from "./config.js";
import type { Point } from "./points.js";
import type { CompareRow } from "./types.js";
import type { SpeedupReply, SpeedupRequest } from "./calibrate.js";
import { tailGrants } from "./schedule.js";

interface WorkerLike {
  postMessage(m: unknown): void;
  on(ev: "message", f: (m: WorkerReply) => void): void;
  on(ev: "error", f: (e: Error) => void): void;
  terminate(): Promise<number>;
}

type WorkerReply =
  | { type: "ready" }
  | { type: "row"; index: number; row: CompareRow }
  | { type: "speedups"; reply: SpeedupReply }
  | { type: "error"; message: string };

type WorkerModule = { Worker: new (url: URL, opts?: object) => WorkerLike };

async function workerThreads(): Promise<WorkerModule> {
  const name = "node:worker_threads";
  try {
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as WorkerModule;
  } catch {
    throw new Error("hooks.workers > 1 needs Node's worker_threads (in browsers, run compare() inside a Web Worker instead)");
  }
}

// The entry is built next to this bundle as worker.js (rollup.config.mjs).
const workerUrl = () => new URL("./worker.js", import.meta.url);

/**
 * The cost model's threaded timings (src/experiment/calibrate.ts measureSpeedups) for a pool
 * whose points take up to `request.threads` threads: run in a worker of their own that loads
 * the threads build as the pool's workers do, while this thread's module stays as it is.
 */
export async function speedupsInWorker(config: NormalizedConfig, request: SpeedupRequest): Promise<SpeedupReply> {
  const mod = await workerThreads();
  const { simd, build } = runtimeInfo();
  const w = new mod.Worker(workerUrl(), {
    workerData: { config, simd, fma: build === "relaxed", threads: request.threads, grants: null, slot: 0, probe: request },
  });
  try {
    return await new Promise<SpeedupReply>((resolve, reject) => {
      w.on("error", reject);
      w.on("message", (m) => {
        if (m.type === "speedups") resolve(m.reply);
        else if (m.type === "error") reject(new Error(m.message));
      });
    });
  } finally {
    await w.terminate();
  }
}

export async function runPool(
  config: NormalizedConfig,
  points: Point[],
  k: number,
  finish: (p: Point, row: CompareRow) => void,
  signal?: AbortSignal,
  onStart?: (p: Point) => void,
  tail?: { threads: number; cores: number; seconds: (p: Point) => number },
): Promise<void> {
  const mod = await workerThreads();
  const url = workerUrl();
  const queue = [...points];
  const byIndex = new Map(points.map((p) => [p.index, p]));
  // the workers load the build this thread runs (the relaxed one: init({ fma: true }) there)
  const { simd, build } = runtimeInfo();
  const pool: WorkerLike[] = [];
  const threads = tail?.threads ?? 1;
  // one Int32 per worker: the threads its point may use now (read by the worker per chunk)
  const grants = threads > 1 ? new Int32Array(new SharedArrayBuffer(4 * k)).fill(1) : null;
  const running = new Map<number, { p: Point; t0: number }>(); // worker index → its point
  const regrant = () => {
    if (grants === null || tail === undefined) return;
    grants.fill(1);
    // idle cores go to the running points only when nothing waits in the queue
    const spare = queue.length > 0 ? 0 : tail.cores - running.size;
    const now = performance.now() / 1000;
    const ws = [...running.keys()];
    const got = tailGrants(
      ws.map((w) => Math.max(0, tail.seconds(running.get(w)!.p) - (now - running.get(w)!.t0))),
      spare,
      threads,
    );
    ws.forEach((w, j) => (grants[w] = got[j]));
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      let failed = false; // set once settled: late messages are ignored
      // abort: stop now; the workers are terminated below and their points in flight dropped
      // (they were not finished, so a resumed run computes them again)
      const onAbort = () => {
        queue.length = 0;
        failed = true;
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const feed = (w: WorkerLike, i: number) => {
        running.delete(i);
        const p = signal?.aborted ? undefined : queue.shift();
        if (p === undefined) {
          regrant();
          if (active === 0) resolve();
          return;
        }
        active++;
        running.set(i, { p, t0: performance.now() / 1000 });
        regrant();
        onStart?.(p);
        w.postMessage({ type: "point", point: p });
      };
      for (let i = 0; i < k; i++) {
        const w = new mod.Worker(url, {
          workerData: { config, simd, fma: build === "relaxed", threads, grants, slot: i },
        });
        pool.push(w);
        w.on("error", (e) => {
          if (!failed) {
            failed = true;
            reject(e);
          }
        });
        w.on("message", (m) => {
          if (failed) return;
          if (m.type === "ready") {
            feed(w, i);
            return;
          }
          if (m.type === "error") {
            failed = true;
            reject(new Error(m.message));
            return;
          }
          if (m.type !== "row") return;
          active--;
          // a throwing hook (onRow / onProgress) rejects compare(), as it does without workers,
          // instead of escaping this event listener as an uncaught exception
          try {
            finish(byIndex.get(m.index)!, m.row);
          } catch (e) {
            failed = true;
            reject(e);
            return;
          }
          feed(w, i);
          if (active === 0 && queue.length === 0) resolve();
        });
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
