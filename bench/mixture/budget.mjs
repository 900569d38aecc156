// The sample budget of an online run: 4 000 SGD steps × batch 100 = 4·10⁵ samples. How well can
// any estimator do with that many samples at the mixture preset's scale (d = 200, rank 20,
// ‖Δ‖ = 0.6)? Plug-in estimators, exact errors (theory.quadraticRuleError):
//   moments: M = Σ̂₊ − Σ̂₋ (≈ 2Δ) with the best threshold (oracle threshold: optimistic);
//   QDA:     M = Σ̂₋⁻¹ − Σ̂₊⁻¹, t = log det Σ̂₊ − log det Σ̂₋.
// Usage: nice node bench/mixture/budget.mjs [d] [n ...]
import { init, mixtureTask, createRng, theory, matmul, solveSPD, logdetSPD } from '../../dist/index.js';
import { identity, symmetrize } from './common.mjs';

await init();
const d = Number(process.argv[2] ?? 200);
const ns = process.argv.slice(3).map(Number);
const task = mixtureTask({ d, seed: 1, delta: 'lowrank', strength: 0.6 });
console.log(`d = ${d}, Bayes ${theory.bayesErrorExact(task).error.toFixed(4)}`);
const eye = identity(d);
console.log('| n | n/d² | moments, best t | QDA |');
console.log('|---:|---:|---:|---:|');
for (const n of ns.length ? ns : [100000, 400000, 1600000]) {
  const rng = createRng(77);
  const S = { 1: new Float64Array(d * d), [-1]: new Float64Array(d * d) },
    cnt = { 1: 0, [-1]: 0 };
  for (let done = 0; done < n; done += 20000) {
    const m = Math.min(20000, n - done);
    const { X, y } = task.sample(m, rng);
    for (const c of [1, -1]) {
      const A = { rows: m, cols: d, data: new Float64Array(m * d) };
      for (let k = 0; k < m; k++) if (y[k] === c) A.data.set(X.data.subarray(k * d, (k + 1) * d), k * d);
      for (let k = 0; k < m; k++) if (y[k] === c) cnt[c]++;
      const G = matmul(A, X, { transA: true });
      for (let i = 0; i < d * d; i++) S[c][i] += G.data[i];
    }
  }
  const P = symmetrize({ rows: d, cols: d, data: S[1].map((v) => v / cnt[1]) }),
    Q = symmetrize({ rows: d, cols: d, data: S[-1].map((v) => v / cnt[-1]) });
  const D = symmetrize({ rows: d, cols: d, data: P.data.map((v, i) => v - Q.data[i]) });
  const mom = theory.quadraticRuleError(task, D, 0, { best: true }).best.error;
  const ip = solveSPD(P, eye),
    iq = solveSPD(Q, eye);
  const M = symmetrize({ rows: d, cols: d, data: iq.data.map((v, i) => v - ip.data[i]) });
  const qda = theory.quadraticRuleError(task, M, logdetSPD(P) - logdetSPD(Q)).error;
  console.log(`| ${n} | ${(n / (d * d)).toFixed(1)} | ${mom.toFixed(4)} | ${qda.toFixed(4)} |`);
}
