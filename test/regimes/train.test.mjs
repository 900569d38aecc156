import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shiftParam } from '../helpers/params.mjs';
import {
  init,
  quadraticTask,
  mixtureTask,
  createRng,
  theory,
  trainNN,
  trainNT,
  nnLossAndGradient,
  learningRates,
  defaultLearningRate,
  randomFeatures,
  matmul,
  runtimeInfo,
} from '../../dist/index.js';
import { digest } from '../helpers/reference.mjs';
import { rejects } from '../helpers/assert.mjs';

let task20; // d = 20, exponential spectrum: B ⪰ 0

test.before(async () => {
  await init();
  task20 = quadraticTask({ d: 20, seed: 7 });
});

// ---------------------------------------------------------------------------------------
// Gradients

/** Central differences of nnLossAndGradient's loss over every parameter of every block. */
function fdCheck(params, X, y, opts) {
  const { gradient } = nnLossAndGradient(params, X, y, opts);
  const loss = (p) => nnLossAndGradient(p, X, y, opts).loss;
  const h = 1e-6;
  let worst = 0;
  for (const block of Object.keys(gradient)) {
    const g = gradient[block];
    const an = typeof g === 'number' ? [g] : (g.data ?? g);
    for (let i = 0; i < an.length; i++) {
      const shift = (delta) => shiftParam(params, block, i, delta);
      const fd = (loss(shift(h)) - loss(shift(-h))) / (2 * h);
      const err = Math.abs(fd - an[i]) / (Math.abs(an[i]) + Math.abs(fd) + 1e-3);
      worst = Math.max(worst, err);
    }
  }
  return worst;
}

test('gradients match central finite differences (every block, activation, second layer; NN and NT)', () => {
  const d = 7,
    N = 5,
    n = 9;
  const X = createRng(4).normalMatrix(n, d),
    y = createRng(5).normal(n);
  const r = createRng(3);
  for (const activation of ['square', 'relu', 'tanh']) {
    for (const secondLayer of ['shared', 'free', 'positive']) {
      const W = r.normalMatrix(d, N, 1 / Math.sqrt(d));
      const params = { W, a: secondLayer === 'shared' ? 0.7 : r.normal(N), c: 0.3 };
      const err = fdCheck(params, X, y, { secondLayer, activation, alpha: 1.7, beta: 0.8 });
      assert.ok(err < 1e-6, `NN ${secondLayer} ${activation}: relative gradient error ${err}`);
    }
    const W = r.normalMatrix(d, N, 1 / Math.sqrt(d));
    const params = { G: r.normalMatrix(d, N, 0.3), a: r.normal(N), c: -0.2 };
    const err = fdCheck(params, X, y, { regime: 'NT', W, a0: r.normal(N), activation, alpha: 1.3, beta: 1.1 });
    assert.ok(err < 1e-6, `NT ${activation}: relative gradient error ${err}`);
  }
});

test('nnLossAndGradient: the loss is mean (ŷ − y)² of the mean-field network', () => {
  const d = 4,
    N = 3,
    n = 6;
  const X = createRng(8).normalMatrix(n, d),
    y = createRng(9).normal(n);
  const W = createRng(10).normalMatrix(d, N);
  const a = Float64Array.of(0.5, -1, 2),
    c = 0.25,
    alpha = 2,
    beta = 3;
  const Z = matmul(X, W);
  let ref = 0;
  for (let k = 0; k < n; k++) {
    let f = beta * c;
    for (let i = 0; i < N; i++) f += (alpha / N) * a[i] * Z.data[k * N + i] ** 2;
    ref += (f - y[k]) ** 2 / n;
  }
  const { loss } = nnLossAndGradient({ W, a, c }, X, y, { secondLayer: 'free', alpha, beta });
  assert.ok(Math.abs(loss - ref) < 1e-12 * ref, `${loss} vs ${ref}`);
});

