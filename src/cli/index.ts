#!/usr/bin/env node
// The `lazytrain` command: compare (the main job), plot, merge, info.

import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync, openSync, closeSync, fsyncSync } from "node:fs";
import { join, dirname } from "node:path";
import { availableParallelism } from "node:os";
// Everything from the library bundle (one module instance, no duplicated code in cli.js).
import {
  init, runtimeInfo, matmul, createRng, compare, normalizeConfig, preset, parseJsonl, mergeResults,
  toCSV, summaryMarkdown, plotSVG, VERSION, _internal,
  type CompareProgress, type CompareConfig, type PresetName, type CompareResult,
} from "../index.js";
import { UsageError, parseArgs, helpText, parseRatios, type FlagSpec } from "./args.js";

const { enumeratePoints, parseShard, pointKey, shardPoints, pointCost, metaLine, rowLine } = _internal;

const MAIN_HELP = `lazytrain ${VERSION} — RF vs NT vs NN (Ghorbani, Mei, Misiakiewicz & Montanari, NeurIPS 2019)

Usage: lazytrain <command> [options]

Commands:
  compare   run a sweep over widths N/d for RF, NT and NN; writes results, table and figure
  plot      draw figure.svg from a results.jsonl
  merge     merge sharded results.jsonl files into one
  info      which WebAssembly build runs here, and a GEMM timing

Run lazytrain <command> --help for its options.
`;

const COMPARE_FLAGS: Record<string, FlagSpec> = {
  preset: { type: "string", choices: ["quick", "paper", "mixture"], help: "start from a preset (quick, paper, mixture); other flags override it" },
  task: { type: "string", choices: ["quadratic", "mixture"], help: "quadratic (default) or mixture" },
  spectrum: { type: "string", choices: ["exponential", "goe", "lowrank", "flat"], help: "quadratic target spectrum (default exponential)" },
  d: { type: "int", help: "input dimension" },
  ratios: { type: "string", help: "widths as N/d: start:stop:step (e.g. 0.1:2:0.1) or a list 0.5,1,2" },
  regimes: { type: "string", help: "comma list of RF,NT,NN (default all)" },
  n: { type: "string", help: "training samples, or online (fresh samples every SGD step)" },
  reps: { type: "int", help: "repetitions per width (default 1)" },
  seed: { type: "int", help: "base seed (default 1)" },
  steps: { type: "int", help: "SGD steps for NN (and NT with --nt sgd)" },
  nt: { type: "string", choices: ["sgd", "exact"], help: "online NT: train by SGD, or take its least-squares optimum riskNT(W)" },
  workers: { type: "int", help: "worker threads (default: the number of CPU cores; results do not depend on it)" },
  out: { type: "string", help: "output directory (default results/<preset or custom>)" },
  shard: { type: "string", help: "run only shard i/k of the points (cluster job arrays; merge afterwards)" },
  "log-y": { type: "bool", help: "logarithmic risk axis in the figure" },
  fresh: { type: "bool", help: "discard an existing results.jsonl in --out instead of resuming it" },
  help: { type: "bool", help: "this text" },
};

const PLOT_FLAGS: Record<string, FlagSpec> = {
  out: { type: "string", help: "output SVG file (default: figure.svg next to the input)" },
  "log-y": { type: "bool", help: "logarithmic risk axis" },
  width: { type: "int", help: "width in pixels (default 800)" },
  height: { type: "int", help: "height in pixels (default 500)" },
  help: { type: "bool", help: "this text" },
};

const MERGE_FLAGS: Record<string, FlagSpec> = {
  out: { type: "string", help: "merged results.jsonl to write (required)" },
  help: { type: "bool", help: "this text" },
};

const fmtTime = (s: number | null) => {
  if (s === null || !Number.isFinite(s)) return "?";
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
};

