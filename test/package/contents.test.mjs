// What `npm pack` ships: what users need and nothing else (no sources, tests, benchmarks, demo,
// docs images or API reference), and the README's images reachable from the npm page.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packedConsumer, ROOT } from './pack.mjs';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test('the tarball holds the bundle, the five .wasm builds, the types and the docs, nothing else', () => {
  const { files } = packedConsumer();
  const allowed = [
    /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
    /^dist\/(index|cli|worker)\.js$/,
    /^dist\/lazytrain-(simd|scalar|relaxed|simd-mt|relaxed-mt)\.wasm$/,
    /^dist\/types\/.+\.d\.ts$/,
  ];
  const extra = files.filter((f) => !allowed.some((re) => re.test(f)));
  assert.equal(extra, [], 'unexpected files in the package');
  for (const f of [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'dist/index.js',
    'dist/cli.js',
    'dist/worker.js',
    'dist/lazytrain-simd.wasm',
    'dist/lazytrain-scalar.wasm',
    'dist/lazytrain-relaxed.wasm',
    'dist/lazytrain-simd-mt.wasm',
    'dist/lazytrain-relaxed-mt.wasm',
    'dist/types/index.d.ts',
  ]) {
    assert.ok(files.includes(f), `${f} is shipped`);
  }
});

test('package.json: entry points exist in the tarball; repository, homepage, bugs', () => {
  const { pkg: dir } = packedConsumer();
  const exp = pkg.exports['.'];
  for (const p of [pkg.main, pkg.types, exp.types, exp.import, exp.default, pkg.bin.lazytrain]) {
    assert.ok(existsSync(join(dir, p)), `${p} exists in the packed package`);
  }
  assert.is(Object.keys(exp).at(-1), 'default', '"default" must come last among the conditions');
  assert.is(Object.keys(exp)[0], 'types', '"types" must come first');
  assert.match(pkg.repository.url, /github\.com\/lazytrain\/lazytrain/);
  assert.match(pkg.homepage, /^https:\/\/github\.com\/lazytrain\/lazytrain/);
  assert.match(pkg.bugs.url, /^https:\/\/github\.com\/lazytrain\/lazytrain\/issues$/);
});

test('README images: absolute URLs to files of the repository (the npm page cannot see docs/)', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 2);
  const prefix = 'https://raw.githubusercontent.com/lazytrain/lazytrain/main/';
  for (const url of images) {
    assert.ok(url.startsWith(prefix), `${url} is absolute (raw.githubusercontent.com)`);
    assert.ok(existsSync(join(ROOT, url.slice(prefix.length))), `${url} names a committed file`);
  }
});

test('npm run docs: typedoc builds the API reference from the TSDoc, without the internals', () => {
  const { dir } = packedConsumer();
  const out = join(dir, 'api');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.not.match(r.stdout, /\[warning\]|\[error\]/, r.stdout);
  const fns = readdirSync(join(out, 'functions'));
  for (const f of ['init.html', 'dispose.html', 'matmul.html', 'compare.html', 'theory.riskNN.html'])
    assert.ok(fns.includes(f), f);
  assert.equal(
    fns.filter((f) => f.startsWith('_internal')),
    [],
  );
  assert.match(readFileSync(join(out, 'functions', 'dispose.html'), 'utf8'), /never shrinks|cannot\s+shrink/);
  assert.is(pkg.scripts.docs, 'typedoc');
});

test.run();