// ---------------------------------------------------------------------------------------
// Convergence (the authors' protocol: online SGD, batch 100, paper schedule)

test('online SGD NN (shared a, defaults) ends within 5 % of riskNN(B, N, positive)', async () => {
  const N = 10;
  const m = await trainNN({ task: task20, N, steps: 12000, seed: 3 });
  const R = m.populationRisk(task20).risk;
  const ref = theory.riskNN(task20, N, { secondLayer: 'positive' });
  assert.ok(Math.abs(R / ref - 1) < 0.05, `risk ${R} vs riskNN ${ref} (ratio ${R / ref})`);
  // the curve's last exact risk is the model's
  assert.is(m.curve.risk[m.curve.risk.length - 1], R);
  assert.is(m.curve.riskStep[m.curve.riskStep.length - 1], 12000);
  assert.ok(m.curve.loss.length <= 1000 && m.curve.step[m.curve.step.length - 1] === 12000);
  assert.is(m.regime, 'NN');
  assert.is(typeof m.params.a, 'number');
  // shared a ↦ per-neuron aᵢ = (α/N)·a in the model interface
  for (const ai of m.a) assert.is(ai, (1 / N) * /** @type {number} */ (m.params.a));
  assert.is(m.training.steps, 12000);
  assert.is(m.training.aborted, false);
});

test('online SGD NT ends within 5 % of riskNT(B, W)', async () => {
  const N = 10;
  const m = await trainNT({ task: task20, N, steps: 10000, seed: 5 });
  const R = m.populationRisk(task20).risk;
  const ref = theory.riskNT(task20, m.W);
  assert.ok(Math.abs(R / ref - 1) < 0.05, `risk ${R} vs riskNT ${ref} (ratio ${R / ref})`);
  assert.is(m.regime, 'NT');
  assert.ok(m.S !== null && m.params.G.rows === 20);
  // W is frozen: the model's W is the initial W (createRng(seed) stream)
  const W0 = createRng(5).normalMatrix(20, N, 1 / Math.sqrt(20));
  assert.equal(Array.from(m.W.data), Array.from(W0.data));
});

test('per-neuron random-sign aᵢ: signs never flip, training stalls at the sign-split optimum', async () => {
  const d = 20,
    N = 10;
  // the init stream: W0 (d·N normals) then N uniforms for the signs (aᵢ = +1 iff u < ½)
  let seed = 1,
    npos = N;
  for (; seed < 100; seed++) {
    const g = createRng(seed);
    g.normalMatrix(d, N, 1 / Math.sqrt(d));
    npos = Array.from(g.uniform(N)).filter((u) => u < 0.5).length;
    if (npos >= 3 && npos <= 6) break;
  }
  // Gradient flow conserves aᵢ² − ‖wᵢ‖²/2, so aᵢ cannot cross 0; SGD noise slowly drains that
  // invariant (≈ lr² per step), and at long times a neuron may still flip and escape the
  // plateau (README). Half the default lr keeps this run close to the flow.
  const lr = 0.5 * defaultLearningRate({ regime: 'NN', d, N, batch: 100, varY: task20.risk0, alpha: 1, secondLayer: 'free' });
  const m = await trainNN({ task: task20, N, steps: 10000, seed, secondLayer: 'free', lr });
  const a = /** @type {Float64Array} */ (m.params.a);
  assert.is(Array.from(a).filter((v) => v > 0).length, npos, 'sign pattern kept');
  const R = m.populationRisk(task20).risk;
  const plateau = theory.riskNN(task20, N, { secondLayer: { positive: npos, negative: N - npos } });
  const best = theory.riskNN(task20, N, { secondLayer: 'positive' });
  assert.ok(plateau > 1.3 * best, 'the sign split costs risk on this instance');
  assert.ok(
    Math.abs(R / plateau - 1) < 0.05,
    `risk ${R} vs sign-split plateau ${plateau} (ratio ${R / plateau}); unconstrained ${best}`,
  );
});