function buildConfig(flags: Record<string, string | number | boolean>): { config: CompareConfig; name: string } {
  const base: CompareConfig = flags.preset ? preset(flags.preset as PresetName) : { d: 40, ratios: [0.25, 0.5, 0.75, 1, 1.25, 1.5] };
  const c: CompareConfig = { ...base, taskOptions: { ...(base.taskOptions ?? {}) }, nn: { ...(base.nn ?? {}) }, nt: { ...(base.nt ?? {}) } };
  if (flags.task !== undefined) {
    c.task = flags.task as "quadratic" | "mixture";
    if (flags.task !== base.task) c.taskOptions = {};
  }
  if (flags.spectrum !== undefined) {
    if ((c.task ?? "quadratic") !== "quadratic") throw new UsageError("compare: --spectrum applies to the quadratic task");
    c.taskOptions = { ...c.taskOptions, spectrum: flags.spectrum };
  }
  if (flags.d !== undefined) c.d = flags.d as number;
  if (flags.ratios !== undefined) { c.ratios = parseRatios(flags.ratios as string); delete c.widths; }
  else if (flags.d !== undefined && c.widths !== undefined && !Array.isArray(c.widths)) {
    throw new UsageError("compare: this preset lists explicit widths; pass --ratios together with --d");
  }
  if (flags.regimes !== undefined) {
    const list = String(flags.regimes).split(",").map((s) => s.trim().toUpperCase());
    for (const r of list) if (!["RF", "NT", "NN"].includes(r)) throw new UsageError(`compare: --regimes: unknown regime ${JSON.stringify(r)} (RF, NT, NN)`);
    c.regimes = list as CompareConfig["regimes"];
  }
  if (flags.n !== undefined) {
    if (flags.n === "online") c.n = "online";
    else if (/^\d+$/.test(String(flags.n))) c.n = Number(flags.n);
    else throw new UsageError(`compare: --n must be "online" or a sample size, got ${JSON.stringify(flags.n)}`);
  }
  if (flags.reps !== undefined) c.reps = flags.reps as number;
  if (flags.seed !== undefined) c.seed = flags.seed as number;
  if (flags.steps !== undefined) { c.nn = { ...c.nn, steps: flags.steps as number }; c.nt = { ...c.nt, steps: flags.steps as number }; }
  if (flags.nt !== undefined) c.nt = { ...c.nt, method: flags.nt as "sgd" | "exact" };
  return { config: c, name: (flags.preset as string | undefined) ?? "custom" };
}

async function estimateSeconds(config: CompareConfig, shard: string | undefined, workers: number): Promise<number> {
  // Calibrate the GEMM rate of this machine (the SGD steps are GEMM-bound), then apply the cost model.
  const n = 256, rng = createRng(0);
  const a = rng.normalMatrix(n, n), b = rng.normalMatrix(n, n);
  matmul(a, b);
  const t = performance.now();
  for (let i = 0; i < 3; i++) matmul(a, b);
  const flopsPerSecond = (3 * 2 * n ** 3) / ((performance.now() - t) / 1000);
  const c = normalizeConfig(config);
  let points = enumeratePoints(c);
  if (shard) points = shardPoints(points, parseShard(shard));
  const cost = points.reduce((s, p) => s + pointCost(c, p), 0);
  return cost / (0.6 * flopsPerSecond) / Math.max(1, Math.min(workers, 2));
}

function writeOutputs(dir: string, result: CompareResult, logY: boolean): void {
  writeFileSync(join(dir, "results.csv"), toCSV(result));
  writeFileSync(join(dir, "summary.md"), summaryMarkdown(result));
  writeFileSync(join(dir, "figure.svg"), plotSVG(result, { logY }));
}

