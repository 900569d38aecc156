// Results on disk (pure string functions; the CLI does the file I/O):
// results.jsonl — line 1 {"meta": …}, then one row per line, appended as points finish;
// results.csv — flat table; summary.md — mean ± sd per regime and width with theory beside it.

import type { CompareMeta, CompareResult, CompareRow } from "./types.js";
import { pointKey } from "./points.js";
import { meanSd } from "./stats.js";
import { fidelityLines } from "./fidelity.js";
import { fmt, pointName } from "./format.js";

export { pointName };

/** @internal One JSON line of results.jsonl. */
export function metaLine(meta: CompareMeta): string {
  return JSON.stringify({ meta }) + "\n";
}

/** @internal */
export function rowLine(row: CompareRow): string {
  return JSON.stringify(row) + "\n";
}

/** Receives the one-line warnings of parseJsonl / mergeResults (default: console.warn). */
export type WarningSink = (message: string) => void;

export interface ReadOptions {
  /** Where warnings go (a torn final line cut off, duplicate rows kept once); default console.warn. */
  onWarning?: WarningSink;
}

/** One line of a results.jsonl as found on disk: 1-based line number, byte offset of its start, its text. */
export interface JsonlLine {
  line: number;
  offset: number;
  text: string;
}

/** What scanJsonl found in a results.jsonl (the CLI resumes, repairs and warns from this). */
export interface JsonlScan {
  /** The meta block (null when the file has no valid meta line). */
  meta: CompareMeta | null;
  metaAt: JsonlLine | null;
  /** Valid rows, each point once (its first occurrence), in file order. */
  rows: (JsonlLine & { row: CompareRow })[];
  /** Later rows of a point already read: dropped; `first` is the line kept, `differs` lists fields that disagree. */
  duplicates: (JsonlLine & { key: string; first: number; differs: string[] })[];
  /** Invalid lines before the last one: the file cannot be resumed until they are repaired. */
  invalid: (JsonlLine & { reason: string })[];
  /**
   * The last line when it is incomplete (no final newline) or invalid: what a run killed during a
   * write leaves. Everything from `offset` on is cut off on resume and the point is computed again.
   */
  torn: (JsonlLine & { reason: string }) | null;
  /** Byte length of the input. */
  bytes: number;
}

const REGIMES = ["RF", "NT", "NN"];
const isInt = (v: unknown, min: number) => typeof v === "number" && Number.isInteger(v) && v >= min;
const isNumOrNull = (v: unknown) => v === null || typeof v === "number";
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Why a parsed line is not a result row (null: it is one). Checks the fields resume, merge and the outputs rely on. */
function rowProblem(o: Record<string, unknown>): string | null {
  if (!REGIMES.includes(o.regime as string)) return `not a result row (regime ${JSON.stringify(o.regime)})`;
  if (o.task !== "quadratic" && o.task !== "mixture") return `not a result row (task ${JSON.stringify(o.task)})`;
  if (!isInt(o.N, 1) || !isInt(o.rep, 0) || !isInt(o.seed, 0) || !isInt(o.d, 1)) return "a row with an invalid d, N, rep or seed";
  if (!isNumOrNull(o.risk) || !isNumOrNull(o.normalizedRisk) || typeof o.rho !== "number") return "a row with an invalid risk";
  if (!isObject(o.theory) || !isNumOrNull(o.theory.exact) || !isNumOrNull(o.theory.expected) || !isNumOrNull(o.theory.limit))
    return "a row with an invalid theory field";
  if (typeof o.method !== "string") return "a row without a method";
  return null;
}

function metaProblem(m: unknown): string | null {
  if (!isObject(m)) return "a meta line without a meta object";
  if (!("config" in m) || !isInt(m.points, 0) || !isInt(m.d, 1) || !Array.isArray(m.regimes))
    return "a meta line without config, points, d or regimes";
  return null;
}

/** Point identity for duplicates: regime, width, repetition and the point's seed. */
const rowKey = (r: CompareRow) => `${pointKey(r)}|${r.seed}`;

