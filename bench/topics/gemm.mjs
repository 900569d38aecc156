// GEMM: C = A·B for n×n, GFLOP/s = 2n³ / median time. Environment-agnostic (Node and Chromium).
// Contenders: lazytrain matmul (SIMD and scalar builds, f64 and f32), the register-only WASM
// SIMD peak probe (measured before each lazytrain SIMD row), a plain-JS i-k-j loop, ml-matrix
// mmul, @tensorflow/tfjs-backend-wasm matMul (f32; the result read back with dataSync) and
// numpy (OpenBLAS, one thread; Node only).
import { measure, row, fromTimes, timings, fmtMs } from '../lib/stats.mjs';
import { mat, toMl } from '../lib/inputs.mjs';

export const title = 'GEMM';
const SIZES = [64, 128, 256, 512, 1024];

function plainIkj(A, B, n) {
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = A[ci + k],
        bk = k * n;
      for (let j = 0; j < n; j++) C[ci + j] += aik * B[bk + j];
    }
  }
  return C;
}

export async function run(ctx) {
  const { quick, log } = ctx;
  const sizes = ctx.sizes?.gemm ?? (quick ? SIZES.slice(0, 4) : SIZES);
  const t = timings(quick);
  const rows = [],
    skipped = [];
  const add = (r) => {
    rows.push(r);
    log(
      `  gemm n=${String(r.n).padStart(4)} ${`${r.impl} ${r.dtype}`.padEnd(30)} ${r.gflops.toFixed(2).padStart(7)} GFLOP/s  (${fmtMs(r)})`,
    );
  };

  const np = await ctx.numpy('gemm', { sizes });
  if (np.skipped) skipped.push({ impl: 'numpy matmul', reason: np.skipped });
  else for (const r of np.rows) add(row(r.impl, r.dtype, r.n, fromTimes(r.times, 'perf_counter'), 2 * r.n ** 3));

  const ml = await ctx.peer('ml-matrix').catch((e) => {
    skipped.push({ impl: 'ml-matrix mmul', reason: e.message });
    return null;
  });
  const tf = await ctx.peer('tfjs').catch((e) => {
    skipped.push({ impl: 'tfjs-backend-wasm matMul', reason: e.message });
    return null;
  });
  const { simd, scalar } = ctx.lazytrain;

  for (const n of sizes) {
    const flops = 2 * n ** 3,
      big = n >= 512;
    const a64 = mat(n, n, 1),
      b64 = mat(n, n, 2);
    const a32 = mat(n, n, 1, Float32Array),
      b32 = mat(n, n, 2, Float32Array);
    ctx.probe.measure('f64');
    add(
      row(
        'lazytrain SIMD',
        'f64',
        n,
        measure(ctx, `lt f64 ${n}`, () => simd.matmul(a64, b64), t.fast),
        flops,
      ),
    );
    ctx.probe.measure('f32');
    add(
      row(
        'lazytrain SIMD',
        'f32',
        n,
        measure(ctx, `lt f32 ${n}`, () => simd.matmul(a32, b32), t.fast),
        flops,
      ),
    );
    add(
      row(
        'lazytrain scalar',
        'f64',
        n,
        measure(ctx, `lt scalar f64 ${n}`, () => scalar.matmul(a64, b64), big ? t.slow : t.fast),
        flops,
      ),
    );
    add(
      row(
        'lazytrain scalar',
        'f32',
        n,
        measure(ctx, `lt scalar f32 ${n}`, () => scalar.matmul(a32, b32), big ? t.slow : t.fast),
        flops,
      ),
    );
    if (n <= 512)
      add(
        row(
          'plain JS i-k-j',
          'f64',
          n,
          measure(ctx, `js ${n}`, () => plainIkj(a64.data, b64.data, n), big ? t.slow : t.fast),
          flops,
        ),
      );
    else skipped.push({ impl: 'plain JS i-k-j', n, reason: 'n > 512 (≈ 4 s per call)' });
    if (ml) {
      const ma = toMl(ml.Matrix, a64),
        mb = toMl(ml.Matrix, b64);
      add(
        row(
          'ml-matrix mmul',
          'f64',
          n,
          measure(ctx, `ml-matrix ${n}`, () => ma.mmul(mb), big ? t.slow : t.fast),
          flops,
        ),
      );
    }
    if (tf) {
      const ta = tf.tensor2d(a32.data, [n, n], 'float32'),
        tb = tf.tensor2d(b32.data, [n, n], 'float32');
      const f = () => {
        const c = tf.matMul(ta, tb);
        c.dataSync();
        c.dispose();
      };
      add(row('tfjs-backend-wasm matMul', 'f32', n, measure(ctx, `tfjs ${n}`, f, t.fast), flops));
      ta.dispose();
      tb.dispose();
    }
    await ctx.breathe();
  }
  return { topic: 'gemm', title, sizes, rows, skipped, info: { numpy: np.info ?? null, tfjs: tf ? ctx.peerInfo.tfjs : null } };
}
