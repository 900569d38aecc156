// A small, strict flag parser: --name value or --name=value; unknown flags and bad values are
// usage errors (exit code 2) that name the flag.

export class UsageError extends Error {}

export type FlagType = "string" | "int" | "number" | "bool";

export interface FlagSpec {
  type: FlagType;
  help: string;
  /** For string flags: allowed values. */
  choices?: readonly string[];
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>, command: string): { flags: Record<string, string | number | boolean>; positional: string[] } {
  const flags: Record<string, string | number | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--") || a === "--") {
      if (a === "--") { positional.push(...argv.slice(i + 1)); break; }
      if (a.startsWith("-") && a !== "-") throw new UsageError(`${command}: unknown option ${a}`);
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const s = spec[name];
    if (!s) throw new UsageError(`${command}: unknown option --${name} (see lazytrain ${command} --help)`);
    if (s.type === "bool") {
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let v: string;
    if (eq >= 0) v = a.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) throw new UsageError(`${command}: --${name} needs a value`);
      v = argv[++i];
    }
    if (s.type === "int") {
      if (!/^\d+$/.test(v)) throw new UsageError(`${command}: --${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
      flags[name] = Number(v);
    } else if (s.type === "number") {
      const x = Number(v);
      if (v.trim() === "" || !Number.isFinite(x)) throw new UsageError(`${command}: --${name} must be a number, got ${JSON.stringify(v)}`);
      flags[name] = x;
    } else {
      if (s.choices && !s.choices.includes(v)) throw new UsageError(`${command}: --${name} must be one of ${s.choices.join(", ")}, got ${JSON.stringify(v)}`);
      flags[name] = v;
    }
  }
  return { flags, positional };
}

export function helpText(usage: string, spec: Record<string, FlagSpec>): string {
  const width = Math.max(...Object.keys(spec).map((k) => k.length + (spec[k].type === "bool" ? 0 : 6)));
  const lines = [usage, "", "Options:"];
  for (const [k, s] of Object.entries(spec)) {
    const left = `--${k}${s.type === "bool" ? "" : " VALUE"}`;
    lines.push(`  ${left.padEnd(width + 4)}${s.help}`);
  }
  return lines.join("\n") + "\n";
}

/** "0.1:2:0.1" (start:stop:step, inclusive) or "0.1,0.5,1" → numbers > 0. */
export function parseRatios(s: string): number[] {
  const range = /^([^:]+):([^:]+):([^:]+)$/.exec(s);
  let out: number[];
  if (range) {
    const [a, b, step] = range.slice(1).map(Number);
    if (![a, b, step].every(Number.isFinite) || !(step > 0) || b < a) throw new UsageError(`--ratios: bad range ${JSON.stringify(s)} (start:stop:step with step > 0)`);
    const count = Math.floor((b - a) / step + 1e-9) + 1;
    if (count > 10000) throw new UsageError(`--ratios: ${count} values is too many`);
    // round to 12 significant digits so 0.1:2:0.1 yields 0.3, not 0.30000000000000004
    out = Array.from({ length: count }, (_, i) => Number((a + i * step).toPrecision(12)));
  } else {
    out = s.split(",").map((x) => Number(x));
  }
  if (out.length === 0 || out.some((x) => !Number.isFinite(x) || x <= 0)) throw new UsageError(`--ratios: expected positive numbers, got ${JSON.stringify(s)}`);
  return out;
}
