import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from '../helpers/assert.mjs';
import {
  init,
  compare,
  theory,
  quadraticTask,
  mergeResults,
  parseJsonl,
  toCSV,
  summaryMarkdown,
  plotSVG,
  normalizeConfig,
  paperNNWidths,
  preset,
} from '../../dist/index.js';
import { SMALL, strip } from '../helpers/compare.mjs';

test.before(async () => {
  await init();
});

test('rows carry the documented fields; RF (online) is its exact theory; NN/NT theory is attached', async () => {
  const res = await compare({ ...SMALL, reps: 1 });
  assert.is(res.rows.length, 12);
  assert.is(res.meta.points, 12);
  const task = quadraticTask({ d: 12, seed: 3 });
  for (const r of res.rows) {
    for (const k of ['task', 'regime', 'd', 'N', 'rho', 'rep', 'seed', 'risk', 'normalizedRisk', 'theory', 'method', 'seconds'])
      assert.ok(k in r, `row has ${k}`);
    assert.is(r.rho, r.N / 12);
    assert.ok(Math.abs(r.normalizedRisk - r.risk / task.risk0) < 1e-15);
    if (r.regime === 'RF') {
      assert.is(r.method, 'exact');
      assert.is(r.normalizedRisk, r.theory.exact);
      assert.ok(Math.abs(r.theory.limit - theory.limitRF(task.kappa, r.rho)) < 1e-15);
    }
    if (r.regime === 'NT') assert.ok(r.theory.expected !== null && r.steps === 300);
    if (r.regime === 'NN') {
      assert.ok(Math.abs(r.theory.exact - theory.riskNN(task, r.N, { secondLayer: 'positive' }) / task.risk0) < 1e-15);
      assert.is(r.theory.limit, theory.limitNN('exponential', r.rho));
    }
  }
  assert.ok(res.meta.theoryCurves.RF.length > 50 && res.meta.theoryCurves.NN.length > 50);
});

test('same seed ⇒ identical rows; workers = 2 ⇒ identical rows', async () => {
  const a = await compare(SMALL);
  const b = await compare(SMALL);
  const w = await compare(SMALL, { workers: 2 });
  assert.equal(strip(b.rows), strip(a.rows));
  assert.equal(strip(w.rows), strip(a.rows));
  assert.equal(w.meta, a.meta);
});

test('sharding: the union of shards equals the full run (merge), and resume skips finished points', async () => {
  const full = await compare(SMALL);
  const parts = [];
  for (let i = 0; i < 3; i++) parts.push({ name: `s${i}`, result: await compare(SMALL, { shard: `${i}/3` }) });
  assert.equal(
    parts.reduce((s, p) => s + p.result.rows.length, 0),
    full.rows.length,
  );
  const merged = mergeResults(parts);
  assert.equal(strip(merged.rows), strip(full.rows));
  assert.is(merged.meta.shard, undefined);
  // resume: skip the keys of shard 0's rows; the rest reproduces the missing rows exactly
  const done = parts[0].result.rows.map((r) => `${r.regime}|${r.N}|${r.rep}`);
  const rest = await compare(SMALL, { skip: done });
  assert.is(rest.rows.length, full.rows.length - done.length);
  assert.equal(
    strip(
      mergeResults([
        { name: 'a', result: parts[0].result },
        { name: 'b', result: rest },
      ]).rows,
    ),
    strip(full.rows),
  );
  const warnings = [];
  const overlap = mergeResults(
    [
      { name: 'a', result: full },
      { name: 'b', result: parts[1].result },
    ],
    { onWarning: (m) => warnings.push(m) },
  );
  assert.equal(strip(overlap.rows), strip(full.rows), 'a point in both inputs is kept once');
  assert.match(warnings.join('\n'), /duplicate rows \(first: point \S+ appears in both a and b\); each point kept once/);
  const other = await compare({ ...SMALL, reps: 1, seed: 4 });
  assert.throws(
    () =>
      mergeResults([
        { name: 'a', result: full },
        { name: 'b', result: other },
      ]),
    /different run configuration/,
  );
});

