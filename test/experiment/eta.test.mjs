// The cost model, schedule simulation, running ETA and cost-balanced shards (issue 12, items 4–5):
// the math on synthetic point times, and the plan / ETA of small real runs (no timing bounds
// tighter than an order of magnitude: speed is measured in bench/, not here).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, compare, planCompare, preset, normalizeConfig } from '../../dist/index.js';
import { internal } from '../helpers/internal.mjs';

const {
  EtaTracker,
  longestFirst,
  stepSeconds,
  predictSeconds,
  calibrate,
  RunContext,
  probeWidths,
  poolSchedule,
  speedupAt,
  pointWork,
  pointCost,
  enumeratePoints,
  shardAssignment,
  shardPoints,
} = internal;

test.before(async () => {
  await init();
});

test('stepSeconds: exact at the probe samples, linear in flops between them, proportional left of the first', () => {
  const s = [
    { flops: 100, seconds: 2 },
    { flops: 300, seconds: 4 },
    { flops: 1000, seconds: 18 },
  ];
  for (const p of s) assert.is(stepSeconds(s, p.flops), p.seconds);
  assert.is(stepSeconds(s, 200), 3);
  assert.is(stepSeconds(s, 650), 11);
  assert.is(stepSeconds(s, 50), 1);
  assert.is(stepSeconds(s, 1100), 20); // end segment's line: slope 2/100
  assert.is(stepSeconds([{ flops: 10, seconds: 1 }], 35), 3.5);
  // order of the samples does not matter; a falling (noisy) last segment never extrapolates down
  assert.is(stepSeconds([...s].reverse(), 650), 11);
  assert.is(
    stepSeconds(
      [
        { flops: 100, seconds: 4 },
        { flops: 200, seconds: 3 },
      ],
      400,
    ),
    6,
  );
});

// a synthetic calibration: two probe samples per kind, as calibrate() returns them
const syntheticModel = (over = {}) => ({
  build: 'simd',
  threads: 1,
  flopRate: 1e9,
  perPoint: 0.01,
  probeSeconds: 0,
  NN: {
    samples: [
      { N: 10, flops: 1e6, seconds: 0.001, steps: 10 },
      { N: 100, flops: 1e7, seconds: 0.004, steps: 10 },
    ],
    setup: 0.05,
    precision: 'f64',
    threadSpeedup: 1,
  },
  ...over,
});
const nnWork = (over = {}) => ({ kind: 'NN', precision: 'f64', steps: 1000, stepFlops: 5.5e6, fixedFlops: 2e9, ...over });

test('predictSeconds: synthetic probe timings → predicted totals (per point, one-off work, setup, steps ÷ thread speed-up)', () => {
  const m = syntheticModel();
  // step at 5.5e6 flops: 1 ms + (3 ms / 9e6 flops)·4.5e6 = 2.5 ms; 0.01 + 2e9/1e9 + 0.05 + 1000·0.0025
  assert.ok(Math.abs(predictSeconds(m, nnWork()) - 4.56) < 1e-12);
  // a point without SGD: per point + one-off work only (no calibration of its kind needed)
  assert.ok(
    Math.abs(predictSeconds(m, { kind: null, precision: 'f64', steps: 0, stepFlops: 0, fixedFlops: 3e8 }) - 0.31) < 1e-12,
  );
  // threads: the probe's speed-ups (1.2 at the narrow width, 1.8 at the wide one) divide the
  // steps' time only, interpolated in flops (5.5e6: half-way, 1.5) and in the granted threads
  const t = syntheticModel({
    threads: 3,
    NN: { ...m.NN, samples: m.NN.samples.map((x, i) => ({ ...x, speedup: [1.2, 1.8][i] })), threadSpeedup: 1.8 },
  });
  assert.ok(Math.abs(predictSeconds(t, nnWork()) - (2.06 + 2.5 / 1.5)) < 1e-12);
  assert.ok(Math.abs(predictSeconds(t, nnWork(), 2) - (2.06 + 2.5 / 1.25)) < 1e-12); // 1 + (1.5 − 1)·(2 − 1)/(3 − 1)
  assert.ok(Math.abs(predictSeconds(t, nnWork(), 1) - 4.56) < 1e-12);
  assert.is(predictSeconds(t, nnWork(), 5), predictSeconds(t, nnWork(), 3)); // no more than the probe measured
  // an f32 probe on the relaxed build times shorter steps: the prediction follows them, the
  // one-off work (f64 either way) does not move
  const fast = syntheticModel({
    build: 'relaxed',
    NN: { ...m.NN, precision: 'f32', samples: m.NN.samples.map((x) => ({ ...x, seconds: x.seconds * 0.4 })) },
  });
  const f32 = predictSeconds(fast, nnWork({ precision: 'f32' }));
  assert.ok(Math.abs(f32 - (2.06 + 0.4 * 2.5)) < 1e-12);
  assert.ok(f32 < predictSeconds(m, nnWork()));
  // linear in the number of steps
  const a = predictSeconds(m, nnWork({ steps: 2000 })) - predictSeconds(m, nnWork({ steps: 1000 }));
  assert.ok(Math.abs(a - 2.5) < 1e-12);
});

