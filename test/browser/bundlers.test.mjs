// Bundler consumers: a tiny app that imports "lazytrain" is built with Vite (the .wasm must be
// found with no configuration) and with plain Rollup (then pointed at a CDN copy with
// init({ wasm })), served on 127.0.0.1 and run in Chromium.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync, readdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, ROOT, browserSuite } from '../helpers/browser.mjs';

const test = browserSuite(uvuTest); // skipped, with one line saying why, when no Chromium is found

let tmp; // created in test.before, so a skipped suite leaves nothing behind
let browser;

const APP = (initArgs) => `
import { init, matmul, fromArray, toArray, createRng, runtimeInfo } from 'lazytrain';
window.__result = (async () => {
  try {
    await init(${initArgs});
    const c = matmul(fromArray([[1, 2], [3, 4]]), fromArray([[5], [6]]));
    return { product: toArray(c), normal: Array.from(createRng(42).normal(2)), simd: runtimeInfo().simd };
  } catch (e) {
    return { error: String(e && e.message || e) };
  }
})();
`;
const HTML = (src) => `<!doctype html><meta charset="utf-8"><script type="module" src="${src}"></script>`;

test.before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lazytrain-bundle-'));
  // its own package.json: a stray one higher up (say /tmp/package.json named "lazytrain") would
  // otherwise be the package scope, and "lazytrain" would resolve to it as a self-reference
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'bundle-consumer', private: true }));
  mkdirSync(join(tmp, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(tmp, 'node_modules', 'lazytrain'), 'dir');
  browser = await launch();
});

test.after(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function runPage(root, path) {
  const server = await serve(root);
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}${path}`);
    const r = await page.evaluate(() => window.__result);
    await page.close();
    return r;
  } finally {
    await server.close();
  }
}

const EXPECTED_NORMAL = [-0.303263064678738, 0.28846173882942383]; // golden values, test/random

test('Vite build: the .wasm is emitted and found without configuration', async () => {
  const app = join(tmp, 'vite-app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'index.html'), HTML('./main.js'));
  writeFileSync(join(app, 'main.js'), APP(''));
  const { build } = await import('vite');
  await build({
    root: app,
    logLevel: 'silent',
    build: { outDir: join(app, 'dist'), target: 'es2022' },
    resolve: { preserveSymlinks: false },
  });
  const assets = readdirSync(join(app, 'dist', 'assets'));
  assert.ok(
    assets.some((f) => /lazytrain-simd.*\.wasm$/.test(f)),
    `assets: ${assets.join(', ')}`,
  );
  const r = await runPage(join(app, 'dist'), '/index.html');
  assert.not.ok(r.error, r.error);
  assert.equal(r.product, [[17], [39]]);
  assert.equal(r.normal, EXPECTED_NORMAL);
  assert.is(r.simd, true);
});

test('Rollup build: init({ wasm }) loads the module from another origin path (CDN use); a missing .wasm is a clear error', async () => {
  const app = join(tmp, 'rollup-app');
  mkdirSync(join(app, 'cdn'), { recursive: true });
  writeFileSync(join(app, 'main.js'), APP("{ wasm: new URL('/cdn/lazytrain-simd.wasm', location.href) }"));
  writeFileSync(join(app, 'missing.js'), APP(''));
  const { rollup } = await import('rollup');
  const resolveLazytrain = {
    name: 'resolve-lazytrain',
    resolveId: (id) => (id === 'lazytrain' ? join(ROOT, 'dist', 'index.js') : null),
  };
  for (const input of ['main.js', 'missing.js']) {
    const bundle = await rollup({
      input: join(app, input),
      plugins: [resolveLazytrain],
      external: (id) => id.startsWith('node:'),
      onwarn: () => {},
    });
    await bundle.write({ dir: join(app, 'out', input.replace('.js', '')), format: 'es' });
    await bundle.close();
    writeFileSync(
      join(app, 'out', input.replace('.js', ''), 'index.html'),
      HTML('./main.js'.replace('main', input.replace('.js', ''))),
    );
  }
  cpSync(join(ROOT, 'dist', 'lazytrain-simd.wasm'), join(app, 'cdn', 'lazytrain-simd.wasm'));
  const ok = await runPage(app, '/out/main/index.html');
  assert.not.ok(ok.error, ok.error);
  assert.equal(ok.product, [[17], [39]]);
  assert.equal(ok.normal, EXPECTED_NORMAL);
  const missing = await runPage(app, '/out/missing/index.html');
  assert.match(missing.error ?? '', /fetching http:\/\/127\.0\.0\.1:\d+\/out\/missing\/lazytrain-simd\.wasm failed \(HTTP 404\)/);
});

test.run();
