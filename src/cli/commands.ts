// The small commands: plot, merge, repair, info.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
// Everything from the library bundle (one module instance, no duplicated code in cli.js).
import {
  init,
  runtimeInfo,
  matmul,
  createRng,
  parseJsonl,
  mergeResults,
  plotSVG,
  plotCurvesSVG,
  VERSION,
  _internal,
  type CompareResult,
} from "../index.js";
import { UsageError, parseArgs, type FlagSpec } from "./args.js";
import { writeFileAtomic } from "./atomic.js";
import { COMMON_FLAGS, buildName, helpOrVersion, say } from "./common.js";
import { acquireLock, LOCK_NAME } from "./lock.js";
import { warnLine } from "./output.js";
import { repairFile } from "./results.js";

const { metaLine, rowLine } = _internal;

const PLOT_FLAGS: Record<string, FlagSpec> = {
  out: { type: "string", help: "output SVG file", default: "figure.svg next to the input" },
  "log-y": { type: "bool", help: "logarithmic risk axis" },
  curves: {
    type: "bool",
    help: "draw the exact risk against the SGD step of the trained points instead (one panel per regime; default file curves.svg)",
  },
  widths: { type: "string", help: "with --curves: comma list of widths N to draw", default: "up to 6 spread over the grid" },
  width: { type: "int", help: "width in pixels", default: "800" },
  height: { type: "int", help: "height in pixels", default: "500" },
  ...COMMON_FLAGS,
};

const MERGE_FLAGS: Record<string, FlagSpec> = {
  out: { type: "string", help: "merged results.jsonl to write (required)" },
  force: { type: "bool", help: `take over a lock (${LOCK_NAME}) in the output folder held by a run on another host` },
  ...COMMON_FLAGS,
};

const REPAIR_FLAGS: Record<string, FlagSpec> = {
  force: { type: "bool", help: `take over a lock (${LOCK_NAME}) held by a run on another host` },
  ...COMMON_FLAGS,
};

const INFO_FLAGS: Record<string, FlagSpec> = {
  fma: { type: "bool", help: "load the relaxed-SIMD (FMA) build where the engine supports it" },
  ...COMMON_FLAGS,
};

/** Read a results.jsonl for plot / merge: a torn last line and duplicate rows are warnings. */
function readResults(path: string, command: string): CompareResult {
  return parseJsonl(readFileSync(path, "utf8"), path, { onWarning: (m) => warnLine(command, m) });
}

export async function cmdPlot(argv: string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, PLOT_FLAGS, "plot");
  if (
    helpOrVersion(
      flags,
      "Usage: lazytrain plot RESULTS.jsonl [--out figure.svg] [--log-y] [--curves [--widths N,N,…]]",
      PLOT_FLAGS,
    )
  )
    return 0;
  if (positional.length !== 1) throw new UsageError("expected exactly one results.jsonl");
  const input = positional[0];
  if (!existsSync(input)) throw new UsageError(`${input} does not exist`);
  const result = mergeResults([{ name: input, result: readResults(input, "plot") }], { onWarning: (m) => warnLine("plot", m) });
  if (flags.curves === true) {
    const target = (flags.out as string | undefined) ?? join(dirname(input), "curves.svg");
    let widths: number[] | undefined;
    if (flags.widths !== undefined) {
      widths = String(flags.widths)
        .split(",")
        .map((s) => Number(s.trim()));
      if (widths.some((w) => !Number.isInteger(w) || w < 1))
        throw new UsageError(`--widths must be a comma list of positive integers, got ${JSON.stringify(flags.widths)}`);
    }
    let svg: string;
    try {
      svg = plotCurvesSVG(result, { ...(widths ? { widths } : {}), ...(flags.height ? { height: flags.height as number } : {}) });
    } catch (e) {
      throw new UsageError(`${input}: ${(e as Error).message.replace(/^result: /, "")}`);
    }
    writeFileAtomic(target, svg);
    say(`wrote ${target}`);
    return 0;
  }
  if (flags.widths !== undefined) throw new UsageError("--widths applies with --curves");
  const target = (flags.out as string | undefined) ?? join(dirname(input), "figure.svg");
  writeFileAtomic(
    target,
    plotSVG(result, {
      logY: flags["log-y"] === true,
      ...(flags.width ? { width: flags.width as number } : {}),
      ...(flags.height ? { height: flags.height as number } : {}),
    }),
  );
  say(`wrote ${target}`);
  return 0;
}

