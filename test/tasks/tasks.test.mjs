import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, quadraticTask, mixtureTask, createRng, fromArray, matrix } from '../../dist/index.js';

test.before(async () => {
  await init();
});

const frob2 = (m) => m.data.reduce((s, x) => s + x * x, 0);
const trace = (m) => {
  let s = 0;
  for (let i = 0; i < m.rows; i++) s += m.data[i * m.cols + i];
  return s;
};

test('quadratic task: the paper spectrum B = diag(γ)/√d with γ ~ Exp(1)', () => {
  const d = 400;
  const t = quadraticTask({ d, seed: 7 });
  assert.is(t.kind, 'quadratic');
  assert.is(t.diagonal, true);
  const g = Array.from(t.eigenvalues, (x) => x * Math.sqrt(d));
  const mean = g.reduce((a, b) => a + b) / d;
  assert.ok(Math.abs(mean - 1) < 5 / Math.sqrt(d), `mean γ ${mean}`);
  assert.ok(g.every((x) => x >= 0));
  // κ = (tr B)²/(d‖B‖²) → (Eγ)²/Eγ² = 1/2
  assert.ok(Math.abs(t.kappa - 0.5) < 0.1, `kappa ${t.kappa}`);
  assert.is(t.risk0, 2 * frob2(t.B));
  assert.is(t.traceB, trace(t.B));
  // same seed, same task; other seed, other task
  assert.equal(quadraticTask({ d, seed: 7 }).B.data, t.B.data);
  assert.not.equal(Array.from(quadraticTask({ d, seed: 8 }).B.data.slice(0, 5)), Array.from(t.B.data.slice(0, 5)));
});

test('quadratic task: samples have y = xᵀBx − tr B (+ noise), X ~ N(0, I)', () => {
  for (const spectrum of /** @type {const} */ (['exponential', 'goe', 'lowrank', 'flat'])) {
    const t = quadraticTask({ d: 9, spectrum, seed: 2, rotate: spectrum === 'flat' });
    const { X, y } = t.sample(50, createRng(1));
    for (let i = 0; i < 50; i++) {
      let q = 0;
      for (let a = 0; a < 9; a++) for (let b = 0; b < 9; b++) q += X.data[i * 9 + a] * t.B.data[a * 9 + b] * X.data[i * 9 + b];
      assert.ok(Math.abs(y[i] - (q - t.traceB)) < 1e-12 * (1 + Math.abs(q)), `${spectrum}: sample ${i}`);
    }
    // X is exactly the first n·d normals of the stream
    assert.equal(Array.from(X.data), Array.from(createRng(1).normal(450)));
  }
  const noisy = quadraticTask({ d: 5, noise: 0.5, seed: 3 });
  const clean = quadraticTask({ d: 5, seed: 3 });
  const a = noisy.sample(20000, createRng(4)),
    b = clean.sample(20000, createRng(4));
  let v = 0;
  for (let i = 0; i < 20000; i++) v += (a.y[i] - b.y[i]) ** 2;
  assert.ok(Math.abs(v / 20000 - 0.25) < 5 * 0.25 * Math.sqrt(2 / 20000), `noise variance ${v / 20000}`);
  assert.is(noisy.risk0, 2 * noisy.frobB2 + 0.25);
});

test('quadratic task: E[y] = 0 and Var(y) = 2‖B‖_F² (Isserlis), by Monte Carlo', () => {
  const t = quadraticTask({ d: 12, spectrum: 'goe', seed: 9 });
  const n = 200000;
  const { y } = t.sample(n, createRng(10));
  let m = 0,
    v = 0;
  for (const x of y) m += x;
  m /= n;
  for (const x of y) v += (x - m) ** 2;
  v /= n;
  const R0 = t.risk0;
  assert.ok(Math.abs(m) < 5 * Math.sqrt(R0 / n), `mean ${m}`);
  // Var of y² for a Gaussian quadratic form: 8‖B‖⁴ + 48 tr(B⁴) ≤ 56‖B‖_F⁴ → sd(v) ≤ sqrt(56/n)·‖B‖²
  assert.ok(Math.abs(v - R0) < 5 * Math.sqrt(56 / n) * (R0 / 2), `var ${v} vs ${R0}`);
});

