// Seeded random streams in the core (assembly/random/xoshiro.ts: xoshiro256** of Blackman &
// Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021, seeded by
// SplitMix64; normals by Box–Muller). The 48-byte generator state lives in JS (src/random/
// rng.ts owns it) and is copied into the heap around each call, so a generator holds no
// WebAssembly memory.
// Internal to the package: every export is marked @internal (stripped from the .d.ts).

import { wasm } from "../runtime/module.js";
import { allocVector, read, readBytes, scoped, writeBytes, type HeapMatrix, type Scope } from "./heap.js";
import { RNG_STATE_BYTES } from "./abi.js";

/** @internal Bytes of a generator state: s0..s3, the spare normal and its flag. */

/**
 * @internal
 * A generator state copied into the heap for the duration of one call: its byte address,
 * branded so that only withRngState hands one out.
 */
export type HeapRngState = number & { readonly __heapRngState: true };

/**
 * @internal
 * Run `fn` with `state` copied into the heap, then copy the advanced state back. Kernels that
 * draw inside WASM (sampling, SGD) take the HeapRngState it hands out.
 */
export function withRngState<T>(state: Uint8Array, fn: (st: HeapRngState, s: Scope) => T): T {
  return scoped((s) => {
    const st = s.alloc(RNG_STATE_BYTES) as HeapRngState;
    writeBytes(st, state);
    const out = fn(st, s);
    state.set(readBytes(st, RNG_STATE_BYTES));
    return out;
  });
}

/** @internal Seed a state from a 64-bit seed given as two 32-bit halves (SplitMix64 expansion). */
export function rngSeed(state: Uint8Array, lo: number, hi: number): void {
  withRngState(state, (st) => wasm().rngSeed(st, lo, hi));
}

/** @internal Jump ahead by 2¹²⁸ draws (xoshiro's jump polynomial). */
export function rngJump(state: Uint8Array): void {
  withRngState(state, (st) => wasm().rngJump(st));
}

/** @internal Fill a contiguous float64 block with N(mean, std²) draws, in row-major order. */
export function fillNormal(st: HeapRngState, out: HeapMatrix, mean = 0, std = 1): void {
  wasm().rngNormal(st, out.ptr, requireF64(out), mean, std);
}

/** @internal Fill a contiguous float64 block with uniforms in [0, 1) (53-bit resolution). */
export function fillUniform(st: HeapRngState, out: HeapMatrix): void {
  wasm().rngUniform(st, out.ptr, requireF64(out));
}

/** @internal Fill a contiguous float64 block with exponentials of mean `scale` (−scale·log(1 − u)). */
export function fillExponential(st: HeapRngState, out: HeapMatrix, scale: number): void {
  wasm().rngExponential(st, out.ptr, requireF64(out), scale);
}

function requireF64(A: HeapMatrix): number {
  if (!A.contiguous || A.dtype !== "float64") throw new Error("rng fill: a contiguous float64 block expected");
  return A.length;
}

type Fill = (st: HeapRngState, out: HeapMatrix) => void;

/** @internal `n` draws of `fill` copied out as a new Float64Array. */
export function draw(state: Uint8Array, n: number, fill: Fill): Float64Array {
  return withRngState(state, (st, s) => {
    const out = allocVector(s, n);
    fill(st, out);
    return read(out);
  });
}

/** @internal `n` raw 64-bit outputs of xoshiro256**. */
export function drawUint64(state: Uint8Array, n: number): BigUint64Array {
  return withRngState(state, (st, s) => {
    const p = s.alloc(n * 8);
    wasm().rngNextU64(st, p, n);
    return new BigUint64Array(readBytes(p, n * 8).buffer, 0, n);
  });
}
