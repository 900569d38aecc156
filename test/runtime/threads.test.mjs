// Threads (issue 12 item 3): init({ threads: k }) splits each training step over neuron
// columns and each large product over output columns, with every reduction over neurons on
// the calling thread — so results must be bit-identical for k = 1, 2, 3 and to the unthreaded
// builds (init() without threads). Widths are chosen so that shares are uneven (N not a
// multiple of the 4- or 8-column groups) and, with N = 5, so that some helpers get no columns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { init, dispose, runtimeInfo, quadraticTask, mixtureTask, trainNN, trainNT, matmul } from '../../dist/index.js';
import { digest, randomMatrix } from '../helpers/reference.mjs';

const pack = (m) => {
  const parts = [
    m.W.data,
    typeof m.a === 'number' ? Float64Array.of(m.a) : m.a,
    Float64Array.of(m.c),
    m.S?.data ?? new Float64Array(0),
  ];
  parts.push(m.curve.loss, m.curve.risk);
  const all = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
};

async function trainingDigests() {
  const task = quadraticTask({ d: 37, seed: 5 });
  const mix = mixtureTask({ d: 21, seed: 2 });
  const runs = [];
  for (const precision of /** @type {const} */ (['f64', 'f32'])) {
    runs.push(
      () => trainNN({ task, N: 45, steps: 60, seed: 4, precision, checkpoints: 3 }),
      () => trainNN({ task, N: 29, steps: 60, seed: 4, precision, optimizer: 'adam', secondLayer: 'free' }),
      () => trainNN({ task, N: 5, steps: 40, seed: 6, precision, secondLayer: 'positive', activation: 'tanh' }),
      () => trainNT({ task, N: 33, steps: 60, seed: 4, precision, checkpoints: 3 }),
      () => trainNN({ task: mix, N: 19, steps: 40, seed: 3, precision, secondLayer: 'free' }),
    );
  }
  const out = [];
  for (const run of runs) out.push(await digest(pack(await run())));
  return out;
}

async function productDigests() {
  const out = [];
  for (const Ctor of [Float64Array, Float32Array]) {
    const a = randomMatrix(97, 83, 1, Ctor);
    const b = randomMatrix(83, 131, 2, Ctor);
    const bt = randomMatrix(131, 83, 3, Ctor);
    out.push(await digest(matmul(a, b).data));
    out.push(await digest(matmul(a, bt, { transB: true }).data));
    out.push(await digest(matmul(b, randomMatrix(97, 83, 4, Ctor), { transA: true, transB: true }).data));
  }
  return out;
}

let reference;
test.before(async () => {
  await init({ simd: true });
  reference = { train: await trainingDigests(), products: await productDigests() };
});

test.after(async () => {
  await init({ simd: true });
});

test('runtimeInfo().threads: one thread by default', () => {
  assert.equal(runtimeInfo().threads, { requested: 1, used: 1, reason: null });
});

for (const k of [1, 2, 3]) {
  test(`threads: ${k}: training (NN shared/free/positive, NT, f64 and f32) and products bit-identical to one thread`, async () => {
    const info = await init({ threads: k });
    assert.equal(info.threads, { requested: k, used: k, reason: null });
    assert.is(info.build, 'simd');
    assert.equal(await trainingDigests(), reference.train);
    assert.equal(await productDigests(), reference.products);
  });
}

test('threads with the relaxed-SIMD build: bit-identical for 1 and 2 threads on this machine', async () => {
  const one = await init({ fma: true });
  if (one.build !== 'relaxed') return; // no relaxed SIMD here: nothing to compare
  const a = await trainingDigests();
  const two = await init({ fma: true, threads: 2 });
  assert.equal(two.threads.used, 2);
  assert.is(two.build, 'relaxed');
  assert.equal(await trainingDigests(), a);
});

test('bad threads values: a RangeError naming options.threads; the module stays usable', async () => {
  await init({ threads: 2 });
  for (const bad of [0, -1, 1.5, 65, NaN, Infinity, '2', null, true]) {
    try {
      await init({ threads: /** @type {any} */ (bad) });
      assert.unreachable(`threads: ${String(bad)} accepted`);
    } catch (e) {
      assert.instance(e, RangeError, String(bad));
      assert.match(e.message, /options\.threads must be an integer from 1 to 64/);
    }
  }
  assert.equal(runtimeInfo().threads, { requested: 2, used: 2, reason: null });
  const task = quadraticTask({ d: 37, seed: 5 });
  const m = await trainNN({ task, N: 45, steps: 60, seed: 4, precision: 'f64', checkpoints: 3 });
  assert.is(await digest(pack(m)), reference.train[0]);
});

test('threads without SIMD fall back to one thread and say why', async () => {
  const info = await init({ simd: false, threads: 3 });
  assert.equal(info.threads.requested, 3);
  assert.equal(info.threads.used, 1);
  assert.match(info.threads.reason, /SIMD/);
  assert.equal((await trainingDigests()).slice(0, 2), reference.train.slice(0, 2));
});

test('dispose() releases the helpers; a re-init with threads works', async () => {
  await init({ threads: 2 });
  dispose();
  const info = await init({ threads: 2 });
  assert.is(info.threads.used, 2);
  assert.equal(await productDigests(), reference.products);
});

test('a process with parked helper threads exits on its own', () => {
  const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  const code = `const lt = await import(${JSON.stringify(dist)});
    await lt.init({ threads: 3 });
    const m = await lt.trainNN({ task: lt.quadraticTask({ d: 10, seed: 1 }), N: 12, steps: 5, seed: 1 });
    process.stdout.write(lt.runtimeInfo().threads.used + ' ' + (m.curve.loss.length > 0));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), '3 true');
});

test.run();
