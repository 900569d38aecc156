// Bit-exact parity: the battery's digests in Chromium (page and Web Worker, SIMD and scalar
// builds) equal those computed here in Node.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { serve, launch, browserSuite } from '../helpers/browser.mjs';
import { readFileSync } from 'node:fs';
import { battery, BATTERY_KEYS } from '../helpers/battery.mjs';
import { FIXTURE } from '../helpers/digests.mjs';

const test = browserSuite(uvuTest); // skipped, with one line saying why, when no Chromium is found

const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')).battery;

let server, browser;
const node = {};

test.before(async () => {
  server = await serve();
  browser = await launch();
  let n = 0;
  for (const simd of [true, false]) {
    // a fresh module instance per build, as a page load gives the browser
    const lt = await import(`../../dist/index.js?parity=${++n}`);
    node[simd] = await battery(lt, { simd });
  }
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

async function inBrowser(query) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/test/browser/fixtures/parity.html?${query}`);
  const result = await page.evaluate(() => window.__result);
  await page.close();
  assert.equal(errors, [], 'no page errors');
  assert.not.ok(result.error, result.error);
  return result;
}

test('Node: SIMD and scalar builds produce identical digests', () => {
  assert.is(node[true].simd, true);
  assert.is(node[false].simd, false);
  const { simd: _a, ...s } = node[true];
  const { simd: _b, ...c } = node[false];
  assert.equal(c, s);
  assert.equal(Object.keys(s).sort(), [...BATTERY_KEYS].sort(), 'the battery computes every listed key');
  assert.equal(s, recorded, 'digests recorded in test/fixtures/digests.json');
});

for (const simd of [true, false]) {
  test(`Chromium page, ${simd ? 'SIMD' : 'scalar'} build: bit-identical to Node`, async () => {
    const r = await inBrowser(`simd=${simd}`);
    assert.is(r.simd, simd);
    assert.equal(r, node[simd]);
  });
  test(`Chromium Web Worker, ${simd ? 'SIMD' : 'scalar'} build: bit-identical to Node`, async () => {
    const r = await inBrowser(`simd=${simd}&worker=1`);
    assert.equal(r, node[simd]);
  });
}

test.run();
