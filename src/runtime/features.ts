// Engine feature detection for choosing a build: fixed-width SIMD, relaxed SIMD (and the V8
// flag that enables it in Node 20), and whether this is Node at all. Tiny probe modules are
// validated rather than user agents parsed, so the answer is the engine's own.

// (module (func (result v128) i32.const 0 i8x16.splat)): validates only where SIMD exists.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x08,
  0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b,
]);

/** True when this engine supports WebAssembly fixed-width SIMD. */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

// (module (func (result v128) 3 × (i32.const 0 i8x16.splat) f32x4.relaxed_madd)): validates
// only where relaxed SIMD is enabled.
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x13,
  0x01, 0x11, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x85, 0x02, 0x0b,
]);

/** True when this engine supports (and has enabled) WebAssembly relaxed SIMD. */
export function relaxedSimdSupported(): boolean {
  try {
    return WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

export const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

// Node 20 (V8 11.3) has relaxed SIMD behind --experimental-wasm-relaxed-simd, a flag NODE_OPTIONS
// and a Worker's execArgv refuse; V8 ≥ 11.4 (Node ≥ 22, Chromium ≥ 114) ships it unflagged. The
// flag is set at run time, before the relaxed module is compiled: V8 reads its wasm feature
// flags when it validates and compiles, and the flags are process-wide, so worker_threads
// started afterwards see it too. Hidden from bundlers like node:fs in module.ts:
// browsers must never import a node: module statically.
export async function enableRelaxedSimdInNode(): Promise<void> {
  if (!isNode || relaxedSimdSupported()) return;
  try {
    const name = "node:v8";
    const v8 = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as { setFlagsFromString(f: string): void };
    v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  } catch {
    // not Node's V8 after all, or the flag is gone: the feature test in init() decides
  }
}
