// Locating, compiling and instantiating the WebAssembly core, in Node and in browsers.
//
// No top-level await: `init()` is explicit and idempotent. The .wasm files sit next to the
// bundle; `new URL("./file.wasm", import.meta.url)` is written literally so that bundlers
// (rollup, vite, webpack 5) recognise and emit the asset. In Node the file is read with fs;
// in browsers and workers it is fetched and compiled asynchronously (Chrome refuses large
// synchronous compiles on the main thread). A caller may pass the module itself (`wasm`).

import { type Exports, REQUIRED_EXPORTS } from "./abi.js";
import { describe } from "./errors.js";
import { enableRelaxedSimdInNode, isNode, relaxedSimdSupported, simdSupported } from "./features.js";
import { canBlock, MAX_THREADS, startHelper, threadsUnavailable } from "./threads.js";
import { bindMemory, formatBytes, NOT_INITIALISED } from "./memory.js";

export { simdSupported } from "./features.js";

export type WasmSource = URL | string | ArrayBuffer | Uint8Array | WebAssembly.Module;

export interface InitOptions {
  /** Force the SIMD (true) or scalar (false) build. Default: SIMD when the engine validates it. */
  simd?: boolean;
  /**
   * Opt in to the relaxed-SIMD build (fused multiply-add in the GEMM micro-kernels): faster, and
   * reproducible on one machine and engine, but not bit-identical across CPUs and engines.
   * Falls back to the SIMD, then the scalar build where relaxed SIMD is unavailable
   * (`runtimeInfo().build` says which). In Node 20 the V8 flag it needs is set at run time.
   */
  fma?: boolean;
  /** Explicit module: a URL or path, its bytes, or a compiled WebAssembly.Module. */
  wasm?: WasmSource;
  /**
   * Threads for one computation (an integer from 1 to 64; default 1): k > 1 loads the threads
   * build (shared memory, atomics) and starts k − 1 helper threads (Node worker_threads, or Web
   * Workers on a cross-origin-isolated page) that share each training step (trainNN, trainNT,
   * compare's points) and each large matrix product. Results are bit-identical for every k.
   * Where shared memory is unavailable it runs on one thread and `runtimeInfo().threads` says why.
   */
  threads?: number;
}

/** The threads of the loaded module (init({ threads })). */
export interface ThreadsInfo {
  /** What init() asked for (1 when not given). */
  requested: number;
  /** Threads that share a computation (1: no helper threads). */
  used: number;
  /** Why `used` < `requested`, else null. */
  reason: string | null;
}

export type Build = "relaxed" | "simd" | "scalar";

export interface RuntimeInfo {
  /** Whether the running module uses 128-bit SIMD. */
  simd: boolean;
  /** Whether it is the relaxed-SIMD build (GEMM multiply-adds the engine may fuse). */
  fma: boolean;
  /** Which build runs: "relaxed" (init({ fma: true }) where supported), "simd" or "scalar". */
  build: Build;
  /** Current size of the module's linear memory in bytes. */
  memoryBytes: number;
  /** "bundled" for the .wasm shipped next to the bundle, "custom" when `wasm` was given. */
  source: "bundled" | "custom";
  /** Threads requested and used (init({ threads })), and why fewer when they differ. */
  threads: ThreadsInfo;
}

interface Loaded {
  exports: Exports;
  simd: boolean;
  build: Build;
  source: "bundled" | "custom";
  key: unknown;
  threads: ThreadsInfo;
  /** Control block of the helper threads (0: none). */
  ctl: number;
  stop: () => void;
}

let loaded: Loaded | null = null;
let relaxedFlagTried = false;
let pending: { key: unknown; promise: Promise<RuntimeInfo> } | null = null;
// Compiled bundled builds (key: the build), kept across dispose() so a re-init only instantiates.
const compiledBundled = new Map<string, WebAssembly.Module>();

function bundledUrl(build: Build, mt: boolean): URL {
  // each URL written literally, so that bundlers emit the five assets
  if (mt) {
    return build === "relaxed"
      ? new URL("./lazytrain-relaxed-mt.wasm", import.meta.url)
      : new URL("./lazytrain-simd-mt.wasm", import.meta.url);
  }
  if (build === "relaxed") return new URL("./lazytrain-relaxed.wasm", import.meta.url);
  return build === "simd"
    ? new URL("./lazytrain-simd.wasm", import.meta.url)
    : new URL("./lazytrain-scalar.wasm", import.meta.url);
}

