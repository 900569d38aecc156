// The mixture task in compare (issue 13 part 4): exact class theories never below the exact
// Bayes error, in the rows and in the figure; the exact 0-1 errors of the models against Monte
// Carlo; the population RF fit against a large-sample least-squares fit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  init,
  compare,
  plotSVG,
  summaryMarkdown,
  toCSV,
  mixtureTask,
  randomFeatures,
  createRng,
  fitRF,
  matrix,
  theory,
} from '../../dist/index.js';

test.before(async () => {
  await init();
});

// Several Δ: two d, low-rank and full-rank spectra, strengths from weak to strong, widths on
// both sides of rank Δ and of d. The training is short (the theory does not depend on it).
const CASES = [
  { d: 8, taskOptions: { delta: 'lowrank', rank: 3, strength: 0.8 }, ratios: [0.125, 0.25, 0.5, 1, 2] },
  { d: 12, taskOptions: { delta: 'diagonal', strength: 0.5 }, ratios: [0.1, 0.5, 1, 1.5] },
  { d: 20, taskOptions: {}, ratios: [0.05, 0.5, 1, 2] }, // the example (weak-signal < Bayes)
  { d: 16, taskOptions: { delta: 'lowrank', rank: 8, strength: 0.95 }, ratios: [0.25, 0.75, 1.25] },
];
const runs = [];

test('every class theory is ≥ the exact Bayes error (several d, spectra, N); the exact Bayes error agrees with Monte Carlo', async () => {
  for (const cs of CASES) {
    const res = await compare({
      task: 'mixture',
      ...cs,
      seed: 4,
      mcSamples: 20000,
      nn: { steps: 300 },
      nt: { steps: 300 },
    });
    runs.push({ cs, res });
    const { bayesError, bayesErrorMC } = res.meta;
    // independent check: the Monte Carlo Bayes error of the task's own rule (4σ)
    assert.ok(
      Math.abs(bayesError - bayesErrorMC.error) < 4 * bayesErrorMC.stderr,
      `d=${cs.d}: exact ${bayesError} vs MC ${bayesErrorMC.error} ± ${bayesErrorMC.stderr}`,
    );
    assert.is(res.rows.length, 3 * cs.ratios.length);
    for (const r of res.rows) {
      assert.ok(
        r.theory.exact >= bayesError - 1e-9,
        `d=${cs.d} ${r.regime} N=${r.N}: theory ${r.theory.exact} < Bayes ${bayesError}`,
      );
      assert.ok(r.theory.exact <= 0.5 + 1e-9);
      assert.type(r.theory.weakSignal, 'number');
      // every model, trained or fitted, is a rule too: its exact error is ≥ Bayes
      assert.ok(r.error01Exact >= bayesError - 1e-9, `${r.regime} N=${r.N}: model ${r.error01Exact} < Bayes`);
    }
  }
  // the d = 20 case: the weak-signal value is below the Bayes error, the exact ones are not
  const d20 = runs.find((x) => x.cs.d === 20).res;
  const nn = d20.rows.filter((r) => r.regime === 'NN' && r.N >= 2);
  assert.ok(nn.length > 0 && nn.every((r) => r.theory.weakSignal < d20.meta.bayesError));
  // NN with N ≥ rank Δ holds the Bayes rule: its explicit rule is the Bayes rule
  for (const r of nn) assert.ok(Math.abs(r.theory.exact - d20.meta.bayesError) < 1e-6, `${r.theory.exact}`);
});

test('the exact 0-1 error of each model matches its Monte Carlo test error (4σ)', () => {
  let n = 0;
  for (const { res } of runs) {
    for (const r of res.rows) {
      if (r.error01 === undefined) continue; // RF at its population fit has no Monte Carlo error
      const se = Math.sqrt((r.error01Exact * (1 - r.error01Exact)) / 20000);
      assert.ok(
        Math.abs(r.error01 - r.error01Exact) < 4 * se,
        `${r.regime} N=${r.N}: MC ${r.error01} vs exact ${r.error01Exact}`,
      );
      n++;
    }
  }
  assert.ok(n >= 20, `${n} rows checked`);
});

