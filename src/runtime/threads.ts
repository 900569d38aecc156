// Helper threads for the threads builds (lazytrain-{simd,relaxed}-mt.wasm): k − 1 Node
// worker_threads or Web Workers, each instantiating the same compiled module on the same
// shared WebAssembly.Memory and parked in the module's `threadLoop` (assembly/threads.ts:
// the protocol, the work split, and why results are bit-identical for every thread count).
//
// A worker's whole job is one wasm call that returns only at threadsExit, so its source is a
// few lines kept here as a string (started with `eval: true` in Node and from a Blob URL in
// browsers): no extra file for bundlers to find. Instance 0's own import object (env.abort)
// lives in module.ts; a helper's abort ends its loop and is reported as an error there.

import { isNode } from "./features.js";

/** The most threads one computation may use (a sanity cap on the argument, not a tuning knob). */
export const MAX_THREADS = 64;

/** Why a request for k > 1 threads runs on fewer (runtimeInfo().threads.reason). */
export function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer === "undefined") {
    return isNode
      ? "this engine has no SharedArrayBuffer"
      : "SharedArrayBuffer is unavailable: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  }
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (!isNode && g.crossOriginIsolated !== true) {
    return "the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  }
  if (!isNode && typeof g.Worker !== "function") return "this context cannot start Web Workers";
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
  } catch {
    return "this engine has no shared WebAssembly memory";
  }
  return null;
}

/** True where the calling thread may block in Atomics.wait (Node, workers; not a window's main thread). */
export function canBlock(): boolean {
  if (isNode) return true;
  const g = globalThis as { WorkerGlobalScope?: unknown; document?: unknown };
  return g.WorkerGlobalScope !== undefined && g.document === undefined;
}

// The helper: instantiate, report ready, run threadLoop until threadsExit. `self` (browser)
// or `parentPort` (Node) carries the single start message.
const HELPER = `
const start = (port, m) => {
  let memory = m.memory;
  const env = { memory, abort(msg, file, line, col) { throw new Error("lazytrain helper thread: WebAssembly core aborted (" + line + ":" + col + ")"); } };
  WebAssembly.instantiate(m.module, { env }).then((inst) => {
    // the start function only sets this instance's globals (constants binaryen did not fold)
    if (inst.exports._initialize) inst.exports._initialize();
    port.postMessage({ type: "ready" });
    try {
      inst.exports.threadLoop(m.ctl, m.id, m.work);
      port.postMessage({ type: "exit" });
    } catch (e) {
      port.postMessage({ type: "error", message: String(e && e.message || e) });
    }
  }, (e) => port.postMessage({ type: "error", message: String(e && e.message || e) }));
};
`;
const NODE_HELPER = `${HELPER}
// import(), not require(): the eval'd source runs as CommonJS or as ESM (--input-type=module)
import("node:worker_threads").then((wt) => start(wt.parentPort, wt.workerData));
`;
const WEB_HELPER = `${HELPER}
self.onmessage = (ev) => start(self, ev.data);
`;

interface Helper {
  terminate(): void;
}

export interface HelperStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: number;
  id: number;
  work: number;
}

/** A started helper, resolved once its instance is parked in threadLoop (or rejected). */
export async function startHelper(m: HelperStart, onError: (message: string) => void): Promise<Helper> {
  if (isNode) {
    const name = "node:worker_threads";
    const wt = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as {
      Worker: new (
        src: string,
        o: object,
      ) => {
        on(ev: string, f: (x: unknown) => void): void;
        unref(): void;
        terminate(): Promise<number>;
      };
    };
    const w = new wt.Worker(NODE_HELPER, { eval: true, workerData: m });
    const p = new Promise<Helper>((resolve, reject) => {
      let ready = false;
      w.on("message", (x) => {
        const msg = x as { type: string; message?: string };
        if (msg.type === "ready") {
          ready = true;
          // a parked helper must not keep the process alive (unref after on(), which refs again)
          w.unref();
          resolve({ terminate: () => void w.terminate() });
        } else if (msg.type === "error") {
          if (!ready) reject(new Error(msg.message));
          else onError(msg.message ?? "helper failed");
        }
      });
      w.on("error", (e) => {
        if (!ready) reject(e as Error);
        else onError(String((e as Error).message));
      });
    });
    return p;
  }
  const url = URL.createObjectURL(new Blob([WEB_HELPER], { type: "text/javascript" }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  return new Promise((resolve, reject) => {
    let ready = false;
    w.onmessage = (ev: MessageEvent<{ type: string; message?: string }>) => {
      if (ev.data.type === "ready") {
        ready = true;
        resolve({ terminate: () => w.terminate() });
      } else if (ev.data.type === "error") {
        if (!ready) reject(new Error(ev.data.message));
        else onError(ev.data.message ?? "helper failed");
      }
    };
    w.onerror = (ev) => {
      if (!ready) reject(new Error(ev.message));
      else onError(ev.message);
    };
    w.postMessage(m);
  });
}
