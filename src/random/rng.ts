// Seeded random streams (xoshiro256** + Box–Muller, assembly/random/xoshiro.ts, through
// src/kernels/random.ts). The
// generator state (48 bytes) lives in JS and is copied into the WASM heap for each call,
// so an Rng holds no WebAssembly memory, survives re-initialisation, and can be cloned.

import { RNG_STATE_BYTES } from "../kernels/abi.js";
import {
  draw,
  drawUint64,
  fillExponential,
  fillNormal,
  fillUniform,
  rngJump,
  rngSeed,
  withRngState,
  type HeapRngState,
  type Scope,
} from "../kernels/index.js";
import { checkFinite, checkSize, describe } from "../runtime/errors.js";
import type { Matrix } from "../linalg/matrix.js";

const MAX_DRAWS = 2 ** 28; // 2 GiB of float64 per call: beyond that, call in chunks

export type Seed = number | bigint;

function seedHalves(seed: unknown): [number, number] {
  if (typeof seed === "bigint") {
    if (seed < 0n || seed >= 1n << 64n) throw new RangeError(`seed must be in [0, 2^64), got ${seed}`);
    return [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  }
  if (typeof seed !== "number")
    throw new TypeError(`seed must be a non-negative integer (number or bigint), got ${describe(seed)}`);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  }
  return [seed % 2 ** 32, Math.floor(seed / 2 ** 32)];
}

export class Rng {
  /** Raw generator state: s0..s3, spare normal, spare flag (see xoshiro.ts). */
  readonly #state = new Uint8Array(RNG_STATE_BYTES);

  /** Prefer `createRng(seed)`. */
  constructor(seed: Seed) {
    const [lo, hi] = seedHalves(seed);
    rngSeed(this.#state, lo, hi);
  }

  /**
   * @internal
   * Run `fn` with the state copied into the heap, then copy it back: kernels that draw inside
   * WASM (task sampling, SGD) take the HeapRngState.
   */
  withState<T>(fn: (st: HeapRngState, s: Scope) => T): T {
    return withRngState(this.#state, fn);
  }

  /** n independent uniforms in [0, 1) (53-bit resolution). */
  uniform(n: number): Float64Array {
    checkSize("n", n, 0, MAX_DRAWS);
    return draw(this.#state, n, fillUniform);
  }

  /** n independent normals N(mean, std²). normal(a) then normal(b) equals normal(a + b). */
  normal(n: number, mean = 0, std = 1): Float64Array {
    checkSize("n", n, 0, MAX_DRAWS);
    checkFinite("mean", mean);
    checkFinite("std", std, 0);
    return draw(this.#state, n, (st, out) => fillNormal(st, out, mean, std));
  }

  /** n independent exponentials with mean `scale` (inversion: −scale·log(1 − u)). */
  exponential(n: number, scale = 1): Float64Array {
    checkSize("n", n, 0, MAX_DRAWS);
    checkFinite("scale", scale, 0);
    return draw(this.#state, n, (st, out) => fillExponential(st, out, scale));
  }

  /** A rows×cols float64 matrix of iid N(0, std²) entries, filled row by row. */
  normalMatrix(rows: number, cols: number, std = 1): Matrix<Float64Array> {
    checkSize("rows", rows);
    checkSize("cols", cols);
    if (rows * cols > MAX_DRAWS) throw new RangeError(`rows·cols = ${rows * cols} exceeds ${MAX_DRAWS} draws per call`);
    checkFinite("std", std, 0);
    return { rows, cols, data: this.normal(rows * cols, 0, std) };
  }

  /** n raw 64-bit outputs of xoshiro256** (golden-value tests, integer sampling). */
  nextUint64(n: number): BigUint64Array {
    checkSize("n", n, 0, MAX_DRAWS);
    return drawUint64(this.#state, n);
  }

  /** An independent copy with the same state (draws the same numbers as this one). */
  clone(): Rng {
    const r = new Rng(0);
    r.#state.set(this.#state);
    return r;
  }

  /**
   * A new stream that never overlaps this one: the child starts at this generator's current
   * position and this generator jumps ahead by 2¹²⁸ draws (xoshiro's jump function).
   */
  split(): Rng {
    const child = this.clone();
    rngJump(this.#state);
    return child;
  }
}

/** A seeded generator (seed: non-negative integer, number or bigint). */
export function createRng(seed: Seed): Rng {
  return new Rng(seed);
}
