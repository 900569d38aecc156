// The compare command: flags → config, the --dry-run plan, the run itself (resume, lock,
// progress and ETA, SIGINT / SIGTERM) and its output files.

import { existsSync, mkdirSync, openSync, closeSync, statSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism } from "node:os";
// Everything from the library bundle (one module instance, no duplicated code in cli.js).
import {
  init,
  runtimeInfo,
  compare,
  planCompare,
  normalizeConfig,
  preset,
  logGrid,
  mergeResults,
  toCSV,
  summaryMarkdown,
  plotSVG,
  _internal,
  type CompareProgress,
  type CompareConfig,
  type PresetName,
  type CompareResult,
  type CompareRow,
  type CompareMeta,
} from "../index.js";
import { UsageError, CliError, parseArgs, parseRatios, parseSweep, type FlagSpec } from "./args.js";
import { writeFileAtomic } from "./atomic.js";
import { COMMON_FLAGS, buildName, fmtTime, helpOrVersion, say } from "./common.js";
import { acquireLock, LOCK_NAME } from "./lock.js";
import { out, err, warnLine } from "./output.js";
import { checkForResume, cutTornLine, repairFile, scanFile, RowWriter } from "./results.js";
import { planText } from "./plan.js";
import { resolveShard } from "./shard.js";

const { enumeratePoints, parseShard, pointKey, shardPoints, pointCost, metaLine, rejectedPath } = _internal;

/** Without --preset or flags, compare runs this (d = 40, six widths, the library's defaults). */
const DEFAULT_CONFIG: CompareConfig = { d: 40, ratios: [0.25, 0.5, 0.75, 1, 1.25, 1.5] };

function compareFlags(): Record<string, FlagSpec> {
  // the defaults shown are those of normalizeConfig, so --help cannot drift from what runs
  const c = normalizeConfig(DEFAULT_CONFIG);
  return {
    preset: {
      type: "string",
      choices: ["quick", "paper", "mixture"],
      help: "start from a preset (quick, paper, mixture); other flags override it",
      default: "none",
    },
    task: { type: "string", choices: ["quadratic", "mixture"], help: "quadratic or mixture", default: c.task },
    spectrum: {
      type: "string",
      choices: ["exponential", "goe", "lowrank", "flat"],
      help: "quadratic target spectrum",
      default: String(c.taskOptions.spectrum ?? "exponential"),
    },
    d: { type: "int", help: "input dimension", default: String(c.d) },
    ratios: {
      type: "string",
      help: "widths as N/d: start:stop:step (e.g. 0.1:2:0.1) or a list 0.5,1,2",
      default: DEFAULT_CONFIG.ratios!.join(","),
    },
    regimes: { type: "string", help: "comma list of RF,NT,NN", default: c.regimes.join(",") },
    N: { type: "int", help: "one width N instead of --ratios (an α sweep: even; default about d/2)" },
    sweep: {
      type: "string",
      help: "the lazy → rich sweep of the NN over its scale α at one width: alpha=START:STOP:log10 (log-spaced), alpha=START:STOP:log10:COUNT, or alpha=A,B,C (docs/alpha/README.md)",
    },
    "per-decade": { type: "int", help: "points per decade of --sweep alpha=START:STOP:log10", default: "2" },
    n: { type: "string", help: "training samples, or online (fresh samples every SGD step)", default: String(c.n) },
    reps: { type: "int", help: "repetitions per width", default: String(c.reps) },
    seed: { type: "int", help: "base seed", default: String(c.seed) },
    steps: { type: "int", help: "SGD steps for NN (and NT with --nt sgd)", default: String(c.nn.steps) },
    nt: {
      type: "string",
      choices: ["sgd", "exact"],
      help: "online NT: train by SGD, or take its least-squares optimum riskNT(W)",
      default: c.nt.method,
    },
    activation: {
      type: "string",
      choices: ["square", "relu", "tanh"],
      help: "σ of every regime (relu, tanh: risks by Monte Carlo, no exact theory)",
      default: c.activation,
    },
    precision: {
      type: "string",
      choices: ["f64", "f32"],
      help: "float type of the NN and NT training steps (f32: the authors' float32, ~2× faster)",
      default: "f64",
    },
    fma: {
      type: "bool",
      help: "relaxed-SIMD build with fused multiply-add where the engine supports it (reproducible on this machine, not bit-identical across machines)",
    },
    workers: {
      type: "int",
      help: "worker threads (results do not depend on it)",
      default: `the number of CPU cores, ${availableParallelism()} here`,
    },
    threads: {
      type: "int",
      help: "threads per point, 1 to 64 (results do not depend on it): with --workers 1 every point uses them; with more workers, points run on one thread each and, once none wait, the points still running take the finished workers' cores",
      default: "1",
    },
    out: { type: "string", help: "output directory", default: "results/<preset or custom>" },
    shard: {
      type: "string",
      help: "run only shard i/k of the points (balanced by predicted cost; merge afterwards), or auto: i and k from a Slurm job array or a Kubernetes Indexed Job (docs/cluster.md)",
    },
    "shard-count": {
      type: "int",
      help: "with --shard auto: the number of shards (Kubernetes: the Indexed Job's completions; Slurm: then the task ID is the shard index)",
    },
    "max-N": {
      type: "int",
      help: "compute now only the points of width N ≤ this; the others stay to do, and the same command without it resumes them (a long grid in stages)",
    },
    "dry-run": {
      type: "bool",
      help: "print the plan (points, steps, predicted time on --workers, from a short probe) and exit; computes and writes nothing",
    },
    "log-y": { type: "bool", help: "logarithmic risk axis in the figure" },
    fresh: { type: "bool", help: "discard an existing results.jsonl in --out instead of resuming it" },
    repair: {
      type: "bool",
      help: "before resuming, move invalid lines of results.jsonl to results.rejected.jsonl (after a backup)",
    },
    force: { type: "bool", help: `take over a lock (${LOCK_NAME}) held by a run on another host` },
    ...COMMON_FLAGS,
  };
}

