// The LAPACK kernels' emitted WebAssembly text (as build.test.mjs does for GEMM): the hot loops of
// the eigensolver keep their f64x2 SIMD paths in the SIMD build, and nothing relaxed sneaks in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';

const wat = (f) => readFileSync(new URL(`../../build/wasm/${f}`, import.meta.url), 'utf8');

function funcBody(text, path) {
  const start = text.indexOf(`(func $assembly/lapack/${path} `);
  assert.ok(start >= 0, `function ${path} present`);
  const next = text.indexOf('\n (func ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

const count = (s, re) => (s.match(re) ?? []).length;

test('SIMD build: tridiagonalisation, rotations and dot products use f64x2', () => {
  const text = wat('lazytrain-simd.wat');
  const fused = funcBody(text, 'sytrd/dsyr2DotAxpy');
  assert.ok(count(fused, /f64x2\.mul/g) >= 12, 'fused rank-2 update + SYMV: 3 f64x2.mul per vector, 4 vectors');
  assert.ok(count(funcBody(text, 'level1/ddot'), /f64x2\.mul/g) >= 4, 'ddot: 4 f64x2 accumulators');
  assert.ok(count(funcBody(text, 'steqr/strip8'), /f64x2\.mul/g) >= 16, 'rotation strip: 4 f64x2 per rotation, both directions');
  assert.not.match(text, /relaxed/);
});

test('scalar build: the same kernels without v128', () => {
  const text = wat('lazytrain-scalar.wat');
  for (const f of ['sytrd/dsyr2DotAxpy', 'level1/ddot', 'sytrd/dsytrdU', 'stedc/merge', 'syev/dsyev']) {
    assert.not.match(funcBody(text, f), /v128|f64x2/, f);
  }
});

test.run();
