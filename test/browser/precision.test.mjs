// precision: 'f32' across engines, and init({ fma: true }) in Chromium (relaxed SIMD ships
// unflagged there since Chromium 114): f32 runs in a Chromium page equal Node's bit for bit
// (float32 arithmetic is correctly rounded in every engine, like float64), and the page gets
// the relaxed-SIMD build.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { serve, launch, browserSuite } from '../helpers/browser.mjs';
import { f32Runs } from './fixtures/precision.mjs';

const test = browserSuite(uvuTest); // skipped, with one line saying why, when no Chromium is found

let server, browser, result, node;

test.before(async () => {
  server = await serve();
  browser = await launch();
  const lt = await import(`../../dist/index.js?precision=${1}`);
  await lt.init({ simd: true });
  node = await f32Runs(lt);
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/test/browser/fixtures/precision.html`);
  result = /** @type {any} */ (await page.evaluate(() => /** @type {any} */ (window).__result));
  await page.close();
  assert.equal(errors, [], 'no page errors');
  assert.not.ok(result.error, result.error);
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

test('f32 training in a Chromium page is bit-identical to Node (NN SGD, NN Adam + tanh, NT)', () => {
  assert.equal(result.f32, node);
});

test('init({ fma: true }) in Chromium loads the relaxed-SIMD build, and its f32 run trains', () => {
  assert.equal([result.build, result.fma], ['relaxed', true]);
  assert.is(result.fmaW.length, node[0].W.length);
  let diff = 0;
  for (let i = 0; i < node[0].W.length; i++) diff = Math.max(diff, Math.abs(result.fmaW[i] - node[0].W[i]));
  // FMA changes the last bits only: after 200 steps the weights agree to float32 working accuracy
  assert.ok(diff < 1e-3, `max |W_fma − W| = ${diff}`);
});

test.run();
