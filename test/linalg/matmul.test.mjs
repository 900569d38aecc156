import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, matmul, matrix, fromArray, toArray, transpose, runtimeInfo } from '../../dist/index.js';
import { refMatmul, gamma, randomMatrix } from '../helpers/reference.mjs';

test.before(async () => {
  await init();
});

const U64 = 2 ** -53,
  U32 = 2 ** -24;

// Element-wise check against the float64 reference with Higham's bound (see reference.mjs).
function checkAgainstRef(got, a, b, transA, transB, u) {
  const { m, n, k, c, abs } = refMatmul(a, b, transA, transB);
  assert.is(got.rows, m);
  assert.is(got.cols, n);
  const tol = gamma(k, u) + gamma(k, U64) + (u === U32 ? U32 : 0); // + final rounding to float32
  for (let i = 0; i < m * n; i++) {
    const err = Math.abs(got.data[i] - c[i]);
    if (!(err <= tol * abs[i] + Number.MIN_VALUE)) {
      assert.unreachable(
        `entry (${Math.floor(i / n)}, ${i % n}) of ${m}×${k}·${k}×${n} (transA=${transA}, transB=${transB}): got ${got.data[i]}, reference ${c[i]}, |err| ${err} > ${tol * abs[i]}`,
      );
    }
  }
}

// Shapes chosen to hit every edge: 1×1, tiles smaller than the 4×4 / 4×8 micro-tile, k above
// the KC block (256/384), m above MC (128), n above NC (2048), and degenerate outer products.
const SHAPES = [
  [1, 1, 1],
  [7, 13, 5],
  [5, 7, 13],
  [4, 4, 4],
  [8, 8, 8],
  [3, 5, 1],
  [1, 1000, 1],
  [1000, 1, 1000],
  [17, 300, 9],
  [130, 33, 70],
  [129, 257, 3],
  [2, 5, 2100],
  [64, 64, 64],
  [33, 400, 19],
];

for (const [m, k, n] of SHAPES) {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      test(`matmul f64 ${m}×${k}·${k}×${n} transA=${transA} transB=${transB} within γ_k bound`, () => {
        const a = transA ? randomMatrix(k, m, m * 31 + k) : randomMatrix(m, k, m * 31 + k);
        const b = transB ? randomMatrix(n, k, n * 17 + k) : randomMatrix(k, n, n * 17 + k);
        checkAgainstRef(matmul(a, b, { transA, transB }), a, b, transA, transB, U64);
      });
    }
  }
}

for (const [m, k, n] of SHAPES.filter(([m, k, n]) => m * k * n <= 3e6)) {
  for (const [transA, transB] of [
    [false, false],
    [true, true],
    [false, true],
  ]) {
    test(`matmul f32 ${m}×${k}·${k}×${n} transA=${transA} transB=${transB} within γ_k bound`, () => {
      const a = transA ? randomMatrix(k, m, m + 3 * k, Float32Array) : randomMatrix(m, k, m + 3 * k, Float32Array);
      const b = transB ? randomMatrix(n, k, n + 5 * k, Float32Array) : randomMatrix(k, n, n + 5 * k, Float32Array);
      const c = matmul(a, b, { transA, transB });
      assert.ok(c.data instanceof Float32Array, 'float32 in, float32 out');
      checkAgainstRef(c, a, b, transA, transB, U32);
    });
  }
}

test('small-integer products are exact (no rounding anywhere)', () => {
  // Entries in [-8, 8]: every partial sum is an integer below 2^24, exact in f32 and f64.
  const make = (r, c, s, Ctor) => {
    const d = new Ctor(r * c);
    for (let i = 0; i < d.length; i++) d[i] = ((i * 7 + s) % 17) - 8;
    return { rows: r, cols: c, data: d };
  };
  for (const Ctor of [Float64Array, Float32Array]) {
    const a = make(37, 290, 1, Ctor),
      b = make(290, 23, 5, Ctor);
    const got = matmul(a, b);
    const { c } = refMatmul(a, b);
    assert.equal(Array.from(got.data), Array.from(c));
  }
});