test('Adam and the cosine schedule also converge; positive second layer stays ≥ 0', async () => {
  const N = 10;
  const ref = theory.riskNN(task20, N, { secondLayer: 'positive' });
  const adam = await trainNN({ task: task20, N, steps: 6000, seed: 2, optimizer: 'adam', lr: 3e-3, schedule: 'cosine' });
  const Ra = adam.populationRisk(task20).risk;
  assert.ok(Ra < 1.1 * ref, `Adam: ${Ra} vs ${ref}`);
  const pos = await trainNN({ task: task20, N, steps: 6000, seed: 2, secondLayer: 'positive', schedule: 'cosine' });
  assert.ok(/** @type {Float64Array} */ (pos.params.a).every((v) => v >= 0));
  assert.ok(pos.populationRisk(task20).risk < 1.1 * ref);
});

test('learning-rate schedules: paper tail (30 % NN / 20 % NT) at lr/10 then lr/15; cosine; constant', () => {
  const p = learningRates({ lr: 0.3, steps: 100, schedule: 'paper' });
  assert.is(p[0], 0.3);
  assert.is(p[69], 0.3);
  assert.is(p[70], 0.3 / 10);
  assert.is(p[84], 0.3 / 10);
  assert.is(p[85], 0.3 / 15);
  assert.is(p[99], 0.3 / 15);
  const q = learningRates({ lr: 1, steps: 100000, schedule: 'paper', regime: 'NT' });
  assert.is(q[79999], 1);
  assert.is(q[80000], 0.1);
  assert.is(q[90000], 1 / 15);
  const c = learningRates({ lr: 2, steps: 10, schedule: 'cosine' });
  assert.is(c[0], 2);
  assert.ok(Math.abs(c[5] - 1) < 1e-15);
  assert.equal(Array.from(learningRates({ lr: 2, steps: 3, schedule: 'constant' })), [2, 2, 2]);
});

test('default learning rate follows the documented rule', () => {
  const lr = defaultLearningRate({ regime: 'NN', d: 20, N: 10, batch: 100, varY: task20.risk0, alpha: 1 });
  assert.ok(lr > 1e-3 && lr < 2e-2, `${lr}`);
  // larger output scale (more neurons, larger targets) ⇒ smaller steps; Adam: 1e-3
  assert.ok(defaultLearningRate({ regime: 'NN', d: 100, N: 50, batch: 100, varY: 4, alpha: 1 }) < lr);
  assert.is(defaultLearningRate({ regime: 'NN', d: 20, N: 10, batch: 100, varY: 1, alpha: 1, optimizer: 'adam' }), 1e-3);
  // incomplete or wrong options are errors, never a silent NaN
  // @ts-expect-error a wrong option on purpose: the error must name it
  assert.throws(() => defaultLearningRate({ task: task20, N: 10 }), /options\.task is not a known option/);
  assert.throws(
    // @ts-expect-error a wrong option on purpose: the error must name it
    () => defaultLearningRate({ regime: 'NN', d: 20, N: 10, batch: 100, alpha: 1 }),
    /options\.varY must be a number/,
  );
  assert.throws(
    // @ts-expect-error a wrong option on purpose: the error must name it
    () => defaultLearningRate({ regime: 'XX', d: 20, N: 10, batch: 100, varY: 1, alpha: 1 }),
    /options\.regime must be/,
  );
  assert.throws(
    () => defaultLearningRate({ regime: 'NN', d: 20, N: 10, batch: 100, varY: 1, alpha: 0 }),
    /options\.alpha must be > 0/,
  );
  assert.throws(
    // @ts-expect-error a wrong option on purpose: the error must name it
    () => defaultLearningRate({ regime: 'NN', d: 20, N: 10, batch: 100, varY: 1, alpha: 1, secondLayer: 'toString' }),
    /options\.secondLayer must be/,
  );
});

