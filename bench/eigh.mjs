// Symmetric eigensolver benchmark: lazytrain eigh / eigvalsh against ml-matrix
// EigenvalueDecomposition (JAMA tred2 + tql2 in JS) and numpy.linalg.eigh / eigvalsh
// (LAPACK dsyevd / dsyevd-N via OpenBLAS), all single-threaded, in the same run.
//
//   node bench/eigh.mjs [--quick]        (or `npm run bench`, which runs every bench topic)
//
// Times are medians in milliseconds (benchmark.js samples for calls under ~0.3 s, else the
// median of a few timed calls). Inputs: random symmetric matrices, entries uniform in
// [−0.5, 0.5). Needs a build (`npm run build`: dist/).
import Benchmark from 'benchmark';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const SIZES = [50, 100, 200, 500, 1000];

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
const median = (xs) => quantile(xs, 0.5);

/** Seconds per call: benchmark.js for fast calls, else `reps` timed calls; median and p90. */
function measure(name, fn, { maxTime, minSamples, reps }) {
  const t0 = performance.now();
  fn();
  const once = (performance.now() - t0) / 1e3;
  if (once > 0.3) {
    const ts = [once];
    for (let i = 1; i < reps; i++) {
      const t = performance.now();
      fn();
      ts.push((performance.now() - t) / 1e3);
    }
    return { median: median(ts), p90: quantile(ts, 0.9), samples: ts.length };
  }
  const bench = new Benchmark(name, fn, { maxTime, minSamples, initCount: 1, async: false });
  bench.run();
  if (bench.error) throw bench.error;
  const sample = bench.stats.sample;
  return { median: median(sample), p90: quantile(sample, 0.9), samples: sample.length };
}

function symmetric(n, seed) {
  let s = seed >>> 0;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const x = s / 2 ** 32 - 0.5;
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return { rows: n, cols: n, data: a };
}

function numpyBench(sizes, quick) {
  // One subprocess for all sizes. OpenBLAS pinned to one thread; the machine's
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
    from threadpoolctl import threadpool_info
    info["threadpools"] = [{k: p.get(k) for k in ("internal_api", "version", "num_threads", "architecture")} for p in threadpool_info()]
except Exception:
    pass
try:
    d = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs")
    lib = ctypes.CDLL(glob.glob(os.path.join(d, "*openblas*"))[0])
    for pre in ("scipy_openblas_", "openblas_"):
        for suf in ("64_", ""):
            f = getattr(lib, pre + "get_corename" + suf, None)
            if f is not None:
                f.restype = ctypes.c_char_p; info["core"] = f().decode(); break
        if "core" in info: break
except Exception as e:
    info["core"] = "unknown (%s)" % e
quick = ${quick ? 'True' : 'False'}
rows = []
for n in ${JSON.stringify(sizes)}:
    # same distribution as the JS inputs (uniform in [-0.5, 0.5), lower triangle mirrored)
    rng = np.random.default_rng(n)
    a = rng.random((n, n)) - 0.5; s = np.tril(a) + np.tril(a, -1).T
    for name, fn in (("eigh", lambda: np.linalg.eigh(s)), ("eigvalsh", lambda: np.linalg.eigvalsh(s))):
        fn()
        ts = []; t_end = time.perf_counter() + (0.3 if quick else 2.0)
        while len(ts) < (3 if quick else 7) or (time.perf_counter() < t_end and len(ts) < 2000):
            t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
        rows.append({"n": n, "impl": name, "times": ts})
print(json.dumps({"info": info, "rows": rows}))
`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  try {
    const out = execFileSync('python3', ['-c', script], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const res = JSON.parse(out.trim().split('\n').pop());
    return res.skipped ? { skipped: res.skipped } : res;
  } catch (e) {
    return { skipped: `python3 failed: ${String(e.message).split('\n')[0]}` };
  }
}

function machine() {
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here('..'), encoding: 'utf8' }).trim();
  } catch { /* not a checkout */ }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, loadavg: os.loadavg(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`, node: process.version, v8: process.versions.v8, commit,
  };
}

const fmt = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(d + 1) : x.toFixed(d));
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);

/**
 * Run the eigh benchmark. options.quick: shorter timings, n ≤ 500 and no ml-matrix at n > 200;
 * options.sizes: override; options.write (default true): write
 * bench/results/node-eigh-<date>[-quick].json; options.log: progress sink (default stderr).
 * Returns { topic, rows, numpy, table, file }.
 */
