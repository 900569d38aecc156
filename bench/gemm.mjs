// GEMM benchmark: lazytrain matmul (SIMD and scalar builds) against a plain-JS loop, ml-matrix,
// numpy/OpenBLAS and the register-only WASM SIMD peak probe (bench/probe/peak.ts).
//
//   node bench/gemm.mjs [--quick]        (or `npm run bench`, which runs every bench topic)
//
// GFLOP/s = 2n³ / median time. The probe is measured several times, interleaved with the
// kernels in this process, and its median is the denominator of the kernel/peak ratios.
// Needs a build (`npm run build`: dist/ and build/wasm/peak-probe.wasm).
import Benchmark from 'benchmark';
import { Matrix } from 'ml-matrix';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const SIZES = [64, 128, 256, 512, 1024];

// ---------------------------------------------------------------------------------------
// statistics

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
const median = (xs) => quantile(xs, 0.5);

/** Time fn with benchmark.js; returns seconds per call (median, p90) and the sample count. */
function measure(name, fn, { maxTime, minSamples }) {
  const bench = new Benchmark(name, fn, { maxTime, minSamples, initCount: 1, async: false });
  bench.run();
  if (bench.error) throw bench.error;
  const sample = bench.stats.sample;
  return { median: median(sample), p90: quantile(sample, 0.9), samples: sample.length };
}

// ---------------------------------------------------------------------------------------
// inputs and the contenders

function lcgFill(arr, seed) {
  let s = seed >>> 0;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    arr[i] = s / 2 ** 32 - 0.5;
  }
  return arr;
}
const mat = (n, seed, Ctor) => ({ rows: n, cols: n, data: lcgFill(new Ctor(n * n), seed) });

function plainIkj(a, b, n) {
  const A = a.data, B = b.data, C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = A[ci + k], bk = k * n;
      for (let j = 0; j < n; j++) C[ci + j] += aik * B[bk + j];
    }
  }
  return C;
}

async function loadProbe() {
  const bytes = readFileSync(here('../build/wasm/peak-probe.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: { abort() { throw new Error('peak probe aborted'); } },
  });
  const ex = instance.exports;
  const probe = { f64: { fn: ex.peakF64, flops: ex.FLOPS_PER_ITER_F64.value },
                  f32: { fn: ex.peakF32, flops: ex.FLOPS_PER_ITER_F32.value } };
  // Size one call to ~20 ms so that a benchmark.js cycle is a single call.
  for (const p of Object.values(probe)) {
    p.fn(10_000, 0.9999999, 1e-9);
    const it = 200_000, t0 = performance.now();
    p.fn(it, 0.9999999, 1e-9);
    const s = (performance.now() - t0) / 1e3;
    p.iters = Math.max(10_000, Math.round((it * 0.02) / s));
    p.gflops = []; // one entry per interleaved measurement
    p.samples = 0;
  }
  return probe;
}

function measureProbe(probe, dtype, timing) {
  const p = probe[dtype];
  const r = measure(`probe ${dtype}`, () => p.fn(p.iters, 0.9999999, 1e-9), timing);
  p.gflops.push((p.flops * p.iters) / r.median / 1e9);
  p.samples += r.samples;
}

