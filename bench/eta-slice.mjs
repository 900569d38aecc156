// The cost model against a measured slice of the paper preset (issue 12, item 4): calibrate
// as `lazytrain compare --preset paper --dry-run` does (probe widths of the whole paper grid),
// predict 1 000-step points at widths the probe did not measure, run them, compare.
// Usage: npm run build && nice node bench/eta-slice.mjs [steps=1000]
import { init, planCompare, preset, normalizeConfig, _internal } from '../dist/index.js';

const { pointWork, predictSeconds, enumeratePoints, RunContext, runPoint } = _internal;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const steps = Number(process.argv[2] ?? 1000);
await init();
const paper = preset('paper');
const plan = await planCompare(paper, { workers: 1 });
const model = plan.model;
for (const k of ['NN', 'NT'])
  console.log(`probe ${k}:`, model[k].samples.map((s) => `N=${s.N} ${(s.seconds * 1e3).toFixed(2)} ms`).join(', '));
const slice = {
  ...paper,
  widths: { RF: [240], NT: [240, 450], NN: [69, 467, 2048] },
  regimes: ['NT', 'NN'],
  nn: { ...paper.nn, steps },
  nt: { ...paper.nt, steps },
};
const c = normalizeConfig(slice);
const predicted = new Map(enumeratePoints(c).map((p) => [`${p.regime}|${p.N}`, predictSeconds(model, pointWork(c, p))]));
// each point timed by wall clock and by CPU time (the probe's clock; the machine may be shared)
const ctx = new RunContext(c);
let sp = 0,
  sm = 0,
  sc = 0;
console.log('point        predicted  wall        CPU       CPU/predicted');
for (const p of enumeratePoints(c)) {
  const c0 = cpu();
  const r = await runPoint(ctx, p);
  const used = cpu() - c0;
  const q = predicted.get(`${r.regime}|${r.N}`);
  sp += q;
  sm += r.seconds;
  sc += used;
  console.log(
    `${r.regime} N=${String(r.N).padEnd(5)} ${q.toFixed(2).padStart(8)} s ${r.seconds.toFixed(2).padStart(8)} s ${used.toFixed(2).padStart(8)} s  ${(used / q).toFixed(3)}`,
  );
}
console.log(
  `total        ${sp.toFixed(2).padStart(8)} s ${sm.toFixed(2).padStart(8)} s ${sc.toFixed(2).padStart(8)} s  ${(sc / sp).toFixed(3)}`,
);
console.log(`paper preset predicted: ${(plan.predictedSeconds / 3600).toFixed(2)} h on 1 worker`);