export async function run(options = {}) {
  const quick = !!options.quick;
  const log = options.log ?? ((s) => process.stderr.write(`${s}\n`));
  const sizes = options.sizes ?? (quick ? SIZES.slice(0, 4) : SIZES);
  const timing = quick ? { maxTime: 0.25, minSamples: 3, reps: 2 } : { maxTime: 2, minSamples: 7, reps: 5 };
  const slow = quick ? { maxTime: 0.25, minSamples: 2, reps: 1 } : { maxTime: 2, minSamples: 3, reps: 3 };

  const lt = await import('../dist/index.js');
  const info = await lt.init({ simd: true });
  if (!info.simd) throw new Error('expected the SIMD build');

  log(`eigh: numpy subprocess (${sizes.join(', ')}) …`);
  const np = numpyBench(sizes, quick);
  if (np.skipped) log(`eigh: numpy skipped: ${np.skipped}`);

  const rows = [];
  const add = (impl, n, r) => {
    const row = { impl, n, medianMs: r.median * 1e3, p90Ms: r.p90 * 1e3, samples: r.samples };
    rows.push(row);
    log(`  n=${String(n).padStart(4)}  ${impl.padEnd(30)} median ${fmt(row.medianMs, 2).padStart(9)} ms  (p90 ${fmt(row.p90Ms, 2)} ms, ${row.samples} samples)`);
  };
  if (!np.skipped) {
    for (const r of np.rows) add(`numpy ${r.impl}`, r.n, { median: median(r.times), p90: quantile(r.times, 0.9), samples: r.times.length });
  }
  for (const n of sizes) {
    const s = symmetric(n, n);
    add('lazytrain eigh', n, measure(`eigh ${n}`, () => lt.eigh(s), timing));
    add('lazytrain eigvalsh', n, measure(`eigvalsh ${n}`, () => lt.eigvalsh(s), timing));
    if (!(quick && n > 200)) {
      const m = new Matrix(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, s.data[i * n + j]);
      add('ml-matrix EigenvalueDecomposition', n, measure(`ml-matrix ${n}`, () => new EigenvalueDecomposition(m, { assumeSymmetric: true }), slow));
    }
  }

  const get = (impl, n) => rows.find((r) => r.impl === impl && r.n === n)?.medianMs;
  const lines = [];
  lines.push('Median milliseconds per call, single thread, random symmetric n×n (entries uniform in [−0.5, 0.5)).');
  lines.push('');
  lines.push('| n | eigh | eigvalsh | ml-matrix | numpy eigh | numpy eigvalsh | eigh ÷ numpy eigh | ml-matrix ÷ eigh | eigh ÷ eigvalsh |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const e = get('lazytrain eigh', n), v = get('lazytrain eigvalsh', n), ml = get('ml-matrix EigenvalueDecomposition', n);
    const ne = get('numpy eigh', n), nv = get('numpy eigvalsh', n);
    lines.push(`| ${n} | ${fmt(e)} | ${fmt(v)} | ${fmt(ml)} | ${fmt(ne)} | ${fmt(nv)} | ${ratio(e, ne)} | ${ratio(ml, e)} | ${ratio(e, v)} |`);
  }
  lines.push('');
  lines.push(np.skipped ? `numpy: skipped (${np.skipped}).`
    : `numpy ${np.info.numpy}, ${np.info.blas} ${np.info.blasVersion ?? ''} (core ${np.info.core ?? '?'}), OPENBLAS_NUM_THREADS=1; eigh = LAPACK dsyevd.`);
  lines.push(`Load average at the end of the run: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (${os.cpus().length} CPUs).`);
  const table = lines.join('\n');

  let file = null;
  if (options.write !== false) {
    mkdirSync(here('results'), { recursive: true });
    const date = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    file = here(`results/node-eigh-${date}${quick ? '-quick' : ''}.json`);
    writeFileSync(file, JSON.stringify({ topic: 'eigh', machine: machine(), quick, sizes, numpy: np.skipped ? { skipped: np.skipped } : np.info, rows }, null, 2));
  }
  return { topic: 'eigh', rows, numpy: np, table, file };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const res = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${res.table}\n`);
  if (res.file) process.stdout.write(`\n(results written to ${res.file})\n`);
}
