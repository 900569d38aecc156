// The lazy → rich sweep over α (compare({ sweep: { alpha } })): the two limits against exact
// theory at small d, the antisymmetric initialisation (zero initial function, exactly), one W₀ for
// every α, validation that names the argument, resume / workers / merge, logGrid, the outputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from '../helpers/assert.mjs';
import {
  init,
  compare,
  theory,
  quadraticTask,
  randomFeatures,
  createRng,
  trainNN,
  nnLossAndGradient,
  normalizeConfig,
  mergeResults,
  toCSV,
  summaryMarkdown,
  plotSVG,
  logGrid,
} from '../../dist/index.js';
import { internal } from '../helpers/internal.mjs';
import { strip } from '../helpers/compare.mjs';

const { pairedInit, sweepStart, RunContext, deriveSeed, pointKey, SWEEP_DEFAULTS } = internal;

test.before(async () => {
  await init();
});

// d = 8, N = 4 runs in about a second per α; 3 000 steps reach both limits at the ends (measured:
// α = 0.5 lands +0.06 % above the rich line, α = 10⁴ +0.09 % above the lazy one)
/** @type {import('../../dist/index.js').CompareConfig} */
const SMALL = { d: 8, widths: [4], seed: 1, sweep: { alpha: [10000, 0.5, 1000] }, nn: { steps: 3000 } };
let small; // the compare() result of SMALL, shared by the tests below

test('the smallest α lands within 5 % of the sign-split NN theory, the largest within 5 % of riskNT(B, W₀)', async () => {
  small = await compare(SMALL);
  const rows = small.rows;
  assert.equal(
    rows.map((r) => r.alpha),
    [0.5, 1000, 10000],
    'sorted by α',
  );
  const lo = rows[0],
    hi = rows[rows.length - 1];
  assert.ok(Math.abs(lo.normalizedRisk / lo.theory.rich - 1) < 0.05, `α = 0.5: ${lo.normalizedRisk} vs rich ${lo.theory.rich}`);
  assert.ok(Math.abs(hi.normalizedRisk / hi.theory.lazy - 1) < 0.05, `α = 10⁴: ${hi.normalizedRisk} vs lazy ${hi.theory.lazy}`);
  // the two limits are far apart here, so 5 % tells them apart
  assert.ok(lo.theory.lazy > 1.5 * lo.theory.rich, `${lo.theory.lazy} vs ${lo.theory.rich}`);
  // movement ∝ 1/α in the lazy regime: α = 10³ → 10⁴ divides it by 10 up to the O(1/α)
  // correction (measured α·movement: 0.3457 at 10³, 0.3447 at 10⁴ and at 10⁵); O(1) in the rich one
  const ratio = rows[1].movement / hi.movement;
  assert.ok(Math.abs(ratio / 10 - 1) < 0.02, `movement(1000)/movement(10000) = ${ratio}`);
  assert.ok(lo.movement > 0.3, `rich movement ${lo.movement}`);
  for (const r of rows) {
    assert.is(r.regime, 'NN');
    assert.is(r.N, 4);
    assert.equal([r.theory.exact, r.theory.expected, r.theory.limit], [null, null, null]);
    assert.is(r.steps, 3000);
    assert.ok(r.convergence.converged, `α = ${r.alpha} converged`);
  }
  assert.equal(small.meta.sweep, { alpha: [0.5, 1000, 10000], N: 4 });
});

test('theory.lazy and theory.rich are the exact limits, computed independently', () => {
  const task = quadraticTask({ d: 8, seed: 1 });
  // W₀ = the N/2 directions, each twice: span(W₀) = span(V), so riskNT(B, W₀) = riskNT(B, V)
  const V = randomFeatures(8, 2, createRng(deriveSeed(1, 'alpha-W', 4, 0)));
  const lazy = theory.riskNT(task, V) / task.risk0;
  // the exponential target is PSD: the N/2 negative neurons cannot help, so the sign split
  // N/2 + N/2 equals N/2 positive neurons
  assert.ok(task.eigenvalues.every((x) => x > 0));
  const rich = theory.riskNN(task, 2, { secondLayer: 'positive' }) / task.risk0;
  for (const r of small.rows) {
    assert.ok(Math.abs(r.theory.lazy - lazy) <= 1e-12 * lazy, `${r.theory.lazy} vs ${lazy}`);
    assert.ok(Math.abs(r.theory.rich - rich) <= 1e-12 * rich, `${r.theory.rich} vs ${rich}`);
  }
});