// Hidden from bundlers on purpose: browser builds must not try to resolve node:fs.
async function nodeReadFile(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  const name = "node:fs/promises";
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as {
    readFile(u: URL): Promise<Uint8Array<ArrayBuffer>>;
  };
  return fs.readFile(url);
}

function toUrl(s: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s)) return new URL(s);
  if (isNode) {
    const abs = s.startsWith("/") ? s : `${process.cwd()}/${s}`;
    return new URL(`file://${abs.split("/").map(encodeURIComponent).join("/")}`);
  }
  const base = (globalThis as { location?: { href: string } }).location?.href;
  if (base === undefined) throw new TypeError(`options.wasm: cannot resolve the relative path ${JSON.stringify(s)}`);
  return new URL(s, base);
}

async function compile(src: WasmSource): Promise<WebAssembly.Module> {
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer || src instanceof Uint8Array) return WebAssembly.compile(src as Uint8Array<ArrayBuffer>);
  if (typeof src !== "string" && !(src instanceof URL)) {
    throw new TypeError(
      `options.wasm must be a URL, a path, an ArrayBuffer, a Uint8Array or a WebAssembly.Module, got ${describe(src)}`,
    );
  }
  const url = typeof src === "string" ? toUrl(src) : src;
  if (url.protocol === "file:") return WebAssembly.compile(await nodeReadFile(url));
  const res = await fetch(url);
  if (!res.ok) throw new Error(`lazytrain: fetching ${url.href} failed (HTTP ${res.status})`);
  return WebAssembly.compile(await res.arrayBuffer());
}

function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

async function instantiate(module: WebAssembly.Module, shared?: WebAssembly.Memory): Promise<Exports> {
  let memory: WebAssembly.Memory | null = shared ?? null;
  const env: Record<string, unknown> = {
    abort(msg: number, file: number, line: number, col: number): never {
      const text = memory ? `${readAsString(memory, msg)} (${readAsString(memory, file)}:${line}:${col})` : "abort";
      // The only aborts left in an optimised build come from the allocator: say what it means.
      if (/allocation too large|out of memory/i.test(text)) {
        const used = memory ? formatBytes(memory.buffer.byteLength) : "?";
        throw new RangeError(
          `lazytrain: out of WebAssembly memory: this call needs more than the 4 GiB a wasm32 module can address (heap now ${used}; allocator: ${text})`,
        );
      }
      throw new RangeError(`lazytrain: WebAssembly core aborted: ${text}`);
    },
  };
  if (shared) env.memory = shared;
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== "env" || !(imp.name in env)) {
      throw new Error(
        `lazytrain: the module imports ${imp.module}.${imp.name}, which this loader does not provide (stale or foreign .wasm?)`,
      );
    }
  }
  const instance = await WebAssembly.instantiate(module, { env: env as WebAssembly.ModuleImports });
  const ex = instance.exports as unknown as Exports;
  for (const name of REQUIRED_EXPORTS) {
    if (!(name in instance.exports))
      throw new Error(`lazytrain: the WebAssembly module lacks the export "${name}" (stale or foreign .wasm?)`);
  }
  memory = shared ?? ex.memory;
  const start = (instance.exports as { _initialize?: () => void })._initialize;
  if (typeof start === "function") start();
  return ex;
}

function info(l: Loaded): RuntimeInfo {
  return {
    simd: l.simd,
    fma: l.build === "relaxed",
    build: l.build,
    memoryBytes: l.exports.memory.buffer.byteLength,
    source: l.source,
    threads: { ...l.threads },
  };
}

/**
 * Start k − 1 helper threads on instance 0's shared memory: the control block and each
 * helper's GEMM scratch are allocated here, by instance 0 (helpers never allocate).
 */
