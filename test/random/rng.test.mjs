import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, createRng, Rng } from '../../dist/index.js';
import { normalCdf, ksStatistic, ksCritical } from '../helpers/reference.mjs';

test.before(async () => {
  await init();
});

// Reference xoshiro256** + SplitMix64 seeding in BigInt, transcribed from the authors'
// published C (xoshiro256starstar.c, splitmix64.c): shares no code with the WASM kernel.
const M64 = (1n << 64n) - 1n;
/** @param {bigint} x @param {bigint} k */
const rotl = (x, k) => ((x << k) | (x >> (64n - k))) & M64;
function refStream(seed) {
  let x = BigInt(seed);
  const s = [];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & M64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    s.push(z ^ (z >> 31n));
  }
  const next = () => {
    const result = (rotl((s[1] * 5n) & M64, 7n) * 9n) & M64;
    const t = (s[1] << 17n) & M64;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  };
  // jump(): the reference polynomial for 2^128 steps
  next.jump = () => {
    const J = [0x180ec6d33cfd0aban, 0xd5a61266f0c9392cn, 0xa9582618e03fc9aan, 0x39abdc4529b1661cn];
    const acc = [0n, 0n, 0n, 0n];
    for (const j of J) {
      for (let b = 0n; b < 64n; b++) {
        if ((j >> b) & 1n) for (let i = 0; i < 4; i++) acc[i] ^= s[i];
        next();
      }
    }
    for (let i = 0; i < 4; i++) s[i] = acc[i];
  };
  return next;
}

test('raw outputs equal the reference xoshiro256** / SplitMix64 (seeds 0, 42, 2^53−1, 2^64−1)', () => {
  for (const seed of [0, 42, 2 ** 53 - 1, (1n << 64n) - 1n]) {
    const ref = refStream(seed);
    const got = createRng(seed).nextUint64(1000);
    for (let i = 0; i < 1000; i++) assert.is(got[i], ref(), `seed ${seed}, draw ${i}`);
  }
});

test('golden first values (seed 42): a changed stream is a breaking change', () => {
  const r = createRng(42);
  assert.equal(Array.from(r.nextUint64(3), String), ['1546998764402558742', '6990951692964543102', '12544586762248559009']);
  // uniform = (x >> 11)·2^-53 of the next outputs; normals continue the same stream.
  assert.equal(Array.from(createRng(42).uniform(3)), [0.08386297105988216, 0.3789802506626686, 0.6800434110281394]);
  const z = createRng(42).normal(4);
  assert.equal(Array.from(z), GOLDEN_NORMAL_42);
});
const GOLDEN_NORMAL_42 = [-0.303263064678738, 0.28846173882942383, 1.3438117634372806, -0.6879751798977498];

test('normals are the Box–Muller transform of the uniform stream (to 4 ulp, host Math as reference)', () => {
  const u = createRng(99).uniform(2000);
  const z = createRng(99).normal(2000);
  for (let i = 0; i < 2000; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u[i])),
      th = 2 * Math.PI * u[i + 1];
    const ref = [r * Math.cos(th), r * Math.sin(th)];
    for (let j = 0; j < 2; j++) {
      assert.ok(
        Math.abs(z[i + j] - ref[j]) <= 4 * Number.EPSILON * Math.max(Math.abs(r), 1e-300),
        `pair ${i / 2}: ${z[i + j]} vs ${ref[j]}`,
      );
    }
  }
});

test('uniform: range, moments and Kolmogorov–Smirnov against U(0, 1)', () => {
  const n = 200000;
  const u = createRng(7).uniform(n);
  let mean = 0,
    m2 = 0;
  for (const x of u) {
    assert.ok(x >= 0 && x < 1);
    mean += x;
  }
  mean /= n;
  for (const x of u) m2 += (x - mean) ** 2;
  const v = m2 / n;
  // 5 standard errors: sd(mean) = sqrt(1/12/n), sd(var) ≈ sqrt((1/80 − 1/144)/n)
  assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
  assert.ok(Math.abs(v - 1 / 12) < 5 * Math.sqrt((1 / 80 - 1 / 144) / n), `var ${v}`);
  const d = ksStatistic(u, (x) => x);
  assert.ok(d < ksCritical(n, 1e-6), `KS D = ${d}`);
});

