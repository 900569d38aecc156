import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, eigh, eigvalsh, fromArray } from '../../dist/index.js';
import { testStream, digest } from '../helpers/reference.mjs';
import { freshInstance } from '../helpers/instance.mjs';

test.before(async () => {
  await init();
});

const EPS = 2 ** -52;

// ---------------------------------------------------------------------------------------
// Independent references, plain JS (no shared code with the kernels):
// textbook Householder tridiagonalisation (Golub & Van Loan Alg. 8.3.1, full storage) and
// Sturm-sequence bisection on the tridiagonal (Kahan's negcount, G&VL §8.4.1) for every
// eigenvalue. Also exact spectra where they are known in closed form.

/** Frobenius norm without overflow/underflow (scaled sum of squares). */
function fnorm(a) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  if (m === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] / m;
    s += x * x;
  }
  return m * Math.sqrt(s);
}

/** Dense symmetric (n×n row-major) → tridiagonal (d, e), Householder in plain float64. */
function tridiagonalize(S, n) {
  const A = Float64Array.from(S);
  const d = new Float64Array(n),
    e = new Float64Array(Math.max(0, n - 1));
  const v = new Float64Array(n),
    p = new Float64Array(n),
    w = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let sc = 0;
    for (let i = k + 1; i < n; i++) sc = Math.max(sc, Math.abs(A[i * n + k]));
    if (sc === 0) continue;
    let sig = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = A[i * n + k] / sc;
      sig += v[i] * v[i];
    }
    const alpha = v[k + 1] >= 0 ? -Math.sqrt(sig) : Math.sqrt(sig);
    // v = x − alpha·e1, H = I − 2vvᵀ/vᵀv
    v[k + 1] -= alpha;
    let vv = 0;
    for (let i = k + 1; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    const beta = 2 / vv;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += A[i * n + j] * v[j];
      p[i] = beta * s;
    }
    let pv = 0;
    for (let i = k + 1; i < n; i++) pv += p[i] * v[i];
    for (let i = k + 1; i < n; i++) w[i] = p[i] - ((beta * pv) / 2) * v[i];
    for (let i = k + 1; i < n; i++) for (let j = k + 1; j < n; j++) A[i * n + j] -= v[i] * w[j] + w[i] * v[j];
    A[(k + 1) * n + k] = alpha * sc;
    for (let i = k + 2; i < n; i++) A[i * n + k] = 0;
  }
  for (let i = 0; i < n; i++) d[i] = A[i * n + i];
  for (let i = 0; i < n - 1; i++) e[i] = A[(i + 1) * n + i];
  return { d, e };
}

/** Number of eigenvalues of the tridiagonal (d, e) below x (Sturm count with Kahan's guard). */
function negcount(d, e, x, pivmin) {
  let c = 0,
    q = d[0] - x;
  if (Math.abs(q) < pivmin) q = -pivmin;
  if (q < 0) c++;
  for (let i = 1; i < d.length; i++) {
    q = d[i] - x - (e[i - 1] * e[i - 1]) / q;
    if (Math.abs(q) < pivmin) q = -pivmin;
    if (q < 0) c++;
  }
  return c;
}

/** All eigenvalues of a tridiagonal by bisection to (nearly) full precision, ascending. */
function bisectAll(d, e) {
  const n = d.length;
  if (n === 0) return new Float64Array(0);
  let lo = Infinity,
    hi = -Infinity,
    emax = 0;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0);
    lo = Math.min(lo, d[i] - r);
    hi = Math.max(hi, d[i] + r);
    if (i < n - 1) emax = Math.max(emax, e[i] * e[i]);
  }
  const span = Math.max(Math.abs(lo), Math.abs(hi));
  lo -= 4 * EPS * span + 1e-300;
  hi += 4 * EPS * span + 1e-300;
  const pivmin = Math.max(Number.MIN_VALUE * 2 ** 60, emax * 2 ** -1000);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let a = lo,
      b = hi; // count(a) ≤ k < count(b)
    for (let it = 0; it < 200; it++) {
      const m = a + (b - a) / 2;
      if (m <= a || m >= b) break;
      if (negcount(d, e, m, pivmin) > k) b = m;
      else a = m;
    }
    out[k] = a + (b - a) / 2;
  }
  return out;
}

