// Exact R/R₀ against the step for the 10⁵-step runs of the protocol study, one panel per
// (regime, N), log-scaled risk, theory as a dashed line. Writes SVG to stdout.
//   node bench/protocol/curves-svg.mjs > docs/paper/protocol-curves.svg
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const file = join(dirname(fileURLToPath(import.meta.url)), 'results.jsonl');
const rows = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l))
  .filter((r) => r.steps === 100000 && r.curve);
const panels = [...new Set(rows.map((r) => `${r.regime} N=${r.N}`))].sort();
const W = 360,
  H = 260,
  m = { l: 52, r: 10, t: 24, b: 36 };
const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const out = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W * panels.length}" height="${H + 16 * 6}" font-family="sans-serif" font-size="11">`,
];
panels.forEach((p, k) => {
  const rs = rows.filter((r) => `${r.regime} N=${r.N}` === p);
  const th = rs[0].theory;
  const all = rs.flatMap((r) => r.curve.risk).concat([th]);
  const lo = Math.log10(Math.max(1e-3, Math.min(...all) * 0.8)),
    hi = Math.log10(Math.max(...all.filter(Number.isFinite)) * 1.2);
  const X = (s) => k * W + m.l + (s / 100000) * (W - m.l - m.r);
  const Y = (v) => m.t + (1 - (Math.log10(Math.max(v, 1e-3)) - lo) / (hi - lo)) * (H - m.t - m.b);
  out.push(`<text x="${k * W + W / 2}" y="14" text-anchor="middle" font-weight="bold">${p}, d = 450</text>`);
  out.push(`<rect x="${k * W + m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>`);
  const ticks = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++)
    for (const f of hi - lo < 1 ? [1, 2, 3, 4, 5, 6, 8] : [1, 3]) ticks.push(f * 10 ** e);
  for (const v of ticks.filter((v) => Math.log10(v) >= lo && Math.log10(v) <= hi)) {
    out.push(`<text x="${k * W + m.l - 4}" y="${Y(v) + 4}" text-anchor="end">${v < 0.1 ? v.toFixed(3) : v.toFixed(2)}</text>`);
  }
  for (const s of [0, 50000, 100000]) out.push(`<text x="${X(s)}" y="${H - m.b + 14}" text-anchor="middle">${s / 1000}k</text>`);
  out.push(`<text x="${k * W + W / 2}" y="${H - 6}" text-anchor="middle">step</text>`);
  out.push(`<line x1="${X(0)}" x2="${X(100000)}" y1="${Y(th)}" y2="${Y(th)}" stroke="#000" stroke-dasharray="5,3"/>`);
  rs.forEach((r, i) => {
    const pts = r.curve.step.map((s, j) => `${X(s).toFixed(1)},${Y(r.curve.risk[j]).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${colors[i % colors.length]}" stroke-width="1.5"/>`);
    out.push(
      `<text x="${k * W + m.l}" y="${H + 14 + 14 * i}" fill="${colors[i % colors.length]}">${r.cand}: ${r.risk.toFixed(4)} (theory ${th.toFixed(4)})</text>`,
    );
  });
});
out.push(
  `<text x="4" y="${H + 16 * 6 - 4}" fill="#555">normalised exact risk R/R₀ (log scale) vs step; dashed: the point's exact theory</text>`,
);
out.push('</svg>');
console.log(out.join('\n'));
