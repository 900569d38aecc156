import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, quadraticTask, mixtureTask, createRng, randomFeatures, fitRF, fitNT, matrix } from '../../dist/index.js';

test.before(async () => {
  await init();
});

/** Least squares by the normal equations in plain JS (Gaussian elimination, partial pivoting). */
function refLeastSquares(Phi, y) {
  const n = Phi.length,
    p = Phi[0].length;
  const A = Array.from({ length: p }, () => new Float64Array(p + 1));
  for (let r = 0; r < n; r++)
    for (let i = 0; i < p; i++) {
      A[i][p] += Phi[r][i] * y[r];
      for (let j = 0; j < p; j++) A[i][j] += Phi[r][i] * Phi[r][j];
    }
  for (let k = 0; k < p; k++) {
    let piv = k;
    for (let i = k + 1; i < p; i++) if (Math.abs(A[i][k]) > Math.abs(A[piv][k])) piv = i;
    [A[k], A[piv]] = [A[piv], A[k]];
    for (let i = k + 1; i < p; i++) {
      const f = A[i][k] / A[k][k];
      for (let j = k; j <= p; j++) A[i][j] -= f * A[k][j];
    }
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = A[i][p];
    for (let j = i + 1; j < p; j++) s -= A[i][j] * x[j];
    x[i] = s / A[i][i];
  }
  return x;
}

const act = { square: (t) => t * t, relu: (t) => Math.max(t, 0), tanh: Math.tanh };
const dact = { square: (t) => 2 * t, relu: (t) => (t > 0 ? 1 : 0), tanh: (t) => 1 - Math.tanh(t) ** 2 };

function refPredict(model, X) {
  const { d, N, W, a, c, S, activation } = model;
  const out = new Float64Array(X.rows);
  for (let r = 0; r < X.rows; r++) {
    let f = c;
    for (let i = 0; i < N; i++) {
      let z = 0,
        sx = 0;
      for (let j = 0; j < d; j++) {
        z += W.data[j * N + i] * X.data[r * d + j];
        if (S) sx += S.data[j * N + i] * X.data[r * d + j];
      }
      f += a[i] * act[activation](z);
      if (S) f += sx * dact[activation](z);
    }
    out[r] = f;
  }
  return out;
}

test('fitRF equals an independent normal-equations solve (square, relu, tanh)', () => {
  const task = quadraticTask({ d: 5, seed: 1, noise: 0.2 });
  const rng = createRng(2);
  const W = randomFeatures(5, 4, rng);
  const { X, y } = task.sample(300, rng);
  for (const activation of /** @type {const} */ (['square', 'relu', 'tanh'])) {
    const m = fitRF({ X, y, W, activation });
    const Phi = [];
    for (let r = 0; r < 300; r++) {
      const row = [1];
      for (let i = 0; i < 4; i++) {
        let z = 0;
        for (let j = 0; j < 5; j++) z += W.data[j * 4 + i] * X.data[r * 5 + j];
        row.push(act[activation](z));
      }
      Phi.push(row);
    }
    const ref = refLeastSquares(Phi, y);
    assert.ok(Math.abs(m.c - ref[0]) < 1e-9 * (1 + Math.abs(ref[0])), `${activation}: c ${m.c} vs ${ref[0]}`);
    for (let i = 0; i < 4; i++)
      assert.ok(Math.abs(m.a[i] - ref[i + 1]) < 1e-9 * (1 + Math.abs(ref[i + 1])), `${activation}: a${i}`);
    const Xt = task.sample(50, rng).X;
    const f = m.predict(Xt),
      g = refPredict(m, Xt);
    for (let r = 0; r < 50; r++) assert.ok(Math.abs(f[r] - g[r]) < 1e-12 * (1 + Math.abs(g[r])), `${activation}: predict ${r}`);
  }
});

