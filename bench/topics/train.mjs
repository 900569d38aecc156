// Training step: one online SGD step of the authors' protocol at the paper's scale (d = 450,
// N = 450, batch 100, quadratic task with the exponential spectrum, σ = t², shared a): sample
// the batch, forward, loss, backward, update. Environment-agnostic.
//
// Contenders, interleaved repetition by repetition (medians; paired per-repetition ratios):
// - lazytrain trainNN, SIMD and scalar builds (float64): per-step time from the difference of
//   two runs (K₂ − K₁ steps) so the one-off setup cancels;
// - the two GEMMs of a step (Z = X·W: 100×450×450, ∇W = Xᵀ·E: 450×100×450) on the raw
//   WebAssembly kernel of a fresh SIMD instance (no copies): the "GEMM rate of the same run";
// - the same step in @tensorflow/tfjs + tfjs-backend-wasm (float32, XNNPACK, one thread):
//   autodiff (tf.variableGrads) with sampling in the step, autodiff on a pre-drawn batch, and a
//   hand-written gradient (explicit transpose) with sampling.
// Useful flops per step: the two GEMMs, 4·b·d·N = 81 MFLOP.
import { median, quantile } from '../lib/stats.mjs';

export const title = 'Training step';
const D = 450,
  N = 450,
  B = 100;
export const USEFUL = 4 * B * D * N;

async function rawGemm(ctx) {
  const bytes = await ctx.wasmBytes('dist/lazytrain-simd.wasm');
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: {
      abort() {
        throw new Error('abort');
      },
    },
  });
  const ex = instance.exports;
  ex._initialize?.();
  const f64 = (n) => {
    const p = ex.alloc(n * 8);
    const v = new Float64Array(ex.memory.buffer, p, n);
    for (let i = 0; i < n; i++) v[i] = ((i * 7919) % 1000) / 1e4 - 0.05;
    return p;
  };
  const X = f64(B * D),
    W = f64(D * N),
    Z = f64(B * N),
    E = f64(B * N),
    G = f64(D * N);
  return () => {
    ex.dgemm(B, N, D, X, D, 1, W, N, 1, Z, N, 0); // Z = X·W
    ex.dgemm(D, N, B, X, 1, D, E, N, 1, G, N, 0); // ∇W = Xᵀ·E
  };
}

function timeSync(fn, inner) {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < inner; i++) fn();
  return (performance.now() - t0) / 1e3 / inner;
}

function tfStep(tf, gamma, traceB) {
  const alpha = 1,
    beta = 1,
    lr = 1e-3;
  const W = tf.variable(tf.randomNormal([D, N], 0, 1 / Math.sqrt(D), 'float32', 1));
  const a = tf.variable(tf.scalar(0));
  const c = tf.variable(tf.scalar(0));
  const g = tf.tensor1d(gamma);
  const target = (x) => x.square().mul(g).sum(1).sub(traceB);
  const step = (x, y) => {
    const loss = () => {
      const q = x.matMul(W).square().sum(1);
      const yhat = q
        .mul(a)
        .mul(alpha / N)
        .add(c.mul(beta));
      return yhat.sub(y).square().mean();
    };
    const { value, grads } = tf.variableGrads(loss, [W, a, c]);
    W.assign(W.sub(grads[W.name].mul((lr * N) / alpha ** 2)));
    a.assign(a.sub(grads[a.name].mul(lr / alpha ** 2)));
    c.assign(c.sub(grads[c.name].mul(lr / beta ** 2)));
    return value;
  };
  const manual = (x, y) => {
    const z = x.matMul(W);
    const q = z.square().sum(1);
    const s = a.mul(alpha / N);
    const r = q.mul(s).add(c.mul(beta)).sub(y);
    const value = r.square().mean();
    const e = r.mul(2 / B);
    const E = z.mul(e.expandDims(1)).mul(s.mul(2));
    const gW = tf.matMul(x.transpose(), E);
    const ga = e
      .mul(q)
      .sum()
      .mul(alpha / N);
    const gc = e.sum().mul(beta);
    W.assign(W.sub(gW.mul((lr * N) / alpha ** 2)));
    a.assign(a.sub(ga.mul(lr / alpha ** 2)));
    c.assign(c.sub(gc.mul(lr / beta ** 2)));
    return value;
  };
  const x0 = tf.keep(tf.randomNormal([B, D]));
  const y0 = tf.keep(target(x0));
  const wrap = (body) => () => {
    const v = tf.tidy(body);
    v.dataSync();
    v.dispose();
  };
  return {
    sampled: wrap(() => {
      const x = tf.randomNormal([B, D]);
      return step(x, target(x));
    }),
    fixed: wrap(() => step(x0, y0)),
    manual: wrap(() => {
      const x = tf.randomNormal([B, D]);
      return manual(x, target(x));
    }),
  };
}

