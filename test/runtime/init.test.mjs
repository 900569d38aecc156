import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { randomMatrix, digest } from '../helpers/reference.mjs';

// A fresh module instance per test (the query string makes Node load the bundle anew), so the
// "not initialised" state and option switching are observed from scratch.
let n = 0;
/** @returns {Promise<typeof import('../../dist/index.js')>} */
const fresh = () => import(`../../dist/index.js?instance=${++n}`);
const wasmUrl = (f) => new URL(`../../dist/${f}`, import.meta.url);

test('calling a kernel before init() throws a clear error', async () => {
  const lt = await fresh();
  const a = randomMatrix(2, 2, 1);
  assert.throws(() => lt.matmul(a, a), /not initialised: `await init\(\)`/);
  assert.throws(() => lt.createRng(1), /not initialised/);
  assert.throws(() => lt.runtimeInfo(), /not initialised/);
  await lt.init();
  assert.is(lt.matmul(a, a).rows, 2);
});

test('init() is idempotent and picks SIMD when the engine validates it', async () => {
  const lt = await fresh();
  const p1 = lt.init(),
    p2 = lt.init();
  const [i1, i2] = await Promise.all([p1, p2]);
  assert.equal(i1, i2);
  assert.is(lt.simdSupported(), true, 'Node 20 has WebAssembly SIMD');
  assert.is(i1.simd, true);
  assert.is(i1.source, 'bundled');
  const again = await lt.init({});
  assert.is(again.simd, true);
  assert.ok(i1.memoryBytes > 0);
});

test('scalar and SIMD builds give bit-identical GEMM and RNG results', async () => {
  const lt = await fresh();
  const a = randomMatrix(67, 301, 5),
    b = randomMatrix(301, 45, 6);
  const a32 = randomMatrix(67, 301, 5, Float32Array),
    b32 = randomMatrix(301, 45, 6, Float32Array);
  const run = async (simd) => {
    const info = await lt.init({ simd });
    assert.is(info.simd, simd);
    return [
      await digest(lt.matmul(a, b).data),
      await digest(lt.matmul(a, b, { transA: false, transB: false }).data),
      await digest(lt.matmul(b, a, { transA: true, transB: true }).data),
      await digest(lt.matmul(a32, b32).data),
      await digest(lt.createRng(2024).normal(5001)),
    ];
  };
  const simd = await run(true);
  const scalar = await run(false);
  assert.equal(scalar, simd);
  assert.is(lt.runtimeInfo().simd, false);
  await lt.init({ simd: true });
  assert.is(lt.runtimeInfo().simd, true);
});

test('init({ wasm }) accepts a URL, a path, bytes, an ArrayBuffer and a compiled Module', async () => {
  const bytes = await readFile(wasmUrl('lazytrain-scalar.wasm'));
  const sources = [
    wasmUrl('lazytrain-scalar.wasm'),
    wasmUrl('lazytrain-scalar.wasm').pathname,
    new Uint8Array(bytes),
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    await WebAssembly.compile(bytes),
  ];
  const a = randomMatrix(5, 6, 1),
    b = randomMatrix(6, 3, 2);
  let expected;
  for (const wasm of sources) {
    const lt = await fresh();
    const info = await lt.init({ wasm });
    assert.is(info.source, 'custom');
    assert.is(info.simd, false, 'the module reports its own build');
    const d = await digest(lt.matmul(a, b).data);
    expected ??= d;
    assert.is(d, expected);
  }
});

test('bad init options and bad modules are clear errors; a later good init works', async () => {
  const lt = await fresh();
  /** @type {Array<[any, RegExp, new () => Error]>} options wrong on purpose, its message, the error class */
  const cases = [
    [5, /options must be an object/, TypeError],
    [{ simd: 'yes' }, /options\.simd must be a boolean/, TypeError],
    [{ workers: 2 }, /unknown option "workers"/, TypeError],
    [{ threads: 0 }, /options\.threads must be an integer from 1 to 64/, RangeError],
    [{ wasm: 42 }, /options\.wasm must be a URL, a path/, TypeError],
    [{ wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) }, /lacks the export "memory"/, Error],
    [{ wasm: new Uint8Array([1, 2, 3]) }, /./, WebAssembly.CompileError],
    [{ wasm: wasmUrl('does-not-exist.wasm') }, /ENOENT|no such file/, Error],
  ];
  for (const [opts, re, Ctor] of cases) {
    let err;
    try {
      await lt.init(opts);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Ctor, `${JSON.stringify(opts)} → ${err}`);
    assert.match(err.message, re);
  }
  assert.throws(() => lt.runtimeInfo(), /not initialised/);
  await lt.init();
  assert.is(lt.matmul(randomMatrix(2, 3, 1), randomMatrix(3, 1, 1)).rows, 2);
});

test.run();
