// The fidelity target of issue 13 in summary.md: a trained point is "on its theory" when its
// normalised risk is within 2 % relative or 0.005 absolute of its own exact theory (RF/NT: of
// its W; NN: of its N). docs/paper/README.md reads the d = 450 run through these lines.

import { fmt, pointName } from "./format.js";
import type { CompareRow } from "./types.js";

/** How many times the allowed deviation max(0.005, 2 % of the theory) a point is off (≤ 1: on target). */
function excess(sim: number, theory: number): number {
  return Math.abs(sim - theory) / Math.max(0.005, 0.02 * Math.abs(theory));
}

/** @internal The summary's fidelity line and worst-deviations table (trained rows with an exact theory only). */
export function fidelityLines(rows: CompareRow[]): string[] {
  const trained = rows.filter((r) => r.steps !== undefined && r.theory.exact !== null);
  if (trained.length === 0) return [];
  const over = (r: CompareRow) => excess(r.normalizedRisk, r.theory.exact!);
  const misses = trained.filter((r) => over(r) > 1);
  const worst = [...trained].sort((a, b) => over(b) - over(a)).slice(0, 10);
  const pct = (x: number | null) => (x === null ? "–" : `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)} %`);
  return [
    "",
    `Fidelity: ${trained.length - misses.length} of ${trained.length} trained rows within 2 % relative or 0.005 absolute of their exact theory${misses.length ? `; misses: ${misses.map(pointName).join(", ")}` : "."}`,
    "",
    "Worst deviations (× allowed: the deviation over max(0.005, 2 % of the theory)):",
    "",
    "| regime | N | R/R0 | theory | deviation | relative | × allowed | converged |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
    ...worst.map((r) => {
      const th = r.theory.exact!,
        abs = r.normalizedRisk - th;
      return `| ${r.regime} | ${r.N} | ${fmt(r.normalizedRisk)} | ${fmt(th)} | ${abs >= 0 ? "+" : ""}${fmt(abs)} | ${pct(th === 0 ? null : abs / th)} | ${over(r).toFixed(1)} | ${r.convergence?.converged === false ? "no" : "yes"} |`;
    }),
  ];
}