test('predictSeconds / stepSeconds / calibrate: bad inputs get a clear error, the model stays usable', async () => {
  const m = syntheticModel();
  assert.throws(() => predictSeconds(m, nnWork({ precision: 'f32' })), /NN was calibrated in f64, the point trains in f32/);
  assert.throws(() => predictSeconds(m, nnWork({ kind: 'NT' })), /cost model has no NT calibration/);
  for (const bad of [0, -1, NaN, Infinity]) {
    const samples = m.NN.samples.map((x) => ({ ...x, speedup: bad }));
    assert.throws(
      () => predictSeconds(syntheticModel({ threads: 2, NN: { ...m.NN, samples } }), nnWork()),
      /NN speed-up at N = 10 must be a positive number/,
    );
  }
  for (const bad of [0, 1.5, NaN]) assert.throws(() => predictSeconds(m, nnWork(), bad), /threads must be an integer ≥ 1/);
  assert.throws(() => stepSeconds([], 1), /stepSeconds: no samples/);
  assert.throws(() => stepSeconds(m.NN.samples, -1), /flops must be a finite number ≥ 0, got -1/);
  assert.throws(() => stepSeconds(m.NN.samples, NaN), /flops must be a finite number ≥ 0, got NaN/);
  assert.throws(() => stepSeconds([{ flops: 1e6, seconds: 0 }], 1), /positive finite flops and seconds/);
  assert.throws(() => stepSeconds([{ flops: NaN, seconds: 1 }], 1), /positive finite flops and seconds/);
  assert.ok(Math.abs(predictSeconds(m, nnWork()) - 4.56) < 1e-12);
  const c = normalizeConfig({ d: 8, ratios: [0.5, 1], regimes: ['NN'], seed: 1, nn: { steps: 40 } });
  const ctx = new RunContext(c);
  for (const threads of [0, 1.5, 65, NaN]) {
    const err = await calibrate(ctx, enumeratePoints(c), { threads }).then(
      () => null,
      (e) => e,
    );
    assert.ok(err instanceof RangeError, String(err));
    assert.match(err.message, /options\.threads must be an integer in 1…64/);
  }
  // a threaded probe that returns nonsense is an error naming it, not a silent model
  for (const reply of [{}, { NN: [1] }, { NN: [1, NaN] }, { NN: [0, 1] }]) {
    const err = await calibrate(ctx, enumeratePoints(c), { threads: 2, measureSpeedups: async () => reply }).then(
      () => null,
      (e) => e,
    );
    assert.match(String(err), /the threaded probe returned no valid NN speed-ups/);
  }
  // usable afterwards: the speed-ups measured elsewhere land on the probe widths, in order
  /** @type {any} */
  let asked = null;
  const two = await calibrate(ctx, enumeratePoints(c), {
    threads: 2,
    measureSpeedups: async (r) => {
      asked = r;
      return { NN: r.kinds[0].widths.map((_, i) => [1.1, 1.2][i]) };
    },
  });
  assert.is(two.threads, 2);
  assert.equal(asked.threads, 2);
  assert.equal(
    asked.kinds[0].widths,
    two.NN.samples.map((x) => x.N),
  );
  assert.equal(
    asked.kinds[0].steps,
    two.NN.samples.map((x) => x.steps),
  );
  assert.equal(
    two.NN.samples.map((x) => x.speedup),
    [1.1, 1.2],
  );
  assert.is(two.NN.threadSpeedup, 1.2);
  const one = await calibrate(ctx, enumeratePoints(c));
  assert.equal([one.threads, one.NN.threadSpeedup, one.NN.samples[0].speedup], [1, 1, undefined]);
});

