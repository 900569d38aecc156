// plotCurvesSVG and `lazytrain plot --curves`: the risk-vs-step figure drawn from the rows' curves.
// The polylines are checked against the rows they come from: one per width shown, as many
// vertices as checkpoints, the last vertex at the row's own risk (same y as a theory line drawn
// at that value), x from 0 to the last step.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, compare, plotCurvesSVG } from '../../dist/index.js';
import { collect } from '../helpers/spawn.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lazytrain-curves-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

let res;
test.before(async () => {
  await init();
  // NT at half the default rate: the default rule under-estimates a single neuron's kernel at N = 2
  res = await compare({
    d: 8,
    widths: [2, 3, 4, 5, 6, 8, 10, 12],
    seed: 1,
    nn: { steps: 400 },
    nt: { steps: 400, lrScale: 0.5 },
  });
});

const polylines = (svg) =>
  [...svg.matchAll(/<polyline class="curve" data-regime="(\w+)" data-n="(\d+)"[^>]* points="([^"]+)"/g)].map((m) => ({
    regime: m[1],
    N: Number(m[2]),
    pts: m[3].split(' ').map((p) => p.split(',').map(Number)),
  }));

test('one polyline per width shown (default: 6 spread over the grid, ends included), vertices = checkpoints', () => {
  const svg = plotCurvesSVG(res);
  const lines = polylines(svg);
  for (const g of ['NT', 'NN']) {
    const mine = lines.filter((l) => l.regime === g);
    const grid = res.rows.filter((r) => r.regime === g).map((r) => r.N);
    assert.is(mine.length, 6);
    assert.is(mine[0].N, Math.min(...grid));
    assert.is(mine.at(-1).N, Math.max(...grid));
    for (const l of mine) {
      const row = res.rows.find((r) => r.regime === g && r.N === l.N);
      assert.is(l.pts.length, row.curve.step.length);
      // x: increasing, the first at the panel's left edge
      for (let i = 1; i < l.pts.length; i++) assert.ok(l.pts[i][0] > l.pts[i - 1][0]);
    }
  }
  assert.not.match(svg, /RF/, 'RF is not trained: no panel');
  assert.is(plotCurvesSVG(res), svg, 'deterministic');
});

test('log axis: a curve vertex and the theory line of the same value sit at the same height', () => {
  // give one row a theory equal to its final risk: its dashed line must pass through the last vertex
  const rows = res.rows.map((r) => ({ ...r, theory: { ...r.theory } }));
  const row = rows.find((r) => r.regime === 'NN' && r.N === 4);
  row.theory.exact = row.curve.risk.at(-1);
  const svg = plotCurvesSVG({ meta: res.meta, rows }, { widths: [4] });
  const [l] = polylines(svg).filter((p) => p.regime === 'NN');
  const th = svg.match(/<line class="theory" data-n="4" [^>]*y1="([\d.]+)"/g).map((s) => Number(s.match(/y1="([\d.]+)"/)[1]));
  assert.ok(th.includes(l.pts.at(-1)[1]), `${th} vs ${l.pts.at(-1)[1]}`);
});

test('widths option selects; bad options and a result without curves are clear errors', () => {
  const svg = plotCurvesSVG(res, { widths: [2, 8] });
  assert.equal(
    polylines(svg).map((l) => `${l.regime}${l.N}`),
    ['NT2', 'NT8', 'NN2', 'NN8'],
  );
  assert.throws(() => plotCurvesSVG(res, { widths: [0] }), /options\.widths\[0\]/);
  assert.throws(() => plotCurvesSVG(res, { height: 10 }), /options\.height/);
  // @ts-expect-error an unknown option is refused at run time too
  assert.throws(() => plotCurvesSVG(res, { colour: 'red' }), /colour/);
  const noCurves = { meta: res.meta, rows: res.rows.map(({ curve, ...r }) => r) };
  assert.throws(() => plotCurvesSVG(noCurves), /no row has a risk-vs-step curve/);
});

test('lazytrain plot --curves writes curves.svg next to the input; --widths; errors exit 2', async () => {
  const file = join(tmp, 'results.jsonl');
  writeFileSync(file, JSON.stringify({ meta: res.meta }) + '\n' + res.rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const run = (args) => collect(spawn(process.execPath, [CLI, 'plot', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const a = await run([file, '--curves', '--widths', '2,8']);
  assert.is(a.code, 0, a.stderr);
  assert.is(readFileSync(join(tmp, 'curves.svg'), 'utf8'), plotCurvesSVG(res, { widths: [2, 8] }));
  const b = await run([file, '--widths', '2']);
  assert.is(b.code, 2);
  assert.match(b.stderr, /--widths applies with --curves/);
  const c = await run([file, '--curves', '--widths', '2,x']);
  assert.is(c.code, 2);
  assert.match(c.stderr, /--widths must be a comma list of positive integers/);
});

test.run();