/** Fields (other than the wall-clock `seconds`) in which two rows of the same point differ. */
function rowDifferences(a: CompareRow, b: CompareRow): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete("seconds");
  const ra = a as unknown as Record<string, unknown>,
    rb = b as unknown as Record<string, unknown>;
  return [...keys].filter((k) => JSON.stringify(ra[k]) !== JSON.stringify(rb[k])).sort();
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Classify every line of a results.jsonl (text, or its bytes for exact byte offsets). Pure: the
 * CLI decides what to cut, refuse or repair. Lines are separated by "\n"; blank lines are ignored.
 */
export function scanJsonl(input: string | Uint8Array): JsonlScan {
  const bytes = typeof input === "string" ? utf8.encode(input) : input;
  const lines: JsonlLine[] = [];
  let start = 0,
    n = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    n++;
    if (i > start || i < bytes.length) {
      const text = decoder.decode(bytes.subarray(start, i));
      if (text.trim() !== "") lines.push({ line: n, offset: start, text });
    }
    start = i + 1;
  }
  const finalNewline = bytes.length === 0 || bytes[bytes.length - 1] === 0x0a;
  const scan: JsonlScan = { meta: null, metaAt: null, rows: [], duplicates: [], invalid: [], torn: null, bytes: bytes.length };
  const seen = new Map<string, JsonlLine & { row: CompareRow }>();
  lines.forEach((l, i) => {
    const last = i === lines.length - 1;
    let reason: string | null = last && !finalNewline ? "incomplete (no final newline)" : null;
    let obj: unknown;
    if (reason === null) {
      try {
        obj = JSON.parse(l.text);
      } catch {
        reason = "not valid JSON";
      }
    }
    if (reason === null) {
      if (!isObject(obj)) reason = "not a JSON object";
      else if ("meta" in obj)
        reason = scan.meta !== null ? `a second meta line (the first is line ${scan.metaAt!.line})` : metaProblem(obj.meta);
      else reason = rowProblem(obj);
    }
    if (reason !== null) {
      if (last) scan.torn = { ...l, reason };
      else scan.invalid.push({ ...l, reason });
      return;
    }
    const o = obj as Record<string, unknown>;
    if ("meta" in o) {
      scan.meta = o.meta as CompareMeta;
      scan.metaAt = l;
      return;
    }
    const row = o as unknown as CompareRow;
    const key = rowKey(row);
    const first = seen.get(key);
    if (first) {
      scan.duplicates.push({ ...l, key: pointKey(row), first: first.line, differs: rowDifferences(first.row, row) });
      return;
    }
    const entry = { ...l, row };
    seen.set(key, entry);
    scan.rows.push(entry);
  });
  return scan;
}

/** The file the invalid lines of `path` are moved to by a repair: results.jsonl → results.rejected.jsonl. */
export function rejectedPath(path: string): string {
  return /\.jsonl$/.test(path) ? path.replace(/\.jsonl$/, ".rejected.jsonl") : `${path}.rejected`;
}

const describeLine = (text: string) => JSON.stringify(text.length > 50 ? text.slice(0, 50) + "…" : text);

/** "results.jsonl:7: not valid JSON ("{\"task\":…"); 2 invalid lines in all (lines 7, 9)". */
export function invalidLinesMessage(source: string, invalid: JsonlScan["invalid"]): string {
  const f = invalid[0];
  const more =
    invalid.length > 1
      ? `; ${invalid.length} invalid lines in all (lines ${invalid
          .slice(0, 8)
          .map((l) => l.line)
          .join(", ")}${invalid.length > 8 ? ", …" : ""})`
      : "";
  return `${source}:${f.line}: ${f.reason}: ${describeLine(f.text)}${more}`;
}

/** The one-line warning for the duplicate rows of a scan (null when there are none). */
export function duplicatesMessage(source: string, dups: JsonlScan["duplicates"]): string | null {
  if (dups.length === 0) return null;
  const d = dups[0];
  const differ = dups.filter((x) => x.differs.length > 0).length;
  const firstDiffer = dups.find((x) => x.differs.length > 0);
  return `${source}: ${dups.length} duplicate row${dups.length > 1 ? "s" : ""} of a point already in the file (first: line ${d.line} repeats line ${d.first}, point ${d.key}); each point kept once (its first row)${firstDiffer ? `; ${differ} of them differ from the row kept (line ${firstDiffer.line}: ${firstDiffer.differs.join(", ")})` : ""}`;
}

