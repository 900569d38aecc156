// Training-step benchmark: one online SGD step of the authors' protocol at the paper's scale
// (d = 450, N = 450, batch 100, quadratic task with the exponential spectrum, σ = t², shared a):
// sample the batch, forward, loss, backward, update.
//
//   node bench/train.mjs [--quick]        (or `npm run bench`, which runs every bench topic)
//
// Contenders, measured interleaved in this process (medians of several repetitions):
// - lazytrain trainNN, SIMD and scalar builds (float64): per-step time from the difference of
//   two runs (K₂ − K₁ steps) so the one-off setup (W₀ draw, allocation) cancels;
// - the two GEMMs of a step (Z = X·W: 100×450×450, ∇W = Xᵀ·E: 450×100×450) called directly on
//   the raw WebAssembly kernel (no copies): the "GEMM rate of the same run";
// - the same step in @tensorflow/tfjs + @tensorflow/tfjs-backend-wasm (float32, XNNPACK, one
//   thread in Node): autodiff (tf.variableGrads) with tf.randomNormal sampling in the step and
//   with a pre-drawn batch, and a hand-written gradient with sampling (explicit transpose).
// Useful flops per step: the two GEMMs, 4·b·d·N = 81 MFLOP (sampling and elementwise work are
// not counted). Ratio = useful GFLOP/s ÷ the GEMM GFLOP/s of the same shapes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const D = 450, N = 450, B = 100;
const USEFUL = 4 * B * D * N;

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
const median = (xs) => quantile(xs, 0.5);

