// Convergence diagnostic (issue 13, part 2): every trained row carries
// { lossSlope, lossSlopeSE, riskChange, converged } (rule: src/training/convergence.ts). Proven
// against exact references: the fit on synthetic curves with a known trend, and on real runs the
// flag agrees with the distance to each point's own exact theory (riskNN / riskNT) — a run of
// 150 steps is flagged and sits far above its theory, one of 5 000 steps is not and sits on it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, compare, toCSV, summaryMarkdown, plotSVG, trainNN, quadraticTask, modelFromJSON } from '../../dist/index.js';
import { internal as _internal } from '../helpers/internal.mjs';

test.before(async () => {
  await init();
});

const run = (steps) =>
  compare(
    {
      d: 10,
      widths: { NN: [5], NT: [5] },
      regimes: ['NT', 'NN'],
      n: 'online',
      seed: 4,
      reps: 2,
      nn: { steps },
      nt: { method: 'sgd', steps },
    },
    { workers: 1 },
  );
let short, long;

test('convergenceOf: a straight-line loss gives its exact relative change over the final 10 %, zero scatter', () => {
  // 1000 windows of 1 step: loss = 2 − 0.001·(midpoint); final 10 % = the last 100 windows
  const n = 1000;
  const step = Float64Array.from({ length: n }, (_, j) => j + 1);
  const loss = Float64Array.from(step, (s) => 2 - 0.001 * (s - 0.5));
  const c = _internal.convergenceOf({ step, loss, riskStep: new Float64Array(0), risk: new Float64Array(0) });
  // windows (900, 901] … (999, 1000]: slope −0.001 × span 100 / their mean loss 2 − 0.001·950
  const expected = (-0.001 * 100) / (2 - 0.001 * 950);
  assert.ok(Math.abs(c.lossSlope - expected) < 1e-12, `${c.lossSlope} vs ${expected}`);
  assert.ok(c.lossSlopeSE < 1e-12);
  assert.is(c.riskChange, null);
  assert.is(c.converged, false); // −9.5 % over the final 10 %
  const flat = _internal.convergenceOf({
    step,
    loss: new Float64Array(n).fill(0.5),
    riskStep: Float64Array.of(0, 900, 950, 1000),
    risk: Float64Array.of(3, 0.5, 0.5, 0.4999),
  });
  assert.is(flat.lossSlope, 0);
  // from the checkpoint at 900 (≤ 90 % of 1000) to the last
  assert.ok(Math.abs(flat.riskChange - (0.4999 - 0.5) / 0.5) < 1e-15);
  assert.is(flat.converged, true);
  const moving = _internal.convergenceOf({
    step,
    loss: new Float64Array(n).fill(0.5),
    riskStep: Float64Array.of(0, 900, 950, 1000),
    risk: Float64Array.of(3, 0.52, 0.51, 0.5),
  });
  assert.ok(Math.abs(moving.riskChange - (0.5 - 0.52) / 0.52) < 1e-15);
  assert.is(moving.converged, false);
});

test('far too few steps (150): every trained row flagged, and NN sits far above its exact theory', async () => {
  short = await run(150);
  assert.is(short.rows.length, 4);
  for (const r of short.rows) {
    assert.ok(r.convergence, `${r.regime} has a convergence record`);
    assert.is(r.convergence.converged, false, `${r.regime} rep ${r.rep}: ${JSON.stringify(r.convergence)}`);
    assert.ok(Math.abs(r.convergence.riskChange) >= 0.01);
    if (r.regime === 'NN') assert.ok(r.normalizedRisk > 3 * r.theory.exact, `${r.normalizedRisk} vs ${r.theory.exact}`);
  }
});

