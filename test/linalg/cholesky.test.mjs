import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, cholesky, solveSPD, logdetSPD, eigvalsh, fromArray, matrix } from '../../dist/index.js';
import { randomMatrix, gamma, digest } from '../helpers/reference.mjs';
import { freshInstance } from '../helpers/instance.mjs';

test.before(async () => {
  await init();
});

const U = 2 ** -53;

/** S = XᵀX/m + shift·I (n×n), exactly symmetric. */
function randomSPD(n, seed, shift = 0.1, m = n + 5) {
  const X = randomMatrix(m, n, seed).data;
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < m; p++) s += X[p * n + i] * X[p * n + j];
      s /= m;
      if (i === j) s += shift;
      S[i * n + j] = s;
      S[j * n + i] = s;
    }
  }
  return { rows: n, cols: n, data: S };
}

/** |L|·|Lᵀ| and L·Lᵀ, plain triple loops. */
function llt(L, n) {
  const P = new Float64Array(n * n),
    A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0,
        t = 0;
      for (let k = 0; k <= Math.min(i, j); k++) {
        s += L[i * n + k] * L[j * n + k];
        t += Math.abs(L[i * n + k] * L[j * n + k]);
      }
      P[i * n + j] = s;
      A[i * n + j] = t;
    }
  }
  return { P, A };
}

for (const n of [1, 2, 5, 63, 64, 65, 130, 300]) {
  test(`cholesky n=${n}: lower, positive diagonal, |LLᵀ − S| ≤ γ_{n+1}|L||Lᵀ| elementwise`, () => {
    const S = randomSPD(n, 7 + n);
    const L = cholesky(S);
    assert.is(L.rows, n);
    assert.is(L.cols, n);
    assert.ok(L.data instanceof Float64Array);
    for (let i = 0; i < n; i++) {
      assert.ok(L.data[i * n + i] > 0, `L[${i}][${i}] > 0`);
      for (let j = i + 1; j < n; j++) assert.is(L.data[i * n + j], 0, `L[${i}][${j}] = 0`);
    }
    // Higham, Accuracy and Stability, Thm 10.3: LLᵀ = S + ΔS, |ΔS| ≤ γ_{n+1}|L||Lᵀ|;
    // the reference product itself errs by γ_n|L||Lᵀ|.
    const { P, A } = llt(L.data, n);
    const g = gamma(n + 1, U) + gamma(n, U);
    for (let i = 0; i < n * n; i++) {
      const err = Math.abs(P[i] - S.data[i]);
      if (!(err <= g * A[i])) assert.unreachable(`entry ${i}: |LLᵀ − S| = ${err} > ${g * A[i]}`);
    }
  });
}

for (const [n, k] of [
  [1, 1],
  [7, 3],
  [64, 1],
  [200, 1],
  [200, 7],
  [130, 100],
]) {
  test(`solveSPD n=${n}, ${k} right-hand side(s): residual within the backward-error bound`, () => {
    const S = randomSPD(n, 100 + n);
    const B = randomMatrix(n, k, 200 + k);
    const X = solveSPD(S, B);
    assert.is(X.rows, n);
    assert.is(X.cols, k);
    const L = cholesky(S).data;
    const { A } = llt(L, n);
    // (S + ΔS)x = b with |ΔS| ≤ γ_{3n+1}|L||Lᵀ| (Higham Thm 10.4): |Sx − b| ≤ γ_{3n+1}|L||Lᵀ||x|
    // (+ the reference residual's own rounding γ_{n+1}(|S||x| + |b|)).
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) {
        let r = -B.data[i * k + c],
          bound = 0,
          ab = Math.abs(B.data[i * k + c]);
        for (let j = 0; j < n; j++) {
          const x = X.data[j * k + c];
          r += S.data[i * n + j] * x;
          bound += A[i * n + j] * Math.abs(x);
          ab += Math.abs(S.data[i * n + j] * x);
        }
        const tol = gamma(3 * n + 1, U) * bound + gamma(n + 1, U) * ab;
        if (!(Math.abs(r) <= tol)) assert.unreachable(`row ${i}, rhs ${c}: |Sx − b| = ${Math.abs(r)} > ${tol}`);
      }
    }
  });
}

