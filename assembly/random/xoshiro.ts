// Seeded pseudo-random numbers, bit-identical in every engine.
//
// Generator: xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number
// generators", ACM TOMS 47(4), 2021; reference C at prng.di.unimi.it), seeded by SplitMix64
// as its authors recommend. Uniform doubles take the top 53 bits: (x >> 11)·2⁻⁵³ ∈ [0, 1).
// Normals: Box–Muller (Box & Muller, Ann. Math. Stat. 29, 1958), both outputs used; the
// unused second output of a call is kept in the state, so normal(a) then normal(b) draws the
// same stream as normal(a + b). log/cos/sin are AssemblyScript's own (musl ports compiled into
// the module), so results do not depend on the host's Math.
//
// State layout (RNG_STATE_BYTES = 48 bytes at `st`, offsets in src/kernels/abi.ts): s0..s3 (u64),
// spare normal (f64, RNG_SPARE), has-spare flag (u64, RNG_HAS_SPARE).

import { RNG_HAS_SPARE, RNG_SPARE } from "../../src/kernels/abi";

// @ts-ignore: decorator
@inline function rotl(x: u64, k: u64): u64 {
  return (x << k) | (x >> (64 - k));
}

// @ts-ignore: decorator
@inline function next(st: usize): u64 {
  const s0 = load<u64>(st), s1 = load<u64>(st, 8), s2 = load<u64>(st, 16), s3 = load<u64>(st, 24);
  const result = rotl(s1 * 5, 7) * 9;
  const t = s1 << 17;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  store<u64>(st, s0 ^ n3);
  store<u64>(st, s1 ^ n2, 8);
  store<u64>(st, n2 ^ t, 16);
  store<u64>(st, rotl(n3, 45), 24);
  return result;
}

const TWO_M53: f64 = 1.0 / 9007199254740992.0;
const TWO_PI: f64 = 6.283185307179586;

// @ts-ignore: decorator
@inline function uniform53(st: usize): f64 {
  return <f64>(next(st) >> 11) * TWO_M53;
}

/** Seed from a 64-bit integer given as two 32-bit halves (SplitMix64 expansion). */
export function rngSeed(st: usize, lo: u32, hi: u32): void {
  let x: u64 = (<u64>hi << 32) | <u64>lo;
  for (let i = 0; i < 4; i++) {
    x += 0x9e3779b97f4a7c15;
    let z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    store<u64>(st + (<usize>i << 3), z ^ (z >> 31));
  }
  store<f64>(st, 0.0, RNG_SPARE);
  store<u64>(st, 0, RNG_HAS_SPARE);
}

/** Advance by 2¹²⁸ draws (the reference jump polynomial): non-overlapping sub-streams. */
export function rngJump(st: usize): void {
  const J0: u64 = 0x180ec6d33cfd0aba, J1: u64 = 0xd5a61266f0c9392c;
  const J2: u64 = 0xa9582618e03fc9aa, J3: u64 = 0x39abdc4529b1661c;
  let a: u64 = 0, b: u64 = 0, c: u64 = 0, d: u64 = 0;
  for (let w = 0; w < 4; w++) {
    const jw = w == 0 ? J0 : w == 1 ? J1 : w == 2 ? J2 : J3;
    for (let bit: u64 = 0; bit < 64; bit++) {
      if (jw & ((<u64>1) << bit)) {
        a ^= load<u64>(st); b ^= load<u64>(st, 8); c ^= load<u64>(st, 16); d ^= load<u64>(st, 24);
      }
      next(st);
    }
  }
  store<u64>(st, a); store<u64>(st, b, 8); store<u64>(st, c, 16); store<u64>(st, d, 24);
  store<u64>(st, 0, RNG_HAS_SPARE); // a pending spare normal belongs to the old position
}

/** n raw 64-bit outputs (for golden-vector tests against the reference C). */
export function rngNextU64(st: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u64>(out + (<usize>i << 3), next(st));
}

/** n uniforms in [0, 1) as float64. */
export function rngUniform(st: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), uniform53(st));
}

/** n normals N(mean, std²) as float64 (Box–Muller, spare carried in the state). */
export function rngNormal(st: usize, out: usize, n: i32, mean: f64, std: f64): void {
  let i = 0;
  if (n > 0 && load<u64>(st, RNG_HAS_SPARE) != 0) {
    store<f64>(out, mean + std * load<f64>(st, RNG_SPARE));
    store<u64>(st, 0, RNG_HAS_SPARE);
    i = 1;
  }
  for (; i + 1 < n; i += 2) {
    const u1 = 1.0 - uniform53(st); // (0, 1]: log is finite
    const u2 = uniform53(st);
    const r = Math.sqrt(-2.0 * Math.log(u1));
    const th = TWO_PI * u2;
    store<f64>(out + (<usize>i << 3), mean + std * (r * Math.cos(th)));
    store<f64>(out + (<usize>(i + 1) << 3), mean + std * (r * Math.sin(th)));
  }
  if (i < n) {
    const u1 = 1.0 - uniform53(st);
    const u2 = uniform53(st);
    const r = Math.sqrt(-2.0 * Math.log(u1));
    const th = TWO_PI * u2;
    store<f64>(out + (<usize>i << 3), mean + std * (r * Math.cos(th)));
    store<f64>(st, r * Math.sin(th), RNG_SPARE);
    store<u64>(st, 1, RNG_HAS_SPARE);
  }
}

/** n exponentials with mean `scale`: −scale·log(1 − u), u uniform in [0, 1) (inversion). */
export function rngExponential(st: usize, out: usize, n: i32, scale: f64): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), -scale * Math.log(1.0 - uniform53(st)));
}