test('lrScale multiplies the default rate and excludes lr', async () => {
  const base = await trainNN({ task: task20, N: 4, steps: 5, seed: 1 });
  const scaled = await trainNN({ task: task20, N: 4, steps: 5, seed: 1, lrScale: 2.5 });
  assert.is(scaled.training.lr, 2.5 * base.training.lr);
  let err;
  try {
    await trainNN({ task: task20, N: 4, steps: 5, lr: 0.01, lrScale: 2 });
  } catch (e) {
    err = e;
  }
  assert.match(err?.message ?? '', /options\.lr and options\.lrScale are exclusive/);
  err = undefined;
  try {
    await trainNN({ task: task20, N: 4, steps: 5, lrScale: -1 });
  } catch (e) {
    err = e;
  }
  assert.match(err?.message ?? '', /options\.lrScale must be > 0/);
});

// ---------------------------------------------------------------------------------------
// Streams and determinism

test('the k-th batch is task.sample(batch, r) on the data stream r = createRng(seed) after r.split()', async () => {
  const tasks = [
    quadraticTask({ d: 7, seed: 2 }),
    quadraticTask({ d: 7, spectrum: 'goe', noise: 0.3, seed: 2 }),
    mixtureTask({ d: 7, seed: 2, rank: 2 }),
    mixtureTask({ d: 7, seed: 2, delta: 'diagonal' }),
  ];
  const N = 3,
    batch = 5,
    seed = 11; // b·d = 35 normals: odd, so the spare normal carries over
  for (const task of tasks) {
    const m1 = await trainNN({ task, N, steps: 1, batch, seed, schedule: 'constant', lr: 0.01, secondLayer: 'free' });
    const m2 = await trainNN({ task, N, steps: 2, batch, seed, schedule: 'constant', lr: 0.01, secondLayer: 'free' });
    const r = createRng(seed);
    r.split();
    const g = createRng(seed);
    const W0 = g.normalMatrix(7, N, 1 / Math.sqrt(7));
    const a0 = g.uniform(N).map((u) => (u < 0.5 ? 1 : -1));
    const b0 = task.sample(batch, r),
      b1 = task.sample(batch, r);
    const l0 = nnLossAndGradient({ W: W0, a: a0, c: 0 }, b0.X, b0.y, { secondLayer: 'free' }).loss;
    const l1 = nnLossAndGradient(m1.params, b1.X, b1.y, { secondLayer: 'free' }).loss;
    assert.is(m2.curve.loss[0], l0, `${task.kind}: batch 0`);
    assert.is(m2.curve.loss[1], l1, `${task.kind}: batch 1`);
  }
});

test('a task-shaped copy ({ ...task }) trains bit-identically to the task itself', async () => {
  for (const task of [
    quadraticTask({ d: 6, spectrum: 'goe', noise: 0.2, seed: 3 }),
    mixtureTask({ d: 6, rank: 2, seed: 3 }),
    mixtureTask({ d: 6, delta: 'diagonal', seed: 3 }),
  ]) {
    /** @type {Omit<import('../../dist/index.js').TrainNNOptions, 'task'>} */
    const opts = { N: 4, steps: 40, batch: 9, seed: 2, schedule: 'constant', lr: 0.01 };
    const a = await trainNN({ task, ...opts });
    const b = await trainNN({ task: { ...task }, ...opts });
    assert.equal(Array.from(b.params.W.data), Array.from(a.params.W.data), task.kind);
    assert.equal(Array.from(b.curve.loss), Array.from(a.curve.loss), task.kind);
  }
});

test('same seed ⇒ bit-identical weights after 1 000 steps (SGD, Adam, NT); other seed differs', async () => {
  const run = async (seed, extra = {}) => {
    const m = await trainNN({ task: task20, N: 10, steps: 1000, seed, ...extra });
    return digest(m.params.W.data);
  };
  assert.is(await run(4), await run(4));
  assert.is(await run(4, { optimizer: 'adam' }), await run(4, { optimizer: 'adam' }));
  assert.is.not(await run(4), await run(5));
  const nt = async () => digest((await trainNT({ task: task20, N: 10, steps: 1000, seed: 4 })).params.G.data);
  assert.is(await nt(), await nt());
});

