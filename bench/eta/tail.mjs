// The ETA model with threads for the tail (issue 12, items 3–4), against a measured run.
// A compare() at d = 450 on 2 workers whose widest NN point outlasts all the others: with
// `threads: 2` the pool gives it the second core once nothing waits (src/experiment/pool.ts).
// Prints, for threads 1 and 2: the plan's prediction (poolSchedule: the tail's grants replayed
// with the probe's per-width speed-ups), what the model predicted before it knew threads
// (list scheduling, every point on one core to its end), the measured wall time, and the
// running ETA after each point (as elapsed + ETA, the implied total).
// Usage: npm run build && node bench/eta/tail.mjs [--steps=1000] [--widths=4767,1087,467,247,106] [--f64]
import os from 'node:os';
import { init, compare } from '../../dist/index.js';

const arg = (name, dflt) => {
  const a = process.argv.slice(2).find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (a === undefined) return dflt;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const steps = Number(arg('steps', 1000));
const widths = String(arg('widths', '4767,1087,467,247,106')).split(',').map(Number);
const precision = arg('f64', false) === true ? 'f64' : 'f32';
if (!(steps > 0) || widths.some((w) => !(w > 0)))
  throw new Error('usage: node bench/eta/tail.mjs [--steps=1000] [--widths=4767,1087,467] [--f64]');
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

const info = await init(precision === 'f32' ? { fma: true } : { simd: true });
const { internal } = await import('../../test/helpers/internal.mjs');
const config = {
  d: 450,
  n: 'online',
  regimes: ['NN'],
  widths: { RF: [widths[0]], NT: [widths[0]], NN: widths },
  seed: 11,
  nn: { steps, precision },
};
const fmt = (s) => `${s.toFixed(1)} s`;
console.log(
  `bench/eta/tail: d = 450, NN N = ${widths.join(', ')}, ${steps} steps, ${precision} on the ${info.build} build, 2 workers; load ${load()} at start`,
);
const out = [];
for (const threads of [1, 2]) {
  let plan = null;
  const trace = [];
  const t0 = performance.now();
  await compare(config, {
    workers: 2,
    threads,
    onPlan: (p) => (plan = p),
    onProgress: (p) => trace.push(`${p.row.N}: ${fmt(p.elapsedSeconds + p.etaSeconds)}`),
  });
  const wall = (performance.now() - t0) / 1000 - plan.model.probeSeconds;
  const oneCore = internal.poolSchedule(
    plan.perPoint.map((q) => ({ seconds: q.seconds })),
    plan.workers,
  );
  const sp = plan.model.NN.samples.map((s) => `N=${s.N} ${(s.speedup ?? 1).toFixed(2)}×`).join(', ');
  console.log(`\nthreads ${threads}: probe ${plan.model.probeSeconds.toFixed(1)} s${threads > 1 ? `, speed-ups ${sp}` : ''}`);
  console.log(`  predicted ${fmt(plan.predictedSeconds)} (each point on one core to its end: ${fmt(oneCore)})`);
  console.log(
    `  measured  ${fmt(wall)} → predicted ÷ measured ${(plan.predictedSeconds / wall).toFixed(3)}, one-core model ${(oneCore / wall).toFixed(3)}`,
  );
  console.log(`  implied total after each point (elapsed + ETA, probe included): ${trace.join(', ')}`);
  out.push({ threads, predicted: plan.predictedSeconds, oneCore, measured: wall });
}
console.log(`\nload ${load()} at end`);
console.log(JSON.stringify(out));