test('known product and identity', () => {
  const a = fromArray([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = fromArray([
    [7, 8],
    [9, 10],
    [11, 12],
  ]);
  assert.equal(toArray(matmul(a, b)), [
    [58, 64],
    [139, 154],
  ]);
  assert.equal(toArray(matmul(a, a, { transB: true })), [
    [14, 32],
    [32, 77],
  ]);
  const x = randomMatrix(9, 9, 4);
  const eye = matrix(9, 9);
  for (let i = 0; i < 9; i++) eye.data[i * 9 + i] = 1;
  assert.equal(Array.from(matmul(x, eye).data), Array.from(x.data));
  assert.equal(Array.from(matmul(eye, x, { transB: true }).data), Array.from(transpose(x).data));
});

test('zero sizes: empty results, k = 0 gives zeros', () => {
  const e = matmul(matrix(0, 3), matrix(3, 4));
  assert.is(e.rows, 0);
  assert.is(e.cols, 4);
  assert.is(e.data.length, 0);
  const z = matmul(matrix(3, 0), matrix(0, 2));
  assert.equal(Array.from(z.data), [0, 0, 0, 0, 0, 0]);
  const z32 = matmul(matrix(2, 0, new Float32Array(0)), matrix(0, 2, new Float32Array(0)));
  assert.ok(z32.data instanceof Float32Array);
  assert.equal(Array.from(z32.data), [0, 0, 0, 0]);
});

test('non-finite values propagate by default and are rejected with checkFinite', () => {
  const a = fromArray([
      [1, NaN],
      [0, 1],
    ]),
    b = fromArray([
      [1, 0],
      [0, 1],
    ]);
  const c = matmul(a, b);
  assert.ok(Number.isNaN(c.data[1]));
  assert.throws(
    () => matmul(a, b, { checkFinite: true }),
    (e) => e instanceof RangeError && /a has a non-finite entry NaN at \(0, 1\)/.test(e.message),
  );
  const inf = fromArray([
    [1, 0],
    [Infinity, 1],
  ]);
  assert.throws(
    () => matmul(b, inf, { checkFinite: true }),
    (e) => e instanceof RangeError && /b has a non-finite entry Infinity at \(1, 0\)/.test(e.message),
  );
});

test('bad input: clear errors naming the argument, and the module stays usable', () => {
  const a = randomMatrix(3, 4, 1),
    b = randomMatrix(5, 2, 2);
  assert.throws(
    () => matmul(a, b),
    (e) => e instanceof RangeError && /inner dimensions differ \(a is 3×4, b is 5×2\)/.test(e.message),
  );
  assert.throws(
    () => matmul(a, b, { transA: true }),
    (e) => e instanceof RangeError && /aᵀ is 4×3/.test(e.message),
  );
  assert.throws(
    () => matmul(a, randomMatrix(4, 2, 3, Float32Array)),
    (e) => e instanceof TypeError && /same dtype/.test(e.message),
  );
  assert.throws(
    () => matmul(null, b),
    (e) => e instanceof TypeError && /^a must be a Matrix/.test(e.message),
  );
  assert.throws(
    // @ts-expect-error a wrong argument on purpose: the error must name it
    () => matmul(a, { rows: 4, cols: 2, data: [1, 2, 3, 4, 5, 6, 7, 8] }),
    (e) => e instanceof TypeError && /b\.data must be a Float64Array/.test(e.message),
  );
  assert.throws(
    () => matmul(a, { rows: 4, cols: 2, data: new Float64Array(7) }),
    (e) => e instanceof RangeError && /b\.data has length 7, but b is 4×2/.test(e.message),
  );
  assert.throws(
    () => matmul({ rows: -1, cols: 2, data: new Float64Array(0) }, b),
    (e) => e instanceof RangeError && /a\.rows must be an integer/.test(e.message),
  );
  assert.throws(
    () => matmul({ rows: 1.5, cols: 2, data: new Float64Array(3) }, b),
    (e) => e instanceof RangeError && /a\.rows/.test(e.message),
  );
  assert.throws(
    // @ts-expect-error a wrong argument on purpose: the error must name it
    () => matmul(a, randomMatrix(4, 2, 3), { transA: 1 }),
    (e) => e instanceof TypeError && /options\.transA must be a boolean/.test(e.message),
  );
  assert.throws(
    // @ts-expect-error a wrong argument on purpose: the error must name it
    () => matmul(a, randomMatrix(4, 2, 3), { tranA: true }),
    (e) => e instanceof TypeError && /options\.tranA is not a known option/.test(e.message),
  );
  assert.throws(
    // @ts-expect-error a wrong argument on purpose: the error must name it
    () => matmul(a, randomMatrix(4, 2, 3), 'x'),
    (e) => e instanceof TypeError && /options must be an options object/.test(e.message),
  );
  const ok = matmul(a, randomMatrix(4, 2, 3));
  checkAgainstRef(ok, a, randomMatrix(4, 2, 3), false, false, U64);
});

test('matrix helpers validate and round-trip', () => {
  assert.equal(
    toArray(
      fromArray([
        [1, 2],
        [3, 4],
      ]),
    ),
    [
      [1, 2],
      [3, 4],
    ],
  );
  assert.equal(
    toArray(
      transpose(
        fromArray([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ),
    [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
  );
  assert.ok(fromArray([[1]], 'float32').data instanceof Float32Array);
  assert.equal(matrix(2, 2, [1, 2, 3, 4]).data, new Float64Array([1, 2, 3, 4]));
  assert.is(fromArray([]).rows, 0);
  assert.throws(
    () => fromArray([[1, 2], [3]]),
    (e) => e instanceof RangeError && /rows\[1\] has length 1, but rows\[0\] has 2/.test(e.message),
  );
  assert.throws(
    // @ts-expect-error a wrong argument on purpose: the error must name it
    () => fromArray([[1, 'x']]),
    (e) => e instanceof TypeError && /rows\[0\]\[1\] must be a number/.test(e.message),
  );
  assert.throws(
    () => matrix(2, 2, [1, 2, 3]),
    (e) => e instanceof RangeError && /data has length 3, but a 2×2 matrix needs 4/.test(e.message),
  );
  assert.throws(
    () => matrix(-1, 2),
    (e) => e instanceof RangeError && /^rows must be/.test(e.message),
  );
  assert.throws(
    // @ts-expect-error a wrong argument on purpose: the error must name it
    () => matrix(2, 'a'),
    (e) => e instanceof TypeError && /^cols must be an integer/.test(e.message),
  );
  assert.throws(
    () => matrix(1, 2, new Int32Array(2)),
    (e) => e instanceof TypeError && /data must be/.test(e.message),
  );
  const big = randomMatrix(70, 45, 9);
  assert.equal(transpose(transpose(big)), big);
});

test('10 000 calls of matmul 200×200 reach a steady heap (no memory growth after warm-up)', () => {
  const a = randomMatrix(200, 200, 11),
    b = randomMatrix(200, 200, 12);
  for (let i = 0; i < 5; i++) matmul(a, b);
  const before = runtimeInfo().memoryBytes;
  let c;
  for (let i = 0; i < 10000; i++) c = matmul(a, b);
  assert.is(runtimeInfo().memoryBytes, before);
  checkAgainstRef(c, a, b, false, false, U64);
});

test.run();