test('the initial function is exactly zero for every α (pairs cancel), in f64 and f32', () => {
  const d = 8,
    N = 6;
  const V = randomFeatures(d, N / 2, createRng(11));
  const { W0, a0 } = pairedInit(V);
  assert.equal(Array.from(a0), [1, -1, 1, -1, 1, -1]);
  for (let r = 0; r < d; r++)
    for (let j = 0; j < N / 2; j++) {
      assert.is(W0.data[r * N + 2 * j], V.data[r * (N / 2) + j]);
      assert.is(W0.data[r * N + 2 * j + 1], V.data[r * (N / 2) + j]);
    }
  const rng = createRng(5);
  const X = { rows: 64, cols: d, data: rng.normal(64 * d) };
  const zeros = new Float64Array(64);
  for (const alpha of [1e-3, 0.1, 1, 3.7, 1000, 1e6])
    for (const precision of /** @type {const} */ (['f64', 'f32'])) {
      // y = 0: the loss is the mean squared output, 0 only if every output is exactly 0
      const { loss, gradient } = nnLossAndGradient({ W: W0, a: a0, c: 0 }, X, zeros, {
        secondLayer: 'free',
        alpha,
        precision,
      });
      assert.is(loss, 0, `α = ${alpha}, ${precision}`);
      // a zero residual gives a zero gradient everywhere
      assert.ok(/** @type {Float64Array} */ (gradient.a).every((g) => g === 0));
      assert.ok(gradient.W.data.every((g) => g === 0));
    }
});

test('one W₀ for every α: each row is trainNN from the shared start, bit for bit; its first checkpoint is the zero function', async () => {
  const c = normalizeConfig(SMALL);
  const task = quadraticTask({ d: 8, seed: 1 });
  const start = sweepStart(new RunContext(c), 4, 0);
  for (const row of [small.rows[0], small.rows[2]]) {
    const m = await trainNN({
      task,
      N: 4,
      W0: start.W0,
      a0: start.a0,
      alpha: row.alpha,
      secondLayer: 'free',
      steps: 3000,
      lrScale: SWEEP_DEFAULTS.lrScale,
      seed: row.seed,
    });
    assert.is(m.populationRisk(task).risk, row.risk, `α = ${row.alpha}`);
    // the row's risk-vs-step curve is this training's, normalised, ending on the row's risk
    assert.equal(row.curve.step, Array.from(m.curve.riskStep));
    assert.is(row.curve.risk.at(-1), row.normalizedRisk);
    // the exact risk at step 0 is R₀ = Var y: the initial model is the zero function
    assert.is(m.curve.riskStep[0], 0);
    assert.ok(Math.abs(m.curve.risk[0] / task.risk0 - 1) < 1e-14, `initial risk ${m.curve.risk[0]} vs R0 ${task.risk0}`);
  }
  assert.is(small.rows[0].seed, small.rows[2].seed, 'the same batches for every α');
});

test('bad sweep configurations: clear errors naming the argument; compare() stays usable', async () => {
  /** @type {Array<[object, RegExp]>} */
  const cases = [
    [{ sweep: { alpha: [] } }, /config\.sweep\.alpha must be a non-empty array, got an array of length 0/],
    [{ sweep: { alpha: [1, -2] } }, /config\.sweep\.alpha\[1\] must be > 0, got -2/],
    [{ sweep: { alpha: [0] } }, /config\.sweep\.alpha\[0\] must be > 0, got 0/],
    [{ sweep: { alpha: [NaN] } }, /config\.sweep\.alpha\[0\] must be finite, got NaN/],
    [{ sweep: { alpha: ['1'] } }, /config\.sweep\.alpha\[0\] must be a number, got the string "1"/],
    [{ sweep: { alpha: 3 } }, /config\.sweep\.alpha must be a non-empty array, got number 3/],
    [{ sweep: {} }, /config\.sweep\.alpha is required/],
    [{ sweep: [1, 2] }, /config\.sweep must be \{ alpha: \[\.\.\.\] \}, got an array of length 2/],
    [{ sweep: { alpha: [1], beta: [2] } }, /config\.sweep\.beta is not a known option/],
    [{ widths: [5] }, /config\.widths: .*N must be even, got 5/],
    [{ widths: [4, 6] }, /config\.widths: the α sweep runs at one width N, got 2/],
    [{ task: 'mixture' }, /config\.task: .*quadratic task only/],
    [{ activation: 'relu', n: 1000 }, /config\.activation: .*"square"/],
    [{ n: 500 }, /config\.n: the α sweep trains online/],
    [{ regimes: ['NN', 'NT'] }, /config\.regimes: the α sweep trains the NN only/],
    [{ nn: { alpha: 2 } }, /config\.nn\.alpha: the α sweep sets α per point/],
    [{ nn: { secondLayer: 'shared' } }, /config\.nn\.secondLayer: the α sweep uses per-neuron ±1/],
  ];
  for (const [over, re] of cases) {
    const cfg = { d: 8, widths: [4], sweep: { alpha: [1, 10] }, ...over };
    assert.throws(() => normalizeConfig(cfg), re, JSON.stringify(over));
    await rejects(() => compare(cfg), re);
  }
  // and the module still works
  const ok = await compare({ d: 6, widths: [2], sweep: { alpha: [1] }, nn: { steps: 50 } });
  assert.is(ok.rows.length, 1);
  // a config without sweep is unchanged by the feature (no sweep key: old results folders resume)
  assert.not.ok('sweep' in normalizeConfig({ d: 8, ratios: [1] }));
});