function buildConfig(flags: Record<string, string | number | boolean>): { config: CompareConfig; name: string } {
  const base: CompareConfig = flags.preset ? preset(flags.preset as PresetName) : DEFAULT_CONFIG;
  const c: CompareConfig = {
    ...base,
    taskOptions: { ...(base.taskOptions ?? {}) },
    nn: { ...(base.nn ?? {}) },
    nt: { ...(base.nt ?? {}) },
  };
  if (flags.task !== undefined) {
    c.task = flags.task as "quadratic" | "mixture";
    if (flags.task !== base.task) c.taskOptions = {};
  }
  if (flags.spectrum !== undefined) {
    if ((c.task ?? "quadratic") !== "quadratic") throw new UsageError("--spectrum applies to the quadratic task");
    c.taskOptions = { ...c.taskOptions, spectrum: flags.spectrum };
  }
  if (flags.d !== undefined) c.d = flags.d as number;
  if (flags["per-decade"] !== undefined && flags.sweep === undefined)
    throw new UsageError("--per-decade applies to --sweep alpha=START:STOP:log10");
  if (flags.sweep !== undefined) {
    if (flags.preset) throw new UsageError("--sweep runs its own experiment: drop --preset");
    c.sweep = parseSweep(flags.sweep as string, flags["per-decade"] as number | undefined, logGrid);
    delete c.ratios;
    // one even width: --N, --ratios, or about d/2
    if (flags.N === undefined && flags.ratios === undefined) c.widths = [Math.max(2, 2 * Math.round((c.d ?? 40) / 4))];
  }
  if (flags.N !== undefined) {
    if (flags.ratios !== undefined) throw new UsageError("--N and --ratios both set the widths: pass one of them");
    if ((flags.N as number) < 1) throw new UsageError("--N must be ≥ 1");
    c.widths = [flags.N as number];
    delete c.ratios;
  } else if (flags.ratios !== undefined) {
    c.ratios = parseRatios(flags.ratios as string);
    delete c.widths;
  } else if (flags.d !== undefined && c.widths !== undefined && !Array.isArray(c.widths)) {
    throw new UsageError("this preset lists explicit widths; pass --ratios together with --d");
  }
  if (flags.regimes !== undefined) {
    const list = String(flags.regimes)
      .split(",")
      .map((s) => s.trim().toUpperCase());
    for (const r of list)
      if (!["RF", "NT", "NN"].includes(r)) throw new UsageError(`--regimes: unknown regime ${JSON.stringify(r)} (RF, NT, NN)`);
    c.regimes = list as CompareConfig["regimes"];
  }
  if (flags.n !== undefined) {
    if (flags.n === "online") c.n = "online";
    else if (/^\d+$/.test(String(flags.n))) c.n = Number(flags.n);
    else throw new UsageError(`--n must be "online" or a sample size, got ${JSON.stringify(flags.n)}`);
  }
  if (flags.reps !== undefined) c.reps = flags.reps as number;
  if (flags.seed !== undefined) c.seed = flags.seed as number;
  if (flags.steps !== undefined) {
    c.nn = { ...c.nn, steps: flags.steps as number };
    c.nt = { ...c.nt, steps: flags.steps as number };
  }
  if (flags.nt !== undefined) c.nt = { ...c.nt, method: flags.nt as "sgd" | "exact" };
  if (flags.activation !== undefined) c.activation = flags.activation as "square" | "relu" | "tanh";
  if (flags.precision !== undefined) {
    const precision = flags.precision as "f64" | "f32";
    c.nn = { ...c.nn, precision };
    c.nt = { ...c.nt, precision };
  }
  return { config: c, name: (flags.preset as string | undefined) ?? (c.sweep ? "alpha" : "custom") };
}