test('pointWork carries the precision each regime trains in', () => {
  const base = preset('paper');
  const c = normalizeConfig({ ...base, nn: { ...base.nn, precision: 'f32' } });
  for (const p of enumeratePoints(c)) {
    const w = pointWork(c, p);
    assert.is(w.precision, p.regime === 'NN' ? 'f32' : 'f64', `${p.regime} ${p.N}`);
  }
  const both = normalizeConfig({ ...base, nn: { ...base.nn, precision: 'f32' }, nt: { ...base.nt, precision: 'f32' } });
  assert.is(
    pointWork(
      both,
      enumeratePoints(both).find((p) => p.regime === 'NT'),
    ).precision,
    'f32',
  );
});

test('calibrate: the probe trains in the run precision on the loaded build (f32 faster than f64 at the widest width; FMA recalibrates)', async () => {
  /** @type {(precision?: 'f32') => import('../../dist/index.js').CompareConfig} */
  const cfg = (precision) => ({
    d: 200,
    widths: { RF: [50], NT: [50], NN: [50, 400, 1600] },
    regimes: ['NN'],
    seed: 1,
    nn: { steps: 2000, ...(precision ? { precision } : {}) },
  });
  await init({ simd: true });
  const m64 = (await planCompare(cfg())).model,
    m32 = (await planCompare(cfg('f32'))).model;
  assert.equal([m64.build, m64.NN.precision, m32.build, m32.NN.precision], ['simd', 'f64', 'simd', 'f32']);
  assert.is.not(m32, m64);
  // d = 200, N = 1600: the f32 step's d×N blocks are half the bytes and f32x4 does twice the
  // lanes; measured 0.44 of the f64 step on the 2-core dev machine (CPU time, idle or at load
  // 13). The bound leaves room for a loaded machine; equal kernels would give ≈ 1.
  const wide = (m) => m.NN.samples.at(-1).seconds;
  assert.ok(wide(m32) < 0.8 * wide(m64), `f32 ${wide(m32)} s vs f64 ${wide(m64)} s per step`);
  const p64 = await planCompare(cfg()),
    p32 = await planCompare(cfg('f32'));
  assert.ok(p32.predictedSeconds < p64.predictedSeconds);
  // the relaxed build gets its own calibration (not the SIMD build's cached one)
  const info = await init({ fma: true });
  if (info.build === 'relaxed') {
    const mf = (await planCompare(cfg('f32'))).model;
    assert.equal([mf.build, mf.NN.precision], ['relaxed', 'f32']);
    assert.is.not(mf, m32);
    assert.is((await planCompare(cfg('f32'))).model, mf); // cached per build
  }
  await init({ simd: true });
  assert.is((await planCompare(cfg('f32'))).model, m32);
});