async function cmdCompare(argv: string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, COMPARE_FLAGS, "compare");
  if (flags.help) { process.stdout.write(helpText("Usage: lazytrain compare [options]", COMPARE_FLAGS)); return 0; }
  if (positional.length) throw new UsageError(`compare: unexpected argument ${JSON.stringify(positional[0])}`);
  const { config, name } = buildConfig(flags);
  let normalized;
  try {
    normalized = normalizeConfig(config);
  } catch (e) {
    throw new UsageError(`compare: ${(e as Error).message}`);
  }
  const shard = flags.shard as string | undefined;
  if (shard !== undefined) {
    try { parseShard(shard); } catch (e) { throw new UsageError(`compare: --${(e as Error).message}`); }
  }
  const workers = (flags.workers as number | undefined) ?? availableParallelism();
  if (workers < 1) throw new UsageError("compare: --workers must be ≥ 1");
  const dir = (flags.out as string | undefined) ?? join("results", shard ? `${name}-shard-${shard.replace("/", "of")}` : name);
  mkdirSync(dir, { recursive: true });
  const jsonl = join(dir, "results.jsonl");
  await init();
  const tty = process.stdout.isTTY === true;
  // resume: reuse finished points of a run with the same configuration
  let skip: string[] = [];
  let previous: CompareResult | null = null;
  if (existsSync(jsonl) && !flags.fresh) {
    previous = parseJsonl(readFileSync(jsonl, "utf8"), jsonl);
    if (JSON.stringify(previous.meta.config) !== JSON.stringify(normalized) || (previous.meta.shard ?? null) !== (shard ?? null)) {
      throw new UsageError(`compare: ${jsonl} holds a run with another configuration; use another --out or pass --fresh to overwrite it`);
    }
    skip = previous.rows.map(pointKey);
  }
  const total = shard ? shardPoints(enumeratePoints(normalized), parseShard(shard)).length : enumeratePoints(normalized).length;
  const est = await estimateSeconds(config, shard, workers);
  console.log(`lazytrain compare: ${total} points (${skip.length} already done) in ${dir}, ${runtimeInfo().simd ? "SIMD" : "scalar"} WebAssembly, ${workers} worker${workers > 1 ? "s" : ""}; estimated ${fmtTime(est * (1 - skip.length / Math.max(total, 1)))}`);
  const controller = new AbortController();
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    process.stderr.write("\ninterrupted: finishing nothing new; finished points are saved (Ctrl-C again to quit now)\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  let lastDraw = 0;
  const onProgress = (p: CompareProgress) => {
    const r = p.row;
    const value = r.task === "mixture" ? `err ${r.error01?.toFixed(4)}` : `R/R0 ${r.normalizedRisk.toFixed(4)} (theory ${r.theory.exact?.toFixed(4) ?? "–"})`;
    if (tty) {
      const now = performance.now();
      if (now - lastDraw < 100 && p.done < p.total) return;
      lastDraw = now;
      const width = 28, fill = Math.round((width * p.done) / p.total);
      process.stdout.write(`\r[${"#".repeat(fill)}${".".repeat(width - fill)}] ${p.done}/${p.total}  ETA ${fmtTime(p.etaSeconds)}  last: ${r.regime} N=${r.N} ${value}`.padEnd(110).slice(0, 110));
    } else {
      console.log(`${p.done}/${p.total} ${r.regime} N=${r.N} rep=${r.rep} ${value} ${r.seconds.toFixed(2)} s, ETA ${fmtTime(p.etaSeconds)}`);
    }
  };
  let fd: number | null = null;
  try {
    fd = openSync(jsonl, previous === null ? "w" : "a");
    const handle = fd;
    await compare(config, {
      onProgress, signal: controller.signal, skip, workers,
      // meta first, so a killed run still leaves a resumable file
      onMeta: (meta) => { if (previous === null) { appendFileSync(handle, metaLine(meta)); fsyncSync(handle); } },
      ...(shard ? { shard } : {}),
      onRow: (row) => { appendFileSync(handle, rowLine(row)); fsyncSync(handle); },
    });
    if (tty) process.stdout.write("\n");
    const all = parseJsonl(readFileSync(jsonl, "utf8"), jsonl);
    const merged = mergeResults([{ name: jsonl, result: all }]);
    if (shard) merged.meta.shard = shard;
    writeOutputs(dir, merged, flags["log-y"] === true);
    process.stdout.write("\n" + summaryMarkdown(merged));
    console.log(`\nwrote ${join(dir, "results.jsonl")}, results.csv, summary.md, figure.svg`);
    if (controller.signal.aborted) {
      console.log(`stopped early: ${merged.rows.length} of ${total} points done; run the same command again to resume`);
      return 130;
    }
    return 0;
  } finally {
    if (fd !== null) closeSync(fd);
    process.off("SIGINT", onSigint);
  }
}