test('a small-d grid whose narrowest NT point diverges at the default rate runs, and its row says the rate was halved', async () => {
  // d = 8, N = 2: the default NT rate diverges (src/training/loop.ts); before the halving rule
  // the whole compare() rejected
  const cfg = { d: 8, ratios: [0.25, 0.5, 1], seed: 1, nn: { steps: 300 }, nt: { steps: 300 } };
  const r = await compare(cfg);
  const nt2 = r.rows.find((x) => x.regime === 'NT' && x.N === 2);
  assert.is(nt2?.lrHalvings, 1);
  assert.ok(Number.isFinite(nt2?.risk));
  for (const row of r.rows) if (row !== nt2) assert.not.ok('lrHalvings' in row, `${row.regime} ${row.N}`);
  // and so does its CSV line (empty for the others)
  const csv = toCSV(r).trim().split('\n');
  const col = csv[0].split(',').indexOf('lr_halvings');
  assert.ok(col > 0);
  assert.equal(
    csv.slice(1).map((l) => l.split(',')[col]),
    r.rows.map((x) => (x === nt2 ? '1' : '')),
  );
  // the same rows again, and through two workers (the halving is part of the point, not of the run)
  assert.equal(strip((await compare(cfg, { workers: 2 })).rows), strip(r.rows));
});

test('progress, abort and onRow', async () => {
  const seen = [];
  const rows = [];
  await compare({ ...SMALL, reps: 1 }, { onProgress: (p) => seen.push(p), onRow: (r) => rows.push(r) });
  assert.is(seen.length, 12);
  assert.is(seen.at(-1).done, 12);
  assert.is(seen.at(-1).total, 12);
  assert.ok(seen.every((p) => p.elapsedSeconds >= 0 && (p.etaSeconds === null || p.etaSeconds >= 0)));
  assert.is(rows.length, 12);
  const ctl = new AbortController();
  const res = await compare({ ...SMALL, reps: 1 }, { onRow: () => ctl.abort(), signal: ctl.signal });
  assert.ok(res.rows.length >= 1 && res.rows.length < 12, `stopped after ${res.rows.length} rows`);
});

test('abort with worker threads stops at once (points in flight are dropped, not awaited)', async () => {
  const ctl = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ctl.abort(), 300);
  const res = await compare(
    { d: 20, ratios: [1, 2], regimes: ['NN'], nn: { steps: 400000 } },
    { workers: 2, signal: ctl.signal },
  );
  const seconds = (performance.now() - t0) / 1000;
  assert.is(res.rows.length, 0);
  assert.ok(seconds < 10, `returned after ${seconds.toFixed(1)} s (each point alone takes minutes)`);
});

test('finite-n runs: RF/NT least squares, NN trained on the sample; mixture task with Bayes error', async () => {
  const res = await compare({ d: 8, ratios: [0.5, 1], n: 400, seed: 2, nn: { steps: 200 } });
  for (const r of res.rows) {
    assert.ok(r.normalizedRisk > 0 && Number.isFinite(r.risk));
    if (r.regime === 'RF') assert.match(r.method, /lstsq/);
    if (r.regime === 'RF' || r.regime === 'NT')
      assert.ok(
        r.normalizedRisk >= r.theory.exact * (1 - 1e-9),
        `${r.regime} N=${r.N}: a finite-sample fit cannot beat the population optimum`,
      );
  }
  const mix = await compare({
    task: 'mixture',
    taskOptions: { strength: 0.7, rank: 2 },
    d: 10,
    ratios: [0.2, 1],
    n: 2000,
    mcSamples: 4000,
    nn: { steps: 300 },
  });
  assert.ok(mix.meta.bayesError > 0.1 && mix.meta.bayesError < 0.5);
  for (const r of mix.rows) {
    assert.ok(r.error01 > 0 && r.error01 < 0.6, `${r.regime} ${r.error01}`);
    assert.ok(r.theory.exact > 0 && r.theory.exact <= 0.5);
  }
});