/** The raw dgemm of a fresh instance of the SIMD module (no JS copies around the kernel). */
async function rawGemm() {
  const bytes = readFileSync(here('../dist/lazytrain-simd.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { env: { abort() { throw new Error('abort'); } } });
  const ex = instance.exports;
  ex._initialize?.();
  const f64 = (n) => {
    const p = ex.alloc(n * 8);
    const v = new Float64Array(ex.memory.buffer, p, n);
    for (let i = 0; i < n; i++) v[i] = Math.sin(i) * 0.1;
    return p;
  };
  const X = f64(B * D), W = f64(D * N), Z = f64(B * N), E = f64(B * N), G = f64(D * N);
  return () => {
    ex.dgemm(B, N, D, X, D, 1, W, N, 1, Z, N, 0); // Z = X·W
    ex.dgemm(D, N, B, X, 1, D, E, N, 1, G, N, 0); // ∇W = Xᵀ·E
  };
}

/** Seconds per call of fn (median over `reps` timed batches of `inner` calls). */
function timeSync(fn, inner, reps) {
  fn();
  const ts = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    ts.push((performance.now() - t0) / 1e3 / inner);
  }
  return ts;
}

async function lazytrainStep(lt, task, k1, k2) {
  const opts = { task, N, batch: B, seed: 1, lr: 1e-3, schedule: 'constant', checkpoints: 0 };
  const t0 = performance.now();
  await lt.trainNN({ ...opts, steps: k1 });
  const t1 = performance.now();
  await lt.trainNN({ ...opts, steps: k2 });
  const t2 = performance.now();
  return ((t2 - t1) - (t1 - t0)) / 1e3 / (k2 - k1);
}

async function loadTf(log) {
  let tf;
  try {
    tf = await import('@tensorflow/tfjs');
    const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
    wasmBackend.setWasmPaths(here('../node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
    await tf.setBackend('wasm');
    await tf.ready();
  } catch (e) {
    log(`train: tfjs unavailable (${e.message}); install the devDependencies`);
    return null;
  }
  return tf;
}

/** The same protocol step in tfjs (float32): returns { sampled, fixed } step functions. */
function tfStep(tf, gamma, traceB) {
  const alpha = 1, beta = 1, lr = 1e-3;
  const W = tf.variable(tf.randomNormal([D, N], 0, 1 / Math.sqrt(D), 'float32', 1));
  const a = tf.variable(tf.scalar(0));
  const c = tf.variable(tf.scalar(0));
  const g = tf.tensor1d(gamma);
  const target = (x) => x.square().mul(g).sum(1).sub(traceB);
  const step = (x, y) => {
    const loss = () => {
      const q = x.matMul(W).square().sum(1);
      const yhat = q.mul(a).mul(alpha / N).add(c.mul(beta));
      return yhat.sub(y).square().mean();
    };
    const { value, grads } = tf.variableGrads(loss, [W, a, c]);
    // the mean-field rescaling of SPEC §6: N/α² (W), 1/α² (shared a), 1/β² (c)
    W.assign(W.sub(grads[W.name].mul(lr * N / alpha ** 2)));
    a.assign(a.sub(grads[a.name].mul(lr / alpha ** 2)));
    c.assign(c.sub(grads[c.name].mul(lr / beta ** 2)));
    return value;
  };
  // Hand-written gradient, as a tfjs expert would write it once autodiff proves slow: the
  // gradient's Xᵀ·E through an explicit transpose (tfjs-backend-wasm's transposed matMul, which
  // autodiff uses, is an order of magnitude slower than a plain one on this machine).
  const manual = (x, y) => {
    const z = x.matMul(W);
    const q = z.square().sum(1);
    const s = a.mul(alpha / N);
    const r = q.mul(s).add(c.mul(beta)).sub(y);
    const value = r.square().mean();
    const e = r.mul(2 / B);
    const E = z.mul(e.expandDims(1)).mul(s.mul(2));
    const gW = tf.matMul(x.transpose(), E);
    const ga = e.mul(q).sum().mul(alpha / N);
    const gc = e.sum().mul(beta);
    W.assign(W.sub(gW.mul(lr * N / alpha ** 2)));
    a.assign(a.sub(ga.mul(lr / alpha ** 2)));
    c.assign(c.sub(gc.mul(lr / beta ** 2)));
    return value;
  };
  const x0 = tf.keep(tf.randomNormal([B, D]));
  const y0 = tf.keep(target(x0));
  return {
    sampled: () => {
      const v = tf.tidy(() => {
        const x = tf.randomNormal([B, D]);
        return step(x, target(x));
      });
      v.dataSync();
      v.dispose();
    },
    manual: () => {
      const v = tf.tidy(() => {
        const x = tf.randomNormal([B, D]);
        return manual(x, target(x));
      });
      v.dataSync();
      v.dispose();
    },
    fixed: () => {
      const v = tf.tidy(() => step(x0, y0));
      v.dataSync();
      v.dispose();
    },
  };
}

/**
 * Run the training-step benchmark. options.quick: fewer steps and repetitions;
 * options.write (default true): bench/results/node-train-<date>[-quick].json;
 * options.log: progress sink (default stderr). Returns { topic, rows, table, file }.
 */
export async function run(options = {}) {
  const quick = !!options.quick;
  const log = options.log ?? ((s) => process.stderr.write(`${s}\n`));
  const reps = quick ? 3 : 9;
  const [k1, k2] = quick ? [5, 25] : [10, 90];

  // One module instance, switched between builds with init(): a query-string re-import would
  // share the bundle's runtime chunk (and so the module) with this one.
  const lt = await import('../dist/index.js');
  let task = null;
  const use = async (simd) => {
    const info = await lt.init({ simd });
    if (info.simd !== simd) throw new Error(`expected the ${simd ? 'SIMD' : 'scalar'} build`);
    task ??= lt.quadraticTask({ d: D, seed: 1 });
    // warm-up: a fresh instance starts in V8's baseline tier; let it tier up before timing
    await lt.trainNN({ task, N, batch: B, seed: 1, lr: 1e-3, schedule: 'constant', checkpoints: 0, steps: 3 });
  };
  await use(true);
  const gemm = await rawGemm();
  const tf = await loadTf(log);
  const gamma = new Float32Array(task.eigenvalues);
  const tfs = tf ? tfStep(tf, gamma, task.traceB) : null;

  const res = { simd: [], scalar: [], gemm: [], tfSampled: [], tfFixed: [], tfManual: [] };
  for (let r = 0; r < reps; r++) {
    res.gemm.push(median(timeSync(gemm, quick ? 5 : 20, 1)));
    res.simd.push(await lazytrainStep(lt, task, k1, k2));
    if (r < (quick ? 1 : 3)) {
      await use(false);
      res.scalar.push(await lazytrainStep(lt, task, 2, quick ? 8 : 14));
      await use(true);
    }
    if (tfs) {
      res.tfSampled.push(median(timeSync(tfs.sampled, quick ? 5 : 20, 1)));
      res.tfFixed.push(median(timeSync(tfs.fixed, quick ? 5 : 20, 1)));
      res.tfManual.push(median(timeSync(tfs.manual, quick ? 5 : 20, 1)));
    }
    log(`train: rep ${r + 1}/${reps}: lazytrain ${(res.simd[r] * 1e3).toFixed(2)} ms/step, GEMMs ${(res.gemm[r] * 1e3).toFixed(2)} ms${tfs ? `, tfjs ${(res.tfSampled[r] * 1e3).toFixed(2)} ms (fixed batch ${(res.tfFixed[r] * 1e3).toFixed(2)} ms, hand-written gradient ${(res.tfManual[r] * 1e3).toFixed(2)} ms)` : ''}`);
  }
  const gemmS = median(res.gemm);
  const gemmRate = USEFUL / gemmS / 1e9;
  const rows = [];
  const add = (impl, precision, ts, note) => {
    if (ts.length === 0) return;
    const s = median(ts);
    const gf = USEFUL / s / 1e9;
    rows.push({ impl, precision, msPerStep: s * 1e3, p90Ms: quantile(ts, 0.9) * 1e3, usefulGflops: gf, ratioToGemm: gf / gemmRate, samples: ts.length, note });
  };
  add('lazytrain trainNN (SIMD)', 'f64', res.simd, 'whole step in WASM: sampling, 2 GEMMs, fused elementwise, update');
  add('lazytrain trainNN (scalar build)', 'f64', res.scalar, 'same, no SIMD');
  add('lazytrain: the 2 GEMMs alone (raw dgemm)', 'f64', res.gemm, 'Z = X·W and Xᵀ·E, no copies: the GEMM rate');
  add('tfjs-backend-wasm, sampling in step', 'f32', res.tfSampled, 'tf.randomNormal + target + variableGrads + rescaled SGD');
  add('tfjs-backend-wasm, pre-drawn batch', 'f32', res.tfFixed, 'forward/backward/update only');
  add('tfjs-backend-wasm, hand-written gradient', 'f32', res.tfManual, 'sampling in step; Xᵀ·E via explicit transpose');

  const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
  const lines = [];
  lines.push(`One online SGD step at the paper's scale: d = ${D}, N = ${N}, batch ${B}; useful work 4·b·d·N = ${(USEFUL / 1e6).toFixed(0)} MFLOP (the two GEMMs). Medians of ${reps} repetitions, single thread.`);
  lines.push('');
  lines.push('| implementation | precision | ms / step | p90 ms | useful GFLOP/s | ÷ GEMM rate |');
  lines.push('|---|---|---:|---:|---:|---:|');
  for (const r of rows) lines.push(`| ${r.impl} | ${r.precision} | ${fmt(r.msPerStep)} | ${fmt(r.p90Ms)} | ${fmt(r.usefulGflops)} | ${fmt(r.ratioToGemm)} |`);
  const ltRow = rows.find((r) => r.impl.startsWith('lazytrain trainNN (SIMD)'));
  const tfr = rows.find((r) => r.impl.startsWith('tfjs-backend-wasm, sampling'));
  const tff = rows.find((r) => r.impl.startsWith('tfjs-backend-wasm, pre-drawn'));
  const tfm = rows.find((r) => r.impl.startsWith('tfjs-backend-wasm, hand-written'));
  lines.push('');
  if (ltRow && tfr) {
    lines.push(`lazytrain (float64) vs tfjs-backend-wasm (float32, ${tf.version_core ?? tf.version?.['tfjs-core'] ?? ''}): ${(tfr.msPerStep / ltRow.msPerStep).toFixed(2)}× faster per step than the autodiff step (tf.variableGrads) with sampling in it, ${(tff.msPerStep / ltRow.msPerStep).toFixed(2)}× than autodiff on a pre-drawn batch, ${(tfm.msPerStep / ltRow.msPerStep).toFixed(2)}× than a hand-written tfjs gradient (explicit transpose) with sampling. tfjs computes in float32 (half the bytes, twice the SIMD lanes); lazytrain in float64, bit-identical across engines and builds.`);
  } else {
    lines.push('tfjs: not measured (devDependencies missing).');
  }
  // Load on this VM drifts within a run: ratios of adjacent measurements (same repetition) are
  // steadier than ratios of medians.
  const paired = (num, den) => median(num.map((x, i) => x / den[i]).filter(Number.isFinite));
  const pairedRatios = {
    gemmOverStep: paired(res.gemm, res.simd),
    tfAutodiffOverLazytrain: paired(res.tfSampled, res.simd),
    tfFixedOverLazytrain: paired(res.tfFixed, res.simd),
    tfManualOverLazytrain: paired(res.tfManual, res.simd),
  };
  lines.push('');
  lines.push(`Paired per-repetition ratios (median over repetitions): step ÷ GEMM rate ${fmt(pairedRatios.gemmOverStep)}; tfjs time ÷ lazytrain time: autodiff ${fmt(pairedRatios.tfAutodiffOverLazytrain)}×, autodiff on a pre-drawn batch ${fmt(pairedRatios.tfFixedOverLazytrain)}×, hand-written gradient ${fmt(pairedRatios.tfManualOverLazytrain)}×.`);
  const table = lines.join('\n');

  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, node: process.version, v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
  let file = null;
  if (options.write !== false) {
    const date = new Date().toISOString().slice(0, 10);
    mkdirSync(here('results'), { recursive: true });
    file = here(`results/node-train-${date}${quick ? '-quick' : ''}.json`);
    writeFileSync(file, `${JSON.stringify({
      topic: 'train', date: new Date().toISOString(), quick, machine, d: D, N, batch: B, usefulFlopsPerStep: USEFUL,
      method: 'lazytrain: (t(K2 steps) − t(K1 steps)) / (K2 − K1) per repetition; GEMMs: raw dgemm of a fresh SIMD instance; tfjs: per-step time of batches of calls; medians over repetitions, interleaved',
      raw: res, rows, pairedRatios,
    }, null, 2)}\n`);
  }
  return { topic: 'train', rows, pairedRatios, machine, table, file };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const res = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`## Training step\n\n${res.machine.cpu}, ${res.machine.cpus} CPUs, Node ${res.machine.node} (V8 ${res.machine.v8})\n\n${res.table}\n`);
  if (res.file) process.stdout.write(`\nwrote ${res.file}\n`);
}
