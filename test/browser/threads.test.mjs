// Threads in Chromium (issue 12 item 3): on a cross-origin-isolated page (COOP same-origin +
// COEP require-corp) init({ threads: k }) starts k − 1 Web Workers on one shared memory, and
// runs at k = 1, 2, 3 give Node's unthreaded numbers bit for bit (the page's main thread cannot
// block, so it spins: the other synchronisation path). Without isolation the page falls back
// to one thread and runtimeInfo().threads says why. The demo server sends the headers.
// The same inside a module Worker (fixtures/threads-worker.mjs, as web tools embed lazytrain):
// the helpers are nested Web Workers and the calling thread blocks in Atomics.wait instead.
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

// A page that starts fixtures/threads-worker.mjs; `body` talks to it through ask({ op, ... }).
async function inWorker(headers, body) {
  const server = await serve(undefined, { headers });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${server.url}/test/browser/fixtures/threads-worker.html`);
    const ask = async (msg) => /** @type {any} */ (await page.evaluate((m) => /** @type {any} */ (window).__ask(m), msg));
    await body(ask);
    assert.equal(errors, [], 'no page errors');
  } finally {
    await page.close();
    await server.close();
  }
}

/** The reply's value; a reply carrying an error fails the test with the worker's message. */
function ok(reply) {
  assert.not.ok(reply.error, reply.error && `${reply.error.name}: ${reply.error.message}`);
  return reply.ok;
}

test('inside a module Worker on an isolated page: 1, 2 and 3 threads (nested Web Workers), each bit-identical to Node', async () => {
  await inWorker(ISOLATION, async (ask) => {
    // a worker may block: the calling thread takes the Atomics.wait path (canBlock, CANWAIT)
    assert.equal(ok(await ask({ op: 'env' })), { worker: true, isolated: true, wait: 'not-equal' });
    for (const k of [1, 2, 3]) {
      const want = { requested: k, used: k, reason: null };
      assert.equal(ok(await ask({ op: 'init', options: { threads: k } })).threads, want);
      const r = ok(await ask({ op: 'runs' }));
      assert.equal(r.threads, want, 'runtimeInfo().threads inside the worker');
      assert.equal(r.runs, node, `threads: ${k}`);
    }
  });
});

test('inside a module Worker without cross-origin isolation: one thread, the reason, same numbers', async () => {
  await inWorker({}, async (ask) => {
    assert.equal(ok(await ask({ op: 'env' })), { worker: true, isolated: false, wait: null });
    for (const k of [1, 2, 3]) {
      ok(await ask({ op: 'init', options: { threads: k } }));
      const r = ok(await ask({ op: 'runs' }));
      assert.is(r.threads.requested, k);
      assert.is(r.threads.used, 1);
      if (k > 1) assert.match(r.threads.reason, /cross-origin isolated/);
      else assert.is(r.threads.reason, null);
      assert.equal(r.runs, node);
    }
  });
});

test('inside a module Worker: bad input is a RangeError posted back; the threaded module stays usable', async () => {
  await inWorker(ISOLATION, async (ask) => {
    const three = { requested: 3, used: 3, reason: null };
    assert.equal(ok(await ask({ op: 'init', options: { threads: 3 } })).threads, three);
    const bad = await ask({ op: 'init', options: { threads: 0 } });
    assert.is(bad.error?.name, 'RangeError');
    assert.match(bad.error.message, /^options\.threads must be an integer from 1 to 64, got number 0$/);
    // a bad argument to a threaded computation: the error, and the helpers stay parked
    const badTrain = await ask({ op: 'badTrain' });
    assert.is(badTrain.error?.name, 'RangeError');
    assert.match(badTrain.error.message, /options\.N must be an integer/);
    const r = ok(await ask({ op: 'runs' }));
    assert.equal(r.threads, three, 'the loaded module is untouched');
    assert.equal(r.runs, node);
    // and it can still be replaced by another thread count
    ok(await ask({ op: 'init', options: { threads: 2 } }));
    const r2 = ok(await ask({ op: 'runs' }));
    assert.equal(r2.threads, { requested: 2, used: 2, reason: null });
    assert.equal(r2.runs, node);
  });
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