test('outputs: CSV, Markdown summary and SVG figure', async () => {
  const res = await compare({ ...SMALL, reps: 2 });
  const csv = toCSV(res).trim().split('\n');
  assert.is(csv.length, 1 + res.rows.length);
  assert.ok(csv[0].startsWith('task,regime,d,N,rho,rep,seed,risk,normalizedRisk'));
  const md = summaryMarkdown(res);
  assert.match(md, /\| N \| N\/d \| RF \| NT \| NN \|/);
  assert.is(md.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length, 4);
  const svg = plotSVG(res);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500"'));
  assert.ok(svg.trim().endsWith('</svg>'));
  const hollowLegend = /hollow: not converged/.test(svg) ? 1 : 0; // the legend's sample of an unconverged marker
  assert.is((svg.match(/<circle /g) ?? []).length, 4 + 1 + hollowLegend, 'one NN marker per width, plus the legend');
  assert.match(svg, /stroke-dasharray="5 4"/, 'the N = d line');
  assert.match(svg, /d = 12/);
  assert.is(plotSVG(res), svg, 'deterministic');
  const log = plotSVG(res, { logY: true });
  assert.not.equal(log, svg);
  // round trip through JSONL
  const text = JSON.stringify({ meta: res.meta }) + '\n' + res.rows.map((r) => JSON.stringify(r)).join('\n') + '\n{"task":"quadr';
  assert.equal(parseJsonl(text), res, 'a torn final line is ignored');
  assert.throws(() => parseJsonl('{"regime":"RF"}\n'), /no meta line/);
});

test('summary: the fidelity line counts trained rows within 2 % or 0.005 of their exact theory and lists the worst', async () => {
  const res = await compare({ ...SMALL, reps: 1 });
  const trained = res.rows.filter((r) => r.steps !== undefined);
  assert.ok(trained.length >= 4);
  // move three trained rows to known places: on the 2 % edge, 0.006 off a small theory, 50 % off
  const rows = res.rows.map((r) => ({ ...r, theory: { ...r.theory } }));
  const t = rows.filter((r) => r.steps !== undefined);
  t[0].theory.exact = 0.5;
  t[0].normalizedRisk = 0.5 * 1.0199; // inside: 1.99 % relative
  t[1].theory.exact = 0.1;
  t[1].normalizedRisk = 0.106; // 6 % relative and 0.006 absolute: a miss (× allowed 1.2)
  t[2].theory.exact = 0.2;
  t[2].normalizedRisk = 0.3; // +50 %: the worst (× allowed 0.1/0.005 = 20)
  for (const r of t.slice(3)) r.normalizedRisk = r.theory.exact; // exactly on
  const md = summaryMarkdown({ meta: res.meta, rows });
  const name = (r) => `${r.regime} N=${r.N}`;
  const line = md.split('\n').find((l) => l.startsWith('Fidelity: '));
  assert.ok(line, md);
  assert.match(line, new RegExp(`^Fidelity: ${t.length - 2} of ${t.length} trained rows within`));
  assert.ok(line.includes(name(t[1])) && line.includes(name(t[2])) && !line.includes(`${name(t[0])} `), line);
  const table = md.split('\n').filter((l) => /^\| (NN|NT) \| \d+ \|/.test(l));
  assert.ok(table[0].startsWith(`| ${t[2].regime} | ${t[2].N} | 0.3000 | 0.2000 | +0.1000 | +50.0 % | 20.0 |`), table[0]);
  assert.ok(table[1].startsWith(`| ${t[1].regime} | ${t[1].N} | 0.1060 | 0.1000 | +0.006000 | +6.0 % | 1.2 |`), table[1]);
  // RF rows (exact by construction, not trained) are not counted
  assert.not.match(md, /^\| RF \| \d+ \| .* × allowed/m);
});