function refEigvals(S, n) {
  const { d, e } = tridiagonalize(S, n);
  return bisectAll(d, e);
}

// ---------------------------------------------------------------------------------------
// Matrix classes

function symFrom(n, f) {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const x = f(i, j);
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  return { rows: n, cols: n, data: a };
}

function randomSym(n, seed, scale = 1) {
  const r = testStream(seed);
  return symFrom(n, () => (2 * r() - 1) * scale);
}

/** A random orthogonal matrix: product of n random Householder reflectors (plain JS). */
function randomOrthogonal(n, seed) {
  const r = testStream(seed);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  const v = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let vv = 0;
    for (let i = 0; i < n; i++) {
      v[i] = 2 * r() - 1;
      vv += v[i] * v[i];
    }
    for (let i = 0; i < n; i++) {
      // Q ← Q·(I − 2vvᵀ/vᵀv)
      let s = 0;
      for (let j = 0; j < n; j++) s += Q[i * n + j] * v[j];
      s *= 2 / vv;
      for (let j = 0; j < n; j++) Q[i * n + j] -= s * v[j];
    }
  }
  return Q;
}

/** Q·diag(lam)·Qᵀ, symmetrised exactly (lower triangle mirrored). */
function withSpectrum(lam, seed) {
  const n = lam.length;
  const Q = randomOrthogonal(n, seed);
  return symFrom(n, (i, j) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += Q[i * n + k] * lam[k] * Q[j * n + k];
    return s;
  });
}

function tridiag(d, e) {
  const n = d.length;
  return symFrom(n, (i, j) => (i === j ? d[i] : i === j + 1 ? e[j] : 0));
}

/** Wilkinson W⁺_n: diagonal |(n−1)/2 − i|, off-diagonal 1 (n odd). */
function wilkinson(n) {
  const m = (n - 1) / 2;
  return { d: Float64Array.from({ length: n }, (_, i) => Math.abs(m - i)), e: new Float64Array(n - 1).fill(1) };
}

// ---------------------------------------------------------------------------------------
// The checks of the issue: ‖SV − VΛ‖_F ≤ 30·n·ε·‖S‖_F, ‖VᵀV − I‖_F ≤ 30·n·ε, eigenvalues
// within 10·n·ε·‖S‖₂ of the reference, ascending.

function checkEigh(name, S, ref) {
  const n = S.rows;
  const { values, vectors } = eigh(S);
  assert.ok(values instanceof Float64Array, `${name}: values Float64Array`);
  assert.is(values.length, n);
  assert.is(vectors.rows, n);
  assert.is(vectors.cols, n);
  const V = vectors.data,
    A = S.data;
  for (let i = 1; i < n; i++) assert.ok(values[i - 1] <= values[i], `${name}: ascending at ${i}`);
  const R = new Float64Array(n * n),
    O = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let k = 0; k < n; k++) {
      const a = A[i * n + k];
      if (a === 0) continue;
      for (let j = 0; j < n; j++) row[j] += a * V[k * n + j];
    }
    for (let j = 0; j < n; j++) R[i * n + j] = row[j] - V[i * n + j] * values[j];
  }
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const vki = V[k * n + i];
      for (let j = 0; j < n; j++) O[i * n + j] += vki * V[k * n + j];
    }
  }
  for (let i = 0; i < n; i++) O[i * n + i] -= 1;
  const sF = fnorm(A);
  const res = fnorm(R),
    orth = fnorm(O);
  assert.ok(res <= 30 * n * EPS * sF, `${name}: ‖SV − VΛ‖_F = ${res} > 30nε‖S‖_F = ${30 * n * EPS * sF}`);
  assert.ok(orth <= 30 * n * EPS, `${name}: ‖VᵀV − I‖_F = ${orth} > 30nε = ${30 * n * EPS}`);
  const r = ref ?? refEigvals(A, n);
  const s2 = n === 0 ? 0 : Math.max(Math.abs(r[0]), Math.abs(r[n - 1]));
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(values[i] - r[i]));
  assert.ok(worst <= 10 * n * EPS * s2, `${name}: max |λ − λref| = ${worst} > 10nε‖S‖₂ = ${10 * n * EPS * s2}`);
  // eigvalsh: same contract, no vectors
  const w = eigvalsh(S);
  let worstv = 0;
  for (let i = 0; i < n; i++) worstv = Math.max(worstv, Math.abs(w[i] - r[i]));
  assert.ok(worstv <= 10 * n * EPS * s2, `${name}: eigvalsh max |λ − λref| = ${worstv} > ${10 * n * EPS * s2}`);
  for (let i = 1; i < n; i++) assert.ok(w[i - 1] <= w[i], `${name}: eigvalsh ascending at ${i}`);
  return { res: res / (n * EPS * (sF || 1)), orth: orth / (n * EPS) };
}