test('normal: moments and Kolmogorov–Smirnov against N(0, 1); mean/std parameters', () => {
  const n = 200000;
  const z = createRng(11).normal(n);
  let s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0;
  for (const x of z) {
    s1 += x;
    s2 += x * x;
    s3 += x ** 3;
    s4 += x ** 4;
  }
  s1 /= n;
  s2 /= n;
  s3 /= n;
  s4 /= n;
  // standard errors of the raw moments of N(0,1): sqrt(1/n), sqrt(2/n), sqrt(15/n), sqrt(96/n)
  assert.ok(Math.abs(s1) < 5 * Math.sqrt(1 / n), `mean ${s1}`);
  assert.ok(Math.abs(s2 - 1) < 5 * Math.sqrt(2 / n), `E z² ${s2}`);
  assert.ok(Math.abs(s3) < 5 * Math.sqrt(15 / n), `E z³ ${s3}`);
  assert.ok(Math.abs(s4 - 3) < 5 * Math.sqrt(96 / n), `E z⁴ ${s4}`);
  const d = ksStatistic(z, normalCdf);
  assert.ok(d < ksCritical(n, 1e-6), `KS D = ${d}`);
  const w = createRng(11).normal(1000, 3, 2);
  for (let i = 0; i < 1000; i++) assert.is(w[i], 3 + 2 * z[i]);
});

test('streams: same seed ⇒ bit-identical; normal(a)+normal(b) = normal(a+b); bigint = number seed', () => {
  assert.equal(createRng(5).normal(1001), createRng(5).normal(1001));
  const r = createRng(5);
  const parts = [...r.normal(3), ...r.normal(4), ...r.normal(994)];
  assert.equal(parts, Array.from(createRng(5).normal(1001)));
  assert.equal(createRng(123n).uniform(10), createRng(123).uniform(10));
  assert.not.equal(Array.from(createRng(1).uniform(4)), Array.from(createRng(2).uniform(4)));
  const m = createRng(9).normalMatrix(3, 5, 0.5);
  assert.is(m.rows, 3);
  assert.is(m.cols, 5);
  assert.equal(
    Array.from(m.data),
    Array.from(createRng(9).normal(15)).map((x) => 0.5 * x),
  );
});

test('clone and split: clones replay, split streams do not overlap and are uncorrelated', () => {
  const r = createRng(3);
  r.uniform(5);
  const c = r.clone();
  assert.equal(c.clone().uniform(8), r.clone().uniform(8));
  const child = r.split();
  assert.equal(child.uniform(8), c.uniform(8), 'the child continues from the parent position');
  const a = r.normal(50000),
    b = child.normal(50000);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  assert.ok(Math.abs(s / a.length) < 5 / Math.sqrt(a.length), `correlation ${s / a.length}`);
  // the parent jumped by 2^128 draws: same outputs as the reference jump polynomial
  const p = createRng(77);
  p.nextUint64(3);
  p.split();
  const ref = refStream(77);
  ref();
  ref();
  ref();
  ref.jump();
  const got = p.nextUint64(5);
  for (let i = 0; i < 5; i++) assert.is(got[i], ref());
  assert.ok(r instanceof Rng);
});

test('bad seeds and sizes: clear errors, generator still usable', () => {
  assert.throws(
    () => createRng(-1),
    (e) => e instanceof RangeError && /seed must be a non-negative safe integer/.test(e.message),
  );
  assert.throws(
    () => createRng(1.5),
    (e) => e instanceof RangeError && /seed/.test(e.message),
  );
  assert.throws(
    () => createRng(NaN),
    (e) => e instanceof RangeError && /seed/.test(e.message),
  );
  assert.throws(
    () => createRng(1n << 64n),
    (e) => e instanceof RangeError && /seed must be in \[0, 2\^64\)/.test(e.message),
  );
  assert.throws(
    // @ts-expect-error a wrong argument on purpose: the error must name it
    () => createRng('1'),
    (e) => e instanceof TypeError && /seed must be a non-negative integer/.test(e.message),
  );
  const r = createRng(1);
  const before = r.clone();
  assert.throws(
    () => r.normal(-1),
    (e) => e instanceof RangeError && /^n must be an integer/.test(e.message),
  );
  assert.throws(
    () => r.normal(3, 0, -1),
    (e) => e instanceof RangeError && /^std must be in/.test(e.message),
  );
  assert.throws(
    () => r.normal(3, NaN),
    (e) => e instanceof RangeError && /^mean must be finite/.test(e.message),
  );
  assert.throws(
    () => r.uniform(2.5),
    (e) => e instanceof RangeError && /^n must be an integer/.test(e.message),
  );
  assert.throws(
    () => r.normalMatrix(2, -3),
    (e) => e instanceof RangeError && /^cols must be an integer/.test(e.message),
  );
  assert.equal(r.uniform(4), before.uniform(4), 'failed calls consume no draws');
  assert.is(r.normal(0).length, 0);
});

test.run();
