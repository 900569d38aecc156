// worker_threads entry for compare({ workers > 1 }): one WASM instance per worker.
// Imports the library bundle (dist/index.js), so the worker shares its code, not a copy.
import { init, _internal } from "../index.js";
import type { NormalizedConfig } from "./config.js";
import type { Point } from "./points.js";

const { RunContext, runPoint, setThreadsGrant, measureSpeedups } = _internal;

const name = "node:worker_threads";
const { parentPort, workerData } = (await import(/* @vite-ignore */ name)) as {
  parentPort: { on(ev: "message", f: (m: { type: string; point: Point }) => void): void; postMessage(m: unknown): void };
  workerData: {
    config: NormalizedConfig;
    simd: boolean;
    fma: boolean;
    /** Threads of this worker's module (hooks.threads), and the pool's grants (pool.ts). */
    threads: number;
    grants: Int32Array | null;
    slot: number;
    /** Set for the cost model's threaded timings (pool.ts speedupsInWorker) instead of points. */
    probe?: import("./calibrate.js").SpeedupRequest;
  };
};

const { threads, grants, slot } = workerData;
await init({ ...(workerData.fma ? { fma: true } : { simd: workerData.simd }), ...(threads > 1 ? { threads } : {}) });
if (grants !== null) setThreadsGrant(() => Atomics.load(grants, slot));
const ctx = new RunContext(workerData.config);
if (workerData.probe !== undefined) {
  try {
    parentPort.postMessage({ type: "speedups", reply: await measureSpeedups(ctx, workerData.probe) });
  } catch (e) {
    parentPort.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) });
  }
}
// eslint-disable-next-line @typescript-eslint/no-misused-promises -- the body catches every error
parentPort.on("message", async (m) => {
  try {
    const row = await runPoint(ctx, m.point);
    parentPort.postMessage({ type: "row", index: m.point.index, row });
  } catch (e) {
    parentPort.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ type: "ready" });