test('sweep defaults: per-neuron signs, the measured steps and rate; explicit settings win', () => {
  const c = normalizeConfig({ d: 8, widths: [4], sweep: { alpha: [1] } });
  assert.equal(c.regimes, ['NN']);
  assert.is(c.nn.secondLayer, 'free');
  assert.is(c.nn.steps, SWEEP_DEFAULTS.steps);
  assert.is(c.nn.lrScale, SWEEP_DEFAULTS.lrScale);
  const e = normalizeConfig({ d: 8, widths: [4], sweep: { alpha: [1] }, nn: { steps: 10, lr: 0.01 } });
  assert.is(e.nn.steps, 10);
  assert.is(e.nn.lr, 0.01);
  assert.is(e.nn.lrScale, undefined);
});

test('resume: skipped α points are not recomputed; workers = 2 and merged partial runs give the same rows', async () => {
  const skip = [pointKey(small.rows[0]), pointKey(small.rows[2])];
  assert.equal(skip, ['NN|4|0|α=0.5', 'NN|4|0|α=10000']);
  const rest = await compare(SMALL, { skip });
  assert.equal(
    rest.rows.map((r) => r.alpha),
    [1000],
  );
  const merged = mergeResults(
    [
      { name: 'rest', result: rest },
      { name: 'first', result: { meta: small.meta, rows: [small.rows[2], small.rows[0]] } },
    ],
    { onWarning: (m) => assert.unreachable(m) },
  );
  assert.equal(strip(merged.rows), strip(small.rows));
  const pooled = await compare(SMALL, { workers: 2 });
  assert.equal(strip(pooled.rows), strip(small.rows));
});

test('logGrid: decades exact, per decade or a count, errors name the argument', () => {
  assert.equal(logGrid(0.1, 1000), [0.1, 0.316228, 1, 3.16228, 10, 31.6228, 100, 316.228, 1000]);
  assert.equal(logGrid(1, 100, { perDecade: 3 }), [1, 2.15443, 4.64159, 10, 21.5443, 46.4159, 100]);
  assert.equal(logGrid(1, 1000, { count: 4 }), [1, 10, 100, 1000]);
  assert.equal(logGrid(2, 2, { count: 3 }), [2]);
  assert.equal(logGrid(1, 5), [1, 3.16228], 'ends at the last grid point ≤ stop');
  // each value is 10^(i/k) to the 6 significant digits kept (relative error ≤ 5·10⁻⁶)
  for (const [i, v] of logGrid(1, 1e4, { perDecade: 7 }).entries())
    assert.ok(Math.abs(v / 10 ** (i / 7) - 1) <= 5e-6, `${v} vs 10^(${i}/7)`);
  assert.throws(() => logGrid(0, 10), /start must be > 0, got 0/);
  assert.throws(() => logGrid(1, NaN), /stop must be finite, got NaN/);
  assert.throws(() => logGrid(10, 1), /stop must be ≥ start/);
  assert.throws(() => logGrid(1, 10, { count: 0 }), /options\.count must be an integer in \[1, 1000\], got 0/);
  assert.throws(() => logGrid(1, 10, { perDecade: 2, count: 3 }), /exclusive/);
  assert.throws(() => logGrid(1e-10, 1e10, { perDecade: 100 }), /more than 1000 points/);
});

test('outputs: the summary table, CSV columns with alpha, and the two-panel figure with both theory lines labelled', () => {
  const md = summaryMarkdown(small);
  assert.match(md, /Lazy → rich sweep over α/);
  assert.match(md, /\| α \| R\/R0 \| vs lazy \| vs rich \| ‖W − W₀‖\/‖W₀‖ \|/);
  for (const r of small.rows) assert.match(md, new RegExp(`\\| ${r.alpha} \\| ${r.normalizedRisk.toPrecision(4)} \\|`));
  const csv = toCSV(small).trim().split('\n');
  const head = csv[0].split(',');
  for (const k of ['alpha', 'movement', 'theory_lazy', 'theory_rich']) assert.ok(head.includes(k), k);
  assert.is(csv[1].split(',')[head.indexOf('alpha')], '0.5');
  // a comparison's CSV keeps its columns
  assert.not.ok(toCSV({ meta: { ...small.meta, sweep: undefined }, rows: [] }).includes('alpha'));
  const svg = plotSVG(small);
  assert.match(svg, /class="theory-lazy"/);
  assert.match(svg, /class="theory-rich"/);
  assert.match(svg, /lazy: riskNT\(B, W₀\) = /);
  assert.match(svg, /rich: NN, ±1 split = /);
  assert.match(svg, /‖W − W₀‖ \/ ‖W₀‖/);
  assert.match(svg, /α \(output scale; log axis\)/);
  assert.is((svg.match(/<circle /g) ?? []).length, 3 + 1, 'one marker per α and the legend');
  // the lazy line sits higher than the rich one (smaller y)
  const y = (cls) => Number(new RegExp(`class="${cls}" x1="[\\d.]+" x2="[\\d.]+" y1="([\\d.]+)"`).exec(svg)[1]);
  assert.ok(y('theory-lazy') < y('theory-rich'));
});

test.run();
