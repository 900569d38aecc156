// Node worker_threads pool for compare(): k workers, one WASM instance each, fed points one
// at a time in the order given (compare() passes them longest predicted first, so the long NN
// points start early and the widest do not run alone at the end).

import { runtimeInfo } from "../runtime/module.js";
import type { NormalizedConfig } from "./config.js";
import type { Point } from "./points.js";
import type { CompareRow } from "./types.js";

interface WorkerLike {
  postMessage(m: unknown): void;
  on(ev: "message", f: (m: WorkerReply) => void): void;
  on(ev: "error", f: (e: Error) => void): void;
  terminate(): Promise<number>;
}

type WorkerReply = { type: "ready" } | { type: "row"; index: number; row: CompareRow } | { type: "error"; message: string };

export async function runPool(
  config: NormalizedConfig,
  points: Point[],
  k: number,
  finish: (p: Point, row: CompareRow) => void,
  signal?: AbortSignal,
  onStart?: (p: Point) => void,
): Promise<void> {
  const name = "node:worker_threads";
  let mod: { Worker: new (url: URL, opts?: object) => WorkerLike };
  try {
    mod = await import(/* @vite-ignore */ /* webpackIgnore: true */ name);
  } catch {
    throw new Error("hooks.workers > 1 needs Node's worker_threads (in browsers, run compare() inside a Web Worker instead)");
  }
  // The entry is built next to this bundle as worker.js (rollup.config.mjs).
  const file = "./worker.js";
  const url = new URL(file, import.meta.url);
  const queue = [...points];
  const byIndex = new Map(points.map((p) => [p.index, p]));
  // the workers load the build this thread runs (the relaxed one: init({ fma: true }) there)
  const { simd, build } = runtimeInfo();
  const pool: WorkerLike[] = [];
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
      const feed = (w: WorkerLike) => {
        const p = signal?.aborted ? undefined : queue.shift();
        if (p === undefined) {
          if (active === 0) resolve();
          return;
        }
        active++;
        onStart?.(p);
        w.postMessage({ type: "point", point: p });
      };
      for (let i = 0; i < k; i++) {
        const w = new mod.Worker(url, { workerData: { config, simd, fma: build === "relaxed" } });
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
            feed(w);
            return;
          }
          if (m.type === "error") {
            failed = true;
            reject(new Error(m.message));
            return;
          }
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
          feed(w);
          if (active === 0 && queue.length === 0) resolve();
        });
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
