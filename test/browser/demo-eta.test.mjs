// The demo's ETA in Chromium (issue 12, item 4): the page once showed "ETA 11105 min" for a
// two-second run (one cheap exact-RF point's time per flop applied to the trained points).
// Every ETA the status line shows during a run of the page's defaults stays within an order of
// magnitude of the run's length (generous: the machine may be shared; the bug was ×10⁴).
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { serve, launch, browserSuite } from '../helpers/browser.mjs';

const test = browserSuite(uvuTest); // skipped, with one line saying why, when no Chromium is found

let server, browser, page;

test.before(async () => {
  server = await serve(fileURLToPath(new URL('../../build/demo/', import.meta.url)));
  browser = await launch();
  page = await browser.newPage();
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => document.getElementById('build').dataset.simd !== undefined, null, { timeout: 30000 });
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

test("the status line's ETA stays sane through a run of the default form", async () => {
  // record every status text (the page rewrites it on each progress message)
  await page.evaluate(() => {
    /** @type {any} */ (window).__status = [];
    const el = document.getElementById('status');
    new MutationObserver(() => /** @type {any} */ (window).__status.push([performance.now(), el.textContent])).observe(el, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.fill('[name=steps]', '800');
  const t0 = Date.now();
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done', null, { timeout: 180000 });
  const seconds = (Date.now() - t0) / 1000;
  const texts = await page.evaluate(() => /** @type {any} */ (window).__status.map((s) => s[1]));
  const etas = [];
  for (const t of texts) {
    const m = /ETA (\d+(?:\.\d+)?) (s|min|h)$/.exec(t);
    if (m) etas.push(Number(m[1]) * { s: 1, min: 60, h: 3600 }[m[2]]);
  }
  assert.ok(etas.length >= 40, `${etas.length} ETAs in ${texts.length} status lines`);
  for (const e of etas) assert.ok(e <= 10 * seconds + 1, `ETA ${e} s shown in a ${seconds} s run`);
  assert.match(texts.at(-1), /^done: 45 points$/);
});

test.run();