test('quadratic task: spectra have the stated structure', () => {
  const lr = quadraticTask({ d: 30, spectrum: 'lowrank', rank: 4, seed: 1 });
  // rank 4 PSD: B = ZZᵀ/d; tr B² ≤ (tr B)² and B is exactly symmetric
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) assert.is(lr.B.data[i * 30 + j], lr.B.data[j * 30 + i]);
  assert.ok(lr.traceB > 0);
  const flat = quadraticTask({ d: 7, spectrum: 'flat' });
  assert.equal(
    Array.from(flat.eigenvalues).map((x) => Math.sign(x)),
    [1, 1, 1, 1, -1, -1, -1],
  );
  const goe = quadraticTask({ d: 300, spectrum: 'goe', seed: 5 });
  assert.ok(goe.kappa < 0.02, `GOE kappa ${goe.kappa}`);
  assert.ok(Math.abs(goe.frobB2 - 1) < 0.1, `GOE ‖B‖² ${goe.frobB2}`);
  const custom = quadraticTask({ d: 3, spectrum: new Float64Array([3, -1, 0.5]), rotate: true, seed: 2 });
  assert.ok(Math.abs(custom.traceB - 2.5) < 1e-14);
  assert.ok(Math.abs(custom.frobB2 - 10.25) < 1e-13);
  const given = quadraticTask({
    d: 2,
    B: fromArray([
      [1, 2],
      [2, -1],
    ]),
  });
  assert.is(given.spectrum, 'custom');
  assert.is(given.kappa, 0);
});

test('quadratic task: bad options are clear errors', () => {
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => quadraticTask(), /options\.d is required/);
  assert.throws(
    () => quadraticTask({ d: 0 }),
    (e) => e instanceof RangeError && /options\.d/.test(e.message),
  );
  assert.throws(
    // @ts-expect-error a wrong argument on purpose: the error must name it
    () => quadraticTask({ d: 3, spectrum: 'cauchy' }),
    (e) => e instanceof TypeError && /options\.spectrum must be/.test(e.message),
  );
  assert.throws(() => quadraticTask({ d: 3, spectrum: new Float64Array(2) }), /has 2 eigenvalues, but options\.d is 3/);
  assert.throws(
    () =>
      quadraticTask({
        d: 2,
        B: fromArray([
          [1, 2],
          [3, 1],
        ]),
      }),
    (e) => e instanceof RangeError && /options\.B is not symmetric/.test(e.message),
  );
  assert.throws(
    () =>
      quadraticTask({
        d: 2,
        B: fromArray([
          [1, NaN],
          [NaN, 1],
        ]),
      }),
    /options\.B has a non-finite entry/,
  );
  assert.throws(() => quadraticTask({ d: 3, B: matrix(2, 2) }), /options\.B is 2×2, but options\.d is 3/);
  assert.throws(() => quadraticTask({ d: 3, noise: -1 }), /options\.noise must be in/);
  assert.throws(() => quadraticTask({ d: 3, rank: 2 }), /options\.rank only applies/);
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => quadraticTask({ d: 3, dim: 2 }), /options\.dim is not a known option/);
  const t = quadraticTask({ d: 3 });
  assert.throws(
    () => t.sample(-1, createRng(1)),
    (e) => e instanceof RangeError && /^n must be/.test(e.message),
  );
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => t.sample(3, {}), /rng must be an Rng/);
  assert.is(t.sample(3, createRng(1)).y.length, 3);
});