function numpyBench(sizes, quick) {
  // One subprocess for every size; OpenBLAS pinned to one thread, the machine's
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE overrides removed so it picks its own kernels.
  const script = `
import sys, json, time, os, glob, ctypes
try:
    import numpy as np
except Exception as e:
    print(json.dumps({"skipped": "numpy not importable: %s" % e})); sys.exit(0)
info = {"numpy": np.__version__}
try:
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    info["blas"] = cfg.get("name"); info["blasVersion"] = cfg.get("version")
except Exception as e:
    info["blas"] = "unknown (%s)" % e
try:
    d = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs")
    libs = glob.glob(os.path.join(d, "*openblas*"))
    lib = ctypes.CDLL(libs[0])
    for pre in ("scipy_openblas_", "openblas_"):
        for suf in ("64_", ""):
            f = getattr(lib, pre + "get_corename" + suf, None)
            if f is not None:
                f.restype = ctypes.c_char_p; info["core"] = f().decode()
                g = getattr(lib, pre + "get_config" + suf); g.restype = ctypes.c_char_p
                info["config"] = g().decode(); break
        if "core" in info: break
except Exception as e:
    info["core"] = "unknown (%s)" % e
quick = ${quick ? 'True' : 'False'}
rows = []
rng = np.random.default_rng(1)
for n in ${JSON.stringify(sizes)}:
    for dt in ("float64", "float32"):
        a = (rng.random((n, n)) - 0.5).astype(dt); b = (rng.random((n, n)) - 0.5).astype(dt)
        a @ b
        ts = []; t_end = time.perf_counter() + (0.3 if quick else 2.0)
        while len(ts) < (3 if quick else 7) or (time.perf_counter() < t_end and len(ts) < 10000):
            t0 = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t0)
        rows.append({"n": n, "dtype": "f64" if dt == "float64" else "f32", "times": ts})
print(json.dumps({"info": info, "rows": rows}))
`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  try {
    const out = execFileSync('python3', ['-c', script], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const res = JSON.parse(out.trim().split('\n').pop());
    if (res.skipped) return { skipped: res.skipped };
    return res;
  } catch (e) {
    return { skipped: `python3 failed: ${String(e.message).split('\n')[0]}` };
  }
}

// ---------------------------------------------------------------------------------------
// machine description

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  let cache = {};
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m);
    if (m) cpu = m[1].trim();
  } catch { /* not Linux */ }
  try {
    const out = execFileSync('lscpu', [], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    for (const key of ['L1d cache', 'L2 cache', 'L3 cache', 'Model', 'CPU family']) {
      const m = out.match(new RegExp(`^${key}:\\s*(.*)$`, 'm'));
      if (m) cache[key] = m[1].trim();
    }
  } catch { /* no lscpu */ }
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here('..'), encoding: 'utf8' }).trim();
  } catch { /* not a checkout */ }
  return {
    cpu, cpus: os.cpus().length, lscpu: cache, platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version, v8: process.versions.v8, commit,
  };
}

// ---------------------------------------------------------------------------------------

const fmt = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);

/**
 * Run the GEMM benchmark. options.quick: shorter timings (and no n = 1024);
 * options.write (default true): write bench/results/node-gemm-<date>[-quick].json;
 * options.log: progress sink (default stderr). Returns { topic, rows, probe, numpy, table, file }.
 */