test('SIMD and scalar builds give bit-identical training (1 000 steps: SGD, Adam, NT, fixed data)', async () => {
  // Switch builds on this module instance (init with other options replaces the module; a
  // query-string re-import would share the bundle's runtime chunk and so the same module).
  const runAll = async (simd) => {
    const info = await init({ simd });
    assert.is(info.simd, simd);
    const t = quadraticTask({ d: 20, seed: 7 });
    const mix = mixtureTask({ d: 9, seed: 1 });
    const X = createRng(1).normalMatrix(60, 9),
      y = createRng(2).normal(60);
    const out = [];
    out.push((await trainNN({ task: t, N: 10, steps: 1000, seed: 1 })).params.W.data);
    out.push(
      (
        await trainNN({
          task: t,
          N: 7,
          steps: 1000,
          seed: 1,
          optimizer: 'adam',
          secondLayer: 'free',
          activation: 'tanh',
          schedule: 'cosine',
        })
      ).params.W.data,
    );
    out.push((await trainNT({ task: t, N: 9, steps: 1000, seed: 1 })).params.G.data);
    out.push(
      (await trainNN({ task: mix, N: 5, steps: 300, seed: 1, activation: 'relu', secondLayer: 'positive' })).params.W.data,
    );
    out.push((await trainNN({ X, y, N: 5, steps: 300, batch: 16, seed: 1 })).params.W.data);
    assert.is(runtimeInfo().simd, simd);
    return Promise.all(out.map(digest));
  };
  try {
    const v = await runAll(true);
    const s = await runAll(false);
    assert.equal(s, v);
  } finally {
    await init({ simd: true });
  }
});

// ---------------------------------------------------------------------------------------
// Fixed data, progress, abort, divergence, validation

test('fixed sample (online: false): full-batch GD and minibatches lower the training loss', async () => {
  const { X, y } = task20.sample(400, createRng(9));
  const full = await trainNN({ X, y, N: 10, steps: 300, batch: 1000, seed: 1 });
  assert.is(full.training.options.batch, 400);
  const mini = await trainNN({ X, y, N: 10, steps: 300, batch: 50, seed: 1 });
  for (const m of [full, mini]) {
    const L = nnLossAndGradient(m.params, X, y).loss;
    assert.ok(L < 0.5 * m.curve.loss[0], `training loss ${L} vs first ${m.curve.loss[0]}`);
  }
  assert.is(full.curve.riskStep.length, 0, 'no exact risk without a task');
});

test('onProgress reports step, loss and ETA; AbortSignal returns the model so far', async () => {
  const ac = new AbortController();
  const reports = [];
  const m = await trainNN({
    task: task20,
    N: 10,
    steps: 1e6,
    seed: 1,
    progressInterval: 0,
    signal: ac.signal,
    onProgress: (p) => {
      reports.push(p);
      if (p.step >= 2000) ac.abort();
    },
  });
  assert.ok(m.training.aborted);
  assert.ok(m.training.steps >= 2000 && m.training.steps < 1e6);
  assert.ok(reports.length >= 2);
  const p = reports[0];
  assert.ok(p.step > 0 && p.steps === 1e6 && Number.isFinite(p.loss) && p.eta > 0 && p.lr > 0);
  assert.is(m.curve.step[m.curve.step.length - 1], m.training.steps);
  assert.ok(Number.isFinite(m.populationRisk(task20).risk));
  // an abort from a timer (the loop yields to the event loop between chunks)
  const t0 = performance.now();
  const mt = await trainNN({ task: task20, N: 10, steps: 1e7, seed: 1, signal: AbortSignal.timeout(300) });
  // (bounds loose enough for a loaded CI machine: 10⁷ steps would take ~20 minutes)
  assert.ok(mt.training.aborted && mt.training.steps < 1e7 && performance.now() - t0 < 15000);
  // an already-aborted signal: the initial model, 0 steps
  const m0 = await trainNN({ task: task20, N: 10, steps: 100, seed: 1, signal: AbortSignal.abort() });
  assert.is(m0.training.steps, 0);
  assert.ok(m0.a.every((v) => v === 0));
});