test('mixture task: class-conditional covariances are I ± Δ (Monte Carlo)', () => {
  for (const delta of /** @type {const} */ (['lowrank', 'diagonal'])) {
    const t = mixtureTask({ d: 6, delta, strength: 0.6, rank: delta === 'lowrank' ? 2 : undefined, seed: 3 });
    const n = 100000;
    const { X, y } = t.sample(n, createRng(8));
    const cov = { 1: new Float64Array(36), '-1': new Float64Array(36) };
    const cnt = { 1: 0, '-1': 0 };
    for (let i = 0; i < n; i++) {
      const c = cov[y[i]];
      cnt[y[i]]++;
      for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) c[a * 6 + b] += X.data[i * 6 + a] * X.data[i * 6 + b];
    }
    assert.ok(Math.abs(cnt[1] / n - 0.5) < 5 * Math.sqrt(0.25 / n), 'balanced labels');
    for (const s of [1, -1]) {
      for (let a = 0; a < 6; a++)
        for (let b = 0; b < 6; b++) {
          const want = (a === b ? 1 : 0) + s * t.delta.data[a * 6 + b];
          const got = cov[s][a * 6 + b] / cnt[s];
          // sd of a sample covariance entry ≤ sqrt(2·1.6²/n_s)
          assert.ok(
            Math.abs(got - want) < 5 * Math.sqrt((2 * 1.6 ** 2) / cnt[s]),
            `${delta} y=${s} (${a},${b}): ${got} vs ${want}`,
          );
        }
    }
    let opnorm = 0;
    for (const v of t.deltaEigen.values) opnorm = Math.max(opnorm, Math.abs(v));
    assert.ok(Math.abs(opnorm - 0.6) < 1e-15);
  }
});

test('mixture task: Bayes error — explicit Δ equals the drawn one, and beats any other rule', () => {
  const t = mixtureTask({ d: 8, strength: 0.5, rank: 2, seed: 4 });
  const e1 = t.bayesError(40000, createRng(3));
  const e2 = mixtureTask({ d: 8, delta: t.delta }).bayesError(40000, createRng(3));
  assert.ok(Math.abs(e1.error - e2.error) < 0.01, `${e1.error} vs ${e2.error}`);
  assert.ok(e1.error > 0.2 && e1.error < 0.5);
  assert.ok(e1.stderr > 0 && e1.stderr < 0.003);
  // Bayes error for the zero-signal limit is 1/2, and grows better with strength
  const weak = mixtureTask({ d: 8, strength: 0.05, rank: 2, seed: 4 }).bayesError(40000, createRng(3)).error;
  assert.ok(weak > e1.error);
});

test('samples follow their definition from the stream: quadratic noise, mixture in eigen-form and diagonal', () => {
  const n = 40;
  // quadratic with noise: X = the first n·d normals, then y − (xᵀBx − tr B) = s × the next n normals
  const q = quadraticTask({ d: 5, spectrum: 'goe', noise: 0.7, seed: 2 });
  const qs = q.sample(n, createRng(6));
  const ref = createRng(6);
  assert.equal(Array.from(qs.X.data), Array.from(ref.normal(n * 5)));
  const eps = ref.normal(n, 0, 0.7);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let a = 0; a < 5; a++)
      for (let b = 0; b < 5; b++) f += qs.X.data[i * 5 + a] * q.B.data[a * 5 + b] * qs.X.data[i * 5 + b];
    assert.ok(Math.abs(qs.y[i] - (f - q.traceB + eps[i])) < 1e-12 * (1 + Math.abs(f)), `quadratic sample ${i}`);
  }
  // mixture: n uniforms (y = +1 iff u < ½), then z = n·d normals; x = z + U[(√(1 + yδ) − 1) ∘ Uᵀz]
  for (const delta of /** @type {const} */ (['lowrank', 'diagonal'])) {
    const d = 7;
    const t = mixtureTask({ d, delta, strength: 0.8, rank: delta === 'lowrank' ? 3 : undefined, seed: 5 });
    const { X, y } = t.sample(n, createRng(9));
    const r = createRng(9);
    const u = r.uniform(n),
      z = r.normal(n * d);
    const U = t.deltaEigen.vectors,
      vals = t.deltaEigen.values,
      k = vals.length;
    for (let i = 0; i < n; i++) {
      const yi = u[i] < 0.5 ? 1 : -1;
      assert.is(y[i], yi);
      for (let a = 0; a < d; a++) {
        let x = z[i * d + a];
        for (let j = 0; j < k; j++) {
          let p = 0;
          for (let b = 0; b < d; b++) p += U.data[b * k + j] * z[i * d + b];
          x += U.data[a * k + j] * (Math.sqrt(1 + yi * vals[j]) - 1) * p;
        }
        assert.ok(
          Math.abs(X.data[i * d + a] - x) < 1e-13 * (1 + Math.abs(x)),
          `${delta} sample ${i}, coordinate ${a}: ${X.data[i * d + a]} vs ${x}`,
        );
      }
    }
  }
});

