#!/usr/bin/env node
// The `lazytrain` command: compare (the main job), plot, merge, repair, info.

// Everything from the library bundle (one module instance, no duplicated code in cli.js).
import { VERSION } from "../index.js";
import { UsageError, CliError } from "./args.js";
import { cmdInfo, cmdMerge, cmdPlot, cmdRepair } from "./commands.js";
import { say } from "./common.js";
import { cmdCompare } from "./compare.js";
import { installOutputGuards, out, err } from "./output.js";

const MAIN_HELP = `lazytrain ${VERSION} — RF vs NT vs NN (Ghorbani, Mei, Misiakiewicz & Montanari, NeurIPS 2019)

Usage: lazytrain <command> [options]

Commands:
  compare   run a sweep over widths N/d for RF, NT and NN; writes results, table and figure
  plot      draw figure.svg from a results.jsonl
  merge     merge sharded results.jsonl files into one
  repair    move the invalid lines of a results.jsonl aside (after a backup), keeping every valid row
  info      which WebAssembly build runs here, and a GEMM timing

Options:
  -h, --help     this text (lazytrain <command> --help: the command's options and defaults)
  -v, --version  the version
`;

const COMMANDS: Record<string, (a: string[]) => Promise<number>> = {
  compare: cmdCompare,
  plot: cmdPlot,
  merge: cmdMerge,
  repair: cmdRepair,
  info: cmdInfo,
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    err(MAIN_HELP);
    return 2;
  }
  if (cmd === "--help" || cmd === "-h" || cmd === "help") {
    out(MAIN_HELP);
    return 0;
  }
  if (cmd === "--version" || cmd === "-v") {
    say(VERSION);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!run) throw new UsageError(`unknown command ${JSON.stringify(cmd)} (see lazytrain --help)`);
  return run(rest);
}

installOutputGuards();
const argv = process.argv.slice(2);
// every error message starts with the command it comes from ("compare: …")
const prefix = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? argv[0] : "lazytrain";
const report = (message: string) => err(`${message.startsWith(`${prefix}: `) ? message : `${prefix}: ${message}`}\n`);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    report(e instanceof Error ? e.message : String(e));
    process.exitCode = e instanceof UsageError ? 2 : e instanceof CliError ? e.exitCode : 1;
  },
);