// SVG y of the dotted Bayes line and the y coordinates of each class's theory path
function curves(svg) {
  const bayes = Number(/<line class="bayes" [^>]*y1="([\d.]+)"/.exec(svg)[1]);
  const theoryPaths = {};
  for (const m of svg.matchAll(/<path class="theory-(\w+)" d="([^"]+)"/g)) {
    theoryPaths[m[1]] = [...m[2].matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((p) => Number(p[2]));
  }
  return { bayes, theoryPaths };
}

test('figure: every plotted theory curve lies on or above the Bayes line; labels say what is drawn', () => {
  for (const { cs, res } of runs) {
    const svg = plotSVG(res);
    const { bayes, theoryPaths } = curves(svg);
    assert.equal(Object.keys(theoryPaths).sort(), ['NN', 'NT', 'RF'], `d=${cs.d}`);
    for (const [regime, ys] of Object.entries(theoryPaths)) {
      assert.is(ys.length, cs.ratios.length);
      // SVG y grows downwards: a curve above the Bayes line has y ≤ the line's y (0.1 px rounding)
      for (const y of ys) assert.ok(y <= bayes + 0.1, `d=${cs.d} ${regime}: y ${y} below the Bayes line at ${bayes}`);
    }
    assert.match(svg, />exact class theory</);
    assert.match(svg, />Bayes error \(exact\)</);
    assert.not.match(svg, /weak-signal theory/);
    // the log axis draws the same curves
    const lg = curves(plotSVG(res, { logY: true }));
    for (const ys of Object.values(lg.theoryPaths)) for (const y of ys) assert.ok(y <= lg.bayes + 0.1);
  }
  // the check can fail: a row whose theory is moved below the Bayes error is caught
  const { res } = runs[0];
  const bad = {
    ...res,
    rows: res.rows.map((r, i) => (i === 0 ? { ...r, theory: { ...r.theory, exact: res.meta.bayesError / 2 } } : r)),
  };
  const b = curves(plotSVG(bad));
  assert.ok(Object.values(b.theoryPaths).some((ys) => ys.some((y) => y > b.bayes + 0.1)));
});