/**
 * Reference: the makespan of greedy list scheduling (Graham 1969), jobs taken in order, each to
 * the worker that frees first; `busy`: remaining seconds of workers already occupied. Written
 * out here independently of poolSchedule's event simulation, which must agree with it at cap 1.
 */
function listSchedule(durations, workers, busy = []) {
  const free = [...busy.slice(0, workers)];
  while (free.length < workers) free.push(0);
  for (const t of durations) {
    let j = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[j]) j = i;
    free[j] += t;
  }
  return Math.max(0, ...free);
}

test("speedupAt: the probe's speed-ups interpolated in flops, constant beyond, linear in the granted threads", () => {
  const f = {
    samples: [
      { N: 10, flops: 100, seconds: 1, steps: 5, speedup: 1.0 },
      { N: 40, flops: 400, seconds: 4, steps: 5, speedup: 1.6 },
      { N: 90, flops: 900, seconds: 9, steps: 5, speedup: 1.9 },
    ],
  };
  assert.is(speedupAt(f, 2, 400, 2), 1.6);
  assert.ok(Math.abs(speedupAt(f, 2, 250, 2) - 1.3) < 1e-12);
  assert.ok(Math.abs(speedupAt(f, 2, 650, 2) - 1.75) < 1e-12);
  assert.equal([speedupAt(f, 2, 10, 2), speedupAt(f, 2, 5000, 2)], [1.0, 1.9]);
  assert.equal([speedupAt(f, 2, 900, 1), speedupAt(f, 1, 900, 2)], [1, 1]);
  // 4 threads measured 1.9: 2 granted threads get a third of the gain, 4 or more all of it
  assert.ok(Math.abs(speedupAt(f, 4, 900, 2) - 1.3) < 1e-12);
  assert.is(speedupAt(f, 4, 900, 8), 1.9);
  // samples without speed-ups (a one-thread model) give 1
  assert.is(speedupAt({ samples: [{ N: 1, flops: 1, seconds: 1, steps: 1 }] }, 2, 7, 2), 1);
});

test('poolSchedule: list scheduling when points keep one core; the tail takes idle cores (hand-computed cases)', () => {
  // identity with listSchedule on random instances (cap 1, or speed-ups of 1), with points in flight
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 10 + 0.1;
  for (let trial = 0; trial < 200; trial++) {
    const cores = 1 + (trial % 4);
    const jobs = Array.from({ length: trial % 9 }, rand);
    const busy = Array.from({ length: trial % (cores + 1) }, rand);
    const running = busy.map((b) => ({ seconds: b + 1, left: b, elapsed: 1 }));
    const want = listSchedule(jobs, cores, busy);
    const got1 = poolSchedule(
      jobs.map((s) => ({ seconds: s })),
      cores,
      1,
      running,
    );
    const gotFlat = poolSchedule(
      jobs.map((s) => ({ seconds: s, speedup: () => 1 })),
      cores,
      4,
      running,
    );
    assert.ok(Math.abs(got1 - want) <= 1e-9 * want, `trial ${trial}: ${got1} vs ${want}`);
    assert.ok(Math.abs(gotFlat - want) <= 1e-9 * want, `trial ${trial}: ${gotFlat} vs ${want}`);
  }
  const linear = (g) => g; // perfect scaling
  // 10 | 4 on 2 cores: the short one ends at 4, then the long one takes both cores: 4 + 6/2
  assert.is(poolSchedule([{ seconds: 10, speedup: linear }, { seconds: 4 }], 2, 2), 7);
  assert.is(poolSchedule([{ seconds: 10, speedup: (g) => (g > 1 ? 1.5 : 1) }, { seconds: 4 }], 2, 2), 8);
  // while a point waits, nobody gets a second core: 10 | 4, 4 → the long one is alone from 8, 2 left
  assert.is(poolSchedule([{ seconds: 10, speedup: linear }, { seconds: 4 }, { seconds: 4 }], 2, 2), 9);
  // 3 cores, cap 2: when two finish the third gets only 2 threads (cap)
  assert.is(poolSchedule([{ seconds: 9, speedup: linear }, { seconds: 3 }, { seconds: 3 }], 3, 2), 6);
  // the idle core goes to the point with the most predicted seconds left per thread
  assert.is(poolSchedule([{ seconds: 12, speedup: linear }, { seconds: 6, speedup: linear }, { seconds: 2 }], 3, 2), 7);
  // a point in flight: 4 s of one-thread work left, elapsed 2 of a predicted 6
  assert.is(poolSchedule([{ seconds: 1 }], 2, 2, [{ seconds: 6, left: 4, elapsed: 2, speedup: linear }]), 2.5);
  assert.is(poolSchedule([], 2, 2), 0);
});

