// `npm run bench` — the benchmark suite in Node (the same topic modules run in Chromium with
// `npm run bench:browser`, see bench/browser.mjs).
//   node bench/run.mjs [--quick] [--sizes=gemm:64,128;eigh:50] [topic ...]
// Topics: gemm, eigh, solve, train, compare (bench/topics/*.mjs). Writes
// bench/results/node-<date>-<time>[-quick].{json,md,svg} and prints the Markdown.
// Needs a build (`npm run build`: dist/ and build/wasm/peak-probe.wasm). Never part of `npm test`.
import { existsSync } from 'node:fs';
import { ROOT, machine, nodeEnv } from './lib/node-env.mjs';
import { TOPICS, runSuite } from './lib/suite.mjs';
import { parseArgs, writeResult } from './lib/write.mjs';

for (const f of ['dist/index.js', 'build/wasm/peak-probe.wasm']) {
  if (!existsSync(`${ROOT}${f}`)) {
    process.stderr.write(`bench: ${f} is missing — run \`npm run build\` first\n`);
    process.exit(1);
  }
}
const args = parseArgs(process.argv.slice(2), TOPICS);
const env = nodeEnv({ quick: args.quick });
env.Benchmark = (await import('benchmark')).default;
const mach = machine();
const res = await runSuite(env, args);
res.machine = mach;
const { base, md } = writeResult(res);
process.stdout.write(`${md}\nwrote ${base}.{json,md,svg} (${(res.seconds / 60).toFixed(1)} min)\n`);
process.exitCode = res.failed.length ? 1 : 0;