test('summary and CSV: exact theory and weak-signal approximation side by side; exact model error', () => {
  const { res } = runs.find((x) => x.cs.d === 20);
  const md = summaryMarkdown(res);
  assert.match(md, /exact error of the class's explicit rule/);
  assert.match(md, /weak-signal approximation/);
  const nn = res.rows.find((r) => r.regime === 'NN' && r.N === 20);
  assert.match(md, new RegExp(`\\[${nn.theory.exact.toPrecision(4)} / ${nn.theory.weakSignal.toPrecision(4)}\\]`));
  const lines = toCSV(res).trim().split('\n');
  const head = lines[0].split(',');
  assert.equal(head.slice(-2), ['error01_exact', 'theory_weak_signal']);
  const row = lines[1 + res.rows.indexOf(nn)].split(',');
  assert.is(Number(row[head.indexOf('error01_exact')]), nn.error01Exact);
  assert.is(Number(row[head.indexOf('theory_weak_signal')]), nn.theory.weakSignal);
});

test("online defaults train to within a few points of the class theory (the issue's d = 20 run)", async () => {
  // compare --task mixture --d 20 --ratios 0.5,1,2 with today's defaults (n = online): before,
  // n = 20·d left NN at 0.43 against 0.34 (bench/mixture/gap.mjs)
  const res = await compare({ task: 'mixture', d: 20, ratios: [0.5, 1, 2] });
  assert.is(res.meta.n, 'online');
  for (const r of res.rows) {
    const gap = r.error01Exact - r.theory.exact;
    const tol = r.regime === 'RF' ? 0.002 : 0.01;
    assert.ok(Math.abs(gap) < tol, `${r.regime} N=${r.N}: ${r.error01Exact} vs theory ${r.theory.exact}`);
  }
});

test('mixturePopulationRF: the n → ∞ least-squares RF fit (large-sample fitRF; Monte Carlo square loss)', () => {
  const task = mixtureTask({ d: 6, rank: 2, strength: 0.7, seed: 3 });
  const W = randomFeatures(6, 4, createRng(8));
  const pop = theory.mixturePopulationRF(task, W);
  // the square loss of the population fit by Monte Carlo (independent of the closed form)
  const { X, y } = task.sample(400000, createRng(21));
  const n = y.length;
  const proj = (a, c) => {
    let s = 0,
      s2 = 0;
    for (let k = 0; k < n; k++) {
      let f = c;
      for (let i = 0; i < 4; i++) {
        let t = 0;
        for (let j = 0; j < 6; j++) t += X.data[k * 6 + j] * W.data[j * 4 + i];
        f += a[i] * t * t;
      }
      const e = (y[k] - f) ** 2;
      s += e;
      s2 += e * e;
    }
    return { mean: s / n, se: Math.sqrt((s2 / n - (s / n) ** 2) / n) };
  };
  const mc = proj(pop.a, pop.c);
  assert.ok(Math.abs(mc.mean - pop.risk) < 4 * mc.se, `closed form ${pop.risk} vs MC ${mc.mean} ± ${mc.se}`);
  // a least-squares fit on the large sample lands next to the population fit
  const fit = fitRF({ X, y, W });
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(fit.a[i] - pop.a[i]) < 0.02, `a[${i}] ${fit.a[i]} vs ${pop.a[i]}`);
  assert.ok(Math.abs(fit.c - pop.c) < 0.02);
  // and its sample loss is below the population optimum's by at most a few SE (it is fitted there)
  const fitMc = proj(fit.a, fit.c);
  assert.ok(fitMc.mean <= mc.mean + 1e-12);
  assert.ok(mc.mean - fitMc.mean < 4 * mc.se);
});

test('quadraticRuleError: exact error of a given rule and threshold against Monte Carlo (4σ); bad input named', () => {
  const task = mixtureTask({ d: 5, rank: 2, strength: 0.6, seed: 9 });
  const rng = createRng(13);
  const A = rng.normalMatrix(5, 5);
  const M = matrix(5, 5);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) M.data[i * 5 + j] = A.data[i * 5 + j] + A.data[j * 5 + i];
  for (const t of [-1, 0.5, 3]) {
    const r = theory.quadraticRuleError(task, M, t, { best: true });
    const { X, y } = task.sample(200000, createRng(31 + 2 * t));
    let wrong = 0;
    for (let k = 0; k < y.length; k++) {
      let q = 0;
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) q += X.data[k * 5 + i] * M.data[i * 5 + j] * X.data[k * 5 + j];
      if ((q >= t ? 1 : -1) !== y[k]) wrong++;
    }
    const p = wrong / y.length,
      se = Math.sqrt((p * (1 - p)) / y.length);
    assert.ok(Math.abs(p - r.error) < 4 * se, `t=${t}: exact ${r.error} vs MC ${p} ± ${se}`);
    assert.ok(r.best.error <= r.error + 1e-12);
  }
  assert.throws(() => theory.quadraticRuleError(task, matrix(4, 4), 0), /M is 4×4, but delta is 5×5/);
  assert.throws(() => theory.quadraticRuleError(task, M, NaN), /threshold must be finite/);
  // @ts-expect-error a number on purpose: the error must name options.best
  assert.throws(() => theory.quadraticRuleError(task, M, 0, { best: 1 }), /options\.best must be a boolean/);
  assert.ok(theory.quadraticRuleError(task, M, 0).error > 0, 'usable after errors');
});

test.run();