test("EtaTracker with threads for the tail: follows the pool's grants and counts one-thread work", () => {
  const linear = (g) => (g > 1 ? 2 : 1);
  const pts = [
    { index: 0, cls: 'NN', seconds: 10, speedup: linear },
    { index: 1, cls: 'NN', seconds: 4, speedup: linear },
  ];
  const eta = new EtaTracker(pts, 2, 0.05, 2);
  assert.is(eta.total, 7);
  eta.start(0, 0);
  eta.start(1, 0);
  assert.is(eta.eta(0), 7);
  assert.is(eta.eta(2), 5);
  eta.finish(1, 4, 4); // as predicted: point 0 now has both cores
  assert.is(eta.ratio('NN'), 1);
  assert.is(eta.eta(4), 3);
  assert.is(eta.eta(5), 2); // 4 + 2·1 = 6 s of one-thread work done by t = 5
  // it ends at 7 on 2 threads: 7 s of wall clock are 10 s of one-thread work, the prediction
  eta.finish(0, 7, 7);
  assert.is(eta.ratio('NN'), 1);
  assert.is(eta.eta(7), 0);
  // the same run without threads for the tail: point 0 alone on one core to 10
  const flat = new EtaTracker(pts, 2);
  assert.is(flat.total, 10);
  flat.start(0, 0);
  flat.start(1, 0);
  flat.finish(1, 4, 4);
  assert.is(flat.eta(4), 6);
});

test('poolSchedule with one thread per point: greedy list scheduling by hand, with workers already busy', () => {
  const jobs = (xs) => xs.map((seconds) => ({ seconds }));
  const busy = (xs) => xs.map((left) => ({ seconds: left, left, elapsed: 0 }));
  assert.is(poolSchedule([], 3), 0);
  assert.is(poolSchedule(jobs([5, 1, 1]), 1), 7);
  assert.is(poolSchedule(jobs([3, 3, 2, 2, 2]), 2), 7); // taken in order: 3|3, 2→w0(5), 2→w1(5), 2→(7)
  assert.is(poolSchedule(jobs([2, 2, 2, 3, 3]), 2), 7);
  assert.is(poolSchedule(jobs([4]), 2, 1, busy([10])), 10); // the idle worker takes it
  assert.is(poolSchedule(jobs([4, 4]), 2, 1, busy([1])), 5);
  assert.equal(
    longestFirst(
      [
        { index: 0, c: 1 },
        { index: 1, c: 3 },
        { index: 2, c: 3 },
      ],
      (p) => p.c,
    ).map((p) => p.index),
    [1, 2, 0],
  );
});

const synthetic = () => {
  // a demo-shaped run: cheap exact RF points between trained NT/NN points, in canonical order
  const pts = [];
  for (let i = 0; i < 15; i++) {
    pts.push({ index: 3 * i, cls: 'RF', seconds: 0.0005 });
    pts.push({ index: 3 * i + 1, cls: 'NT', seconds: 0.1 + 0.01 * i });
    pts.push({ index: 3 * i + 2, cls: 'NN', seconds: 0.12 + 0.01 * i });
  }
  return pts;
};

