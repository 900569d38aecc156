// The emitted WebAssembly text, checked the way AssemblyScript's own tests snapshot .wat:
// a lost SIMD path (or SIMD leaking into the scalar fallback) shows here, not in a benchmark.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';

const wat = (f) => readFileSync(new URL(`../../build/wasm/${f}`, import.meta.url), 'utf8');

function funcBody(text, name) {
  const start = text.indexOf(`(func $assembly/blas/gemm/${name} `);
  assert.ok(start >= 0, `function ${name} present`);
  const next = text.indexOf('\n (func ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

test('SIMD build: GEMM micro-kernels use f64x2 / f32x4 multiply and add, no relaxed FMA', () => {
  const text = wat('lazytrain-simd.wat');
  const d = funcBody(text, 'dgemm');
  assert.ok((d.match(/f64x2\.mul/g) ?? []).length >= 8, 'dgemm: 8 f64x2.mul per k step (4×4 tile)');
  assert.ok((d.match(/v128\.load64_splat/g) ?? []).length >= 4, 'dgemm: A broadcast loads');
  const s = funcBody(text, 'sgemm');
  assert.ok((s.match(/f32x4\.mul/g) ?? []).length >= 8, 'sgemm: 8 f32x4.mul per k step (4×8 tile)');
  assert.not.match(text, /relaxed/, 'no relaxed-SIMD instruction (not deterministic across engines)');
});

// gemm.ts has one generic driver gemm<T>, inlined into both exports, whose type branches
// (sizeof<T>()) must fold away: each export keeps its own element type's kernel only.
test('SIMD build: the generic GEMM driver keeps one element type per export', () => {
  const text = wat('lazytrain-simd.wat');
  const d = funcBody(text, 'dgemm'), s = funcBody(text, 'sgemm');
  assert.not.match(d, /f32x4|v128\.load32_splat|f32\.(load|store)/, 'dgemm: no f32 code');
  assert.not.match(s, /f64x2|v128\.load64_splat|f64\.(load|store)/, 'sgemm: no f64 code');
});

test('scalar build: 4×4 f64 and 4×8 f32 scalar micro-kernels, each in its own export', () => {
  const text = wat('lazytrain-scalar.wat');
  const d = funcBody(text, 'dgemm'), s = funcBody(text, 'sgemm');
  assert.ok((d.match(/f64\.mul/g) ?? []).length >= 16, 'dgemm: 16 f64.mul per k step (4×4 tile)');
  assert.ok((s.match(/f32\.mul/g) ?? []).length >= 8, 'sgemm: 8 f32.mul per k step (one row of 8)');
  assert.not.match(d, /f32\./, 'dgemm: no f32 code');
  assert.not.match(s, /f64\.(mul|add|load|store)/, 'sgemm: no f64 arithmetic or loads');
});

test('relaxed build: GEMM micro-kernels use relaxed_madd instead of mul + add', () => {
  const text = wat('lazytrain-relaxed.wat');
  const d = funcBody(text, 'dgemm'), s = funcBody(text, 'sgemm');
  assert.ok((d.match(/f64x2\.relaxed_madd/g) ?? []).length >= 8, 'dgemm: 8 f64x2.relaxed_madd per k step (4×4 tile)');
  assert.ok((s.match(/f32x4\.relaxed_madd/g) ?? []).length >= 8, 'sgemm: 8 f32x4.relaxed_madd per k step (4×8 tile)');
  assert.not.match(d, /f64x2\.mul/, 'dgemm: no separate multiply left');
  assert.not.match(s, /f32x4\.mul/, 'sgemm: no separate multiply left');
});

test('scalar build: no v128 anywhere, so it validates on engines without SIMD', () => {
  const text = wat('lazytrain-scalar.wat');
  assert.not.match(text, /v128|f64x2|f32x4/);
  const bytes = readFileSync(new URL('../../build/wasm/lazytrain-scalar.wasm', import.meta.url));
  assert.ok(WebAssembly.validate(bytes));
});

test('both builds import only env.abort and export the same ABI', async () => {
  const names = [];
  for (const f of ['lazytrain-simd.wasm', 'lazytrain-scalar.wasm']) {
    const mod = await WebAssembly.compile(readFileSync(new URL(`../../build/wasm/${f}`, import.meta.url)));
    assert.equal(WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`), ['env.abort']);
    names.push(WebAssembly.Module.exports(mod).map((e) => e.name).sort());
  }
  assert.equal(names[0], names[1]);
});

test.run();