test('config validation and presets', async () => {
  assert.throws(() => normalizeConfig({ d: 10 }), /config\.ratios or config\.widths is required/);
  assert.throws(() => normalizeConfig({ d: 0, ratios: [1] }), /config\.d/);
  assert.throws(() => normalizeConfig({ d: 10, ratios: [0] }), /config\.ratios\[0\] must be > 0/);
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => normalizeConfig({ d: 10, ratios: [1], regimes: ['XX'] }), /unknown regime "XX"|unknown regime/);
  // the mixture runs online by default (issue 13); only NT's quadratic-task closed form is refused
  assert.is(normalizeConfig({ d: 10, ratios: [1], task: 'mixture' }).n, 'online');
  assert.throws(
    () => normalizeConfig({ d: 10, ratios: [1], task: 'mixture', nt: { method: 'exact' } }),
    /config\.nt\.method "exact" is for the quadratic task/,
  );
  assert.is(normalizeConfig({ d: 10, ratios: [1], task: 'mixture', regimes: ['NN'], nt: { method: 'exact' } }).n, 'online');
  // @ts-expect-error a wrong argument on purpose: the error must name it
  assert.throws(() => normalizeConfig({ d: 10, ratios: [1], nn: { step: 5 } }), /config\.nn\.step is not a known option/);
  assert.throws(() => normalizeConfig({ d: 10, ratios: [1], taskOptions: { d: 3 } }), /taskOptions\.d: set config\.d instead/);
  // enum fields are checked when the config is normalised (not at the first point that uses them)
  /** @type {Array<[object, RegExp]>} a config fragment of a wrong type or value, the error it raises */
  const bad = [
    [{ ratios: [-1] }, /config\.ratios\[0\] must be > 0, got -1/],
    [{ task: 'regression' }, /config\.task must be "quadratic" or "mixture", got the string "regression"/],
    [{ activation: 'gelu' }, /config\.activation must be "square", "relu" or "tanh"/],
    [{ nn: { schedule: 'linear' } }, /config\.nn\.schedule must be "paper", "constant" or "cosine"/],
    [{ nn: { optimizer: 'rmsprop' } }, /config\.nn\.optimizer must be "sgd" or "adam"/],
    [{ nn: { secondLayer: 'tied' } }, /config\.nn\.secondLayer must be "shared", "free" or "positive"/],
    [{ nt: { schedule: 3 } }, /config\.nt\.schedule must be .*, got number 3/],
    [{ nt: { method: 'cg' } }, /config\.nt\.method must be "sgd" or "exact"/],
    [{ nt: { lr: 0.1, lrScale: 2 } }, /config\.nt\.lr and config\.nt\.lrScale are exclusive/],
    // the trainers require these > 0: a run must not fail at its first NN point for them
    [{ nn: { lr: 0 } }, /config\.nn\.lr must be > 0, got 0/],
    [{ nt: { lrScale: -1 } }, /config\.nt\.lrScale must be > 0, got -1/],
    [{ nn: { alpha: 0 } }, /config\.nn\.alpha must be > 0, got 0/],
  ];
  for (const [cfg, re] of bad) {
    assert.throws(() => normalizeConfig({ d: 10, ratios: [1], ...cfg }), re);
  }
  assert.not.throws(() => normalizeConfig(preset('quick')));
  const paper = normalizeConfig(preset('paper'));
  assert.equal(paper.widths.NT, [30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 360, 390, 420, 450]);
  assert.equal(
    paperNNWidths(),
    [
      30, 37, 45, 56, 69, 86, 106, 131, 162, 200, 247, 306, 378, 467, 576, 712, 880, 1087, 1342, 1658, 2048, 2529, 3124, 3859,
      4767,
    ],
  );
  assert.is(paper.nn.steps, 100000);
  await rejects(() => compare({ d: 4, ratios: [1] }, { workers: 0 }), /hooks\.workers/);
});

test('quick preset (subset of its widths): NT close to riskNT of its W, NN close to riskNN', async () => {
  const cfg = { ...preset('quick'), ratios: [0.2, 0.5, 0.8, 1.2] };
  const res = await compare(cfg, { workers: 2 });
  for (const r of res.rows) {
    // a null theory value would make the lower bounds below pass vacuously
    if (r.regime !== 'RF') assert.type(r.theory.exact, 'number', `${r.regime} N=${r.N} has its theory value`);
    if (r.regime === 'NT') {
      // SGD approaches the least-squares optimum from above
      assert.ok(r.normalizedRisk >= r.theory.exact - 1e-12, `NT N=${r.N} below its optimum`);
      assert.ok(
        r.normalizedRisk - r.theory.exact <= 0.05 * r.theory.exact + 0.01,
        `NT N=${r.N}: ${r.normalizedRisk} vs riskNT ${r.theory.exact}`,
      );
    }
    if (r.regime === 'NN') {
      assert.ok(r.normalizedRisk >= r.theory.exact - 1e-12, `NN N=${r.N} below Eckart–Young`);
      assert.ok(
        r.normalizedRisk - r.theory.exact <= 0.05 * r.theory.exact + 0.005,
        `NN N=${r.N}: ${r.normalizedRisk} vs riskNN ${r.theory.exact}`,
      );
    }
  }
  // the paper's ordering below N = d: RF ≫ NT ≫ NN
  const at = (reg, N) => res.rows.find((r) => r.regime === reg && r.N === N).normalizedRisk;
  for (const N of [12, 30, 48]) assert.ok(at('RF', N) > at('NT', N) && at('NT', N) > 2 * at('NN', N), `ordering at N = ${N}`);
});

test.run();
