#!/usr/bin/env node
// The `lazytrain` command. Subcommands grow with the library (compare, plot, merge).

import { init, runtimeInfo, matmul, createRng } from "../index.js";

const HELP = `lazytrain — RF vs NT vs NN (Ghorbani, Mei, Misiakiewicz & Montanari, NeurIPS 2019)

Usage:
  lazytrain info            which WebAssembly build runs here, and a GEMM timing
  lazytrain --help          this text
  lazytrain --version       the package version
`;

async function info(): Promise<void> {
  await init();
  const rt = runtimeInfo();
  const n = 512;
  const rng = createRng(1);
  const a = rng.normalMatrix(n, n), b = rng.normalMatrix(n, n);
  matmul(a, b);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    matmul(a, b);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  const ms = times[2];
  console.log(`WebAssembly build: ${rt.simd ? "SIMD (128-bit)" : "scalar"}`);
  console.log(`matmul f64 ${n}×${n}: ${ms.toFixed(1)} ms (${((2 * n ** 3) / ms / 1e6).toFixed(1)} GFLOP/s, median of 5)`);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") {
    process.stdout.write(HELP);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === "--version") {
    const { createRequire } = await import("node:module");
    const pkg = createRequire(import.meta.url)("../package.json") as { version: string };
    console.log(pkg.version);
    return 0;
  }
  if (cmd === "info") {
    if (rest.length > 0) {
      console.error(`lazytrain info: unexpected argument ${rest[0]}`);
      return 2;
    }
    await info();
    return 0;
  }
  console.error(`lazytrain: unknown command "${cmd}" (see lazytrain --help)`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