export async function run(options = {}) {
  const quick = !!options.quick;
  const log = options.log ?? ((s) => process.stderr.write(`${s}\n`));
  const sizes = options.sizes ?? (quick ? SIZES.slice(0, 4) : SIZES);
  const timing = quick ? { maxTime: 0.25, minSamples: 3 } : { maxTime: 2, minSamples: 7 };
  const slowTiming = quick ? { maxTime: 0.1, minSamples: 2 } : { maxTime: 2, minSamples: 3 };
  const probeTiming = quick ? { maxTime: 0.1, minSamples: 3 } : { maxTime: 0.3, minSamples: 5 };

  const simd = await import('../dist/index.js');
  const info = await simd.init({ simd: true });
  const scalar = await import('../dist/index.js?scalar');
  const sinfo = await scalar.init({ simd: false });
  if (!info.simd || sinfo.simd) throw new Error('expected one SIMD and one scalar module instance');
  const probe = await loadProbe();

  log(`gemm: numpy subprocess (${sizes.join(', ')}) …`);
  const np = numpyBench(sizes, quick);
  if (np.skipped) log(`gemm: numpy skipped: ${np.skipped}`);

  const rows = [];
  const add = (impl, dtype, n, r) => {
    const row = { impl, dtype, n, gflops: (2 * n ** 3) / r.median / 1e9, medianMs: r.median * 1e3, p90Ms: r.p90 * 1e3, samples: r.samples };
    rows.push(row);
    log(`  n=${String(n).padStart(4)}  ${`${impl} ${dtype}`.padEnd(26)} ${fmt(row.gflops).padStart(7)} GFLOP/s  (median ${fmt(row.medianMs, 3)} ms, p90 ${fmt(row.p90Ms, 3)} ms, ${row.samples} samples)`);
  };
  if (!np.skipped) {
    for (const r of np.rows) add('numpy', r.dtype, r.n, { median: median(r.times), p90: quantile(r.times, 0.9), samples: r.times.length });
  }

  for (const n of sizes) {
    const a64 = mat(n, 1, Float64Array), b64 = mat(n, 2, Float64Array);
    const a32 = mat(n, 1, Float32Array), b32 = mat(n, 2, Float32Array);
    const big = n >= 512;
    measureProbe(probe, 'f64', probeTiming);
    add('lazytrain SIMD', 'f64', n, measure(`lt f64 ${n}`, () => simd.matmul(a64, b64), timing));
    measureProbe(probe, 'f32', probeTiming);
    add('lazytrain SIMD', 'f32', n, measure(`lt f32 ${n}`, () => simd.matmul(a32, b32), timing));
    add('lazytrain scalar', 'f64', n, measure(`lt scalar f64 ${n}`, () => scalar.matmul(a64, b64), big ? slowTiming : timing));
    add('lazytrain scalar', 'f32', n, measure(`lt scalar f32 ${n}`, () => scalar.matmul(a32, b32), big ? slowTiming : timing));
    if (n < 1024) add('plain JS i-k-j', 'f64', n, measure(`js ${n}`, () => plainIkj(a64, b64, n), big ? slowTiming : timing));
    const ma = new Matrix(n, n), mb = new Matrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { ma.set(i, j, a64.data[i * n + j]); mb.set(i, j, b64.data[i * n + j]); }
    add('ml-matrix mmul', 'f64', n, measure(`ml-matrix ${n}`, () => ma.mmul(mb), big ? slowTiming : timing));
  }
  measureProbe(probe, 'f64', probeTiming);
  measureProbe(probe, 'f32', probeTiming);

  const peak = {
    f64: { gflops: median(probe.f64.gflops), runs: probe.f64.gflops, samples: probe.f64.samples, itersPerCall: probe.f64.iters, flopsPerIter: probe.f64.flops },
    f32: { gflops: median(probe.f32.gflops), runs: probe.f32.gflops, samples: probe.f32.samples, itersPerCall: probe.f32.iters, flopsPerIter: probe.f32.flops },
  };
  const get = (impl, dtype, n) => rows.find((r) => r.impl === impl && r.dtype === dtype && r.n === n)?.gflops;

  const lines = [];
  lines.push('GFLOP/s (2n³ / median time), single thread; ratios use the f64 / f32 medians.');
  lines.push('');
  lines.push('| n | lazytrain f64 | lazytrain f32 | scalar f64 | scalar f32 | plain JS f64 | ml-matrix f64 | numpy f64 | numpy f32 | f64 / f64 peak | f32 / f32 peak | ÷ ml-matrix | ÷ plain JS | ÷ numpy f64 |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const d = get('lazytrain SIMD', 'f64', n), s = get('lazytrain SIMD', 'f32', n);
    lines.push(`| ${n} | ${fmt(d)} | ${fmt(s)} | ${fmt(get('lazytrain scalar', 'f64', n))} | ${fmt(get('lazytrain scalar', 'f32', n))} | ${fmt(get('plain JS i-k-j', 'f64', n))} | ${fmt(get('ml-matrix mmul', 'f64', n))} | ${fmt(get('numpy', 'f64', n))} | ${fmt(get('numpy', 'f32', n))} | ${ratio(d, peak.f64.gflops)} | ${ratio(s, peak.f32.gflops)} | ${ratio(d, get('ml-matrix mmul', 'f64', n))} | ${ratio(d, get('plain JS i-k-j', 'f64', n))} | ${ratio(d, get('numpy', 'f64', n))} |`);
  }
  lines.push('');
  lines.push(`WASM SIMD register-only peak (mul + add, no FMA; median of ${peak.f64.runs.length} interleaved runs): f64 ${fmt(peak.f64.gflops)} GFLOP/s (range ${fmt(Math.min(...peak.f64.runs))}–${fmt(Math.max(...peak.f64.runs))}), f32 ${fmt(peak.f32.gflops)} GFLOP/s (range ${fmt(Math.min(...peak.f32.runs))}–${fmt(Math.max(...peak.f32.runs))}).`);
  lines.push(np.skipped ? `numpy: skipped (${np.skipped}).`
    : `numpy ${np.info.numpy}, ${np.info.blas} ${np.info.blasVersion ?? ''} (core ${np.info.core}), OPENBLAS_NUM_THREADS=1.`);
  const table = lines.join('\n');

  const mach = machine();
  let file = null;
  if (options.write !== false) {
    const date = new Date().toISOString().slice(0, 10);
    mkdirSync(here('results'), { recursive: true });
    file = here(`results/node-gemm-${date}${quick ? '-quick' : ''}.json`);
    writeFileSync(file, `${JSON.stringify({
      topic: 'gemm', date: new Date().toISOString(), quick, machine: mach,
      method: 'benchmark.js samples (seconds per call); GFLOP/s = 2n^3 / median; probe = bench/probe/peak.ts measured before each lazytrain row, median of runs',
      peak, numpy: np.skipped ? { skipped: np.skipped } : np.info, rows,
    }, null, 2)}\n`);
  }
  return { topic: 'gemm', rows, peak, numpy: np.skipped ? { skipped: np.skipped } : np.info, machine: mach, table, file };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const res = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`## GEMM\n\n${res.machine.cpu}, ${res.machine.cpus} CPUs, Node ${res.machine.node} (V8 ${res.machine.v8})\n\n${res.table}\n`);
  if (res.file) process.stdout.write(`\nwrote ${res.file}\n`);
}