test('a well-converged small run (d = 10, N = 5, 5 000 steps): flagged converged, and on its exact theory', async () => {
  long = await run(5000);
  for (const r of long.rows) {
    assert.is(r.convergence.converged, true, `${r.regime} rep ${r.rep}: ${JSON.stringify(r.convergence)}`);
    assert.ok(Math.abs(r.convergence.riskChange) < 0.01);
    // the point the flag vouches for is within the 2 % fidelity target of its own theory
    assert.ok(Math.abs(r.normalizedRisk / r.theory.exact - 1) < 0.02, `${r.regime}: ${r.normalizedRisk} vs ${r.theory.exact}`);
  }
});

test("rows carry the exact risk-vs-step curve: from step 0 to the last step, ending on the row's own risk, and riskChange is read off it", () => {
  for (const r of [...short.rows, ...long.rows]) {
    const { step, risk } = r.curve;
    assert.is(step.length, risk.length);
    assert.is(step[0], 0);
    assert.is(step.at(-1), r.steps);
    for (let i = 1; i < step.length; i++) assert.ok(step[i] > step[i - 1]);
    // the last checkpoint is the returned model: the same exact risk, bit for bit
    assert.is(risk.at(-1), r.normalizedRisk);
    // the untrained start: NN (a = 0) predicts a constant, so R/R₀ = 1 exactly up to c = 0 ⇒ ≥ 1
    if (r.regime === 'NN') assert.ok(risk[0] >= 1 - 1e-12, `NN start ${risk[0]}`);
  }
  // a JSON line round trip keeps it (it is plain arrays of numbers)
  const r = long.rows[0];
  assert.equal(JSON.parse(JSON.stringify(r)).curve, r.curve);
});

test('TrainedModel.training.convergence is the function of its curve, and survives a JSON round trip', async () => {
  const task = quadraticTask({ d: 10, seed: 4 });
  const m = await trainNN({ task, N: 5, steps: 300, seed: 9 });
  const c = m.training.convergence;
  assert.type(c.lossSlope, 'number');
  assert.type(c.lossSlopeSE, 'number');
  assert.type(c.riskChange, 'number');
  assert.equal(_internal.convergenceOf(m.curve), c);
  // a JSON round trip recomputes it from the curve
  const back = /** @type {any} */ (modelFromJSON(JSON.parse(JSON.stringify(m.toJSON()))));
  assert.equal(back.training.convergence, c);
});

test('CSV and summary carry the flags; the figure draws exactly the flagged points hollow', () => {
  // NN from the short run (both reps unconverged), NT from the long run (converged)
  const mixed = {
    meta: long.meta,
    rows: [...short.rows.filter((r) => r.regime === 'NN'), ...long.rows.filter((r) => r.regime === 'NT')],
  };
  const csv = toCSV(mixed).trim().split('\n');
  const head = csv[0].split(',');
  for (const col of ['converged', 'loss_slope', 'loss_slope_se', 'risk_change']) assert.ok(head.includes(col), col);
  for (const line of csv.slice(1)) {
    const v = line.split(',');
    const regime = v[head.indexOf('regime')];
    assert.is(v[head.indexOf('converged')], regime === 'NN' ? 'false' : 'true');
    assert.ok(Number.isFinite(Number(v[head.indexOf('risk_change')])));
  }
  const md = summaryMarkdown(mixed);
  assert.match(md, /Convergence: 2 of 4 trained rows converged, 2 unconverged/);
  assert.match(md, /NN N=5 rep=0, NN N=5 rep=1/);
  const svg = plotSVG(mixed);
  const hollow = svg.match(/<(\w+) class="unconverged"/g) ?? [];
  assert.equal(hollow, ['<circle class="unconverged"']); // one point: NN at N/d = 0.5 (both reps)
  assert.match(svg, /hollow: not converged/);
  // all converged: no hollow marker, no legend line
  const ok = plotSVG(long);
  assert.not.match(ok, /class="unconverged"/);
  assert.not.match(ok, /hollow: not converged/);
  assert.match(summaryMarkdown(long), /Convergence: 4 of 4 trained rows converged, 0 unconverged \(rule: [^)]*\)\.$/m);
});

test.run();
