// The cost model against measured 1 000-step slices of the paper preset (issue 12, item 4).
// Calibrates as `lazytrain compare --preset paper [--precision f32] [--fma] --dry-run` does
// (probe widths of the whole paper grid, in the run's precision on the run's build), predicts
// slices of points the probe did not time (NN N = 467, 1087: between probe widths) and one it
// did (NT N = 450), runs them, and prints predicted vs measured and the ratio.
//
// Two ways to predict a non-default precision/build are compared on the same slices:
// - direct: the probe trains in the run's precision on the run's build (what the CLI does);
// - factor: the f64 default's probe (SIMD build, a second instance) × one per-kind factor, the
//   ratio of the two probes' step times at the widest probe width (where the cost is).
//
// Each point is timed by CPU time (the probe's clock) and by the wall clock; on a shared
// machine the CPU time is the figure the prediction is for. The load average is printed.
// Usage: npm run build && nice node bench/eta/slice.mjs [--steps=1000] [--precision=f32] [--fma]
//        [--points=NN:467,NN:1087,NT:450] [--workers=2]
import os from 'node:os';

const arg = (name, dflt) => {
  const a = process.argv.slice(2).find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (a === undefined) return dflt;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const steps = Number(arg('steps', 1000));
const precision = arg('precision', 'f64');
const fma = arg('fma', false) === true;
const workers = Number(arg('workers', 2));
const points = String(arg('points', 'NN:467,NN:1087,NT:450'))
  .split(',')
  .map((s) => {
    const [regime, N] = s.split(':');
    return { regime, N: Number(N) };
  });
if (!(steps > 0) || !['f64', 'f32'].includes(precision) || points.some((p) => !['NN', 'NT'].includes(p.regime) || !(p.N > 0)))
  throw new Error('usage: node bench/eta/slice.mjs [--steps=1000] [--precision=f32] [--fma] [--points=NN:467,NT:450]');

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
const dist = new URL('../../dist/index.js', import.meta.url).href;
// the run's instance, and the f64 SIMD default's (for the factor method): separate modules
const lt = await import(`${dist}?run`);
const info = await lt.init(fma ? { fma: true } : { simd: true });
if (fma && info.build !== 'relaxed') throw new Error(`--fma: init({ fma: true }) loaded the ${info.build} build here`);
const { pointWork, predictSeconds, enumeratePoints, RunContext, runPoint } = lt._internal;
const withPrecision = (c) => (precision === 'f64' ? c : { ...c, nn: { ...c.nn, precision }, nt: { ...c.nt, precision } });
const paper = withPrecision(lt.preset('paper'));
const tag = `${precision}${fma ? ' + FMA' : ''} (${info.build} build)`;
console.log(`load average at start: ${load()}   (${os.cpus().length} cores, ${os.cpus()[0]?.model})`);
console.log(`run: ${tag}, ${steps}-step slices of the paper preset at d = 450`);

const plan = await lt.planCompare(paper, { workers });
const plan1 = await lt.planCompare(paper, { workers: 1 });
const model = plan.model;
for (const k of ['NN', 'NT'])
  console.log(
    `probe ${k} (${model[k].precision}, ${model.build}):`,
    model[k].samples.map((s) => `N=${s.N} ${(s.seconds * 1e3).toFixed(3)} ms`).join(', '),
  );
console.log(`probe took ${model.probeSeconds.toFixed(1)} s`);

// the factor method (only meaningful when the run is not the default)
let factorModel = null;
if (precision !== 'f64' || fma) {
  const base = await import(`${dist}?base`);
  await base.init({ simd: true });
  const bm = (await base.planCompare(base.preset('paper'), { workers: 1 })).model;
  factorModel = { ...bm, build: model.build, flopRate: model.flopRate };
  for (const k of ['NN', 'NT']) {
    const wide = (m) => m[k].samples[m[k].samples.length - 1];
    const f = wide(model).seconds / wide(bm).seconds;
    console.log(`factor ${k}: ${f.toFixed(3)} (${tag} ÷ f64 SIMD at N = ${wide(bm).N})`);
    factorModel[k] = { ...bm[k], precision, samples: bm[k].samples.map((s) => ({ ...s, seconds: s.seconds * f })) };
  }
}

const slice = withPrecision({
  ...lt.preset('paper'),
  widths: {
    RF: [30],
    NT: points.filter((p) => p.regime === 'NT').map((p) => p.N),
    NN: points.filter((p) => p.regime === 'NN').map((p) => p.N),
  },
  regimes: [...new Set(points.map((p) => p.regime))],
  nn: { ...lt.preset('paper').nn, steps },
  nt: { ...lt.preset('paper').nt, steps },
});
const c = lt.normalizeConfig(slice);
const ctx = new RunContext(c);
const rows = [];
for (const p of enumeratePoints(c)) {
  const w = pointWork(c, p);
  const q = predictSeconds(model, w);
  const qf = factorModel ? predictSeconds(factorModel, w) : null;
  const c0 = cpu();
  const r = await runPoint(ctx, p);
  const used = cpu() - c0;
  rows.push({ point: `${r.regime} N=${r.N}`, q, qf, wall: r.seconds, used, load: os.loadavg()[0] });
}
const pad = (s, n) => String(s).padStart(n);
console.log(`\npoint        predicted     CPU    wall   CPU/pred${factorModel ? '  factor-pred  CPU/factor' : ''}   load(1 min)`);
for (const r of rows) {
  console.log(
    `${r.point.padEnd(10)} ${pad(r.q.toFixed(2), 9)} s ${pad(r.used.toFixed(2), 6)} s ${pad(r.wall.toFixed(2), 6)} s ${pad((r.used / r.q).toFixed(3), 8)}` +
      (factorModel ? ` ${pad(r.qf.toFixed(2), 10)} s ${pad((r.used / r.qf).toFixed(3), 10)}` : '') +
      `   ${r.load.toFixed(2)}`,
  );
}
const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
console.log(
  `total      ${pad(sum('q').toFixed(2), 9)} s ${pad(sum('used').toFixed(2), 6)} s ${pad(sum('wall').toFixed(2), 6)} s ${pad((sum('used') / sum('q')).toFixed(3), 8)}` +
    (factorModel ? ` ${pad(sum('qf').toFixed(2), 10)} s ${pad((sum('used') / sum('qf')).toFixed(3), 10)}` : ''),
);
const worst = Math.max(...rows.map((r) => Math.abs(r.used / r.q - 1)));
console.log(`worst point: ${(worst * 100).toFixed(1)} % off (target ≤ 25 %)`);
console.log(
  `paper preset, ${tag}: predicted ${(plan1.predictedSeconds / 3600).toFixed(2)} h on 1 worker, ${(plan.predictedSeconds / 3600).toFixed(2)} h on ${workers} workers`,
);
console.log(`load average at end: ${load()}`);
