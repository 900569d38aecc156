// Flag parsing on node:util.parseArgs (strict: unknown options and missing values are errors),
// with typed values and errors that name the flag. Every error is a UsageError (exit code 2);
// the command prefix ("compare: …") is added once, by main().

import { parseArgs as nodeParseArgs } from "node:util";

/** Bad command line: exit code 2. */
export class UsageError extends Error {}

/** An error with a chosen exit code (e.g. 2 for "the folder is in use by another run"). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export type FlagType = "string" | "int" | "number" | "bool";

export interface FlagSpec {
  type: FlagType;
  help: string;
  /** For string flags: allowed values. */
  choices?: readonly string[];
  /** One-letter alias (-h). */
  short?: string;
  /** The value used when the flag is absent, as shown by --help (not applied here). */
  default?: string;
}

export function parseArgs(
  argv: string[],
  spec: Record<string, FlagSpec>,
  command: string,
): { flags: Record<string, string | number | boolean>; positional: string[] } {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [k, s] of Object.entries(spec))
    options[k] = { type: s.type === "bool" ? "boolean" : "string", ...(s.short ? { short: s.short } : {}) };
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(argError(e as Error & { code?: string }, command));
  }
  const flags: Record<string, string | number | boolean> = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const s = spec[name];
    if (raw === undefined) continue;
    if (s.type === "bool") {
      flags[name] = raw === true;
      continue;
    }
    const v = String(raw);
    if (s.type === "int") {
      if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
      flags[name] = Number(v);
    } else if (s.type === "number") {
      const x = Number(v);
      if (v.trim() === "" || !Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(v)}`);
      flags[name] = x;
    } else {
      if (s.choices && !s.choices.includes(v))
        throw new UsageError(`--${name} must be one of ${s.choices.join(", ")}, got ${JSON.stringify(v)}`);
      flags[name] = v;
    }
  }
  return { flags, positional: parsed.positionals };
}

/** node:util.parseArgs errors, reworded to name the flag the way the rest of the CLI does. */
function argError(e: Error & { code?: string }, command: string): string {
  const opt = /'(-{1,2}[^' <=]+)/.exec(e.message)?.[1] ?? "";
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${opt} (see lazytrain ${command} --help)`;
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (/does not take an argument/.test(e.message)) return `${opt} takes no value`;
    if (/ambiguous/.test(e.message)) return `${opt} needs a value (for a value starting with "-", write ${opt}=VALUE)`;
    return `${opt} needs a value`;
  }
  if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `unexpected argument (${e.message})`;
  return e.message;
}

/** Options help, one per line, with the default each one takes when absent. */
export function helpText(usage: string, spec: Record<string, FlagSpec>): string {
  const left = (k: string, s: FlagSpec) => `${s.short ? `-${s.short}, ` : "    "}--${k}${s.type === "bool" ? "" : " VALUE"}`;
  const width = Math.max(...Object.entries(spec).map(([k, s]) => left(k, s).length));
  const lines = [usage, "", "Options:"];
  for (const [k, s] of Object.entries(spec)) {
    lines.push(`  ${left(k, s).padEnd(width + 2)}${s.help}${s.default === undefined ? "" : ` (default: ${s.default})`}`);
  }
  return lines.join("\n") + "\n";
}

/** "0.1:2:0.1" (start:stop:step, inclusive) or "0.1,0.5,1" → numbers > 0. */
export function parseRatios(s: string): number[] {
  const range = /^([^:]+):([^:]+):([^:]+)$/.exec(s);
  let out: number[];
  if (range) {
    const [a, b, step] = range.slice(1).map(Number);
    if (![a, b, step].every(Number.isFinite) || !(step > 0) || b < a)
      throw new UsageError(`--ratios: bad range ${JSON.stringify(s)} (start:stop:step with step > 0)`);
    const count = Math.floor((b - a) / step + 1e-9) + 1;
    if (count > 10000) throw new UsageError(`--ratios: ${count} values is too many`);
    // round to 12 significant digits so 0.1:2:0.1 yields 0.3, not 0.30000000000000004
    out = Array.from({ length: count }, (_, i) => Number((a + i * step).toPrecision(12)));
  } else {
    out = s.split(",").map((x) => Number(x));
  }
  if (out.length === 0 || out.some((x) => !Number.isFinite(x) || x <= 0))
    throw new UsageError(`--ratios: expected positive numbers, got ${JSON.stringify(s)}`);
  return out;
}

/**
 * --sweep alpha=SPEC: START:STOP:log10 (log-spaced, `perDecade` points per decade, default 2),
 * START:STOP:log10:COUNT (COUNT log-spaced points, both ends included), or a list A,B,C. Every
 * value must be a number > 0; errors name the flag. `grid` is the library's logGrid.
 */
export function parseSweep(
  s: string,
  perDecade: number | undefined,
  grid: (a: number, b: number, o?: { perDecade?: number; count?: number }) => number[],
): { alpha: number[] } {
  const m = /^\s*([A-Za-z]+)\s*=(.*)$/.exec(s);
  if (!m) throw new UsageError(`--sweep: expected alpha=START:STOP:log10[:COUNT] or alpha=A,B,C, got ${JSON.stringify(s)}`);
  if (m[1] !== "alpha") throw new UsageError(`--sweep: unknown parameter ${JSON.stringify(m[1])} (only alpha can be swept)`);
  const spec = m[2].trim();
  if (spec === "") throw new UsageError("--sweep alpha: no values (e.g. alpha=0.1:1000:log10 or alpha=0.1,1,10)");
  const num = (t: string, what: string) => {
    const x = Number(t);
    if (t.trim() === "" || !Number.isFinite(x) || x <= 0)
      throw new UsageError(`--sweep alpha: ${what} must be a number > 0, got ${JSON.stringify(t)}`);
    return x;
  };
  const parts = spec.split(":");
  if (parts.length === 1) {
    if (perDecade !== undefined) throw new UsageError("--per-decade applies to a log10 grid (alpha=START:STOP:log10)");
    const list = spec.split(",").map((t, i) => num(t, `value ${i + 1}`));
    return { alpha: list };
  }
  if (parts.length < 3 || parts.length > 4 || parts[2] !== "log10")
    throw new UsageError(`--sweep alpha: expected START:STOP:log10 or START:STOP:log10:COUNT, got ${JSON.stringify(spec)}`);
  const a = num(parts[0], "START"),
    b = num(parts[1], "STOP");
  if (b < a) throw new UsageError(`--sweep alpha: STOP must be ≥ START, got ${JSON.stringify(spec)}`);
  if (parts.length === 4) {
    if (perDecade !== undefined) throw new UsageError("--per-decade and a COUNT in --sweep are exclusive");
    if (!/^\d+$/.test(parts[3]) || Number(parts[3]) < 1 || Number(parts[3]) > 1000)
      throw new UsageError(`--sweep alpha: COUNT must be an integer in [1, 1000], got ${JSON.stringify(parts[3])}`);
    return { alpha: grid(a, b, { count: Number(parts[3]) }) };
  }
  if (perDecade !== undefined && (perDecade < 1 || perDecade > 100))
    throw new UsageError(`--per-decade must be an integer in [1, 100], got ${perDecade}`);
  try {
    return { alpha: grid(a, b, perDecade === undefined ? {} : { perDecade }) };
  } catch (e) {
    throw new UsageError(`--sweep alpha: ${(e as Error).message}`);
  }
}
