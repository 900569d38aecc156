// Results on disk (pure string functions; the CLI does the file I/O):
// results.jsonl — line 1 {"meta": …}, then one row per line, appended as points finish;
// results.csv — flat table; summary.md — mean ± sd per regime and width with theory beside it.

import type { CompareMeta, CompareResult, CompareRow } from "./types.js";
import { pointKey } from "./points.js";
import { meanSd } from "./stats.js";

/** @internal One JSON line of results.jsonl. */
export function metaLine(meta: CompareMeta): string {
  return JSON.stringify({ meta }) + "\n";
}

/** @internal */
export function rowLine(row: CompareRow): string {
  return JSON.stringify(row) + "\n";
}

/** Parse a results.jsonl text. A torn last line (killed mid-write) is ignored. */
export function parseJsonl(text: string, source = "results.jsonl"): CompareResult {
  const lines = text.split("\n");
  let meta: CompareMeta | null = null;
  const rows: CompareRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      if (i >= lines.length - 2) break; // an unfinished final line from an interrupted run
      throw new SyntaxError(`${source}:${i + 1}: not valid JSON`);
    }
    if (obj !== null && typeof obj === "object" && "meta" in obj) {
      if (meta !== null) throw new SyntaxError(`${source}:${i + 1}: a second meta line`);
      meta = (obj as { meta: CompareMeta }).meta;
    } else {
      rows.push(obj as CompareRow);
    }
  }
  if (meta === null) throw new SyntaxError(`${source}: no meta line (is this a lazytrain results.jsonl?)`);
  return { meta, rows };
}

/** Merge shard results of one run: metas must agree (up to the shard field); duplicate points are an error. */
export function mergeResults(parts: { name: string; result: CompareResult }[]): CompareResult {
  if (parts.length === 0) throw new RangeError("merge: no inputs");
  const strip = (m: CompareMeta) => JSON.stringify({ ...m, shard: undefined });
  const ref = strip(parts[0].result.meta);
  const seen = new Map<string, string>();
  const rows: CompareRow[] = [];
  for (const { name, result } of parts) {
    if (strip(result.meta) !== ref) throw new RangeError(`merge: ${name} comes from a different run configuration than ${parts[0].name}`);
    for (const r of result.rows) {
      const k = pointKey(r);
      if (seen.has(k)) throw new RangeError(`merge: point ${k} appears in both ${seen.get(k)} and ${name}`);
      seen.set(k, name);
      rows.push(r);
    }
  }
  const order = (r: CompareRow) => [r.rep, r.N, ["RF", "NT", "NN"].indexOf(r.regime)];
  rows.sort((a, b) => {
    const x = order(a), y = order(b);
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  const meta = { ...parts[0].result.meta };
  delete meta.shard;
  return { meta, rows };
}

const CSV_COLUMNS = ["task", "regime", "d", "N", "rho", "rep", "seed", "risk", "normalizedRisk", "theory_exact", "theory_expected", "theory_limit", "error01", "steps", "method", "seconds"] as const;

export function toCSV(result: CompareResult): string {
  const out = [CSV_COLUMNS.join(",")];
  for (const r of result.rows) {
    const v: Record<string, unknown> = {
      ...r, theory_exact: r.theory.exact, theory_expected: r.theory.expected, theory_limit: r.theory.limit,
    };
    out.push(CSV_COLUMNS.map((c) => (v[c] === undefined || v[c] === null ? "" : String(v[c]))).join(","));
  }
  return out.join("\n") + "\n";
}

const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toPrecision(digits));

/** Markdown table: per width, each regime's mean ± sd (normalised risk or 0-1 error) and its theory. */
export function summaryMarkdown(result: CompareResult): string {
  const { meta, rows } = result;
  const mixture = meta.task === "mixture";
  const regimes = meta.regimes;
  const byKey = new Map<string, CompareRow[]>();
  const widths = new Set<number>();
  for (const r of rows) {
    const k = `${r.regime}|${r.N}`;
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
    widths.add(r.N);
  }
  const head = mixture
    ? `Gaussian mixture (${meta.spectrum} Δ), d = ${meta.d}, n = ${meta.n}, ${meta.reps} rep(s); 0-1 test error (weak-signal theory in brackets); Bayes error ${fmt(meta.bayesError)}`
    : `Quadratic target (${meta.spectrum} spectrum, κ = ${fmt(meta.kappa, 3)}), d = ${meta.d}, n = ${meta.n}, ${meta.reps} rep(s); normalised risk R/R0 (exact theory for the same W / N in brackets; d → ∞ limit after the slash)`;
  const lines = [head, "", `| N | N/d | ${regimes.map((r) => `${r}`).join(" | ")} |`, `|---:|---:|${regimes.map(() => "---|").join("")}`];
  for (const N of [...widths].sort((a, b) => a - b)) {
    const cells = regimes.map((reg) => {
      const rs = byKey.get(`${reg}|${N}`);
      if (!rs) return "";
      const vals = rs.map((r) => (mixture ? r.error01 ?? NaN : r.normalizedRisk));
      const { mean, sd } = meanSd(vals);
      const th = rs.reduce((s, r) => s + (r.theory.exact ?? NaN), 0) / rs.length;
      const lim = rs[0].theory.limit;
      return `${fmt(mean)}${vals.length > 1 ? ` ± ${fmt(sd, 2)}` : ""} [${fmt(th)}${lim === null ? "" : ` / ${fmt(lim, 3)}`}]`;
    });
    lines.push(`| ${N} | ${fmt(N / meta.d, 3)} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}