test('fitNT: direct and CGLS agree; predictions match the explicit linearised network', () => {
  const task = quadraticTask({ d: 6, spectrum: 'goe', seed: 3, noise: 0.05 });
  const rng = createRng(4);
  const W = randomFeatures(6, 3, rng);
  const { X, y } = task.sample(2000, rng);
  const Xt = task.sample(100, rng).X;
  for (const activation of /** @type {const} */ (['square', 'tanh'])) {
    const direct = fitNT({ X, y, W, activation, solver: 'direct' });
    const cg = fitNT({ X, y, W, activation, solver: 'cg', tol: 1e-12 });
    assert.is(direct.solve.solver, 'direct');
    assert.is(cg.solve.solver, 'cg');
    assert.ok(cg.solve.converged, `CGLS converged (${cg.solve.iterations} iterations, residual ${cg.solve.relativeResidual})`);
    const fd = direct.predict(Xt),
      fc = cg.predict(Xt),
      fr = refPredict(direct, Xt);
    for (let r = 0; r < 100; r++) {
      assert.ok(
        Math.abs(fd[r] - fc[r]) < 1e-7 * (1 + Math.abs(fd[r])),
        `${activation}: direct vs cg at ${r}: ${fd[r]} vs ${fc[r]}`,
      );
      assert.ok(Math.abs(fd[r] - fr[r]) < 1e-11 * (1 + Math.abs(fr[r])), `${activation}: predict vs reference at ${r}`);
    }
  }
  // the NT span of square features has dimension dN − N(N−1)/2 (antisymmetric null space)
  assert.is(fitNT({ X, y, W, solver: 'direct' }).solve.rank, 6 * 3 - 3);
});

test('quadraticForm(): c + xᵀMx reproduces predict, and the exact risk is 2‖B − M‖² + (c + tr M)² + s²', () => {
  const task = quadraticTask({ d: 5, seed: 5, noise: 0.3 });
  const rng = createRng(6);
  const W = randomFeatures(5, 3, rng);
  const { X, y } = task.sample(400, rng);
  for (const m of [fitRF({ X, y, W }), fitNT({ X, y, W })]) {
    const { c, M } = m.quadraticForm();
    const f = m.predict(X);
    for (let r = 0; r < 20; r++) {
      let q = c;
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) q += X.data[r * 5 + i] * M.data[i * 5 + j] * X.data[r * 5 + j];
      assert.ok(Math.abs(q - f[r]) < 1e-12 * (1 + Math.abs(q)));
    }
    let f2 = 0,
      tr = 0;
    for (let i = 0; i < 25; i++) f2 += (task.B.data[i] - M.data[i]) ** 2;
    for (let i = 0; i < 5; i++) tr += M.data[i * 6];
    const want = 2 * f2 + (c + tr) ** 2 + 0.09;
    assert.ok(Math.abs(m.populationRisk(task).risk - want) < 1e-12 * want);
  }
  const relu = fitRF({ X, y, W, activation: 'relu' });
  assert.throws(() => relu.quadraticForm(), /only for the square activation/);
  const est = relu.populationRisk(task, { nMC: 5000 });
  assert.is(est.exact, false);
  assert.ok(est.stderr > 0 && est.risk > 0 && est.risk < 1.5 * task.risk0);
});

test('exact recovery: RF with N ≥ d(d+1)/2 and NT with N ≥ d fit a noise-free target exactly', () => {
  const task = quadraticTask({ d: 4, spectrum: 'goe', seed: 7 });
  const rng = createRng(8);
  const { X, y } = task.sample(300, rng);
  const rf = fitRF({ X, y, W: randomFeatures(4, 10, rng) });
  assert.ok(rf.populationRisk(task).risk < 1e-18 * task.risk0, `RF ${rf.populationRisk(task).risk}`);
  const nt = fitNT({ X, y, W: randomFeatures(4, 4, rng) });
  assert.ok(nt.populationRisk(task).risk < 1e-18 * task.risk0, `NT ${nt.populationRisk(task).risk}`);
  const ntcg = fitNT({ X, y, W: randomFeatures(4, 4, rng), solver: 'cg' });
  assert.ok(ntcg.populationRisk(task).risk < 1e-16 * task.risk0, `NT cg ${ntcg.populationRisk(task).risk}`);
});