export async function cmdMerge(argv: string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, MERGE_FLAGS, "merge");
  if (helpOrVersion(flags, "Usage: lazytrain merge A.jsonl B.jsonl … --out merged.jsonl", MERGE_FLAGS)) return 0;
  if (positional.length < 1) throw new UsageError("expected one or more results.jsonl files");
  if (!flags.out) throw new UsageError("--out is required");
  for (const p of positional) if (!existsSync(p)) throw new UsageError(`${p} does not exist`);
  let merged: CompareResult;
  try {
    merged = mergeResults(
      positional.map((p) => ({ name: p, result: readResults(p, "merge") })),
      { onWarning: (m) => warnLine("merge", m.replace(/^merge: /, "")) },
    );
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const target = flags.out as string;
  const dir = dirname(target) || ".";
  mkdirSync(dir, { recursive: true });
  // the output folder may be a compare run's --out: never replace its file under a live writer
  const lock = acquireLock(dir, {
    force: flags.force === true,
    warn: (m) => warnLine("merge", m),
    command: `lazytrain merge --out ${target}`,
  });
  try {
    writeFileAtomic(target, metaLine(merged.meta) + merged.rows.map(rowLine).join(""));
  } finally {
    lock.release();
  }
  const missing = merged.meta.points - merged.rows.length;
  say(
    `wrote ${target}: ${merged.rows.length} of ${merged.meta.points} points${missing > 0 ? ` (${missing} missing: a shard not run or not finished?)` : ""}`,
  );
  return 0;
}

export async function cmdRepair(argv: string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, REPAIR_FLAGS, "repair");
  const usage = "Usage: lazytrain repair RESULTS.jsonl";
  const notes = `
Moves invalid lines (and a torn last line, and extra copies of duplicate rows) to
RESULTS.rejected.jsonl beside the file and keeps the meta line and every valid row unchanged;
the original is first copied to RESULTS.jsonl.backup-<time>.
`;
  if (helpOrVersion(flags, usage, REPAIR_FLAGS, notes)) return 0;
  if (positional.length !== 1) throw new UsageError("expected exactly one results.jsonl");
  const file = positional[0];
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  const lock = acquireLock(dirname(file) || ".", {
    force: flags.force === true,
    warn: (m) => warnLine("repair", m),
    command: `lazytrain repair ${file}`,
  });
  try {
    say(repairFile(file).message);
  } finally {
    lock.release();
  }
  return 0;
}

export async function cmdInfo(argv: string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, INFO_FLAGS, "info");
  if (helpOrVersion(flags, "Usage: lazytrain info\n\nPrints the WebAssembly build in use and a 512×512 GEMM timing.", INFO_FLAGS))
    return 0;
  if (positional.length) throw new UsageError(`unexpected argument ${positional[0]}`);
  await init(flags.fma === true ? { fma: true } : undefined);
  const n = 512,
    rng = createRng(1);
  const a = rng.normalMatrix(n, n),
    b = rng.normalMatrix(n, n);
  matmul(a, b);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    matmul(a, b);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  say(`lazytrain ${VERSION}, WebAssembly build: ${runtimeInfo().simd ? `${buildName()} (128-bit)` : "scalar"}`);
  say(`matmul f64 ${n}×${n}: ${times[2].toFixed(1)} ms (${((2 * n ** 3) / times[2] / 1e6).toFixed(1)} GFLOP/s, median of 5)`);
  return 0;
}