async function cmdPlot(argv: string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, PLOT_FLAGS, "plot");
  if (flags.help) { process.stdout.write(helpText("Usage: lazytrain plot RESULTS.jsonl [--out figure.svg] [--log-y]", PLOT_FLAGS)); return 0; }
  if (positional.length !== 1) throw new UsageError("plot: expected exactly one results.jsonl");
  const input = positional[0];
  if (!existsSync(input)) throw new UsageError(`plot: ${input} does not exist`);
  const result = mergeResults([{ name: input, result: parseJsonl(readFileSync(input, "utf8"), input) }]);
  const out = (flags.out as string | undefined) ?? join(dirname(input), "figure.svg");
  writeFileSync(out, plotSVG(result, {
    logY: flags["log-y"] === true,
    ...(flags.width ? { width: flags.width as number } : {}), ...(flags.height ? { height: flags.height as number } : {}),
  }));
  console.log(`wrote ${out}`);
  return 0;
}

async function cmdMerge(argv: string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, MERGE_FLAGS, "merge");
  if (flags.help) { process.stdout.write(helpText("Usage: lazytrain merge A.jsonl B.jsonl … --out merged.jsonl", MERGE_FLAGS)); return 0; }
  if (positional.length < 1) throw new UsageError("merge: expected one or more results.jsonl files");
  if (!flags.out) throw new UsageError("merge: --out is required");
  for (const p of positional) if (!existsSync(p)) throw new UsageError(`merge: ${p} does not exist`);
  let merged: CompareResult;
  try {
    merged = mergeResults(positional.map((p) => ({ name: p, result: parseJsonl(readFileSync(p, "utf8"), p) })));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const out = flags.out as string;
  mkdirSync(dirname(out) || ".", { recursive: true });
  writeFileSync(out, metaLine(merged.meta) + merged.rows.map(rowLine).join(""));
  const missing = merged.meta.points - merged.rows.length;
  console.log(`wrote ${out}: ${merged.rows.length} of ${merged.meta.points} points${missing > 0 ? ` (${missing} missing: a shard not run or not finished?)` : ""}`);
  return 0;
}

async function cmdInfo(argv: string[]): Promise<number> {
  if (argv.includes("--help")) { process.stdout.write("Usage: lazytrain info\n\nPrints the WebAssembly build in use and a 512×512 GEMM timing.\n"); return 0; }
  if (argv.length) throw new UsageError(`info: unexpected argument ${argv[0]}`);
  await init();
  const n = 512, rng = createRng(1);
  const a = rng.normalMatrix(n, n), b = rng.normalMatrix(n, n);
  matmul(a, b);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    matmul(a, b);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  console.log(`lazytrain ${VERSION}, WebAssembly build: ${runtimeInfo().simd ? "SIMD (128-bit)" : "scalar"}`);
  console.log(`matmul f64 ${n}×${n}: ${times[2].toFixed(1)} ms (${((2 * n ** 3) / times[2] / 1e6).toFixed(1)} GFLOP/s, median of 5)`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) { process.stderr.write(MAIN_HELP); return 2; }
  if (cmd === "--help" || cmd === "-h" || cmd === "help") { process.stdout.write(MAIN_HELP); return 0; }
  if (cmd === "--version") { console.log(VERSION); return 0; }
  const commands: Record<string, (a: string[]) => Promise<number>> = { compare: cmdCompare, plot: cmdPlot, merge: cmdMerge, info: cmdInfo };
  const run = commands[cmd];
  if (!run) throw new UsageError(`lazytrain: unknown command ${JSON.stringify(cmd)} (see lazytrain --help)`);
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`lazytrain: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
