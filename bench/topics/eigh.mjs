// Symmetric eigensolver: median milliseconds per call. Environment-agnostic.
// Contenders: lazytrain eigh / eigvalsh (SIMD; eigh also in the scalar build), ml-matrix
// EigenvalueDecomposition (JAMA tred2 + tql2), mathjs eigs (small n only, with a time cap) and
// numpy eigh / eigvalsh (LAPACK dsyevd, one thread; Node only).
import { measure, row, fromTimes, timings, fmtMs } from '../lib/stats.mjs';
import { symmetric, toMl, toNested } from '../lib/inputs.mjs';

export const title = 'eigh';
const SIZES = [50, 100, 200, 500, 1000];
/** Peers slower than this per call (seconds) are not run at larger n. */
const CAP = { 'ml-matrix EigenvalueDecomposition': 15, 'mathjs eigs': 3 };

export async function run(ctx) {
  const { quick, log } = ctx;
  const sizes = ctx.sizes?.eigh ?? (quick ? SIZES.slice(0, 4) : SIZES);
  const mlMax = quick ? 200 : 1000,
    mathjsMax = quick ? 50 : 100;
  const t = timings(quick);
  const rows = [],
    skipped = [];
  const add = (r) => {
    rows.push(r);
    log(`  eigh n=${String(r.n).padStart(4)} ${r.impl.padEnd(34)} ${fmtMs(r)}`);
    return r;
  };
  const skip = (impl, n, reason) => skipped.push({ impl, n, reason });

  const np = await ctx.numpy('eigh', { sizes });
  if (np.skipped) skip('numpy eigh', null, np.skipped);
  else for (const r of np.rows) add(row(r.impl, r.dtype, r.n, fromTimes(r.times, 'perf_counter')));
  const ml = await ctx.peer('ml-matrix').catch((e) => {
    skip('ml-matrix EigenvalueDecomposition', null, e.message);
    return null;
  });
  const mj = await ctx.peer('mathjs').catch((e) => {
    skip('mathjs eigs', null, e.message);
    return null;
  });
  const { simd, scalar } = ctx.lazytrain;
  const capped = {};
  const peer = (impl, n, max, fn) => {
    if (n > max) return skip(impl, n, `n > ${max} (too slow for this run)`);
    if (capped[impl]) return skip(impl, n, `time cap: ${capped[impl]}`);
    const r = add(row(impl, 'f64', n, measure(ctx, `${impl} ${n}`, fn, t.slow)));
    if (r.medianMs / 1e3 > CAP[impl])
      capped[impl] = `${(r.medianMs / 1e3).toFixed(1)} s per call at n = ${n} (cap ${CAP[impl]} s)`;
  };

  for (const n of sizes) {
    const s = symmetric(n, n);
    add(
      row(
        'lazytrain eigh',
        'f64',
        n,
        measure(ctx, `eigh ${n}`, () => simd.eigh(s), t.fast),
      ),
    );
    add(
      row(
        'lazytrain eigvalsh',
        'f64',
        n,
        measure(ctx, `eigvalsh ${n}`, () => simd.eigvalsh(s), t.fast),
      ),
    );
    add(
      row(
        'lazytrain scalar eigh',
        'f64',
        n,
        measure(ctx, `scalar eigh ${n}`, () => scalar.eigh(s), n >= 500 ? t.slow : t.fast),
      ),
    );
    if (ml) {
      const m = toMl(ml.Matrix, s);
      peer('ml-matrix EigenvalueDecomposition', n, mlMax, () => new ml.EigenvalueDecomposition(m, { assumeSymmetric: true }));
    }
    if (mj) {
      const a = toNested(s);
      peer('mathjs eigs', n, mathjsMax, () => mj.eigs(a));
    }
    await ctx.breathe();
  }
  return { topic: 'eigh', title, sizes, rows, skipped, info: { numpy: np.info ?? null, mathjs: mj?.version ?? null } };
}
