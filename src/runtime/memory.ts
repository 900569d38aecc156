// The WebAssembly heap seen from TypeScript: typed views that follow memory.grow, the wasm32
// size limits checked before any copy, and allocation scopes that free what a call took.

import type { Exports } from "./abi.js";

// Heap views. memory.grow detaches every view on the old buffer, so views are re-derived
// whenever the buffer object changed; callers must fetch a view after any call that may
// allocate, never hold one across calls.

let f64: Float64Array | null = null;
let f32: Float32Array | null = null;
let u8: Uint8Array | null = null;

/** @internal The error of every call made before `init()` has completed. */
export const NOT_INITIALISED = "lazytrain is not initialised: `await init()` once before calling its functions";

// The instance whose memory the views and scopes use: module.ts hands it over on init() and
// takes it back on dispose(), so this file needs nothing from module.ts.
let live: Exports | null = null;

/** @internal Called by init() with the new instance and by dispose() with null; drops the views. */
export function bindMemory(exports: Exports | null): void {
  live = exports;
  f64 = f32 = u8 = null;
}

function wasm(): Exports {
  if (live === null) throw new Error(NOT_INITIALISED);
  return live;
}

/** @internal */
export function heapF64(): Float64Array {
  const buf = wasm().memory.buffer;
  if (f64 === null || f64.buffer !== buf) f64 = new Float64Array(buf);
  return f64;
}

/** @internal */
export function heapF32(): Float32Array {
  const buf = wasm().memory.buffer;
  if (f32 === null || f32.buffer !== buf) f32 = new Float32Array(buf);
  return f32;
}

/** @internal */
export function heapU8(): Uint8Array {
  const buf = wasm().memory.buffer;
  if (u8 === null || u8.buffer !== buf) u8 = new Uint8Array(buf);
  return u8;
}

/** The wasm32 address space, 4 GiB, less room for the runtime: the most one computation can use. */
export const MAX_WASM_BYTES = 2 ** 32 - 2 ** 26;
/**
 * The largest single block: the allocator (AssemblyScript's TLSF) refuses blocks of 1 GiB or
 * more ("Allocation too large"), whatever the heap size.
 */
export const MAX_BLOCK_BYTES = 2 ** 30 - 2 ** 16;

/** "4.61 GB": a byte count for error messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e12) return `${Math.round(bytes / 1e9)} GB`;
  return bytes >= 1e9 ? `${(bytes / 1e9).toPrecision(3)} GB` : `${(bytes / 1e6).toPrecision(3)} MB`;
}

/**
 * Throws a RangeError naming the argument when the arrays of one call cannot fit in the
 * WebAssembly heap: `blocks` lists [name, bytes] of each array the call copies in or out.
 * Checked before any copy, so the call fails fast and the module is untouched.
 */
export function checkWasmBytes(what: string, blocks: readonly (readonly [string, number])[]): void {
  let total = 0;
  for (const [name, bytes] of blocks) {
    total += bytes;
    if (bytes > MAX_BLOCK_BYTES) {
      throw new RangeError(
        `${what}: ${name} needs ${formatBytes(bytes)} as one array in WebAssembly memory; the limit for one array is 1 GiB (and 4 GiB for the whole wasm32 heap)`,
      );
    }
  }
  if (total > MAX_WASM_BYTES) {
    throw new RangeError(
      `${what}: ${blocks.map(([n]) => n).join(", ")} need ${formatBytes(total)} of WebAssembly memory together, more than the 4 GiB a wasm32 module can address`,
    );
  }
}

/**
 * @internal
 * Allocation scope: every block taken through it is freed by `scoped` when the callback
 * returns or throws, so a failed call leaves the heap as it found it.
 */
export class Scope {
  private readonly ptrs: number[] = [];
  /** The instance the blocks belong to (init() with other options replaces the current one). */
  readonly exports: Exports = wasm();

  alloc(bytes: number): number {
    if (!(bytes <= MAX_BLOCK_BYTES)) {
      throw new RangeError(
        `lazytrain: an array of ${formatBytes(bytes)} does not fit in WebAssembly memory (1 GiB per array, 4 GiB for the whole wasm32 heap)`,
      );
    }
    if (this.exports !== wasm())
      throw new Error("lazytrain: the module was re-initialised (init with other options) while this computation was running");
    const p = this.exports.alloc(Math.max(16, bytes));
    this.ptrs.push(p);
    return p;
  }

  /** Copy a float64 array into a fresh block; returns its pointer. */
  f64(data: ArrayLike<number>): number {
    const p = this.alloc(data.length * 8);
    heapF64().set(data, p >>> 3);
    return p;
  }

  /** Copy a float32 array into a fresh block; returns its pointer. */
  f32(data: ArrayLike<number>): number {
    const p = this.alloc(data.length * 4);
    heapF32().set(data, p >>> 2);
    return p;
  }

  release(): void {
    for (const p of this.ptrs) this.exports.free(p);
    this.ptrs.length = 0;
  }
}

/** @internal */
export function scoped<T>(fn: (s: Scope) => T): T {
  const s = new Scope();
  try {
    return fn(s);
  } finally {
    s.release();
  }
}

/** @internal Copy `n` float64 values out of the heap (the copy owns its memory). */
export function readF64(ptr: number, n: number): Float64Array {
  const i = ptr >>> 3;
  return heapF64().slice(i, i + n);
}

/** @internal */
export function readF32(ptr: number, n: number): Float32Array {
  const i = ptr >>> 2;
  return heapF32().slice(i, i + n);
}
