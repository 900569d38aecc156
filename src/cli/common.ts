// What the commands share: the -h / -v flags and their handling, output lines, times and build names.

import { runtimeInfo, VERSION } from "../index.js";
import { helpText, type FlagSpec } from "./args.js";
import { out } from "./output.js";

export const COMMON_FLAGS: Record<string, FlagSpec> = {
  help: { type: "bool", short: "h", help: "this text" },
  version: { type: "bool", short: "v", help: "print the version" },
};

export const fmtTime = (s: number | null) => {
  if (s === null || !Number.isFinite(s)) return "?";
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
};

export const say = (line: string) => out(line + "\n");

/** -h / -v of a command; true when handled. */
export function helpOrVersion(
  flags: Record<string, unknown>,
  usage: string,
  spec: Record<string, FlagSpec>,
  extra = "",
): boolean {
  if (flags.help) {
    out(helpText(usage, spec) + extra);
    return true;
  }
  if (flags.version) {
    say(VERSION);
    return true;
  }
  return false;
}

/** The build in use, for messages. */
export function buildName(): string {
  const b = runtimeInfo().build;
  return b === "relaxed" ? "relaxed-SIMD (FMA)" : b === "simd" ? "SIMD" : "scalar";
}