for (const n of [3, 10, 26, 50, 133, 400]) {
  test(`random dense n=${n}`, () => {
    checkEigh(`random ${n}`, randomSym(n, 1000 + n));
  });
}

test('n = 0, 1, 2 (including a 2×2 with equal diagonal and a diagonal 2×2)', () => {
  const z = eigh({ rows: 0, cols: 0, data: new Float64Array(0) });
  assert.is(z.values.length, 0);
  assert.is(z.vectors.rows, 0);
  assert.is(eigvalsh({ rows: 0, cols: 0, data: new Float64Array(0) }).length, 0);
  const one = eigh(fromArray([[-3.5]]));
  assert.equal(Array.from(one.values), [-3.5]);
  assert.equal(Array.from(one.vectors.data), [1]);
  checkEigh(
    '2×2',
    fromArray([
      [2, 1],
      [1, 2],
    ]),
    [1, 3],
  );
  checkEigh(
    '2×2 diag',
    fromArray([
      [5, 0],
      [0, -1],
    ]),
    [-1, 5],
  );
  checkEigh(
    '2×2 general',
    fromArray([
      [1e-3, 7],
      [7, -4],
    ]),
  );
});

test('diagonal (unsorted entries, both signs)', () => {
  const r = testStream(5);
  const d = Array.from({ length: 60 }, () => 10 * (2 * r() - 1));
  const S = symFrom(60, (i, j) => (i === j ? d[i] : 0));
  const { vectors } = eigh(S);
  checkEigh('diagonal', S, Float64Array.from(d).sort());
  // each eigenvector is a signed unit vector
  for (let j = 0; j < 60; j++) {
    let nz = 0;
    for (let i = 0; i < 60; i++) if (vectors.data[i * 60 + j] !== 0) nz++;
    assert.is(nz, 1, `column ${j} is a coordinate vector`);
  }
});

test('identity, zero matrix, and repeated eigenvalues', () => {
  const I = symFrom(50, (i, j) => (i === j ? 1 : 0));
  checkEigh('identity', I, new Float64Array(50).fill(1));
  const Z = symFrom(30, () => 0);
  const z = eigh(Z);
  assert.ok(z.values.every((x) => x === 0));
  checkEigh('zero', Z, new Float64Array(30));
  const lam = Array.from({ length: 90 }, (_, i) => [-2, 1, 1, 3][i % 4]).sort((a, b) => a - b);
  checkEigh('multiplicities 22/45/23', withSpectrum(lam, 11), Float64Array.from(lam));
});

