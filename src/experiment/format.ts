// How the summary and the CLI's warnings write numbers and name points (shared by io.ts and
// fidelity.ts).

import type { CompareRow } from "./types.js";

/** "NN N=20 rep=0" (a sweep's: "NN N=20 α=0.316 rep=0"): a point as warnings and the summary name it. */
export function pointName(r: CompareRow): string {
  return `${r.regime} N=${r.N}${r.alpha === undefined ? "" : ` α=${r.alpha}`} rep=${r.rep}`;
}

/** @internal A number as the summary prints it (4 significant digits; "–" when missing). */
export const fmt = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toPrecision(digits);
