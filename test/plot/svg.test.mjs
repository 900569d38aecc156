// plotSVG's xMax: the N/d axis of a partial run keeps its planned range (the demo passes it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, compare, plotSVG } from '../../dist/index.js';

let res;
test.before(async () => {
  await init();
  res = await compare({ d: 6, ratios: [0.5, 1], seed: 3, nn: { steps: 20, batch: 10 }, nt: { method: 'exact' } });
});

// the x tick labels: the centred text group under the axis
const xTicks = (svg) => {
  const g = svg.match(/<g text-anchor="middle">([\s\S]*?)<\/g>/)[1];
  return [...g.matchAll(/>([^<]+)</g)].map((m) => Number(m[1]));
};

test('xMax extends the axis to the planned range; the points stay where they are', () => {
  const base = plotSVG(res);
  assert.is(Math.max(...xTicks(base)) < 2, true, `ticks ${xTicks(base)}`);
  const wide = plotSVG(res, { xMax: 2 });
  assert.ok(Math.max(...xTicks(wide)) >= 2, `ticks ${xTicks(wide)}`);
  assert.is.not(wide, base);
});

test('xMax below the data is a minimum only; undefined is the default', () => {
  assert.is(plotSVG(res, { xMax: 0.1 }), plotSVG(res));
  assert.is(plotSVG(res, { xMax: undefined }), plotSVG(res));
});

test('invalid xMax: an error naming options.xMax', () => {
  assert.throws(() => plotSVG(res, { xMax: -1 }), /options\.xMax must be in \[0, Infinity\], got -1/);
  assert.throws(() => plotSVG(res, { xMax: NaN }), /options\.xMax must be finite/);
  // @ts-expect-error a string on purpose: the error must name options.xMax
  assert.throws(() => plotSVG(res, { xMax: '2' }), /options\.xMax must be a number/);
});

test.run();