test('rank-1 u·uᵀ', () => {
  const r = testStream(21);
  const u = Array.from({ length: 80 }, () => 2 * r() - 1);
  const S = symFrom(80, (i, j) => u[i] * u[j]);
  const uu = u.reduce((s, x) => s + x * x, 0);
  const ref = new Float64Array(80);
  ref[79] = uu;
  checkEigh('rank-1', S, ref);
});

test('clustered eigenvalues (spread 1e-10) plus separated ones', () => {
  const lam = [];
  for (let i = 0; i < 100; i++) lam.push(1 + 1e-10 * (i / 99));
  lam.push(-1, 0.5, 3);
  lam.sort((a, b) => a - b);
  checkEigh('cluster', withSpectrum(lam, 31));
  checkEigh('cluster (vs. construction)', withSpectrum(lam, 31), Float64Array.from(lam));
});

test('graded entries spanning 1e-12 … 1', () => {
  const n = 80,
    r = testStream(41);
  const g = Array.from({ length: n }, (_, i) => 10 ** ((-6 * i) / (n - 1))); // g_i g_j ∈ [1e-12, 1]
  checkEigh(
    'graded',
    symFrom(n, (i, j) => (2 * r() - 1) * g[i] * g[j]),
  );
  const rev = symFrom(n, (i, j) => (2 * r() - 1) * g[n - 1 - i] * g[n - 1 - j]);
  checkEigh('graded, reversed', rev);
});

test('Wilkinson W⁺21 and W⁺101 (pairs agreeing to ~1e-14 and beyond)', () => {
  for (const n of [21, 101]) {
    const { d, e } = wilkinson(n);
    const ref = bisectAll(d, e);
    checkEigh(`W+${n}`, tridiag(d, e), ref);
  }
  // Known value: the largest eigenvalue of W⁺21 is 10.746194182903322…
  const w = eigvalsh(tridiag(...Object.values(wilkinson(21))));
  assert.ok(Math.abs(w[20] - 10.746194182903322) <= 1e-13, `λmax(W+21) = ${w[20]}`);
});

test('tridiagonal: Toeplitz (2, −1) with spectrum 2 − 2cos(kπ/(n+1)), and random', () => {
  const n = 200;
  const S = tridiag(new Float64Array(n).fill(2), new Float64Array(n - 1).fill(-1));
  const exact = Float64Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
  checkEigh('toeplitz', S, exact);
  const r = testStream(51);
  const d = Float64Array.from({ length: 150 }, () => 2 * r() - 1);
  const e = Float64Array.from({ length: 149 }, () => 2 * r() - 1);
  e[40] = 0; // an exact split
  e[90] = 1e-300;
  checkEigh('random tridiagonal', tridiag(d, e), bisectAll(d, e));
});

test('huge and tiny scale (1e±150, and near the overflow threshold)', () => {
  const base = randomSym(60, 61);
  const ref = refEigvals(base.data, 60);
  for (const s of [1e150, 1e-150, 1e300, 1e-300]) {
    const S = { rows: 60, cols: 60, data: base.data.map((x) => x * s) };
    checkEigh(
      `scale ${s}`,
      S,
      ref.map((x) => x * s),
    );
  }
});

test('float32 input is accepted and computed in float64', () => {
  const S64 = randomSym(20, 71);
  const S32 = { rows: 20, cols: 20, data: Float32Array.from(S64.data) };
  const S64r = { rows: 20, cols: 20, data: Float64Array.from(S32.data) };
  const a = eigh(S32),
    b = eigh(S64r);
  assert.ok(a.values instanceof Float64Array && a.vectors.data instanceof Float64Array);
  assert.equal(Array.from(a.values), Array.from(b.values));
  assert.equal(Array.from(a.vectors.data), Array.from(b.vectors.data));
});

test('only the lower triangle is used within the symmetry tolerance', () => {
  const S = randomSym(30, 81);
  const T = { rows: 30, cols: 30, data: Float64Array.from(S.data) };
  T.data[3 * 30 + 17] *= 1 + 1e-14; // upper triangle, relative 1e-14 change: accepted
  assert.equal(Array.from(eigh(T).values), Array.from(eigh(S).values));
});

