// Serialisation (issue 14, item 6): every model the package returns survives
// modelFromJSON(JSON.parse(JSON.stringify(model))) bit for bit — the reloaded model's predict,
// quadraticForm and populationRisk equal the original's exactly, its diagnostics, curve and
// training record too, including the values plain JSON cannot carry (NaN, ±Infinity, -0).
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
  modelFromJSON,
  NTModel,
  TrainedModel,
} from '../../dist/index.js';

let task, X, y, W, probe;

test.before(async () => {
  await init();
  task = quadraticTask({ d: 5, seed: 3 });
  const rng = createRng(21);
  ({ X, y } = task.sample(200, rng));
  W = randomFeatures(5, 4, rng);
  probe = task.sample(50, createRng(22)).X;
});

/** Bit equality (Object.is per entry: -0 ≠ 0, NaN = NaN). */
function sameBits(a, b, what) {
  assert.is(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.unreachable(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

const roundTrip = (m) => modelFromJSON(JSON.parse(JSON.stringify(m)));

/** The reloaded model computes exactly what the original does. */
function sameBehaviour(m, r, what) {
  assert.is(r.constructor, m.constructor, `${what}: class`);
  for (const k of ['regime', 'activation', 'd', 'N']) assert.is(r[k], m[k], `${what}.${k}`);
  assert.ok(Object.is(r.c, m.c), `${what}.c`);
  sameBits(r.a, m.a, `${what}.a`);
  sameBits(r.W.data, m.W.data, `${what}.W`);
  assert.is(r.S === null, m.S === null);
  if (m.S !== null) sameBits(r.S.data, m.S.data, `${what}.S`);
  sameBits(r.predict(probe), m.predict(probe), `${what}.predict`);
  if (m.activation === 'square') {
    const q = m.quadraticForm(),
      qr = r.quadraticForm();
    assert.ok(Object.is(qr.c, q.c));
    sameBits(qr.M.data, q.M.data, `${what}.quadraticForm().M`);
    assert.ok(Object.is(r.populationRisk(task).risk, m.populationRisk(task).risk), `${what}: exact risk`);
  } else {
    const opts = () => ({ nMC: 2000, rng: createRng(5) });
    assert.equal(r.populationRisk(task, opts()), m.populationRisk(task, opts()), `${what}: Monte Carlo risk`);
  }
}

test('fits: RF, NT direct and NT CG (square and relu) reload bit for bit', () => {
  for (const activation of /** @type {const} */ (['square', 'relu'])) {
    const rf = fitRF({ X, y, W, activation, ridge: 1e-3 });
    sameBehaviour(rf, roundTrip(rf), `RF ${activation}`);
    for (const solver of /** @type {const} */ (['direct', 'cg'])) {
      const nt = fitNT({ X, y, W, activation, solver });
      const r = roundTrip(nt);
      sameBehaviour(nt, r, `NT ${solver} ${activation}`);
      assert.ok(r instanceof NTModel);
      assert.equal(r.solve, nt.solve);
      assert.ok(Object.is(r.solve.relativeResidual, nt.solve.relativeResidual));
    }
  }
  // the JSON string itself is accepted too, and the form is plain data with its version
  const rf = fitRF({ X, y, W });
  const json = JSON.stringify(rf);
  sameBehaviour(rf, modelFromJSON(json), 'RF from a string');
  const o = JSON.parse(json);
  assert.is(o.format, 'lazytrain.model');
  assert.is(o.version, 1);
  assert.equal(Object.keys(o), ['format', 'version', 'regime', 'activation', 'd', 'N', 'W', 'c', 'a', 'S']);
});

test('trained: NN shared / free / positive and NT keep params, curve and training info', async () => {
  const runs = [
    await trainNN({ task, N: 4, steps: 300, seed: 1 }),
    await trainNN({ task, N: 4, steps: 300, seed: 2, secondLayer: 'free' }),
    await trainNN({ task, N: 4, steps: 300, secondLayer: 'positive', optimizer: 'adam', seed: 7n }),
    await trainNT({ task, N: 4, steps: 300, seed: 4 }),
    await trainNN({ X, y, N: 3, steps: 50, batch: 20, online: false, activation: 'tanh' }),
  ];
  for (const m of runs) {
    const what = `${m.regime} ${m.training.options.secondLayer ?? ''} ${m.activation}`;
    const r = roundTrip(m);
    assert.ok(r instanceof TrainedModel);
    if (!(r instanceof TrainedModel)) continue;
    sameBehaviour(m, r, what);
    for (const k of ['step', 'loss', 'riskStep', 'risk']) sameBits(r.curve[k], m.curve[k], `${what} curve.${k}`);
    assert.equal(r.training, m.training, `${what} training`);
    assert.is(typeof r.params.a, typeof m.params.a);
    if (typeof m.params.a === 'number') assert.ok(Object.is(r.params.a, m.params.a));
    else sameBits(/** @type {Float64Array} */ (r.params.a), m.params.a, `${what} params.a`);
    assert.ok(Object.is(r.params.c, m.params.c));
    assert.is(r.params.W, r.W, 'params.W is the model W, as in a trained model');
    if (m.regime === 'NT') {
      sameBits(r.params.G.data, m.params.G.data, 'params.G');
      sameBits(r.params.a0, m.params.a0, 'params.a0');
    }
  }
  assert.is(runs[2].training.options.seed, 7n);
  assert.is(/** @type {TrainedModel} */ (roundTrip(runs[2])).training.options.seed, 7n, 'a bigint seed survives');
  assert.is(runs[0].curve.riskStep.length, 21, 'the curve compared has its risk checkpoints');
});

test('NaN, ±Infinity and -0 survive (plain JSON would turn them into null and 0)', async () => {
  assert.is(JSON.parse(JSON.stringify([NaN, -0]))[0], null);
  assert.ok(!Object.is(JSON.parse(JSON.stringify(-0)), -0));
  const m = await trainNN({ task, N: 4, steps: 100, seed: 1, secondLayer: 'free' });
  m.curve.loss.set([NaN, Infinity, -Infinity, -0]);
  m.a[1] = -0;
  m.params.c = -0;
  const json = m.toJSON();
  assert.equal(json.trained.curve.loss.slice(0, 4), ['NaN', 'Infinity', '-Infinity', '-0']);
  assert.is(json.a[1], '-0');
  const r = /** @type {TrainedModel} */ (roundTrip(m));
  sameBehaviour(m, r, 'special values');
  sameBits(r.curve.loss, m.curve.loss, 'curve.loss');
  assert.ok(Object.is(r.params.c, -0));
  // an RF model whose offset is -0: c stays -0 (f = c + … differs from +0 at f = -0)
  const o = fitRF({ X, y, W }).toJSON();
  o.c = '-0';
  const rf = modelFromJSON(o);
  assert.ok(Object.is(rf.c, -0));
  assert.ok(Object.is(roundTrip(rf).c, -0));
});

test('corrupted JSON: a clear error naming the field; the module stays usable', async () => {
  const good = () => JSON.parse(JSON.stringify(fitNT({ X, y, W })));
  const trained = JSON.parse(JSON.stringify(await trainNT({ task, N: 4, steps: 20, seed: 1 })));
  const cases = [
    [null, TypeError, /^json must be an object, got null/],
    ['{"format": "lazytrain.model", ', SyntaxError, /^json is a string but not valid JSON/],
    [{ ...good(), format: 'other' }, TypeError, /^json\.format must be "lazytrain\.model"/],
    [{ ...good(), version: 2 }, RangeError, /^json\.version 2 was written by a newer lazytrain/],
    [{ ...good(), version: '1' }, TypeError, /^json\.version must be an integer/],
    [{ ...good(), regime: 'CNN' }, TypeError, /^json\.regime must be "RF", "NT" or "NN"/],
    [{ ...good(), activation: 'gelu' }, TypeError, /^json\.activation must be/],
    [{ ...good(), N: 5 }, RangeError, /^json\.W must be 5×5, got 5×4/],
    [{ ...good(), a: [1, 2] }, RangeError, /^json\.a must have length 4, got 2/],
    [{ ...good(), c: null }, TypeError, /^json\.c must be a number \(or "NaN", "Infinity", "-Infinity", "-0"\), got null/],
    [{ ...good(), S: null }, TypeError, /^json\.S must be a d×N matrix for an NT model/],
    [{ ...good(), solve: undefined }, TypeError, /^json\.solve must be an object, got undefined/],
    [{ ...good(), solve: { ...good().solve, solver: 'qr' } }, TypeError, /^json\.solve\.solver must be "direct" or "cg"/],
    [{ ...good(), regime: 'RF' }, TypeError, /^json\.S must be null for an RF model/],
    [{ ...good(), regime: 'NN', S: null, solve: undefined }, TypeError, /^json\.trained is missing/],
    [
      { ...trained, trained: { ...trained.trained, curve: { ...trained.trained.curve, loss: [1] } } },
      RangeError,
      /^json\.trained\.curve\.loss has length 1, but curve\.step has \d+/,
    ],
    [
      { ...trained, trained: { ...trained.trained, params: { ...trained.trained.params, G: undefined } } },
      TypeError,
      /^json\.trained\.params\.G must be a matrix/,
    ],
    [
      { ...trained, trained: { ...trained.trained, training: { ...trained.trained.training, aborted: 'no' } } },
      TypeError,
      /^json\.trained\.training\.aborted must be a boolean/,
    ],
  ];
  for (const [input, type, re] of cases) {
    assert.throws(
      () => modelFromJSON(input),
      (e) => e instanceof type && re.test(e.message),
      String(re),
    );
  }
  const bad = good();
  bad.W.data[3] = 'x';
  assert.throws(
    () => modelFromJSON(bad),
    (e) => e instanceof TypeError && /^json\.W\.data\[3\] must be a number/.test(e.message),
  );
  const bad2 = good();
  bad2.S.data.pop();
  assert.throws(
    () => modelFromJSON(bad2),
    (e) => e instanceof RangeError && /^json\.S\.data must have length 20, got 19/.test(e.message),
  );
  sameBehaviour(fitNT({ X, y, W }), modelFromJSON(good()), 'after the errors');
});

test.run();
