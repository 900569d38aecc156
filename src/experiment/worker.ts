// worker_threads entry for compare({ workers > 1 }): one WASM instance per worker.
import { init } from "../runtime/module.js";
import type { NormalizedConfig } from "./config.js";
import type { Point } from "./points.js";
import { RunContext, runPoint } from "./run.js";
import { defaultTrainers } from "./compare.js";

const name = "node:worker_threads";
const { parentPort, workerData } = (await import(/* @vite-ignore */ name)) as {
  parentPort: { on(ev: "message", f: (m: { type: string; point: Point }) => void): void; postMessage(m: unknown): void };
  workerData: { config: NormalizedConfig; simd: boolean };
};

await init({ simd: workerData.simd });
const ctx = new RunContext(workerData.config, defaultTrainers);
parentPort.on("message", async (m) => {
  try {
    const row = await runPoint(ctx, m.point);
    parentPort.postMessage({ type: "row", index: m.point.index, row });
  } catch (e) {
    parentPort.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ type: "ready" });
