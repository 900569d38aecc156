// The driver shared by the Node runner (bench/run.mjs) and the Chromium page
// (bench/browser/page.mjs). Environment-agnostic: everything runtime-specific comes in the
// environment object `env`:
//   runtime ('node' | 'chromium'), Benchmark (benchmark.js), log(s), breathe() (yield to the
//   event loop), wasmBytes(repoPath) → ArrayBuffer, importLazytrain(query) → module,
//   peer(name) → Promise<module> (rejects with the reason it is unavailable), peerInfo,
//   numpy(topic, spec) → Promise<{ info, rows } | { skipped }>.
import { measure, median } from './stats.mjs';

export const TOPICS = ['gemm', 'eigh', 'solve', 'train', 'compare'];

/** The register-only WASM SIMD peak probe (bench/probe/peak.ts), measured on demand. */
async function loadProbe(env, log) {
  const bytes = await env.wasmBytes('build/wasm/peak-probe.wasm');
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: {
      abort() {
        throw new Error('peak probe aborted');
      },
    },
  });
  const ex = instance.exports;
  const probe = {
    f64: { fn: ex.peakF64, flops: ex.FLOPS_PER_ITER_F64.value, runs: [], samples: 0 },
    f32: { fn: ex.peakF32, flops: ex.FLOPS_PER_ITER_F32.value, runs: [], samples: 0 },
  };
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
    measure(dtype) {
      const p = probe[dtype];
      const r = measure(env, `probe ${dtype}`, () => p.fn(p.iters, 0.9999999, 1e-9), timing);
      const gf = (p.flops * p.iters) / r.median / 1e9;
      p.runs.push(gf);
      p.samples += r.samples;
      log(`  probe ${dtype}: ${gf.toFixed(2)} GFLOP/s`);
      return gf;
    },
    summary() {
      const s = (p) => ({
        gflops: median(p.runs),
        runs: p.runs,
        samples: p.samples,
        itersPerCall: p.iters,
        flopsPerIter: p.flops,
      });
      return {
        f64: s(probe.f64),
        f32: s(probe.f32),
        method:
          'bench/probe/peak.ts (6 mul + 6 add f64x2/f32x4 chains, no FMA), measured before each lazytrain SIMD GEMM row and before/after every topic; median of the runs',
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
  const probe = await loadProbe(env, log);
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
      probe.measure('f64');
      probe.measure('f32');
      const res = await mod.run(ctx);
      probe.measure('f64');
      probe.measure('f32');
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