test('EtaTracker: starts at the prediction; a cheap point measured 20× its prediction barely moves it (the demo\'s "ETA 11105 min")', () => {
  const pts = synthetic();
  const total = pts.reduce((s, p) => s + p.seconds, 0);
  const eta = new EtaTracker(pts, 1);
  assert.ok(Math.abs(eta.eta(0) - total) < 1e-12);
  assert.is(eta.total, total);
  eta.start(0, 0);
  eta.finish(0, 0.01);
  const after = eta.eta(0.01);
  // the old estimate was elapsed × costLeft / costDone = 0.01 × (total − p₀)/p₀ ≈ 20 × total
  assert.ok(after > 0.99 * (total - 0.0005) && after < 1.05 * total, `eta ${after} vs ${total}`);
  // the ratio of a class with data: (M + w·g)/(P + w), g the overall ratio (M + w)/(P + w)
  const w = 0.05 * total,
    g = (0.01 + w) / (0.0005 + w);
  assert.ok(Math.abs(eta.overallRatio() - g) < 1e-12);
  assert.ok(Math.abs(eta.ratio('RF') - (0.01 + w * g) / (0.0005 + w)) < 1e-12);
  assert.ok(Math.abs(eta.ratio('NN') - g) < 1e-12);
});

test('EtaTracker: a run 2× slower than predicted — the implied total moves smoothly to the truth, then the ETA falls steadily', () => {
  const pts = synthetic();
  const eta = new EtaTracker(pts, 1);
  const dur = (p) => 2 * p.seconds * (1 + 0.1 * Math.sin(p.index)); // ±10 % noise around 2×
  const trueTotal = pts.reduce((s, p) => s + dur(p), 0);
  let t = 0,
    prevTotal = eta.total,
    prevEta = Infinity;
  pts.forEach((p, i) => {
    eta.start(p.index, t);
    t += dur(p);
    eta.finish(p.index, dur(p));
    const e = eta.eta(t);
    // the implied total (elapsed + ETA) never jumps: it must rise 2× in all, but by steps
    assert.ok(Math.abs((t + e) / prevTotal - 1) < 0.5, `implied total ${prevTotal} → ${t + e} at point ${i}`);
    // after the first third the ratios have settled: the ETA only falls (up to the noise)
    if (i >= 15) assert.ok(e <= prevEta * 1.05 + 1e-9, `ETA rose from ${prevEta} to ${e} at point ${i}`);
    if (i === 14) assert.ok(Math.abs(e / (trueTotal - t) - 1) < 0.15, `${e} vs ${trueTotal - t}`);
    prevTotal = t + e;
    prevEta = e;
  });
  assert.is(prevEta, 0);
});

test('EtaTracker: with workers, points in flight count by their elapsed time and the rest is list-scheduled', () => {
  const pts = [
    { index: 0, cls: 'NN', seconds: 10 },
    { index: 1, cls: 'NN', seconds: 6 },
    { index: 2, cls: 'NN', seconds: 4 },
    { index: 3, cls: 'RF', seconds: 1 },
  ];
  const eta = new EtaTracker(pts, 2);
  assert.is(eta.total, 11); // 10 | 6 + 4, then 1 → w1 (10) … max(10, 11)
  eta.start(0, 0);
  eta.start(1, 0);
  assert.is(eta.eta(3), listSchedule([4, 1], 2, [7, 3]));
  // point 1 finishes exactly as predicted at t = 6: ratio stays 1
  eta.finish(1, 6);
  eta.start(2, 6);
  assert.is(eta.eta(6), Math.max(4, 4 + 1, 10 - 6));
  // a point in flight past its prediction counts as about to finish, not as negative
  assert.is(eta.eta(20), 1);
  assert.throws(() => new EtaTracker([{ index: 0, cls: 'NN', seconds: NaN }], 1), /predicted seconds NaN/);
});

