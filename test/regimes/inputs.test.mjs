// Inputs users have (issue 14, item 6): plain arrays (X, W as rows; y, a0 as number[]) and
// float32 data are accepted wherever float64 was required, converted once at the API boundary.
// float32 → float64 and number → float64 are exact, so every result must equal, bit for bit,
// the result of the same call on the float64 input built by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  init,
  quadraticTask,
  createRng,
  randomFeatures,
  fitRF,
  fitNT,
  trainNN,
  trainNT,
  nnLossAndGradient,
  toArray,
  matrix,
} from '../../dist/index.js';

let task, X32, X64, y32, y64, W32, W64;

test.before(async () => {
  await init();
  task = quadraticTask({ d: 6, seed: 4 });
  const rng = createRng(11);
  const s = task.sample(300, rng);
  // float32 inputs, and their exact float64 images (the reference the conversion must match)
  X32 = matrix(s.X.rows, s.X.cols, Float32Array.from(s.X.data));
  X64 = matrix(X32.rows, X32.cols, Float64Array.from(X32.data));
  y32 = Float32Array.from(s.y);
  y64 = Float64Array.from(y32);
  const W = randomFeatures(6, 4, rng);
  W32 = matrix(W.rows, W.cols, Float32Array.from(W.data));
  W64 = matrix(W.rows, W.cols, Float64Array.from(W32.data));
});