/** The one-line warning for a torn final line. */
export function tornMessage(source: string, torn: NonNullable<JsonlScan["torn"]>, bytes: number): string {
  return `${source}: the last line (line ${torn.line}, from byte ${torn.offset}, ${bytes - torn.offset} bytes) is ${torn.reason}: a write was interrupted`;
}

/**
 * Parse a results.jsonl text. A torn last line (a run killed mid-write) is left out with a
 * warning; duplicate rows of a point are kept once with a warning; an invalid line anywhere
 * else is an error naming the line (`lazytrain repair FILE` moves such lines aside).
 */
export function parseJsonl(text: string, source = "results.jsonl", options?: ReadOptions): CompareResult {
  const warn = options?.onWarning ?? ((m: string) => console.warn(m));
  // A complete last line that only lacks its newline is whole data here (text built by hand);
  // a truncated one is still not valid JSON, so it is found torn below. (Resuming is stricter:
  // the CLI never appends after an unterminated line, it cuts it off.)
  const terminated = text.endsWith("\n");
  const scan = scanJsonl(terminated ? text : text + "\n");
  if (scan.invalid.length > 0) {
    throw new SyntaxError(
      `${invalidLinesMessage(source, scan.invalid)}. \`lazytrain repair ${source}\` moves invalid lines to ${rejectedPath(source)} (after a backup) and keeps every valid row`,
    );
  }
  if (scan.meta === null) throw new SyntaxError(`${source}: no meta line (is this a lazytrain results.jsonl?)`);
  if (scan.torn) warn(`${tornMessage(source, scan.torn, scan.bytes - (terminated ? 0 : 1))}; left out`);
  const dup = duplicatesMessage(source, scan.duplicates);
  if (dup) warn(dup);
  return { meta: scan.meta, rows: scan.rows.map((r) => r.row) };
}

/**
 * Merge shard results of one run: metas must agree (up to the shard field). A point present in
 * several inputs (a file merged twice, overlapping shards) is kept once, with a warning.
 */
export function mergeResults(parts: { name: string; result: CompareResult }[], options?: ReadOptions): CompareResult {
  if (parts.length === 0) throw new RangeError("merge: no inputs");
  const warn = options?.onWarning ?? ((m: string) => console.warn(m));
  const strip = (m: CompareMeta) => JSON.stringify({ ...m, shard: undefined });
  const ref = strip(parts[0].result.meta);
  const seen = new Map<string, { name: string; row: CompareRow }>();
  const rows: CompareRow[] = [];
  const dups: { key: string; first: string; second: string; differs: string[] }[] = [];
  for (const { name, result } of parts) {
    if (strip(result.meta) !== ref)
      throw new RangeError(`merge: ${name} comes from a different run configuration than ${parts[0].name}`);
    for (const r of result.rows) {
      const k = rowKey(r);
      const first = seen.get(k);
      if (first) {
        dups.push({ key: pointKey(r), first: first.name, second: name, differs: rowDifferences(first.row, r) });
        continue;
      }
      seen.set(k, { name, row: r });
      rows.push(r);
    }
  }
  if (dups.length > 0) {
    const d = dups[0],
      differ = dups.filter((x) => x.differs.length > 0);
    const where = d.first === d.second ? `twice in ${d.first}` : `in both ${d.first} and ${d.second}`;
    warn(
      `merge: ${dups.length} duplicate row${dups.length > 1 ? "s" : ""} (first: point ${d.key} appears ${where}); each point kept once (its first row)${differ.length ? `; ${differ.length} differ from the row kept (${differ[0].differs.join(", ")})` : ""}`,
    );
  }
  const order = (r: CompareRow) => [r.rep, r.N, ["RF", "NT", "NN"].indexOf(r.regime), r.alpha ?? 0];
  rows.sort((a, b) => {
    const x = order(a),
      y = order(b);
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3];
  });
  const meta = { ...parts[0].result.meta };
  delete meta.shard;
  return { meta, rows };
}

const CSV_COLUMNS = [
  "task",
  "regime",
  "d",
  "N",
  "rho",
  "rep",
  "seed",
  "risk",
  "normalizedRisk",
  "theory_exact",
  "theory_expected",
  "theory_limit",
  "error01",
  "steps",
  "converged",
  "loss_slope",
  "loss_slope_se",
  "risk_change",
  "lr_halvings",
  "method",
  "seconds",
  // mixture task (issue 13): appended, so the earlier columns keep their positions
  "error01_exact",
  "theory_weak_signal",
] as const;