async function startThreads(module: WebAssembly.Module, exports: Exports, memory: WebAssembly.Memory, k: number) {
  const ex = exports as Required<Exports>;
  const ctl = ex.alloc(ex.threadsControlBytes());
  new Uint8Array(memory.buffer, ctl, ex.threadsControlBytes()).fill(0);
  const slots = new Int32Array(memory.buffer, ctl, ex.threadsControlBytes() >>> 2);
  slots[34] = k; // THREADS (byte 136)
  slots[35] = canBlock() ? 1 : 0; // CANWAIT (byte 140)
  const helpers: { terminate(): void }[] = [];
  const stop = () => {
    ex.threadsExit(ctl);
    for (const h of helpers) h.terminate();
    helpers.length = 0;
  };
  try {
    for (let id = 1; id < k; id++) {
      const work = ex.alloc(ex.gemmWorkBytes());
      helpers.push(
        await startHelper({ module, memory, ctl, id, work }, (m) => {
          // a helper that fails mid-run cannot finish its share: make the failure loud
          console.error(`lazytrain: helper thread ${id} failed: ${m}`);
        }),
      );
    }
  } catch (e) {
    stop();
    throw e;
  }
  return { ctl, stop };
}

/**
 * Load the WebAssembly core. Idempotent: calls with the same options share one load; a call
 * with different options (`simd: false`, another `wasm`) replaces the module. Results already
 * returned are plain typed arrays and stay valid.
 */
export function init(options?: InitOptions): Promise<RuntimeInfo> {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    return Promise.reject(new TypeError(`init(options): options must be an object, got ${describe(options)}`));
  }
  const opts = options ?? {};
  for (const k of Object.keys(opts)) {
    if (k !== "simd" && k !== "wasm" && k !== "fma" && k !== "threads")
      return Promise.reject(new TypeError(`init(options): unknown option "${k}" (known: simd, fma, wasm, threads)`));
  }
  if (
    opts.threads !== undefined &&
    !(typeof opts.threads === "number" && Number.isInteger(opts.threads) && opts.threads >= 1 && opts.threads <= MAX_THREADS)
  ) {
    return Promise.reject(
      new RangeError(`options.threads must be an integer from 1 to ${MAX_THREADS}, got ${describe(opts.threads)}`),
    );
  }
  if (opts.simd !== undefined && typeof opts.simd !== "boolean") {
    return Promise.reject(new TypeError(`options.simd must be a boolean, got ${describe(opts.simd)}`));
  }
  if (opts.fma !== undefined && typeof opts.fma !== "boolean") {
    return Promise.reject(new TypeError(`options.fma must be a boolean, got ${describe(opts.fma)}`));
  }
  if (opts.fma === true && opts.simd === false) {
    return Promise.reject(
      new TypeError("init(options): fma: true needs the SIMD build, but simd: false asks for the scalar one"),
    );
  }
  if (opts.fma === true && opts.wasm !== undefined) {
    return Promise.reject(
      new TypeError("init(options): fma: true picks a bundled build; it cannot be combined with options.wasm"),
    );
  }
  const wantSimd = opts.wasm === undefined ? (opts.simd ?? simdSupported()) : undefined;
  if (wantSimd === true && !simdSupported()) {
    return Promise.reject(new Error("init({ simd: true }): this engine does not support WebAssembly SIMD"));
  }
  // init() and init({}) accept whatever is loaded or loading; explicit options must match it.
  // fma: true asks for the relaxed build; the key is settled once the flag is in place.
  const explicit = opts.simd !== undefined || opts.wasm !== undefined || opts.fma !== undefined || opts.threads !== undefined;
  const settle = (): unknown =>
    opts.wasm ?? (opts.fma === true && relaxedSimdSupported() ? "relaxed" : wantSimd ? "simd" : "scalar");
  const requested = opts.threads ?? 1;
  // why k > 1 threads cannot run here (null: they can): the threads builds are SIMD builds
  const noThreads =
    requested === 1
      ? null
      : opts.wasm !== undefined
        ? "options.wasm gives a module of its own (threads need the bundled threads build)"
        : wantSimd !== true
          ? "the threads builds need WebAssembly SIMD (simd: false, or this engine lacks it)"
          : threadsUnavailable();
  const used = noThreads === null ? requested : 1;
  const build0 = settle();
  const key = typeof build0 === "string" ? `${build0}/${requested}` : build0;
  if (opts.fma === true && build0 !== "relaxed" && isNode && !relaxedFlagTried) {
    // Node 20: set the V8 flag first (async import of node:v8), then decide once more
    relaxedFlagTried = true;
    return enableRelaxedSimdInNode().then(() => init(opts));
  }
  // init() and init({}) accept whatever is loaded; so does a repeated request for the same threads
  const matches = (k: unknown) => !explicit || k === key;
  if (loaded && matches(loaded.key)) return Promise.resolve(info(loaded));
  if (pending && matches(pending.key)) return pending.promise;
  const promise = (async () => {
    let module: WebAssembly.Module;
    const mt = used > 1;
    if (opts.wasm === undefined) {
      const build = build0 as Build;
      const name = `${build}${mt ? "-mt" : ""}`;
      module = compiledBundled.get(name) ?? (await compile(bundledUrl(build, mt)));
      compiledBundled.set(name, module);
    } else {
      module = await compile(opts.wasm);
    }
    // threads: one shared memory (64 pages as the builds declare, growable to the 4 GiB of wasm32)
    const memory = mt
      ? new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true } as WebAssembly.MemoryDescriptor)
      : undefined;
    const exports = await instantiate(module, memory);
    const simd = exports.simdEnabled() === 1;
    const build: Build =
      opts.wasm === undefined ? (build0 as Build) : exports.fmaBuild?.() === 1 ? "relaxed" : simd ? "simd" : "scalar";
    const pool = mt ? await startThreads(module, exports, memory!, used) : { ctl: 0, stop: () => {} };
    loaded?.stop();
    loaded = {
      exports,
      simd,
      build,
      source: opts.wasm === undefined ? "bundled" : "custom",
      key,
      threads: { requested, used, reason: noThreads },
      ctl: pool.ctl,
      stop: pool.stop,
    };
    bindMemory(exports);
    return info(loaded);
  })();
  pending = { key, promise };
  promise.then(
    () => {
      if (pending?.promise === promise) pending = null;
    },
    () => {
      if (pending?.promise === promise) pending = null;
    },
  );
  return promise;
}

