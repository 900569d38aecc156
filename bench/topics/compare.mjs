// End to end: a small compare() sweep (the quick preset — quadratic task, d = 60, RF/NT/NN,
// 3000 SGD steps — on 3 of its 20 width ratios, 1 with --quick), wall-clock seconds, SIMD and
// scalar builds.
// No peer does this; the figure is for users sizing a run. Environment-agnostic.
import { median, quantile } from '../lib/stats.mjs';

export const title = 'compare() end to end';
export const RATIOS = [0.5, 1, 2];
const QUICK_RATIOS = [1];

export async function run(ctx) {
  const { quick, log } = ctx;
  const reps = quick ? 1 : 3;
  const ratios = quick ? QUICK_RATIOS : RATIOS;
  const rows = [];
  const one = async (lt, label) => {
    const cfg = { ...lt.preset('quick'), ratios };
    const ts = [],
      perRegime = {};
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      const res = await lt.compare(cfg);
      ts.push((performance.now() - t0) / 1e3);
      for (const row of res.rows) (perRegime[row.regime] ??= []).push(row.seconds);
      log(`  compare ${label} rep ${r + 1}/${reps}: ${ts[r].toFixed(2)} s (${res.rows.length} points)`);
      await ctx.breathe();
    }
    const regimeSeconds = Object.fromEntries(Object.entries(perRegime).map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / reps]));
    rows.push({
      impl: `lazytrain compare() ${label}`,
      dtype: 'f64',
      n: ratios.length * 3,
      medianMs: median(ts) * 1e3,
      p90Ms: quantile(ts, 0.9) * 1e3,
      samples: ts.length,
      method: 'repetitions',
      regimeSeconds,
    });
  };
  await one(ctx.lazytrain.simd, 'SIMD');
  await one(ctx.lazytrain.scalar, 'scalar');
  return {
    topic: 'compare',
    title,
    ratios,
    preset: 'quick',
    rows,
    skipped: [{ impl: 'peers', reason: 'no peer library runs this experiment' }],
    info: {},
  };
}