// an α sweep's columns (alpha after rep; its two theory limits after theory_limit), only in a sweep's CSV
const SWEEP_CSV_COLUMNS: readonly string[] = CSV_COLUMNS.flatMap((c) =>
  c === "rep" ? [c, "alpha"] : c === "theory_limit" ? [c, "theory_lazy", "theory_rich", "movement"] : [c],
);

/** True for the results of an α sweep (config.sweep): meta.sweep, or rows that carry alpha. */
export function isSweep(result: CompareResult): boolean {
  return result.meta.sweep !== undefined || result.rows.some((r) => r.alpha !== undefined);
}

export function toCSV(result: CompareResult): string {
  const columns: readonly string[] = isSweep(result) ? SWEEP_CSV_COLUMNS : CSV_COLUMNS;
  const out = [columns.join(",")];
  for (const r of result.rows) {
    const v: Record<string, unknown> = {
      ...r,
      theory_exact: r.theory.exact,
      theory_expected: r.theory.expected,
      theory_limit: r.theory.limit,
      theory_lazy: r.theory.lazy,
      theory_rich: r.theory.rich,
      converged: r.convergence?.converged,
      loss_slope: r.convergence?.lossSlope,
      loss_slope_se: r.convergence?.lossSlopeSE,
      risk_change: r.convergence?.riskChange,
      lr_halvings: r.lrHalvings,
      error01_exact: r.error01Exact,
      theory_weak_signal: r.theory.weakSignal,
    };
    out.push(columns.map((c) => (v[c] === undefined || v[c] === null ? "" : String(v[c]))).join(","));
  }
  return out.join("\n") + "\n";
}

/** Rows whose training did not converge (convergence.converged false; rows without the record are not counted). */
export function unconvergedRows(rows: CompareRow[]): CompareRow[] {
  return rows.filter((r) => r.convergence !== undefined && !r.convergence.converged);
}

/** Markdown table: per width, each regime's mean ± sd (normalised risk or 0-1 error) and its theory. */
export function summaryMarkdown(result: CompareResult): string {
  if (isSweep(result)) return sweepSummary(result);
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
    ? `Gaussian mixture (${meta.spectrum} Δ), d = ${meta.d}, n = ${meta.n}, ${meta.reps} rep(s); 0-1 test error of sign f (exact for σ = t², else Monte Carlo); in brackets the exact error of the class's explicit rule (best threshold; never below Bayes) / the weak-signal approximation Φ(−‖Proj Δ‖_F/√2); Bayes error ${fmt(meta.bayesError)}${meta.bayesErrorMC ? ` exact (Monte Carlo ${fmt(meta.bayesErrorMC.error)} ± ${fmt(meta.bayesErrorMC.stderr, 2)})` : ""}`
    : meta.activation !== "square"
      ? `Quadratic target (${meta.spectrum} spectrum, κ = ${fmt(meta.kappa, 3)}), σ = ${meta.activation}, d = ${meta.d}, n = ${meta.n}, ${meta.reps} rep(s); normalised risk R/R0 by Monte Carlo (no exact theory for σ ≠ t²: brackets empty)`
      : `Quadratic target (${meta.spectrum} spectrum, κ = ${fmt(meta.kappa, 3)}), d = ${meta.d}, n = ${meta.n}, ${meta.reps} rep(s); normalised risk R/R0 (exact theory for the same W / N in brackets; d → ∞ limit after the slash)`;
  const lines = [
    head,
    "",
    `| N | N/d | ${regimes.map((r) => `${r}`).join(" | ")} |`,
    `|---:|---:|${regimes.map(() => "---|").join("")}`,
  ];
  for (const N of [...widths].sort((a, b) => a - b)) {
    const cells = regimes.map((reg) => {
      const rs = byKey.get(`${reg}|${N}`);
      if (!rs) return "";
      const vals = rs.map((r) => (mixture ? (r.error01Exact ?? r.error01 ?? NaN) : r.normalizedRisk));
      const { mean, sd } = meanSd(vals);
      const th = rs.reduce((s, r) => s + (r.theory.exact ?? NaN), 0) / rs.length;
      const lim = rs[0].theory.limit;
      const ws = rs[0].theory.weakSignal;
      const after = mixture ? (ws === undefined ? "" : ` / ${fmt(ws)}`) : lim === null ? "" : ` / ${fmt(lim, 3)}`;
      return `${fmt(mean)}${vals.length > 1 ? ` ± ${fmt(sd, 2)}` : ""} [${fmt(th)}${after}]`;
    });
    lines.push(`| ${N} | ${fmt(N / meta.d, 3)} | ${cells.join(" | ")} |`);
  }
  lines.push(...convergenceLines(rows));
  if (!mixture) lines.push(...fidelityLines(rows));
  return lines.join("\n") + "\n";
}