export async function run(ctx) {
  const { quick, log } = ctx;
  const reps = quick ? 3 : 7;
  const [k1, k2] = quick ? [5, 25] : [10, 90];
  const inner = quick ? 5 : 15;
  const skipped = [];
  const { simd, scalar } = ctx.lazytrain;
  const task = simd.quadraticTask({ d: D, seed: 1 });
  const base = { task, N, batch: B, seed: 1, lr: 1e-3, schedule: 'constant', checkpoints: 0 };
  const stepTime = async (lt, a, b) => {
    const t0 = performance.now();
    await lt.trainNN({ ...base, steps: a });
    const t1 = performance.now();
    await lt.trainNN({ ...base, steps: b });
    const t2 = performance.now();
    return (t2 - t1 - (t1 - t0)) / 1e3 / (b - a);
  };
  // warm-up: a fresh instance starts in V8's baseline tier
  await simd.trainNN({ ...base, steps: 3 });
  await scalar.trainNN({ ...base, task: scalar.quadraticTask({ d: D, seed: 1 }), steps: 3 });
  const scalarTask = scalar.quadraticTask({ d: D, seed: 1 });
  const gemm = await rawGemm(ctx);
  const tf = await ctx.peer('tfjs').catch((e) => {
    skipped.push({ impl: 'tfjs-backend-wasm training step', reason: e.message });
    return null;
  });
  const tfs = tf ? tfStep(tf, new Float32Array(task.eigenvalues), task.traceB) : null;

  const res = { simd: [], scalar: [], gemm: [], tfSampled: [], tfFixed: [], tfManual: [] };
  for (let r = 0; r < reps; r++) {
    res.gemm.push(timeSync(gemm, inner));
    res.simd.push(await stepTime(simd, k1, k2));
    if (r < (quick ? 1 : 3)) {
      const t0 = performance.now();
      await scalar.trainNN({ ...base, task: scalarTask, steps: 2 });
      const t1 = performance.now();
      await scalar.trainNN({ ...base, task: scalarTask, steps: quick ? 8 : 14 });
      const t2 = performance.now();
      res.scalar.push((t2 - t1 - (t1 - t0)) / 1e3 / ((quick ? 8 : 14) - 2));
    }
    if (tfs) {
      res.tfSampled.push(timeSync(tfs.sampled, inner));
      res.tfFixed.push(timeSync(tfs.fixed, inner));
      res.tfManual.push(timeSync(tfs.manual, inner));
    }
    log(
      `  train rep ${r + 1}/${reps}: lazytrain ${(res.simd[r] * 1e3).toFixed(2)} ms/step, GEMMs ${(res.gemm[r] * 1e3).toFixed(2)} ms${tfs ? `, tfjs autodiff ${(res.tfSampled[r] * 1e3).toFixed(2)} ms, pre-drawn ${(res.tfFixed[r] * 1e3).toFixed(2)} ms, hand-written ${(res.tfManual[r] * 1e3).toFixed(2)} ms` : ''}`,
    );
    await ctx.breathe();
  }
  const gemmRate = USEFUL / median(res.gemm) / 1e9;
  const rows = [];
  const add = (impl, dtype, ts, note) => {
    if (ts.length === 0) return;
    const s = median(ts),
      gf = USEFUL / s / 1e9;
    rows.push({
      impl,
      dtype,
      n: D,
      medianMs: s * 1e3,
      p90Ms: quantile(ts, 0.9) * 1e3,
      samples: ts.length,
      method: 'repetitions',
      gflops: gf,
      ratioToGemm: gf / gemmRate,
      note,
    });
  };
  add('lazytrain trainNN (SIMD)', 'f64', res.simd, 'whole step in WASM: sampling, 2 GEMMs, fused elementwise, update');
  add('lazytrain trainNN (scalar)', 'f64', res.scalar, 'same, scalar build');
  add('lazytrain 2 GEMMs alone (raw dgemm)', 'f64', res.gemm, 'Z = X·W and Xᵀ·E, no copies: the GEMM rate');
  add('tfjs autodiff, sampling in step', 'f32', res.tfSampled, 'tf.randomNormal + target + variableGrads + rescaled SGD');
  add('tfjs autodiff, pre-drawn batch', 'f32', res.tfFixed, 'forward/backward/update only');
  add('tfjs hand-written gradient', 'f32', res.tfManual, 'sampling in step; Xᵀ·E via explicit transpose');
  const paired = (num, den) => median(num.map((x, i) => x / den[i]).filter(Number.isFinite));
  const pairedRatios = {
    gemmOverStep: paired(res.gemm, res.simd),
    tfAutodiffOverLazytrain: tfs ? paired(res.tfSampled, res.simd) : null,
    tfFixedOverLazytrain: tfs ? paired(res.tfFixed, res.simd) : null,
    tfManualOverLazytrain: tfs ? paired(res.tfManual, res.simd) : null,
  };
  return {
    topic: 'train',
    title,
    d: D,
    N,
    batch: B,
    usefulFlops: USEFUL,
    reps,
    rows,
    skipped,
    pairedRatios,
    raw: res,
    info: { tfjs: tf ? ctx.peerInfo.tfjs : null },
  };
}
