// SPD solve: cholesky(s) and solveSPD(s, B) with an n×k right-hand side (factor + two blocked
// triangular solves). Median milliseconds per call. Environment-agnostic.
// Contenders: lazytrain (SIMD and scalar builds), ml-matrix CholeskyDecomposition (+ solve),
// numpy/scipy cho_factor (+ cho_solve) and numpy.linalg.solve (LU, dgesv) — one thread, Node only.
import { measure, row, fromTimes, timings, fmtMs } from '../lib/stats.mjs';
import { mat, spd, toMl } from '../lib/inputs.mjs';

export const title = 'Cholesky and SPD solve';
const SIZES = [100, 200, 500, 1000];
export const NRHS = 16;

export async function run(ctx) {
  const { quick, log } = ctx;
  const sizes = ctx.sizes?.solve ?? (quick ? SIZES.slice(0, 3) : SIZES);
  const t = timings(quick);
  const rows = [],
    skipped = [];
  const add = (r) => {
    rows.push(r);
    log(`  solve n=${String(r.n).padStart(4)} ${r.impl.padEnd(34)} ${fmtMs(r)}`);
    return r;
  };

  const np = await ctx.numpy('solve', { sizes, nrhs: NRHS });
  if (np.skipped) skipped.push({ impl: 'numpy cho_factor / cho_solve', reason: np.skipped });
  else for (const r of np.rows) add(row(r.impl, r.dtype, r.n, fromTimes(r.times, 'perf_counter'), null, { nrhs: NRHS }));
  const ml = await ctx.peer('ml-matrix').catch((e) => {
    skipped.push({ impl: 'ml-matrix CholeskyDecomposition', reason: e.message });
    return null;
  });
  const { simd, scalar } = ctx.lazytrain;

  for (const n of sizes) {
    const s = spd(n, n),
      b = mat(n, NRHS, n + 1);
    const big = n >= 500;
    add(
      row(
        'lazytrain cholesky',
        'f64',
        n,
        measure(ctx, `chol ${n}`, () => simd.cholesky(s), t.fast),
      ),
    );
    add(
      row(
        'lazytrain solveSPD',
        'f64',
        n,
        measure(ctx, `solve ${n}`, () => simd.solveSPD(s, b), t.fast),
        null,
        { nrhs: NRHS },
      ),
    );
    add(
      row(
        'lazytrain scalar solveSPD',
        'f64',
        n,
        measure(ctx, `scalar solve ${n}`, () => scalar.solveSPD(s, b), big ? t.slow : t.fast),
        null,
        { nrhs: NRHS },
      ),
    );
    if (ml) {
      const ms = toMl(ml.Matrix, s),
        mb = toMl(ml.Matrix, b);
      add(
        row(
          'ml-matrix cholesky',
          'f64',
          n,
          measure(ctx, `ml chol ${n}`, () => new ml.CholeskyDecomposition(ms), big ? t.slow : t.fast),
        ),
      );
      add(
        row(
          'ml-matrix cholesky + solve',
          'f64',
          n,
          measure(ctx, `ml solve ${n}`, () => new ml.CholeskyDecomposition(ms).solve(mb), big ? t.slow : t.fast),
          null,
          { nrhs: NRHS },
        ),
      );
    }
    await ctx.breathe();
  }
  return { topic: 'solve', title, sizes, nrhs: NRHS, rows, skipped, info: { numpy: np.info ?? null } };
}
