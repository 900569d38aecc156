// WebAssembly memory: sizes that cannot fit are refused up front with a message naming the
// argument and the limits (1 GiB per array: the TLSF allocator's block limit; 4 GiB for the
// wasm32 heap), the module stays usable; dispose() releases the grown heap and the next init()
// starts from a fresh one with the same results.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freshInstance } from '../helpers/instance.mjs';

// a module instance of its own (see init.test.mjs): dispose() here cannot affect other files
const lt = await freshInstance('memory');

test.before(async () => {
  await lt.init();
});

const small = () =>
  lt.toArray(
    lt.matmul(
      lt.fromArray([
        [1, 2],
        [3, 4],
      ]),
      lt.fromArray([[5], [6]]),
    ),
  );

test('solveSPD with a vector for b names b and says how to make it a matrix', () => {
  const s = lt.fromArray([
    [2, 0],
    [0, 2],
  ]);
  // @ts-expect-error a vector for b on purpose: the error must name b and the fix
  assert.throws(
    () => lt.solveSPD(s, new Float64Array([1, 2])),
    (e) =>
      e instanceof TypeError &&
      /^b must be a Matrix \{ rows, cols, data \}, got a Float64Array of length 2 \(a column vector is matrix\(2, 1, b\)\)$/.test(
        e.message,
      ),
  );
  // @ts-expect-error an array for b on purpose
  assert.throws(() => lt.solveSPD(s, [1, 2]), /^b must be a Matrix .*got an array of length 2/);
  // @ts-expect-error a matrix without data on purpose: the error must name b.data
  assert.throws(() => lt.solveSPD(s, { rows: 2, cols: 1 }), /^b\.data must be a Float64Array or a Float32Array, got undefined$/);
  assert.equal(
    Array.from(
      lt.solveSPD(
        lt.fromArray([
          [4, 0],
          [0, 4],
        ]),
        lt.matrix(2, 1, new Float64Array([1, 2])),
      ).data,
    ),
    [0.25, 0.5],
  );
});

test('matrix(1e6, 1e6): the size and both limits, not V8\'s "Invalid typed array length"', () => {
  assert.throws(
    () => lt.matrix(1e6, 1e6),
    (e) =>
      e instanceof RangeError &&
      e.message ===
        'matrix(rows, cols): a 1000000×1000000 float64 matrix needs 8000 GB as one array in WebAssembly memory; the limit for one array is 1 GiB (and 4 GiB for the whole wasm32 heap)',
  );
  // just under the block limit is allowed (JS allocates it lazily; nothing touches it here)
  assert.is(lt.matrix(1, 2 ** 27 - 2 ** 13).cols, 2 ** 27 - 2 ** 13);
  assert.throws(() => lt.matrix(1, 2 ** 27), /needs 1\.07 GB as one array/);
});

test('a matmul whose arrays cannot fit: names the operand, before copying anything', () => {
  // large typed arrays are allocated lazily by the OS: these cost no real memory
  const k = 2 ** 28;
  const a = lt.matrix(1, k, new Float64Array(k)),
    b = lt.matrix(k, 1, new Float64Array(k));
  assert.throws(
    () => lt.matmul(a, b),
    (e) =>
      e instanceof RangeError &&
      e.message ===
        'matmul: a (1×268435456) needs 2.15 GB as one array in WebAssembly memory; the limit for one array is 1 GiB (and 4 GiB for the whole wasm32 heap)',
  );
  assert.throws(
    () => lt.matmul(lt.matrix(24000, 1), lt.matrix(1, 24000)),
    /^matmul: the 24000×24000 result needs 4\.61 GB as one array/,
  );
  assert.equal(small(), [[17], [39]], 'the module is usable afterwards');
});

test('dispose() releases the grown heap; init() then starts fresh, same bits', async () => {
  const before = lt.runtimeInfo().memoryBytes;
  const g = lt.createRng(5).normalMatrix(60, 60);
  const ref = lt.eigh(lt.matmul(g, g, { transB: true }));
  // a 4000×4000 product (128 MB result) grows linear memory; WebAssembly never shrinks it
  lt.matmul(lt.matrix(4000, 1), lt.matrix(1, 4000));
  const grown = lt.runtimeInfo().memoryBytes;
  assert.ok(grown >= 128e6 && grown > before, `grown ${grown}`);
  lt.dispose();
  assert.throws(() => lt.runtimeInfo(), /not initialised: `await init\(\)`/);
  assert.throws(() => small(), /not initialised/);
  const info = await lt.init();
  assert.ok(info.memoryBytes < grown / 8, `fresh heap ${info.memoryBytes} B after dispose (was ${grown})`);
  const again = lt.eigh(lt.matmul(g, g, { transB: true }));
  assert.equal(again.values, ref.values, 'bit-identical after re-init');
  assert.equal(again.vectors.data, ref.vectors.data);
  assert.is(ref.values.length, 60, 'results from before dispose() stay valid');
});

test('dispose() is idempotent, harmless before init, and init() may switch builds after it', async () => {
  lt.dispose();
  lt.dispose();
  assert.is((await lt.init({ simd: false })).simd, false);
  assert.equal(small(), [[17], [39]]);
  lt.dispose();
  assert.is((await lt.init()).simd, true);
  assert.equal(small(), [[17], [39]]);
});

test.run();