/** The summary's convergence count (and the unconverged points by name). */
function convergenceLines(rows: CompareRow[]): string[] {
  const lines: string[] = [];
  const trained = rows.filter((r) => r.convergence !== undefined);
  if (trained.length > 0) {
    const bad = unconvergedRows(rows);
    lines.push(
      "",
      `Convergence: ${trained.length - bad.length} of ${trained.length} trained rows converged, ${bad.length} unconverged` +
        ` (rule: over the final 10 % of the steps, |loss change| < 1 % + 3 standard errors and |exact-risk change| < 1 %)` +
        (bad.length ? `: ${bad.map(pointName).join(", ")}` : "."),
    );
  }
  return lines;
}

/**
 * An α sweep's summary: per α, the trained NN's normalised risk (mean ± sd over reps) and the
 * relative movement ‖W − W₀‖/‖W₀‖, with the two limits — lazy riskNT(B, W₀) and rich (sign-split
 * riskNN) — and the risk's relative distance to each.
 */
function sweepSummary(result: CompareResult): string {
  const { meta, rows } = result;
  const N = meta.sweep?.N ?? rows[0]?.N;
  const byAlpha = new Map<number, CompareRow[]>();
  for (const r of rows) if (r.alpha !== undefined) byAlpha.set(r.alpha, [...(byAlpha.get(r.alpha) ?? []), r]);
  const avg = (rs: CompareRow[], f: (r: CompareRow) => number | undefined) =>
    rs.reduce((s, r) => s + (f(r) ?? NaN), 0) / rs.length;
  const lazy = avg(rows, (r) => r.theory.lazy),
    rich = avg(rows, (r) => r.theory.rich);
  const rel = (x: number, ref: number) =>
    Number.isFinite(x) && ref > 0 ? `${x >= ref ? "+" : ""}${fmt((100 * (x - ref)) / ref, 3)} %` : "–";
  const lines = [
    `Lazy → rich sweep over α: quadratic target (${meta.spectrum} spectrum, κ = ${fmt(meta.kappa, 3)}), d = ${meta.d}, N = ${N}, ${meta.reps} rep(s); normalised risk R/R0 of the trained NN and the relative movement ‖W − W₀‖/‖W₀‖`,
    "",
    `Theory: lazy limit (α → ∞) riskNT(B, W₀)/R0 = ${fmt(lazy)}; rich limit (small α) riskNN with the initial sign split (N/2 positive, N/2 negative)/R0 = ${fmt(rich)}${meta.reps > 1 ? " (means over reps)" : ""}`,
    "",
    "| α | R/R0 | vs lazy | vs rich | ‖W − W₀‖/‖W₀‖ |",
    "|---:|---:|---:|---:|---:|",
  ];
  for (const a of [...byAlpha.keys()].sort((p, q) => p - q)) {
    const rs = byAlpha.get(a)!;
    const { mean, sd } = meanSd(rs.map((r) => r.normalizedRisk));
    const mv = meanSd(rs.map((r) => r.movement ?? NaN));
    const lz = avg(rs, (r) => r.theory.lazy),
      rc = avg(rs, (r) => r.theory.rich);
    lines.push(
      `| ${a} | ${fmt(mean)}${rs.length > 1 ? ` ± ${fmt(sd, 2)}` : ""} | ${rel(mean, lz)} | ${rel(mean, rc)} | ${fmt(mv.mean, 3)}${rs.length > 1 ? ` ± ${fmt(mv.sd, 2)}` : ""} |`,
    );
  }
  lines.push(...convergenceLines(rows));
  return lines.join("\n") + "\n";
}