/** results.csv, summary.md and figure.svg, each replaced atomically (a crash never leaves half a figure). */
function writeOutputs(dir: string, result: CompareResult, logY: boolean): void {
  writeFileAtomic(join(dir, "results.csv"), toCSV(result));
  writeFileAtomic(join(dir, "summary.md"), summaryMarkdown(result));
  writeFileAtomic(join(dir, "figure.svg"), plotSVG(result, { logY }));
}

const COMPARE_NOTES = `
Output: DIR/results.jsonl (one line per finished point; rerunning the same command resumes),
results.csv, summary.md, figure.svg. One run per folder: a second run on the same --out exits
with code 2 while ${LOCK_NAME} names a live holder; a stale lock (its process gone) is taken over.
`;

export async function cmdCompare(argv: string[]): Promise<number> {
  const spec = compareFlags();
  const { flags, positional } = parseArgs(argv, spec, "compare");
  if (helpOrVersion(flags, "Usage: lazytrain compare [options]", spec, COMPARE_NOTES)) return 0;
  if (positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}`);
  if (flags.fresh && flags.repair) throw new UsageError("--fresh discards the file and --repair mends it: pass one of them");
  const { config, name } = buildConfig(flags);
  let normalized;
  try {
    normalized = normalizeConfig(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const shard = resolveShard(flags.shard as string | undefined, flags["shard-count"] as number | undefined, process.env);
  if (shard !== undefined) {
    try {
      parseShard(shard);
    } catch (e) {
      throw new UsageError(`--${(e as Error).message}`);
    }
  }
  const workers = (flags.workers as number | undefined) ?? availableParallelism();
  if (workers < 1) throw new UsageError("--workers must be ≥ 1");
  const threads = (flags.threads as number | undefined) ?? 1;
  if (!(threads >= 1 && threads <= 64)) throw new UsageError(`--threads must be an integer from 1 to 64, got ${threads}`);
  const maxN = flags["max-N"] as number | undefined;
  if (maxN !== undefined && maxN < 1) throw new UsageError("--max-N must be ≥ 1");
  if (flags["dry-run"]) {
    // nothing on disk: no folder, no lock, no results (a resumed run's skips are not read either)
    if (flags.fresh || flags.repair || flags.force)
      throw new UsageError("--dry-run writes nothing: --fresh, --repair and --force do not apply");
    // the probe times the steps on the module the run would load (--fma: the relaxed build;
    // --threads with one worker: its threads)
    await init(runInit(flags, workers, threads));
    const skip = widerThan(enumeratePoints(normalized), maxN);
    say(planText(await planCompare(config, { workers, threads, skip, ...(shard ? { shard } : {}) }), shard));
    return 0;
  }
  const dir = (flags.out as string | undefined) ?? join("results", shard ? `${name}-shard-${shard.replace("/", "of")}` : name);
  mkdirSync(dir, { recursive: true });
  const jsonl = join(dir, "results.jsonl");
  const warn = (m: string) => warnLine("compare", m);
  // one writer per folder, taken before the file is read
  const lock = acquireLock(dir, { force: flags.force === true, warn, command: `lazytrain compare --out ${dir}` });
  try {
    return await runCompare({ flags, config, normalized, shard, workers, threads, dir, jsonl, warn });
  } finally {
    lock.release();
  }
}

/**
 * --max-N: the keys of the points wider than maxN, skipped in this run only (they are not in the
 * file, so the same command without --max-N computes them and nothing else).
 */
function widerThan(points: { regime: string; N: number; rep: number }[], maxN: number | undefined): string[] {
  return maxN === undefined ? [] : points.filter((p) => p.N > maxN).map(pointKey);
}

/**
 * The module this process loads for a run: the relaxed build with --fma, and --threads on it
 * when the points run here (one worker). With workers, this thread only plans: the workers load
 * the threads build, and the probe times the threads in a worker of its own.
 */
function runInit(flags: Record<string, string | number | boolean>, workers: number, threads: number) {
  const own = workers === 1 && threads > 1 ? { threads } : {};
  return flags.fma === true ? { fma: true, ...own } : own;
}

interface CompareJob {
  flags: Record<string, string | number | boolean>;
  config: CompareConfig;
  normalized: ReturnType<typeof normalizeConfig>;
  shard: string | undefined;
  workers: number;
  threads: number;
  dir: string;
  jsonl: string;
  warn: (m: string) => void;
}

async function runCompare({ flags, config, normalized, shard, workers, threads, dir, jsonl, warn }: CompareJob): Promise<number> {
  await init(runInit(flags, workers, threads));
  if (threads > 1 && runtimeInfo().threads.reason !== null) warn(`--threads ${threads}: ${runtimeInfo().threads.reason}`);
  const tty = process.stdout.isTTY === true;
  // resume: reuse finished points of a run with the same configuration
  let previous: CompareResult | null = null;
  if (existsSync(jsonl) && !flags.fresh) {
    if (flags.repair) say(repairFile(jsonl).message);
    const scan = scanFile(jsonl);
    const fix = `Fix: run the same command with --repair (it moves invalid lines to ${rejectedPath(jsonl)} after a backup and keeps every valid row), or run lazytrain repair ${jsonl}`;
    const warnings = checkForResume(jsonl, scan, fix);
    if (
      scan.meta !== null &&
      (JSON.stringify(scan.meta.config) !== JSON.stringify(normalized) || (scan.meta.shard ?? null) !== (shard ?? null))
    ) {
      throw new UsageError(`${jsonl} holds a run with another configuration; use another --out or pass --fresh to overwrite it`);
    }
    const cut = cutTornLine(jsonl, scan);
    if (cut) warn(cut);
    for (const w of warnings) warn(w);
    if (scan.meta !== null) previous = { meta: scan.meta, rows: scan.rows.map((r) => r.row) };
  }
  const all = enumeratePoints(normalized);
  const maxN = flags["max-N"] as number | undefined;
  const later = widerThan(all, maxN);
  const skip = [...(previous ? previous.rows.map(pointKey) : []), ...later];
  const total = shard ? shardPoints(all, parseShard(shard), (p) => pointCost(normalized, p)).length : all.length;
  const plan = await planCompare(config, { workers, threads, skip, ...(shard ? { shard } : {}) });
  say(
    `lazytrain compare: ${total} points (${total - plan.todo - later.length} already done${later.length > 0 ? `, ${later.length} wider than --max-N left for later` : ""})${shard ? `, shard ${shard}` : ""} in ${dir}, ${buildName()} WebAssembly, ${workers} worker${workers > 1 ? "s" : ""}${threads > 1 ? ` (up to ${threads} threads per point)` : ""}; predicted ${fmtTime(plan.predictedSeconds)}`,
  );
  const controller = new AbortController();
  let stopSignal: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopSignal !== null) process.exit(sig === "SIGTERM" ? 143 : 130);
    stopSignal = sig;
    err(
      `\ninterrupted (${sig}): finishing nothing new; finished points are saved${sig === "SIGINT" ? " (Ctrl-C again to quit now)" : ""}\n`,
    );
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let lastDraw = 0;
  const onProgress = (p: CompareProgress) => {
    const r = p.row;
    const value =
      r.task === "mixture"
        ? `err ${(r.error01Exact ?? r.error01)?.toFixed(4)} (theory ${r.theory.exact?.toFixed(4) ?? "–"})`
        : r.alpha !== undefined
          ? `α=${r.alpha} R/R0 ${r.normalizedRisk.toFixed(4)} (lazy ${r.theory.lazy?.toFixed(4)}, rich ${r.theory.rich?.toFixed(4)}) movement ${r.movement?.toPrecision(3)}`
          : `R/R0 ${r.normalizedRisk.toFixed(4)} (theory ${r.theory.exact?.toFixed(4) ?? "–"})`;
    if (tty) {
      const now = performance.now();
      if (now - lastDraw < 100 && p.done < p.total) return;
      lastDraw = now;
      const width = 28,
        fill = Math.round((width * p.done) / p.total);
      out(
        `\r[${"#".repeat(fill)}${".".repeat(width - fill)}] ${p.done}/${p.total}  ETA ${fmtTime(p.etaSeconds)}  last: ${r.regime} N=${r.N} ${value}`
          .padEnd(110)
          .slice(0, 110),
      );
    } else {
      say(
        `${p.done}/${p.total} ${r.regime} N=${r.N} rep=${r.rep} ${value} ${r.seconds.toFixed(2)} s, ETA ${fmtTime(p.etaSeconds)}`,
      );
    }
  };
  let fd: number | null = null;
  const fresh: CompareRow[] = [];
  let meta: CompareMeta | null = previous?.meta ?? null;
  try {
    fd = openSync(jsonl, previous === null ? "w" : "a");
    const writer = new RowWriter(jsonl, fd, previous === null ? 0 : statSync(jsonl).size);
    // a failed write stops the run (the points in flight are dropped) and is reported below
    const failed = () => {
      if (!controller.signal.aborted) controller.abort();
    };
    await compare(config, {
      onProgress,
      signal: controller.signal,
      skip,
      workers,
      ...(threads > 1 ? { threads } : {}),
      // meta first, so a killed run still leaves a resumable file
      onMeta: (m) => {
        if (previous === null) {
          meta = m;
          if (!writer.append(metaLine(m))) failed();
        }
      },
      ...(shard ? { shard } : {}),
      onRow: (row) => {
        if (writer.row(row)) fresh.push(row);
        else failed();
      },
    });
    if (tty) out("\n");
    if (writer.error) {
      throw new CliError(writer.failure((previous?.rows.length ?? 0) + fresh.length), 1);
    }
    // the rows on disk: those resumed plus those this run wrote (each point once by construction)
    const merged = mergeResults([{ name: jsonl, result: { meta: meta!, rows: [...(previous?.rows ?? []), ...fresh] } }], {
      onWarning: warn,
    });
    if (shard) merged.meta.shard = shard;
    writeOutputs(dir, merged, flags["log-y"] === true);
    out("\n" + summaryMarkdown(merged));
    say(`\nwrote ${join(dir, "results.jsonl")}, results.csv, summary.md, figure.svg`);
    // one line per unconverged trained point (rule: src/training/convergence.ts), last so it is seen
    for (const r of merged.rows) {
      const cv = r.convergence;
      if (cv === undefined || cv.converged) continue;
      const rel = (x: number | null) => (x === null ? "–" : `${(x * 100).toPrecision(2)} %`);
      warn(
        `${r.regime} N=${r.N}${r.alpha === undefined ? "" : ` α=${r.alpha}`} rep=${r.rep} did not converge (over the final 10 % of the steps: loss change ${rel(cv.lossSlope)} ± ${rel(cv.lossSlopeSE)}, exact-risk change ${rel(cv.riskChange)}; both must be under 1 %): more --steps may change it`,
      );
    }
    if (!controller.signal.aborted && merged.rows.length < total && maxN !== undefined) {
      say(
        `--max-N ${maxN}: ${merged.rows.length} of ${total} points done; run the same command without --max-N (or with a larger one) to compute the rest`,
      );
    }
    if (controller.signal.aborted) {
      say(`stopped early: ${merged.rows.length} of ${total} points done; run the same command again to resume`);
      return stopSignal === "SIGTERM" ? 143 : 130;
    }
    return 0;
  } finally {
    if (fd !== null) closeSync(fd);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
