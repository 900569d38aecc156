// The driver shared by the Node runner (bench/run.mjs) and the Chromium page
// (bench/browser/page.mjs). Environment-agnostic: everything runtime-specific comes in the
// environment object `env`:
//   runtime ('node' | 'chromium'), Benchmark (benchmark.js), log(s), breathe() (yield to the
//   event loop), wasmBytes(repoPath) → ArrayBuffer, importLazytrain(query) → module,
//   peer(name) → Promise<module> (rejects with the reason it is unavailable), peerInfo,
//   numpy(topic, spec) → Promise<{ info, rows } | { skipped }>.
import { measure, median } from './stats.mjs';

export const TOPICS = ['gemm', 'eigh', 'solve', 'train', 'paper', 'compare'];

const probeImports = {
  env: {
    abort() {
      throw new Error('peak probe aborted');
    },
  },
};

/**
 * The register-only WASM SIMD peak probes, measured on demand: bench/probe/peak.ts (mul + add,
 * the SIMD build's ceiling) and, where the engine has relaxed SIMD, bench/probe/peak-fma.ts
 * (relaxed_madd, the relaxed build's ceiling). `relaxed` says whether relaxed SIMD is enabled
 * (in Node 20 lazytrain's init({ fma: true }) sets V8's flag first).
 */
async function loadProbe(env, log, relaxed) {
  const { instance } = await WebAssembly.instantiate(await env.wasmBytes('build/wasm/peak-probe.wasm'), probeImports);
  const ex = instance.exports;
  const probe = {
    f64: { fn: ex.peakF64, flops: ex.FLOPS_PER_ITER_F64.value, runs: [], samples: 0 },
    f32: { fn: ex.peakF32, flops: ex.FLOPS_PER_ITER_F32.value, runs: [], samples: 0 },
  };
  let fmaSkipped = null;
  if (relaxed) {
    try {
      const fx = (await WebAssembly.instantiate(await env.wasmBytes('build/wasm/peak-probe-fma.wasm'), probeImports)).instance
        .exports;
      probe.f64fma = { fn: fx.peakF64Fma, flops: fx.FLOPS_PER_ITER_F64_FMA.value, runs: [], samples: 0 };
      probe.f32fma = { fn: fx.peakF32Fma, flops: fx.FLOPS_PER_ITER_F32_FMA.value, runs: [], samples: 0 };
    } catch (e) {
      fmaSkipped = `the FMA probe did not load: ${String(e?.message ?? e).split('\n')[0]}`;
    }
  } else fmaSkipped = 'relaxed SIMD unavailable in this engine';
  for (const p of Object.values(probe)) {
    // size one call to ~20 ms so that a benchmark.js cycle is a single call
    p.fn(10_000, 0.9999999, 1e-9);
    const it = 200_000,
      t0 = performance.now();
    p.fn(it, 0.9999999, 1e-9);
    p.iters = Math.max(10_000, Math.round((it * 0.02) / ((performance.now() - t0) / 1e3)));
  }
  const timing = { maxTime: 0.15, minSamples: 3, reps: 3 };
  return {
    has: (dtype) => dtype in probe,
    measure(dtype) {
      const p = probe[dtype];
      if (p === undefined) return null;
      const r = measure(env, `probe ${dtype}`, () => p.fn(p.iters, 0.9999999, 1e-9), timing);
      const gf = (p.flops * p.iters) / r.median / 1e9;
      p.runs.push(gf);
      p.samples += r.samples;
      // and by CPU time where there is a CPU clock (the paper topic's CPU-time rates are set
      // against it): the fastest of 3 calls
      if (env.cpuNow) {
        let best = Infinity;
        for (let i = 0; i < 3; i++) {
          const c0 = env.cpuNow();
          p.fn(p.iters, 0.9999999, 1e-9);
          best = Math.min(best, (env.cpuNow() - c0) / 1e3);
        }
        (p.cpuRuns ??= []).push((p.flops * p.iters) / best / 1e9);
      }
      log(`  probe ${dtype}: ${gf.toFixed(2)} GFLOP/s${p.cpuRuns ? ` (CPU time: ${p.cpuRuns.at(-1).toFixed(2)})` : ''}`);
      return gf;
    },
    summary() {
      const s = (p) => ({
        gflops: median(p.runs),
        runs: p.runs,
        samples: p.samples,
        itersPerCall: p.iters,
        flopsPerIter: p.flops,
        ...(p.cpuRuns ? { cpuGflops: median(p.cpuRuns), cpuRuns: p.cpuRuns } : {}),
      });
      return {
        f64: s(probe.f64),
        f32: s(probe.f32),
        ...(probe.f64fma ? { f64fma: s(probe.f64fma), f32fma: s(probe.f32fma) } : { fmaSkipped }),
        method:
          'bench/probe/peak.ts (6 mul + 6 add f64x2/f32x4 chains, no FMA), measured before each lazytrain SIMD GEMM row and before/after every topic; median of the runs. FMA: bench/probe/peak-fma.ts (12 relaxed_madd chains, 2 flops per lane each), before/after every topic',
      };
    },
  };
}

/** Run `topics` (names from TOPICS) in order; returns the run's result object (JSON-ready). */
export async function runSuite(env, { quick = false, topics = TOPICS, sizes } = {}) {
  const log = env.log;
  const started = Date.now();
  const simd = await env.importLazytrain('simd');
  const scalar = await env.importLazytrain('scalar');
  const si = await simd.init({ simd: true });
  const sc = await scalar.init({ simd: false });
  if (!si.simd || sc.simd) throw new Error('expected one SIMD and one scalar lazytrain instance');
  // the relaxed build's instance (the paper topic's): its init({ fma: true }) enables relaxed
  // SIMD (Node 20: V8's flag) before the FMA probe compiles
  const relaxed = await env.importLazytrain('relaxed');
  const ri = await relaxed.init({ fma: true });
  const probe = await loadProbe(env, log, ri.build === 'relaxed');
  const ctx = { ...env, quick, sizes, lazytrain: { simd, scalar }, probe };
  const out = {
    runtime: env.runtime,
    quick,
    started: new Date(started).toISOString(),
    lazytrainVersion: simd.VERSION ?? null,
    topics: {},
    failed: [],
  };
  for (const name of topics) {
    log(`bench: ${name}${quick ? ' (quick)' : ''} [${env.runtime}] …`);
    const t0 = performance.now();
    try {
      const mod = await import(`../topics/${name}.mjs`);
      for (const k of ['f64', 'f32', 'f64fma', 'f32fma']) probe.measure(k);
      const res = await mod.run(ctx);
      for (const k of ['f64', 'f32', 'f64fma', 'f32fma']) probe.measure(k);
      res.seconds = (performance.now() - t0) / 1e3;
      out.topics[name] = res;
    } catch (e) {
      log(`bench: ${name} failed: ${e?.stack ?? e}`);
      out.failed.push({ topic: name, error: String(e?.message ?? e) });
    }
    await env.breathe();
  }
  out.peak = probe.summary();
  out.seconds = (Date.now() - started) / 1e3;
  return out;
}
