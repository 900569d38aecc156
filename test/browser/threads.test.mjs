// Threads in Chromium (issue 12 item 3): on a cross-origin-isolated page (COOP same-origin +
// COEP require-corp) init({ threads: k }) starts k − 1 Web Workers on one shared memory, and
// runs at k = 1, 2, 3 give Node's unthreaded numbers bit for bit (the page's main thread cannot
// block, so it spins: the other synchronisation path). Without isolation the page falls back
// to one thread and runtimeInfo().threads says why. The demo server sends the headers.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve, launch, browserSuite } from '../helpers/browser.mjs';
import { threadRuns } from './fixtures/threads.mjs';

const test = browserSuite(uvuTest); // skipped, with one line saying why, when no Chromium is found

const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
let browser, node;

async function pageResult(headers) {
  const server = await serve(undefined, { headers });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${server.url}/test/browser/fixtures/threads.html`);
    const result = /** @type {any} */ (await page.evaluate(() => /** @type {any} */ (window).__result));
    assert.equal(errors, [], 'no page errors');
    assert.not.ok(result.error, result.error);
    return result;
  } finally {
    await page.close();
    await server.close();
  }
}

test.before(async () => {
  browser = await launch();
  const lt = await import(`../../dist/index.js?threads=${1}`);
  await lt.init({ simd: true });
  node = await threadRuns(lt);
});

test.after(async () => {
  await browser?.close();
});

test('cross-origin isolated page: 1, 2 and 3 threads (Web Workers), each bit-identical to Node', async () => {
  const r = await pageResult(ISOLATION);
  assert.is(r.isolated, true);
  for (const [i, k] of [1, 2, 3].entries()) {
    assert.equal(r.runs[i].threads, { requested: k, used: k, reason: null });
    assert.equal(r.runs[i].runs, node, `threads: ${k}`);
  }
});

test('without cross-origin isolation: one thread, the reason in runtimeInfo().threads, same numbers', async () => {
  const r = await pageResult({});
  assert.is(r.isolated, false);
  for (const [i, k] of [1, 2, 3].entries()) {
    assert.is(r.runs[i].threads.requested, k);
    assert.is(r.runs[i].threads.used, 1);
    if (k > 1) assert.match(r.runs[i].threads.reason, /cross-origin isolated/);
    assert.equal(r.runs[i].runs, node);
  }
});

test('npm run demo (demo/serve.mjs) serves a cross-origin isolated page', async () => {
  const script = fileURLToPath(new URL('../../demo/serve.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`demo server exited (${code}): ${out}`)));
    });
    const page = await browser.newPage();
    const res = await page.goto(`${url}index.html`);
    assert.is(res.headers()['cross-origin-embedder-policy'], 'require-corp');
    assert.is(await page.evaluate(() => self.crossOriginIsolated), true);
    await page.close();
  } finally {
    child.kill();
  }
});

test.run();
