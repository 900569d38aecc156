// The demo page in Chromium: a small run end to end (figure, table, downloads enabled,
// screenshot for the README), cancel (the figure keeps the planned N/d range), readable errors
// for an invalid configuration that never leave stale results beside disabled downloads, no
// failed request (favicon) or console error, and a bounded WASM heap over 1 000 repeated
// compare() calls.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { serve, launch, ROOT, browserSuite } from '../helpers/browser.mjs';

const test = browserSuite(uvuTest); // skipped, with one line saying why, when no Chromium is found

let server, browser, page;
const errors = [];
const failed = []; // HTTP ≥ 400 and failed requests, console errors

// Numbers under the x axis of the figure (the tick labels, centred)
const xTicks = () => page.$$eval('#figure svg g[text-anchor=middle] text', (ts) => ts.map((t) => Number(t.textContent)));
const state = () =>
  page.evaluate(() => ({
    figure: document.querySelector('#figure svg') !== null,
    rows: document.querySelectorAll('#results tbody tr').length,
    // the three download buttons (demo/index.html)
    downloads: ['dl-json', 'dl-csv', 'dl-svg'].map(
      (id) => !/** @type {HTMLButtonElement} */ (document.getElementById(id)).disabled,
    ),
  }));

test.before(async () => {
  server = await serve(fileURLToPath(new URL('../../build/demo/', import.meta.url)));
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1100, height: 1250 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
  page.on('console', (m) => {
    if (m.type() === 'error') failed.push(`console: ${m.text()}`);
  });
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => document.getElementById('build').dataset.simd !== undefined, null, { timeout: 30000 });
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

async function fill(values) {
  for (const [name, v] of Object.entries(values)) {
    await page.fill(`[name=${name}]`, String(v));
  }
}

test('shows which WebAssembly build runs', async () => {
  assert.match(await page.textContent('#build'), /WebAssembly: SIMD build/);
});

test('Run: a small comparison completes; the table, figure and downloads appear', async () => {
  await fill({ d: 16, rmin: 0.25, rmax: 1.5, rstep: 0.25, steps: 1500, reps: 1, seed: 3 });
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done', null, { timeout: 120000 });
  const rows = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells, (c) => c.textContent)));
  assert.is(rows.length, 18, '6 widths × 3 regimes');
  assert.equal([...new Set(rows.map((r) => r[0]))], ['RF', 'NT', 'NN']);
  for (const r of rows) assert.ok(Number(r[4]) >= 0 && Number(r[4]) < 2, `risk cell ${r[4]}`);
  const svg = await page.$eval('#figure svg', (s) => ({
    markers: s.querySelectorAll('circle, rect, path').length,
    text: s.textContent,
  }));
  assert.ok(svg.markers > 18);
  assert.match(svg.text, /d = 16/);
  assert.is(await page.isDisabled('#dl-csv'), false);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')]);
  assert.is(download.suggestedFilename(), 'lazytrain-results.csv');
  // docs/demo.png (README) is refreshed only on request, so test runs leave the tree clean
  const shot = process.env.UPDATE_SCREENSHOTS ? `${ROOT}docs/demo.png` : `${ROOT}build/demo-screenshot.png`;
  await page.screenshot({ path: shot, fullPage: false });
  assert.equal(errors, []);
});

test('Cancel stops a long run, keeps the points finished so far and the planned N/d axis', async () => {
  await fill({ d: 40, rmin: 0.1, rmax: 2, rstep: 0.1, steps: 20000 });
  await page.click('#run');
  await page.waitForFunction(() => /^[1-9]\d*\/\d+ points/.test(document.getElementById('status').textContent), null, {
    timeout: 60000,
  });
  await page.click('#cancel');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'cancelled', null, { timeout: 60000 });
  assert.match(await page.textContent('#status'), /cancelled after \d+ points/);
  assert.is(await page.isDisabled('#run'), false);
  // points run from the narrowest width up: the finished ones stop well short of N/d = 2, and
  // the axis must still reach 2 (the planned range), not shrink to them
  const rhos = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => Number(tr.cells[2].textContent)));
  assert.ok(rhos.length > 0 && Math.max(...rhos) < 1.5, `finished N/d: ${rhos}`);
  const ticks = await xTicks();
  assert.ok(Math.max(...ticks) >= 2, `x ticks ${ticks}`);
});

test('after a cancelled run: an invalid form keeps those results with their downloads', async () => {
  const before = await state();
  assert.ok(before.figure && before.rows > 0);
  assert.equal(before.downloads, [true, true, true], 'a cancelled run can be downloaded');
  await fill({ rmin: 1, rmax: 0.5 });
  await page.click('#run');
  assert.match(await page.textContent('#error'), /widths: need "to" ≥ "from"/);
  assert.equal(await state(), before, 'figure, table and downloads unchanged together');
});

test("a configuration the library rejects: the field's name, no stale results, the page stays usable", async () => {
  await fill({ d: 0, rmin: 0.5, rmax: 1, rstep: 0.5, steps: 100 });
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'error', null, { timeout: 30000 });
  assert.is(await page.textContent('#error'), 'd must be an integer in [1, 4096], got 0');
  // the previous (cancelled) results are gone with their downloads: nothing stale is shown
  assert.equal(await state(), { figure: false, rows: 0, downloads: [false, false, false] });
  await fill({ rmin: 1, rmax: 0.5 });
  await page.click('#run');
  assert.match(await page.textContent('#error'), /widths: need "to" ≥ "from"/);
  await fill({ d: 8, rmin: 0.5, rmax: 1, rstep: 0.5, steps: 100 });
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done', null, { timeout: 60000 });
  assert.is(await page.isHidden('#error'), true);
  assert.equal(errors, []);
});

test('no failed request (favicon included) and no console error during the whole session', () => {
  assert.equal(failed, []);
});

test('1 000 repeated compare() calls on tiny configs keep the WASM heap bounded', async () => {
  const r = await page.evaluate(async () => {
    // @ts-expect-error resolved by the browser against the demo page (build/demo/lib/index.js)
    const lt = await import('./lib/index.js');
    await lt.init();
    const cfg = { d: 6, ratios: [0.5, 1], n: 'online', nn: { steps: 20, batch: 10 }, nt: { method: 'exact' } };
    const sizes = [];
    for (let i = 0; i < 1000; i++) {
      await lt.compare({ ...cfg, seed: i });
      if (i === 99 || i === 999) sizes.push(lt.runtimeInfo().memoryBytes);
    }
    return sizes;
  });
  assert.is(r[1], r[0], `heap after 100 calls ${r[0]}, after 1000 calls ${r[1]}`);
});

test.run();