test('bad input: clear errors naming the argument; the next valid call works', () => {
  const good = randomSym(5, 91);
  /** @type {Array<[() => unknown, new () => Error, RegExp]>} a call wrong on purpose, the error class, its message */
  const cases = [
    [() => eigh(null), TypeError, /^s must be a Matrix/],
    // @ts-expect-error a wrong argument on purpose: the error must name it
    [() => eigh({ rows: 2, cols: 2, data: [1, 0, 0, 1] }), TypeError, /s\.data must be a Float64Array/],
    [() => eigh({ rows: 2, cols: 3, data: new Float64Array(6) }), RangeError, /s must be square, got 2×3/],
    [() => eigh({ rows: 2, cols: 2, data: new Float64Array(3) }), RangeError, /s\.data has length 3/],
    [
      () =>
        eigh(
          fromArray([
            [1, NaN],
            [NaN, 1],
          ]),
        ),
      RangeError,
      /s has a non-finite entry NaN at \(0, 1\)/,
    ],
    [
      () =>
        eigvalsh(
          fromArray([
            [1, 0],
            [0, Infinity],
          ]),
        ),
      RangeError,
      /s has a non-finite entry Infinity at \(1, 1\)/,
    ],
    [
      () =>
        eigh(
          fromArray([
            [1, 2, 0],
            [2, 1, 0],
            [0, 1e-3, 1],
          ]),
        ),
      RangeError,
      /s is not symmetric: \|s\[2\]\[1\] − s\[1\]\[2\]\| = 0\.001/,
    ],
    [() => eigh(good, { symmetryTolerance: -1 }), RangeError, /options\.symmetryTolerance must be in \[0, Infinity\]/],
    // @ts-expect-error a wrong argument on purpose: the error must name it
    [() => eigh(good, { symmetryTolerance: 'x' }), TypeError, /options\.symmetryTolerance must be a number/],
    // @ts-expect-error a wrong argument on purpose: the error must name it
    [() => eigh(good, { tol: 1 }), TypeError, /options\.tol is not a known option/],
    // @ts-expect-error a wrong argument on purpose: the error must name it
    [() => eigvalsh(good, 5), TypeError, /options must be an options object/],
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
  // a loose tolerance accepts the asymmetric matrix (lower triangle used)
  const asym = fromArray([
    [1, 2, 0],
    [2, 1, 0],
    [0, 1e-3, 1],
  ]);
  assert.is(eigvalsh(asym, { symmetryTolerance: 1e-2 }).length, 3);
  checkEigh('after errors', good);
});

test('scalar and SIMD builds give bit-identical eigh / eigvalsh', async () => {
  const lt = await freshInstance('eigh-bits');
  const S = randomSym(150, 101);
  const W = tridiag(...Object.values(wilkinson(41)));
  const run = async (simd) => {
    const info = await lt.init({ simd });
    assert.is(info.simd, simd);
    const a = lt.eigh(S),
      b = lt.eigh(W);
    return [
      await digest(a.values),
      await digest(a.vectors.data),
      await digest(b.values),
      await digest(b.vectors.data),
      await digest(lt.eigvalsh(S)),
    ];
  };
  const simd = await run(true);
  const scalar = await run(false);
  assert.equal(scalar, simd);
  // the bundle may share one runtime between module instances: leave the SIMD build loaded
  await lt.init({ simd: true });
});

test('repeated calls reach a steady heap', async () => {
  const { runtimeInfo } = await import('../../dist/index.js');
  const S = randomSym(120, 111);
  for (let i = 0; i < 3; i++) eigh(S);
  const before = runtimeInfo().memoryBytes;
  for (let i = 0; i < 30; i++) {
    eigh(S);
    eigvalsh(S);
  }
  assert.is(runtimeInfo().memoryBytes, before);
});

test.run();
