// The paper's scale (issue 12): one online SGD step of the authors' protocol at d = 450, batch
// 100 (quadratic task, exponential spectrum, σ = t², paper defaults) for the NN widths
// N ∈ {69, 467, 4767} and the NT widths N ∈ {150, 450}, in every combination of
// precision ∈ {f64, f32} × build ∈ {SIMD, relaxed SIMD (init({ fma: true }))} × threads ∈ {1, 2}
// (init({ threads: 2 }): the threads build with one helper thread; in a browser only on a
// cross-origin-isolated page, else reported as skipped). Environment-agnostic.
//
// Per-step time from the difference of two runs (K₂ − K₁ steps), so the one-off setup cancels;
// the configurations are interleaved repetition by repetition and each is compared with the
// f64 SIMD default of the same repetition (paired ratios, medians). Rate: GEMM-equivalent
// GFLOP/s, i.e. the step's GEMM flops (NN: 2 GEMMs, 4·b·d·N; NT: 3, 6·b·d·N) per second.
// Where the environment has a CPU clock (Node: the process's CPU time; one thread runs during
// the topic) each step is timed by it too (`cpu*` fields; for the ×2t configurations it sums both
// threads, so read their wall-clock figures): on a machine shared with other jobs
// the wall clock carries their load, the CPU time much less of it.
import { median, quantile } from '../lib/stats.mjs';

export const title = 'Paper scale: precision × FMA × threads';
const D = 450,
  B = 100;
const POINTS = [
  ['NN', 69],
  ['NN', 467],
  ['NN', 4767],
  ['NT', 150],
  ['NT', 450],
];
const flops = (regime, N) => (regime === 'NT' ? 6 : 4) * B * D * N;

export async function run(ctx) {
  const { quick, log } = ctx;
  const reps = quick ? 1 : 5;
  const skipped = [];
  const builds = [{ build: 'simd', threads: 1, lt: ctx.lazytrain.simd }];
  const relaxed = await ctx.importLazytrain('relaxed');
  const info = await relaxed.init({ fma: true });
  if (info.build === 'relaxed') builds.push({ build: 'relaxed', threads: 1, lt: relaxed });
  else skipped.push({ impl: 'relaxed-SIMD build', reason: `init({ fma: true }) fell back to the ${info.build} build here` });
  // the same builds with 2 threads (a separate module instance each)
  for (const b of [...builds]) {
    const lt = await ctx.importLazytrain(`${b.build}-t2`);
    const i2 = await lt.init({ ...(b.build === 'relaxed' ? { fma: true } : {}), threads: 2 });
    if (i2.threads.used === 2) builds.push({ build: b.build, threads: 2, lt });
    else skipped.push({ impl: `${b.build} build, 2 threads`, reason: i2.threads.reason });
  }
  for (const b of builds) b.task = b.lt.quadraticTask({ d: D, seed: 1 });
  const tag = (precision, build, threads) =>
    `${precision}${build === 'relaxed' ? '+fma' : ''}${threads > 1 ? ` ×${threads}t` : ''}`;
  const configs = builds.flatMap((b) =>
    ['f64', 'f32'].map((precision) => ({ ...b, precision, key: tag(precision, b.build, b.threads) })),
  );

  const stepTime = async (c, regime, N) => {
    const train = regime === 'NN' ? c.lt.trainNN : c.lt.trainNT;
    const base = { task: c.task, N, batch: B, seed: 1, lr: 1e-4, schedule: 'constant', checkpoints: 0, precision: c.precision };
    const [k1, k2] = N > 2000 ? (quick ? [1, 3] : [2, 6]) : N > 300 ? (quick ? [2, 8] : [4, 20]) : quick ? [4, 16] : [10, 50];
    const cpu = ctx.cpuNow ?? (() => NaN);
    const t0 = performance.now(),
      c0 = cpu();
    await train({ ...base, steps: k1 });
    const t1 = performance.now(),
      c1 = cpu();
    await train({ ...base, steps: k2 });
    const t2 = performance.now(),
      c2 = cpu();
    lastCpu = (c2 - c1 - (c1 - c0)) / 1e3 / (k2 - k1);
    return (t2 - t1 - (t1 - t0)) / 1e3 / (k2 - k1);
  };
  let lastCpu = NaN;
  // warm-up: fresh instances start in V8's baseline tier
  for (const c of configs) await stepTime(c, 'NN', 69);

  const raw = {},
    rawCpu = {};
  for (const [regime, N] of POINTS) {
    const key = `${regime} ${N}`;
    raw[key] = Object.fromEntries(configs.map((c) => [c.key, []]));
    rawCpu[key] = Object.fromEntries(configs.map((c) => [c.key, []]));
    for (let r = 0; r < reps; r++) {
      for (const c of configs) {
        raw[key][c.key].push(await stepTime(c, regime, N));
        rawCpu[key][c.key].push(lastCpu);
      }
      log(
        `  paper ${key} rep ${r + 1}/${reps}: ${configs.map((c) => `${c.key} ${(raw[key][c.key][r] * 1e3).toFixed(2)} ms`).join(', ')}`,
      );
      await ctx.breathe();
    }
  }
  const rows = [];
  for (const [regime, N] of POINTS) {
    const key = `${regime} ${N}`;
    const ref = raw[key].f64,
      refCpu = rawCpu[key].f64;
    for (const c of configs) {
      const ts = raw[key][c.key],
        cs = rawCpu[key][c.key];
      const s = median(ts),
        sc = median(cs);
      // the same precision and build on one thread, same repetition (paired)
      const one = c.threads > 1 ? raw[key][tag(c.precision, c.build, 1)] : null;
      rows.push({
        impl: `lazytrain ${regime}`,
        regime,
        N,
        n: N,
        dtype: c.precision,
        fma: c.build === 'relaxed',
        threads: c.threads,
        config: c.key,
        medianMs: s * 1e3,
        p90Ms: quantile(ts, 0.9) * 1e3,
        samples: ts.length,
        method: 'repetitions',
        gflops: flops(regime, N) / s / 1e9,
        ratioToF64: median(ts.map((t, i) => ref[i] / t)),
        ratioToOneThread: one ? median(ts.map((t, i) => one[i] / t)) : null,
        hours1e5: (s * 1e5) / 3600,
        ...(Number.isFinite(sc)
          ? {
              cpuMs: sc * 1e3,
              cpuGflops: flops(regime, N) / sc / 1e9,
              cpuRatioToF64: median(cs.map((t, i) => refCpu[i] / t)),
              cpuHours1e5: (sc * 1e5) / 3600,
            }
          : {}),
      });
    }
  }
  return {
    topic: 'paper',
    title,
    d: D,
    batch: B,
    reps,
    rows,
    skipped,
    raw,
    ...(ctx.cpuNow ? { rawCpu } : {}),
    configs: configs.map((c) => c.key),
  };
}