test("probeWidths: the run's end widths and geometric steps between (paper grid: 4 NN widths, 3 NT)", () => {
  const c = normalizeConfig(preset('paper'));
  const nn = probeWidths(c.widths.NN),
    nt = probeWidths(c.widths.NT);
  assert.is(nn.length, 4);
  assert.is(nn[0], 30);
  assert.is(nn[3], 4767);
  for (const w of nn) assert.ok(c.widths.NN.includes(w));
  for (let i = 1; i < nn.length; i++) assert.ok(nn[i] / nn[i - 1] < 8);
  assert.equal([nt[0], nt.at(-1), nt.length], [30, 450, 3]);
  assert.equal(probeWidths([5, 6]), [5, 6]);
  assert.equal(probeWidths([7]), [7]);
});

test('pointWork / pointCost: static and consistent (steps × flops per step + one-off work)', () => {
  const c = normalizeConfig(preset('paper'));
  const pts = enumeratePoints(c);
  for (const p of pts) {
    const w = pointWork(c, p);
    assert.is(pointCost(c, p), w.steps * w.stepFlops + w.fixedFlops);
    if (p.regime === 'RF') assert.is(w.kind, null);
    else assert.equal([w.kind, w.steps], [p.regime, 100000]);
  }
  const nn = pts.filter((p) => p.regime === 'NN');
  for (let i = 1; i < nn.length; i++) assert.ok(pointCost(c, nn[i]) > pointCost(c, nn[i - 1]));
  // exact NT (no training) costs far less than trained NT
  const exact = normalizeConfig({ ...preset('paper'), nt: { method: 'exact' } });
  const p = pts.find((q) => q.regime === 'NT');
  assert.ok(pointCost(exact, p) < pointCost(c, p) / 100);
});

const loads = (points, count, assign, cost) => {
  const l = new Array(count).fill(0);
  for (const p of points) l[assign(p)] += cost(p);
  return l;
};

test('shards: every point in exactly one shard, deterministic, canonical order within a shard', () => {
  const c = normalizeConfig(preset('paper'));
  const pts = enumeratePoints(c);
  const cost = (p) => pointCost(c, p);
  for (const k of [1, 2, 3, 5, 8, 64]) {
    const seen = new Map();
    for (let i = 0; i < k; i++) {
      const mine = shardPoints(pts, { index: i, count: k }, cost);
      for (let j = 1; j < mine.length; j++) assert.ok(mine[j].index > mine[j - 1].index);
      for (const p of mine) {
        assert.not.ok(seen.has(p.index), `point ${p.index} in two shards`);
        seen.set(p.index, i);
      }
    }
    assert.is(seen.size, pts.length);
    // the same partition from the points in another order (each shard computes it on its own)
    const again = shardAssignment([...pts].reverse(), k, cost);
    for (const [idx, s] of seen) assert.is(again.get(idx), s);
  }
});

test('shards balance predicted cost on the paper grid far better than every k-th point', () => {
  const c = normalizeConfig(preset('paper'));
  const pts = enumeratePoints(c);
  const cost = (p) => pointCost(c, p);
  const total = pts.reduce((s, p) => s + cost(p), 0);
  const largest = Math.max(...pts.map(cost));
  for (const k of [2, 3, 4, 6, 8]) {
    const a = shardAssignment(pts, k, cost);
    const lpt = Math.max(...loads(pts, k, (p) => a.get(p.index), cost));
    const old = Math.max(...loads(pts, k, (p) => p.index % k, cost));
    const bound = Math.max(total / k, largest); // no partition does better
    // Graham's bound for LPT: ≤ 4/3 − 1/(3k) of the optimum
    assert.ok(lpt <= (4 / 3 - 1 / (3 * k)) * bound + 1e-6 * total, `k=${k}: ${lpt / bound}`);
    assert.ok(lpt < old, `k=${k}: LPT ${lpt} vs round robin ${old}`);
    if (k <= 4) assert.ok(lpt <= 1.02 * bound, `k=${k}: ${lpt / bound} of the lower bound`);
  }
});