/** Bit equality of two float arrays (Object.is: -0 ≠ 0, NaN = NaN). */
function sameBits(a, b, what) {
  assert.is(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.unreachable(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** fn throws an instance of `type` whose message matches `re`. */
function throwsWith(fn, type, re) {
  assert.throws(fn, (e) => e instanceof type && re.test(e.message), String(re));
}

/** The promise rejects with an instance of `type` whose message matches `re`. */
async function rejectsWith(promise, type, re) {
  await promise.then(
    () => assert.unreachable(String(re)),
    (e) => assert.ok(e instanceof type && re.test(e.message), `${re}: ${e.message}`),
  );
}

function sameModel(m, ref, what) {
  assert.ok(Object.is(m.c, ref.c), `${what}: c ${m.c} vs ${ref.c}`);
  sameBits(m.a, ref.a, `${what}.a`);
  sameBits(m.W.data, ref.W.data, `${what}.W`);
  if (ref.S !== null) sameBits(m.S.data, ref.S.data, `${what}.S`);
}

test('fitRF / fitNT: number[][], number[] and float32 inputs give the float64 result bit for bit', () => {
  const rows = toArray(X64),
    wRows = toArray(W64),
    yArr = Array.from(y64);
  for (const fit of [fitRF, fitNT]) {
    const ref = fit({ X: X64, y: y64, W: W64 });
    sameModel(fit({ X: X32, y: y32, W: W32 }), ref, `${fit.name} float32`);
    sameModel(fit({ X: rows, y: yArr, W: wRows }), ref, `${fit.name} arrays`);
    sameModel(fit({ X: rows, y: y32, W: W64 }), ref, `${fit.name} mixed`);
  }
  const cg = fitNT({ X: rows, y: yArr, W: wRows, solver: 'cg' });
  sameModel(cg, fitNT({ X: X64, y: y64, W: W64, solver: 'cg' }), 'fitNT cg arrays');
  // the float64 inputs themselves are not copied: the model keeps the caller's W, as before
  assert.is(fitRF({ X: X64, y: y64, W: W64 }).W, W64);
});

test('predict: rows and float32 X equal the float64 X bit for bit', () => {
  const nt = fitNT({ X: X64, y: y64, W: W64 });
  const ref = nt.predict(X64);
  sameBits(nt.predict(X32), ref, 'predict float32');
  sameBits(nt.predict(toArray(X64)), ref, 'predict rows');
  sameBits(nt.predict([toArray(X64)[3]]), [ref[3]], 'predict one row');
});

test('trainNN / trainNT: X, y, W0, a0 as arrays or float32 train the same weights', async () => {
  const Xs = matrix(40, 6, X32.data.subarray(0, 240)),
    ys = y32.subarray(0, 40);
  const X64s = matrix(40, 6, Float64Array.from(Xs.data)),
    y64s = Float64Array.from(ys);
  const a0 = [1, -1, 0.5, 2];
  const base = { N: 4, steps: 60, batch: 10, seed: 2, online: false };
  const W0 = toArray(W64);
  const nnRef = await trainNN({ ...base, secondLayer: 'free', X: X64s, y: y64s, W0: W64, a0: Float64Array.from(a0) });
  const nnArr = await trainNN({ ...base, secondLayer: 'free', X: toArray(X64s), y: Array.from(y64s), W0, a0 });
  const nn32 = await trainNN({ ...base, secondLayer: 'free', X: Xs, y: ys, W0: W32, a0: Float32Array.from(a0) });
  const ntRef = await trainNT({ ...base, X: X64s, y: y64s, W0: W64, a0: Float64Array.from(a0) });
  const ntArr = await trainNT({ ...base, X: toArray(X64s), y: Array.from(y64s), W0, a0 });
  const nt32 = await trainNT({ ...base, X: Xs, y: ys, W0: W32, a0: Float32Array.from(a0) });
  for (const [m, ref, what] of /** @type {const} */ ([
    [nnArr, nnRef, 'trainNN arrays'],
    [nn32, nnRef, 'trainNN float32'],
    [ntArr, ntRef, 'trainNT arrays'],
    [nt32, ntRef, 'trainNT float32'],
  ])) {
    sameModel(m, ref, what);
    sameBits(m.curve.loss, ref.curve.loss, `${what} curve`);
  }
  assert.ok(nnRef.curve.loss[nnRef.curve.loss.length - 1] < nnRef.curve.loss[0], 'the runs compared did train');
});

test('nnLossAndGradient: arrays and float32 give the float64 loss and gradient', () => {
  const Xs = matrix(20, 6, X32.data.subarray(0, 120)),
    ys = y32.subarray(0, 20);
  const X64s = matrix(20, 6, Float64Array.from(Xs.data)),
    y64s = Float64Array.from(ys);
  const ref = nnLossAndGradient({ W: W64, a: Float64Array.of(1, 2, 3, 4), c: 0.5 }, X64s, y64s, { secondLayer: 'free' });
  const arr = nnLossAndGradient({ W: toArray(W64), a: [1, 2, 3, 4], c: 0.5 }, toArray(X64s), Array.from(y64s), {
    secondLayer: 'free',
  });
  const f32 = nnLossAndGradient({ W: W32, a: Float32Array.of(1, 2, 3, 4), c: 0.5 }, Xs, ys, { secondLayer: 'free' });
  for (const [r, what] of /** @type {const} */ ([
    [arr, 'arrays'],
    [f32, 'float32'],
  ])) {
    assert.ok(Object.is(r.loss, ref.loss), `${what} loss`);
    sameBits(r.gradient.W.data, ref.gradient.W.data, `${what} gradient W`);
    sameBits(/** @type {Float64Array} */ (r.gradient.a), /** @type {Float64Array} */ (ref.gradient.a), `${what} gradient a`);
  }
  const G = toArray(matrix(6, 4));
  const nt = nnLossAndGradient({ G, a: [1, 1, 1, 1], c: 0 }, Xs, ys, { regime: 'NT', W: toArray(W64), a0: [1, -1, 1, -1] });
  const ntRef = nnLossAndGradient({ G: matrix(6, 4), a: new Float64Array(4).fill(1), c: 0 }, X64s, y64s, {
    regime: 'NT',
    W: W64,
    a0: Float64Array.of(1, -1, 1, -1),
  });
  assert.ok(Object.is(nt.loss, ntRef.loss));
  sameBits(nt.gradient.G.data, ntRef.gradient.G.data, 'NT gradient G');
});

test('bad array inputs: errors name the argument and the position; the module stays usable', async () => {
  const rows = toArray(X64),
    yArr = Array.from(y64),
    W = toArray(W64);
  throwsWith(() => fitRF({ X: [[1, 2], [3]], y: [1, 2], W }), RangeError, /^X\[1\] has length 1, but X\[0\] has 2/);
  // @ts-expect-error a wrong argument on purpose: the error must name it
  throwsWith(() => fitRF({ X: [[1, 2], 'ab'], y: [1, 2], W }), TypeError, /^X\[1\] must be an array of numbers/);
  // @ts-expect-error a wrong argument on purpose: the error must name it
  throwsWith(
    () =>
      fitRF({
        X: [
          [1, '2'],
          [3, 4],
        ],
        y: [1, 2],
        W,
      }),
    TypeError,
    /^X\[0\]\[1\] must be a number, got the string "2"/,
  );
  throwsWith(
    () =>
      fitNT({
        X: [
          [1, 2],
          [3, NaN],
        ],
        y: [1, 2],
        W,
      }),
    RangeError,
    /^X\[1\]\[1\] must be finite, got NaN/,
  );
  // @ts-expect-error a wrong argument on purpose: the error must name it
  throwsWith(
    () => fitRF({ X: [1, 2, 3], y: [1, 2, 3], W }),
    TypeError,
    /^X must be a Matrix \{ rows, cols, data \} or an array of rows/,
  );
  throwsWith(() => fitRF({ X: rows, y: yArr.slice(1), W }), RangeError, /^y has length 299, but X has 300 rows/);
  throwsWith(() => fitRF({ X: rows, y: [...yArr.slice(1), Infinity], W }), RangeError, /^y\[299\] must be finite, got Infinity/);
  throwsWith(() => fitRF({ X: rows, y: [...yArr.slice(1), null], W }), TypeError, /^y\[299\] must be a number, got null/);
  throwsWith(() => fitRF({ X: rows, y: yArr, W: [[1, 2]] }), RangeError, /^W must be d×N with d = 6 rows/);
  throwsWith(
    () => fitRF({ X: matrix(2, 6, new Float32Array(12).fill(NaN)), y: [1, 2], W }),
    RangeError,
    /^X has a non-finite entry NaN at \(0, 0\)/,
  );
  throwsWith(() => fitRF({ X: X64, y: y64, W }).predict([[1, 2, 3]]), RangeError, /^X must have d = 6 columns, got 1×3/);
  throwsWith(() => fitRF({ X: X64, y: y64, W }).predict([[1, 2, 3, 4, 5, Infinity]]), RangeError, /^X\[0\]\[5\] must be finite/);
  throwsWith(
    () => nnLossAndGradient({ W, a: [1, 2], c: 0 }, rows, yArr, { secondLayer: 'free' }),
    RangeError,
    /^params\.a must have length N = 4, got 2/,
  );
  // @ts-expect-error a wrong argument on purpose: the error must name it
  throwsWith(
    () => nnLossAndGradient({ W, a: 1, c: 0 }, rows, 'y'),
    TypeError,
    /^y must be a Float64Array, a Float32Array or an array of numbers/,
  );
  await rejectsWith(
    trainNN({ task, N: 4, steps: 1, W0: W, secondLayer: 'free', a0: [1, 2] }),
    RangeError,
    /^options\.a0 must have length N = 4, got 2/,
  );
  await rejectsWith(
    trainNN({ task, N: 4, steps: 1, secondLayer: 'positive', a0: [1, 1, NaN, 1] }),
    RangeError,
    /^options\.a0\[2\] must be finite, got NaN/,
  );
  await rejectsWith(
    trainNT({ task, N: 4, steps: 1, W0: [[1, 2, 3, 4]] }),
    RangeError,
    /^options\.W0 must be d×N with d = 6 rows/,
  );
  await rejectsWith(
    trainNN({ X: rows, y: [1, 2], N: 4, steps: 1, online: false }),
    RangeError,
    /^y has length 2, but X has 300 rows/,
  );
  assert.ok(fitNT({ X: rows, y: yArr, W }).populationRisk(task).risk > 0);
});

test.run();
