// The relaxed-SIMD build (asconfig target "relaxed", build/wasm/lazytrain-relaxed.wasm): its GEMM
// micro-kernels use f64x2/f32x4.relaxed_madd, which an engine may fuse into one FMA rounding, so
// its results are not bit-identical to the SIMD build — only close to it. Node 20 compiles such a
// module only with `--experimental-wasm-relaxed-simd` on the command line, so the numerical
// check runs in a child process started with that flag (fixtures/relaxed-gemm.mjs). The .wat
// of the relaxed kernels is checked in build.test.mjs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gamma } from '../helpers/reference.mjs';

const file = (f) => new URL(`../../build/wasm/${f}`, import.meta.url);

// Engines that ship relaxed SIMD validate the module without a flag (Node ≥ 22, Chromium);
// Node 20 needs the V8 flag, which it accepts on the command line only.
let child = null;
function runChild() {
  if (child === null) {
    const flags = WebAssembly.validate(readFileSync(file('lazytrain-relaxed.wasm'))) ? [] : ['--experimental-wasm-relaxed-simd'];
    const script = fileURLToPath(new URL('./fixtures/relaxed-gemm.mjs', import.meta.url));
    child = JSON.parse(execFileSync(process.execPath, [...flags, script], { encoding: 'utf8' }));
  }
  return child;
}

test('relaxed build: same imports (env.abort) and exports as the SIMD build', () => {
  const { abi } = runChild();
  const r = abi['lazytrain-relaxed.wasm'], s = abi['lazytrain-simd.wasm'];
  assert.equal(r.imports.map((i) => `${i.module}.${i.name}`), ['env.abort']);
  assert.equal(r.imports, s.imports);
  assert.equal(r.exports, s.exports);
});

test('relaxed build: dgemm/sgemm agree with the SIMD build within 2γ_k and with a float64 reference within γ_k', () => {
  const { rows } = runChild();
  assert.ok(rows.length >= 40, 'every case ran');
  const U = { f64: 2 ** -53, f32: 2 ** -24 };
  let differ = 0, entries = 0;
  for (const r of rows) {
    const what = `${r.dtype} ${r.m}×${r.k}·${r.k}×${r.n} transA=${r.transA} transB=${r.transB}`;
    // Each result is within γ_k·Σ|a||b| of the exact product (Higham, Thm 3.1; an FMA only
    // removes roundings), so the two builds are within 2γ_k of each other. For f64 and k ≤ 600
    // that is ≤ 1.4e-13 relative to Σ|a||b|.
    assert.ok(r.apart <= 2 * gamma(r.k, U[r.dtype]), `${what}: builds ${r.apart} apart > 2γ_k`);
    assert.ok(r.fromRef <= gamma(r.k, U[r.dtype]) + gamma(r.k, U.f64), `${what}: ${r.fromRef} from the float64 reference`);
    if (r.dtype === 'f64') assert.ok(r.apart <= 1.4e-13, `${what}: f64 builds ${r.apart} apart`);
    differ += r.differ;
    entries += r.entries;
  }
  // Informative, not asserted: whether this CPU/engine fused the multiply-adds.
  console.log(`  relaxed vs SIMD: ${differ} of ${entries} entries differ in the last bits (${differ > 0 ? 'FMA in use' : 'no fusion on this engine'})`);
});

test.run();