test('solveSPD recovers a known solution (well-conditioned S)', () => {
  const n = 150,
    k = 4;
  const S = randomSPD(n, 3, 1);
  const Xt = randomMatrix(n, k, 4);
  const B = matrix(n, k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += S.data[i * n + j] * Xt.data[j * k + c];
      B.data[i * k + c] = s;
    }
  const X = solveSPD(S, B);
  let worst = 0;
  for (let i = 0; i < n * k; i++) worst = Math.max(worst, Math.abs(X.data[i] - Xt.data[i]));
  assert.ok(worst < 1e-12, `max error ${worst}`);
});

test('logdetSPD: equals Σ log λ (eigvalsh) and Σ log d on diagonals', () => {
  for (const n of [1, 10, 100, 257]) {
    const S = randomSPD(n, 300 + n);
    const ld = logdetSPD(S);
    const lam = eigvalsh(S);
    let ref = 0;
    for (const x of lam) ref += Math.log(x);
    // S = XᵀX/m + 0.1 I has κ ≤ ~100: each log λ is accurate to ~n·ε·κ
    assert.ok(Math.abs(ld - ref) <= 1e-12 * n * Math.max(1, Math.abs(ref)), `n=${n}: ${ld} vs ${ref}`);
  }
  const d = [2, 0.5, 1e-200, 1e200, 3];
  const D = fromArray(d.map((x, i) => d.map((_, j) => (i === j ? x : 0))));
  const ref = d.reduce((s, x) => s + Math.log(x), 0);
  assert.ok(Math.abs(logdetSPD(D) - ref) <= 1e-13 * Math.abs(ref) + 1e-13, `${logdetSPD(D)} vs ${ref}`);
  assert.is(logdetSPD(fromArray([[1]])), 0);
  assert.is(logdetSPD({ rows: 0, cols: 0, data: new Float64Array(0) }), 0);
});

test('not positive definite: RangeError with the failing pivot index; jitter fixes a PSD matrix', () => {
  /** @type {Array<[import('../../dist/index.js').Matrix, number]>} the matrix, its first non-positive pivot */
  const cases = [
    [
      fromArray([
        [1, 0, 0, 0],
        [0, 2, 0, 0],
        [0, 0, -1, 0],
        [0, 0, 0, 4],
      ]),
      2,
    ],
    [
      fromArray([
        [1, 2],
        [2, 1],
      ]),
      1,
    ],
    [fromArray([[0]]), 0],
    [
      fromArray([
        [-1, 0],
        [0, 1],
      ]),
      0,
    ],
  ];
  for (const [S, k] of cases) {
    for (const fn of [() => cholesky(S), () => logdetSPD(S), () => solveSPD(S, matrix(S.rows, 1))]) {
      let err;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof RangeError, `${err}`);
      assert.match(err.message, new RegExp(`not positive definite: pivot ${k} ≤ 0`));
    }
  }
  // A random PSD matrix of rank 20 in dimension 60 (Gram of 20 vectors): fails, jitter fixes it.
  const X = randomMatrix(20, 60, 9).data;
  const G = matrix(60, 60);
  for (let i = 0; i < 60; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < 20; p++) s += X[p * 60 + i] * X[p * 60 + j];
      G.data[i * 60 + j] = s;
      G.data[j * 60 + i] = s;
    }
  assert.throws(
    () => cholesky(G),
    (e) => e instanceof RangeError && /not positive definite: pivot \d+ ≤ 0/.test(e.message),
  );
  const jitter = 1e-8;
  const L = cholesky(G, { jitter });
  const { P, A } = llt(L.data, 60);
  const g = gamma(61, U) + gamma(60, U);
  for (let i = 0; i < 60; i++)
    for (let j = 0; j < 60; j++) {
      const s = G.data[i * 60 + j] + (i === j ? jitter : 0);
      assert.ok(Math.abs(P[i * 60 + j] - s) <= g * A[i * 60 + j] + 1e-300, `LLᵀ = G + jitter·I at (${i}, ${j})`);
    }
  const sing = fromArray([
    [1, 1],
    [1, 1],
  ]);
  assert.throws(
    () => cholesky(sing),
    (e) => /pivot 1 ≤ 0/.test(e.message) && /options\.jitter/.test(e.message),
  );
  assert.ok(Number.isFinite(logdetSPD(sing, { jitter: 1e-10 })));
});

