// Tables of the protocol study from bench/protocol/results.jsonl (markdown on stdout):
// one row per job (candidate, regime, N, steps, lr, final R/R₀, theory, deviation, verdict,
// wall time, load), then the exact-risk-vs-step curves, thinned to ≤ 11 points.
//   node bench/protocol/summarize.mjs [results.jsonl]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const file = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'results.jsonl');
const rows = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const f = (x, n = 4) => (x == null ? '—' : x.toFixed(n));
const out = [];
out.push('| candidate | regime | N | steps | base lr | R/R₀ | theory | deviation | rel. | verdict | wall s | load |');
out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|');
const order = (r) => `${r.regime}|${String(r.N).padStart(5, '0')}|${String(r.steps).padStart(7, '0')}`;
for (const r of [...rows].sort((a, b) => order(a).localeCompare(order(b)))) {
  const verdict = r.diverged ? `diverged at step ${r.divergedAt}` : r.within ? '**within**' : 'miss';
  out.push(
    `| ${r.cand} | ${r.regime} | ${r.N} | ${r.steps} | ${r.lr == null ? '—' : r.lr.toExponential(2)} | ${f(r.risk)} | ${f(r.theory)} | ${r.dev == null ? '—' : (r.dev >= 0 ? '+' : '') + f(r.dev)} | ${r.rel == null ? '—' : (100 * r.rel).toFixed(1) + ' %'} | ${verdict} | ${r.seconds.toFixed(0)} | ${f(r.host.load1, 1)} |`,
  );
}
out.push('', 'Exact R/R₀ against the step (thinned):', '');
for (const r of rows) {
  if (!r.curve) continue;
  const n = r.curve.step.length,
    idx = [];
  for (let i = 0; i < 11; i++) idx.push(Math.round((i * (n - 1)) / 10));
  out.push(`- ${r.key}: ` + [...new Set(idx)].map((i) => `${r.curve.step[i]}: ${f(r.curve.risk[i], 3)}`).join(', '));
}
console.log(out.join('\n'));