test('planCompare: every point predicted, queue longest-first with workers, canonical with one; nothing computed', async () => {
  const cfg = { d: 12, ratios: [0.25, 0.5, 1, 2], seed: 3, nn: { steps: 200 }, nt: { steps: 200 } };
  const one = await planCompare(cfg);
  assert.is(one.points, 12);
  assert.is(one.todo, 12);
  assert.is(one.workers, 1);
  assert.equal(
    one.perPoint.map((p) => p.index),
    [...Array(12).keys()],
  );
  assert.ok(one.perPoint.every((p) => p.seconds > 0 && Number.isFinite(p.seconds)));
  assert.ok(Math.abs(one.predictedSeconds - one.serialSeconds) < 1e-12 * one.serialSeconds);
  assert.equal(
    one.regimes.map((r) => [r.regime, r.points, r.steps]),
    [
      ['RF', 4, 0],
      ['NT', 4, 200],
      ['NN', 4, 200],
    ],
  );
  assert.equal(
    one.model.NN.samples.map((s) => s.N),
    probeWidths([3, 6, 12, 24]),
  );
  const two = await planCompare(cfg, { workers: 2, skip: ['RF|3|0'] });
  assert.is(two.todo, 11);
  for (let i = 1; i < two.perPoint.length; i++) assert.ok(two.perPoint[i].seconds <= two.perPoint[i - 1].seconds);
  assert.ok(two.predictedSeconds < two.serialSeconds && two.predictedSeconds >= two.serialSeconds / 2);
  // the probe is cached per process: the same model object
  assert.is(two.model, one.model);
  const err = await planCompare(cfg, { workers: 0 }).then(
    () => null,
    (e) => e,
  );
  assert.match(String(err), /options\.workers must be an integer in \[1, 64\], got 0/);
});

test('compare: the ETA of a small real run is there from the first point and stays sane (no "0 s" → "41 min")', async () => {
  const cfg = { d: 16, ratios: [0.1, 0.25, 0.5, 0.75, 1, 1.25, 1.5], seed: 2, nn: { steps: 600 }, nt: { steps: 600 } };
  for (const workers of [1, 2]) {
    /** @type {any} */
    let plan = null;
    const etas = [];
    const t0 = performance.now(),
      c0 = process.cpuUsage();
    const res = await compare(cfg, {
      workers,
      onPlan: (p) => {
        plan = p;
      },
      onProgress: (p) => etas.push(p.etaSeconds),
    });
    const total = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(c0);
    // CPU seconds of the run, summed over this thread and the workers (+ the probe's own)
    const cpuTotal = (used.user + used.system) / 1e6;
    assert.ok(plan !== null && plan.todo === 21);
    assert.is(etas.length, 21);
    assert.ok(
      etas.every((e) => typeof e === 'number' && e >= 0),
      `workers ${workers}: ${etas}`,
    );
    assert.is(etas.at(-1), 0);
    // an order of magnitude of slack: the machine may be shared; the old estimate was off by 10⁴
    for (const e of etas) assert.ok(e < 10 * total + 1, `workers ${workers}: ETA ${e} s in a ${total} s run`);
    // the prediction is for cores of the run's own (the probe times CPU time): set against the
    // run's CPU time, which a loaded machine does not inflate 10× as it does the wall clock
    // (load 15 on 2 cores: 0.31 s predicted, 4.6 s wall)
    assert.ok(
      plan.serialSeconds < 10 * cpuTotal + 1 && plan.serialSeconds > cpuTotal / 10,
      `predicted ${plan.serialSeconds} s of compute, used ${cpuTotal} s of CPU (${total} s wall)`,
    );
    assert.is(res.rows.length, 21);
  }
});

test.run();
