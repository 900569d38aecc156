// init({ fma: true }) (issue 12 item 2) in a plain `node` process: Node 20 keeps relaxed SIMD
// behind a V8 flag that NODE_OPTIONS and Worker execArgv refuse, so the loader sets it at run
// time; this checks that the relaxed build is really loaded there and in compare's workers, and
// that FMA runs (f64 and f32) end where the default f64 run ends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { init } from '../../dist/index.js';

const CHILD = fileURLToPath(new URL('../helpers/fma-child.mjs', import.meta.url));

let out;
test.before(() => {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  out = JSON.parse(execFileSync(process.execPath, [CHILD], { env, encoding: 'utf8' }));
});

test('init({ fma: true }) in a node process without flags loads the relaxed-SIMD build', () => {
  assert.equal(out.info, { simd: true, fma: true, build: 'relaxed' });
  assert.is(out.plain.info, 'simd');
});

test('FMA runs at d = 100 (NN N = 30, 150, NT N = 50; f32, and f64 at N = 30) end within 1 % (or 0.002·R₀) of the default f64 run', () => {
  const R0 = 3.1323974411445548; // quadraticTask({ d: 100, seed: 3 }).risk0
  assert.is(Object.keys(out.fma).length, 4);
  for (const [k, v] of Object.entries(out.fma)) {
    const ref = out.plain[k.split(' ').slice(0, 2).join(' ')];
    assert.ok(ref < 0.8 * R0, `default f64 risk ${ref} (${k})`);
    assert.ok(Math.abs(v - ref) <= Math.max(0.01 * ref, 0.002 * R0), `fma ${k}: ${v} vs ${ref}`);
  }
});

test("compare's worker_threads run the relaxed build too (2 workers give the main thread's rows bit for bit)", () => {
  assert.is(out.rows1.length, 6);
  assert.equal(out.rows2, out.rows1);
  // where the CPU fuses the multiply-adds the relaxed rows differ from the plain SIMD build's,
  // so the equality above would catch a worker that fell back to the SIMD build
  if (JSON.stringify(out.plain.rows1) === JSON.stringify(out.rows1))
    console.log('  (note: FMA did not change any bit on this machine)');
});

test('init: fma is validated, and conflicting options are refused with a message naming them', async () => {
  /** @type {[any, RegExp][]} */
  const cases = [
    [{ fma: 'yes' }, /options\.fma must be a boolean/],
    [{ fma: true, simd: false }, /fma: true needs the SIMD build/],
    [{ fma: true, wasm: new Uint8Array(8) }, /cannot be combined with options\.wasm/],
  ];
  for (const [opts, re] of cases)
    await init(opts).then(
      () => assert.unreachable(`accepted ${JSON.stringify(opts)}`),
      (e) => assert.match(e.message, re),
    );
  const info = await init({ simd: true });
  assert.equal([info.build, info.fma], ['simd', false]);
});

test.run();