/**
 * Release the WebAssembly instance and its memory. A module's linear memory only grows — to the
 * largest working set so far (≈ 550 MB after one 3000×3000 `eigh`) — and WebAssembly cannot
 * shrink it; dropping the instance lets the engine reclaim all of it. Afterwards every function
 * throws "not initialised" until `await init()` instantiates a fresh module (the compiled module
 * is kept, so that takes milliseconds). Results already returned are plain typed arrays and stay
 * valid; same inputs give the same bits after a re-init. Do not call it while `trainNN`,
 * `trainNT` or `compare` is running (they then stop with an error); an `init()` still loading
 * completes normally.
 */
export function dispose(): void {
  loaded?.stop();
  loaded = null;
  pending = null;
  bindMemory(null);
}

/** Information on the loaded module; throws when `init()` has not completed. */
export function runtimeInfo(): RuntimeInfo {
  return info(current());
}

function current(): Loaded {
  if (loaded === null) {
    throw new Error(NOT_INITIALISED);
  }
  return loaded;
}

let threadsGrant: (() => number) | null = null;

/**
 * @internal
 * Let `grant` decide, before each training chunk and each product, how many of the loaded
 * module's threads the next computation uses (clamped to 1 … threads.used; null: all). compare's
 * workers use it to take idle cores at the end of a run (src/experiment/pool.ts), and the cost
 * model's probe to time one thread and all (src/experiment/calibrate.ts). Results do not depend
 * on it: they are bit-identical for every thread count. Returns the grant it replaces.
 */
export function setThreadsGrant(grant: (() => number) | null): (() => number) | null {
  const previous = threadsGrant;
  threadsGrant = grant;
  return previous;
}

/**
 * @internal The control block of the loaded module's helper threads (0: one thread), with the
 * thread count of the next dispatch set from the grant. Call it between wasm calls only.
 */
export function threadControl(): number {
  const l = current();
  if (l.ctl !== 0) {
    const g = threadsGrant === null ? l.threads.used : Math.max(1, Math.min(l.threads.used, Math.floor(threadsGrant()) || 1));
    const slots = new Int32Array(l.exports.memory.buffer, l.ctl, 36);
    slots[34] = g; // THREADS (assembly/threads.ts)
  }
  return l.ctl;
}

/** @internal The module's exports; throws a clear error before `init()`. */
export function wasm(): Exports {
  return current().exports;
}