test('bad input: clear errors naming the argument; the next valid call works', () => {
  const S = randomSPD(4, 1);
  /** @type {Array<[() => unknown, new () => Error, RegExp]>} a call wrong on purpose, the error class, its message */
  const cases = [
    [() => cholesky(null), TypeError, /^s must be a Matrix/],
    [() => cholesky({ rows: 2, cols: 3, data: new Float64Array(6) }), RangeError, /s must be square, got 2×3/],
    [
      () =>
        cholesky(
          fromArray([
            [1, 0],
            [0, NaN],
          ]),
        ),
      RangeError,
      /s has a non-finite entry NaN at \(1, 1\)/,
    ],
    [
      () =>
        cholesky(
          fromArray([
            [2, 1],
            [0, 2],
          ]),
        ),
      RangeError,
      /s is not symmetric/,
    ],
    [() => cholesky(S, { jitter: -1 }), RangeError, /options\.jitter must be in \[0, Infinity\]/],
    [() => cholesky(S, { jitter: NaN }), RangeError, /options\.jitter must be finite/],
    // @ts-expect-error a wrong argument on purpose: the error must name it
    [() => logdetSPD(S, { jitter: '1' }), TypeError, /options\.jitter must be a number/],
    // @ts-expect-error a wrong argument on purpose: the error must name it
    [() => solveSPD(S, matrix(4, 1), { jiter: 1 }), TypeError, /options\.jiter is not a known option/],
    [() => solveSPD(S, matrix(3, 1)), RangeError, /b must have as many rows as s: s is 4×4, b is 3×1/],
    [() => solveSPD(S, null), TypeError, /^b must be a Matrix/],
    [() => solveSPD(S, fromArray([[1], [2], [Infinity], [0]])), RangeError, /b has a non-finite entry Infinity at \(2, 0\)/],
  ];
  for (const [fn, Ctor, re] of cases) {
    let err;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Ctor, `expected ${Ctor.name}, got ${err}`);
    assert.match(err.message, re);
  }
  const X = solveSPD(S, fromArray([[1], [0], [0], [0]]));
  assert.is(X.rows, 4);
  // zero sizes
  assert.is(cholesky({ rows: 0, cols: 0, data: new Float64Array(0) }).rows, 0);
  const e = solveSPD(S, matrix(4, 0));
  assert.is(e.cols, 0);
  // float32 input accepted, computed in float64
  const S32 = { rows: 4, cols: 4, data: Float32Array.from(S.data) };
  assert.equal(
    Array.from(cholesky(S32).data),
    Array.from(cholesky({ rows: 4, cols: 4, data: Float64Array.from(S32.data) }).data),
  );
});

test('scalar and SIMD builds give bit-identical cholesky / solveSPD / logdetSPD', async () => {
  const lt = await freshInstance('chol-bits');
  const S = randomSPD(150, 77);
  const B = randomMatrix(150, 9, 78);
  const run = async (simd) => {
    const info = await lt.init({ simd });
    assert.is(info.simd, simd);
    return [await digest(lt.cholesky(S).data), await digest(lt.solveSPD(S, B).data), lt.logdetSPD(S)];
  };
  const simd = await run(true);
  const scalar = await run(false);
  assert.equal(scalar, simd);
  // the bundle may share one runtime between module instances: leave the SIMD build loaded
  await lt.init({ simd: true });
});

test.run();
