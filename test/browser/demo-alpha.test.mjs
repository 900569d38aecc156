// The demo page's α sweep in Chromium: switching the experiment shows the α fields and hides the
// width ones, a small sweep runs end to end (one table row per α, the two-panel figure with both
// theory lines, the smallest and largest α on their limits), and a bad α grid names its fields
// without leaving stale results.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { serve, launch, browserSuite } from '../helpers/browser.mjs';

const test = browserSuite(uvuTest); // skipped, with one line saying why, when no Chromium is found

let server, browser, page;
const errors = [];

test.before(async () => {
  server = await serve(fileURLToPath(new URL('../../build/demo/', import.meta.url)));
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1100, height: 1300 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => document.getElementById('build').dataset.simd !== undefined, null, { timeout: 30000 });
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

test('switching to the α sweep shows its fields, hides the width ones, and sizes d and the steps', async () => {
  assert.ok(await page.isHidden('[name=amin]'));
  await page.selectOption('[name=experiment]', 'alpha');
  for (const name of ['amin', 'amax', 'apd', 'N']) assert.ok(await page.isVisible(`[name=${name}]`), name);
  for (const name of ['rmin', 'rmax', 'rstep', 'n', 'NT', 'task']) assert.ok(await page.isHidden(`[name=${name}]`), name);
  assert.is(await page.inputValue('[name=d]'), '8');
  assert.is(await page.inputValue('[name=steps]'), '3000');
});

test('Run: a small α sweep completes; one row per α, both limits reached, the two-panel figure', async () => {
  await page.fill('[name=amin]', '0.5');
  await page.fill('[name=amax]', '5000');
  await page.fill('[name=apd]', '1');
  await page.fill('[name=N]', '4');
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done', null, { timeout: 180000 });
  const rows = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells, (c) => c.textContent)));
  assert.equal(
    rows.map((r) => r[0]),
    ['0.5', '5', '50', '500', '5000'],
  );
  const [first, last] = [rows[0], rows[rows.length - 1]];
  // columns: α, N, rep, R/R₀, movement, lazy, rich, s
  assert.ok(Math.abs(Number(first[3]) / Number(first[6]) - 1) < 0.05, `smallest α ${first[3]} vs rich ${first[6]}`);
  assert.ok(Math.abs(Number(last[3]) / Number(last[5]) - 1) < 0.05, `largest α ${last[3]} vs lazy ${last[5]}`);
  assert.ok(Number(first[4]) > 100 * Number(last[4]), 'the movement falls with α');
  const svg = await page.$eval('#figure svg', (s) => ({
    lazy: s.querySelectorAll('.theory-lazy').length,
    rich: s.querySelectorAll('.theory-rich').length,
    text: s.textContent,
  }));
  assert.equal([svg.lazy, svg.rich], [1, 1]);
  assert.match(svg.text, /Lazy → rich/);
  assert.match(svg.text, /lazy: riskNT\(B, W₀\)/);
  assert.match(svg.text, /rich: NN, ±1 split/);
  assert.is(await page.isDisabled('#dl-csv'), false);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dl-svg')]);
  assert.is(download.suggestedFilename(), 'lazytrain-figure.svg');
  assert.equal(errors, []);
});

test('a bad α grid or width: the fields are named, and the page stays usable', async () => {
  await page.fill('[name=amin]', '0');
  await page.click('#run');
  assert.match(await page.textContent('#error'), /^α grid \(from, to, per decade\): start must be > 0, got 0$/);
  await page.fill('[name=amin]', '1');
  await page.fill('[name=amax]', '10');
  await page.fill('[name=N]', '3');
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'error', null, { timeout: 30000 });
  assert.match(await page.textContent('#error'), /widths: the α sweep pairs its neurons .* N must be even, got 3/);
  assert.equal(await page.$$eval('#results tbody tr', (trs) => trs.length), 0, 'no stale rows');
  // back to the width comparison: it still runs
  await page.selectOption('[name=experiment]', 'widths');
  await page.fill('[name=d]', '8');
  await page.fill('[name=rmin]', '0.5');
  await page.fill('[name=rmax]', '1');
  await page.fill('[name=rstep]', '0.5');
  await page.fill('[name=steps]', '100');
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done', null, { timeout: 60000 });
  assert.is(await page.isHidden('#error'), true);
  assert.is(await page.$$eval('#results tbody tr', (trs) => trs.length), 6);
  assert.equal(errors, []);
});

test.run();