test('re-initialising the module during training is a clear error, not a corrupted heap', async () => {
  const run = trainNN({ task: task20, N: 10, steps: 1e6, seed: 1 });
  await new Promise((r) => setTimeout(r, 150));
  await init({ simd: false });
  let err;
  try {
    await run;
  } catch (e) {
    err = e;
  }
  assert.match(err?.message ?? '', /re-initialised with other options during training/);
  await init({ simd: true });
  assert.ok((await trainNN({ task: task20, N: 4, steps: 50, seed: 2 })).training.steps === 50);
});

test('divergence: an Error naming the step and the loss, suggesting a smaller lr; module stays usable', async () => {
  /** @type {Error & { step?: number }} */
  let err;
  try {
    await trainNN({ task: task20, N: 10, steps: 5000, seed: 1, lr: 5 });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error);
  assert.match(err.message, /trainNN: training diverged at step \d+: batch loss \S+ .*try a smaller lr/);
  assert.ok(Number.isInteger(err.step) && err.step < 5000);
  // the module stays usable: a later run completes (awaited, so a rejection fails the test)
  const nt = await trainNT({ task: task20, N: 3, steps: 10, seed: 1 });
  assert.is(nt.training.steps, 10);
  const m = await trainNN({ task: task20, N: 4, steps: 50, seed: 1 });
  assert.ok(m.params.W.data.every(Number.isFinite));
});

test('divergence at the default rate: rerun from the same seeds at half the rate, recorded; an explicit rate is never changed', async () => {
  // NT with N = 2 neurons on d = 8 diverges at the default rate (the rule is for N ≳ 5: the
  // two neurons' (wᵢᵀx)² directions carry more of the kernel than it predicts; src/training/loop.ts)
  const task = quadraticTask({ d: 8, seed: 1 });
  const W0 = randomFeatures(8, 2, createRng(5));
  const base = { task, online: true, N: 2, steps: 4000, seed: 3, W0 };
  const lr0 = defaultLearningRate({ regime: 'NT', d: 8, N: 2, batch: 100, varY: task.risk0, alpha: 1 });
  await rejects(() => trainNT({ ...base, lr: lr0 }), /trainNT: training diverged at step \d+: .*this run used lr = 0\.078125\b/);
  await rejects(() => trainNT({ ...base, lrScale: 1 }), /trainNT: training diverged/);
  const m = await trainNT(base);
  assert.is(m.training.lrHalvings, 1);
  assert.is(m.training.lr, lr0 / 2);
  assert.is(m.training.options.lr, lr0 / 2);
  // the same run as one asked for at that rate, bit for bit (same batches, same W₀)
  const same = await trainNT({ ...base, lr: lr0 / 2 });
  assert.is(same.training.lrHalvings, undefined);
  assert.is(await digest(m.params.G.data), await digest(same.params.G.data));
  assert.is(await digest(m.curve.loss), await digest(same.curve.loss));
  assert.is.not(await digest(m.params.G.data), await digest((await trainNT({ ...base, lr: lr0 / 4 })).params.G.data));
  // and a meaningful one: the convex NT objective reaches its exact optimum riskNT(B, W₀)
  // (0.8745 here, R₀ = 1.17; measured 0.8770 after 4 000 steps: within 1 %)
  const exact = theory.riskNT(task.B, W0);
  assert.ok(Math.abs(m.populationRisk(task).risk / exact - 1) < 0.01, `${m.populationRisk(task).risk} vs ${exact}`);
  // recorded in the model's JSON and read back
  const back = JSON.parse(JSON.stringify(m));
  assert.is(back.trained.training.lrHalvings, 1);
  // a run that does not diverge carries no record
  assert.not.ok('lrHalvings' in (await trainNT({ ...base, N: 4, W0: randomFeatures(8, 4, createRng(5)), steps: 20 })).training);
});