test('mixture task: bayesError counts the Bayes rule on the samples task.sample draws', () => {
  // same stream ⇒ the Monte Carlo misclassifies exactly the samples where the log-likelihood
  // ratio (computed here in JS from the covariances I ± Δ) disagrees with the label
  for (const delta of /** @type {const} */ (['lowrank', 'diagonal'])) {
    const d = 5,
      n = 3000;
    const t = mixtureTask({ d, delta, strength: 0.7, rank: delta === 'lowrank' ? 2 : undefined, seed: 11 });
    const { X, y } = t.sample(n, createRng(4));
    const vals = t.deltaEigen.values,
      U = t.deltaEigen.vectors,
      k = vals.length;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      // log N(x; 0, I + Δ) − log N(x; 0, I − Δ) in the eigenbasis of Δ
      let llr = 0;
      for (let j = 0; j < k; j++) {
        let p = 0;
        for (let b = 0; b < d; b++) p += U.data[b * k + j] * X.data[i * d + b];
        llr += 0.5 * (p * p * (1 / (1 - vals[j]) - 1 / (1 + vals[j])) - Math.log((1 + vals[j]) / (1 - vals[j])));
      }
      if ((llr > 0 ? 1 : -1) !== y[i]) wrong++;
    }
    const e = t.bayesError(n, createRng(4));
    // ties at llr ≈ 0 could differ in the last bit; none expected among 3000 continuous draws
    assert.is(e.error, wrong / n, delta);
  }
});

test('mixture task: bad options are clear errors', () => {
  assert.throws(
    () => mixtureTask({ d: 4, strength: 1 }),
    (e) => e instanceof RangeError && /strength must be in \(0, 1\)/.test(e.message),
  );
  assert.throws(() => mixtureTask({ d: 4, strength: 0 }), /strength must be in \(0, 1\)/);
  assert.throws(
    () =>
      mixtureTask({
        d: 2,
        delta: fromArray([
          [1.5, 0],
          [0, 0],
        ]),
      }),
    /‖Δ‖_op < 1/,
  );
  assert.throws(
    () =>
      mixtureTask({
        d: 2,
        delta: fromArray([
          [0.1, 0.2],
          [0, 0],
        ]),
      }),
    /options\.delta is not symmetric/,
  );
  assert.throws(
    () =>
      mixtureTask({
        d: 2,
        delta: fromArray([
          [0.1, 0],
          [0, 0.1],
        ]),
        strength: 0.3,
      }),
    /strength applies only/,
  );
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => mixtureTask({ d: 2, delta: 'sparse' }), /options\.delta must be "lowrank", "diagonal"/);
  const t = mixtureTask({ d: 3 });
  assert.throws(() => t.bayesError(0, createRng(1)), /nMC must be/);
  assert.is(t.sample(2, createRng(1)).X.rows, 2);
});

test.run();
