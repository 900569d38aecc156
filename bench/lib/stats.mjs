// Statistics and timing shared by every topic. Environment-agnostic: no `node:` imports, the
// benchmark.js constructor comes in through the context (`ctx.Benchmark`), so the same code runs
// in Node and in a Chromium page.

export function quantile(xs, q) {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q,
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
export const median = (xs) => quantile(xs, 0.5);

/** Timing presets: `fast` for the contender under study, `slow` for slow peers. */
export function timings(quick) {
  return quick
    ? { fast: { maxTime: 0.2, minSamples: 3, reps: 2 }, slow: { maxTime: 0.1, minSamples: 2, reps: 1 } }
    : { fast: { maxTime: 1.5, minSamples: 7, reps: 5 }, slow: { maxTime: 1, minSamples: 3, reps: 3 } };
}

/**
 * Seconds per call of fn: benchmark.js samples (each the mean of a cycle of calls long enough
 * for the timer's resolution) when one call takes under 0.3 s, else `reps` individually timed
 * calls (benchmark.js would take one sample of one call anyway). Returns
 * { median, p90, samples, method } in seconds.
 */
export function measure(ctx, name, fn, { maxTime, minSamples, reps }) {
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
    return { median: median(ts), p90: quantile(ts, 0.9), samples: ts.length, method: 'timed calls' };
  }
  const bench = new ctx.Benchmark(name, fn, { maxTime, minSamples, initCount: 1, async: false });
  bench.run();
  if (bench.error) throw bench.error;
  const sample = bench.stats.sample;
  return { median: median(sample), p90: quantile(sample, 0.9), samples: sample.length, method: 'benchmark.js' };
}

/** A result row from a measurement (seconds) and, optionally, the flop count of one call. */
export function row(impl, dtype, n, r, flops, extra = {}) {
  const out = { impl, dtype, n, medianMs: r.median * 1e3, p90Ms: r.p90 * 1e3, samples: r.samples, method: r.method };
  if (flops) out.gflops = flops / r.median / 1e9;
  return Object.assign(out, extra);
}

/** The same statistics from a list of seconds measured elsewhere (numpy, repetitions). */
export function fromTimes(ts, method) {
  return { median: median(ts), p90: quantile(ts, 0.9), samples: ts.length, method };
}

export const fmtMs = (r) =>
  `median ${r.medianMs < 10 ? r.medianMs.toFixed(3) : r.medianMs.toFixed(1)} ms, p90 ${r.p90Ms < 10 ? r.p90Ms.toFixed(3) : r.p90Ms.toFixed(1)} ms, ${r.samples} samples`;