test('bad options: TypeError/RangeError naming the argument', async () => {
  const { X, y } = task20.sample(10, createRng(1));
  /** @type {Array<[any, new () => Error, RegExp]>} options wrong on purpose, the error class, its message */
  const cases = [
    [{ task: task20, N: 0, steps: 10 }, RangeError, /options\.N/],
    [{ task: task20, N: 2, steps: 0 }, RangeError, /options\.steps/],
    [{ task: task20, N: 2, steps: 1, batch: 0 }, RangeError, /options\.batch/],
    [{ task: task20, N: 2, steps: 1, lr: 0 }, RangeError, /options\.lr must be > 0/],
    [{ task: task20, N: 2, steps: 1, lr: NaN }, RangeError, /options\.lr must be finite/],
    [{ task: task20, N: 2, steps: 1, optimizer: 'rmsprop' }, TypeError, /options\.optimizer/],
    [{ task: task20, N: 2, steps: 1, schedule: 'step' }, TypeError, /options\.schedule/],
    [{ task: task20, N: 2, steps: 1, secondLayer: 'negative' }, TypeError, /options\.secondLayer/],
    [{ task: task20, N: 2, steps: 1, activation: 'gelu' }, TypeError, /options\.activation/],
    [{ task: task20, X, y, N: 2, steps: 1 }, TypeError, /either options\.task .* not both/],
    [{ N: 2, steps: 1 }, TypeError, /got neither/],
    [{ X, y, N: 2, steps: 1, online: true }, TypeError, /options\.online/],
    [{ task: task20, N: 2, steps: 1, online: false }, TypeError, /options\.online/],
    [{ task: task20, N: 2, steps: 1, W0: createRng(1).normalMatrix(20, 3) }, RangeError, /options\.W0 must be d×N = 20×2/],
    [
      { task: task20, N: 2, steps: 1, W0: createRng(1).normalMatrix(5, 2) },
      RangeError,
      /^options\.W0 must be d×N with d = 20 rows/,
    ],
    [{ task: task20, N: 2, steps: 1, signal: {} }, TypeError, /options\.signal/],
    [{ task: task20, N: 2, steps: 1, onProgress: 3 }, TypeError, /options\.onProgress/],
    [{ task: task20, N: 2, steps: 1, alpha: -1 }, RangeError, /options\.alpha/],
    [{ task: task20, N: 2, steps: 1, bogus: 1 }, TypeError, /options\.bogus is not a known option/],
    [{ task: {}, N: 2, steps: 1 }, TypeError, /options\.task/],
  ];
  for (const [opts, type, re] of cases) {
    let err;
    try {
      await trainNN(opts);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof type, `${JSON.stringify(Object.keys(opts))}: expected ${type.name}, got ${err}`);
    assert.match(err.message, re);
  }
  // @ts-expect-error secondLayer is an NN option: trainNT must reject it
  await rejects(() => trainNT({ task: task20, N: 2, steps: 1, secondLayer: 'free' }), TypeError, /secondLayer/);
  assert.throws(
    () => nnLossAndGradient({ W: createRng(1).normalMatrix(3, 2), a: 1, c: 0 }, X, y),
    (e) => e instanceof RangeError && /W must be d×N with d = 20 rows/.test(e.message),
  );
  const m = await trainNN({ task: task20, N: 2, steps: 5, seed: 1 });
  assert.is(m.training.steps, 5);
});

test.run();
