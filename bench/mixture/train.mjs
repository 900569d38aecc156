// One trained NN or NT point on the mixture (exact 0-1 error of the trained rule vs its class theory).
// Usage: nice node bench/mixture/train.mjs d strength '[{"kind":"NT","N":200,"steps":4000,"o":{"lrScale":0.5}}]'
import { init, mixtureTask, trainNN, trainNT, randomFeatures, createRng, theory } from '../../dist/index.js';
import { symmetrize } from './common.mjs';
await init();
const d = Number(process.argv[2] ?? 200);
const task = mixtureTask({ d, seed: 1, delta: 'lowrank', strength: Number(process.argv[3] ?? 0.6) });
console.log('bayes', theory.bayesErrorExact(task).error.toFixed(4));
for (const spec of JSON.parse(process.argv[4])) {
  const t0 = performance.now();
  let m, th;
  if (spec.kind === 'NN') {
    m = await trainNN({ task, N: spec.N, steps: spec.steps, seed: 3, online: true, ...(spec.o ?? {}) });
    th = theory.mixtureErrorExact(task, 'NN', { N: spec.N }).error;
  } else {
    const W = randomFeatures(d, spec.N, createRng(5));
    m = await trainNT({ task, N: spec.N, W0: W, steps: spec.steps, seed: 3, ...(spec.o ?? {}) });
    th = theory.mixtureErrorExact(task, 'NT', { W }).error;
  }
  const q = m.quadraticForm();
  const e = theory.quadraticRuleError(task, symmetrize(q.M), -q.c).error;
  console.log(
    JSON.stringify(spec),
    'err',
    e.toFixed(4),
    'theory',
    th.toFixed(4),
    'conv',
    m.training.convergence.converged,
    ((performance.now() - t0) / 1000).toFixed(1) + ' s',
  );
}