test('ridge shrinks the trained weights; ridge = 0 with dependent features is a clear error', () => {
  const task = quadraticTask({ d: 3, seed: 9 });
  const rng = createRng(10);
  const { X, y } = task.sample(200, rng);
  const W = randomFeatures(3, 8, rng); // 8 > d(d+1)/2 = 6: dependent square features
  assert.throws(
    () => fitRF({ X, y, W }),
    (e) => e instanceof RangeError && /linearly dependent.*pass ridge > 0/.test(e.message),
  );
  let prev = Infinity;
  for (const ridge of [1e-8, 1e-3, 1, 1e3]) {
    const m = fitRF({ X, y, W, ridge });
    const norm = Math.sqrt(m.a.reduce((s, v) => s + v * v, 0));
    assert.ok(norm < prev, `‖a‖ decreases with ridge (${ridge}: ${norm})`);
    prev = norm;
  }
  const huge = fitRF({ X, y, W, ridge: 1e12 });
  const ybar = y.reduce((s, v) => s + v, 0) / y.length;
  assert.ok(Math.abs(huge.c - ybar) < 1e-6 * (1 + Math.abs(ybar)), 'λ → ∞: the constant predictor ȳ');
  const nt0 = fitNT({ X, y, W: randomFeatures(3, 2, rng), solver: 'cg' });
  const nt1 = fitNT({ X, y, W: nt0.W, solver: 'cg', ridge: 10 });
  const n = (m) => Math.sqrt(m.a.reduce((s, v) => s + v * v, 0) + m.S.data.reduce((s, v) => s + v * v, 0));
  assert.ok(n(nt1) < n(nt0));
});

test('mixture task: fitted models report Monte Carlo 0-1 error', () => {
  const task = mixtureTask({ d: 8, strength: 0.8, rank: 2, seed: 1 });
  const rng = createRng(2);
  const { X, y } = task.sample(4000, rng);
  const W = randomFeatures(8, 8, rng);
  const nt = fitNT({ X, y, W }).populationRisk(task, { nMC: 20000, rng: createRng(3) });
  const rf = fitRF({ X, y, W }).populationRisk(task, { nMC: 20000, rng: createRng(3) });
  const bayes = task.bayesError(20000, createRng(3)).error;
  assert.is(nt.exact, false);
  assert.ok(nt.error01 < rf.error01, `NT (${nt.error01}) beats RF (${rf.error01}) at N = d`);
  assert.ok(nt.error01 >= bayes - 4 * nt.error01Stderr, `NT ${nt.error01} vs Bayes ${bayes}`);
  assert.ok(rf.error01 < 0.5);
});

test('bad input: clear errors, module stays usable', () => {
  const task = quadraticTask({ d: 3 });
  const rng = createRng(1);
  const { X, y } = task.sample(20, rng);
  const W = randomFeatures(3, 2, rng);
  assert.throws(
    () => fitRF({ X, y, W, ridge: -1 }),
    (e) => e instanceof RangeError && /options\.ridge must be in \[0/.test(e.message),
  );
  assert.throws(() => fitNT({ X, y: y.subarray(0, 5), W }), /y has length 5, but X has 20 rows/);
  assert.throws(() => fitRF({ X, y, W: randomFeatures(4, 2, rng) }), /W must be d×N with d = 3/);
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => fitRF({ X, y: Array.from(y), W }), /y must be a Float64Array/);
  const bad = { rows: 20, cols: 3, data: Float64Array.from(X.data) };
  bad.data[7] = Infinity;
  assert.throws(() => fitNT({ X: bad, y, W }), /X has a non-finite entry Infinity at \(2, 1\)/);
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => fitRF({ X, y, W, activation: 'gelu' }), /activation must be "square", "relu" or "tanh"/);
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => fitNT({ X, y, W, solver: 'qr' }), /options\.solver must be/);
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => fitNT({ X, y, W, lambda: 1 }), /options\.lambda is not a known option/);
  assert.throws(() => randomFeatures(3, 0, rng), /^RangeError|N must be/);
  assert.throws(() => fitRF({ X, y, W }).predict(matrix(2, 4)), /X must have d = 3 columns/);
  assert.throws(() => fitRF({ X, y, W }).populationRisk(quadraticTask({ d: 4 })), /task\.d = 4 but the model has d = 3/);
  assert.ok(fitNT({ X, y, W }).populationRisk(task).risk > 0);
});

test.run();
