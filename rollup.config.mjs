// Bundles the tsc output (build/esm) into dist/: the library (index.js), the CLI (cli.js)
// and the worker_threads entry of compare() (worker.js), sharing chunks so that all three
// use one module instance; the two .wasm builds sit next to them (found via import.meta.url).
import { copyFileSync, mkdirSync } from "node:fs";

const copyWasm = {
  name: "copy-wasm",
  writeBundle() {
    mkdirSync("dist", { recursive: true });
    for (const f of ["lazytrain-simd.wasm", "lazytrain-scalar.wasm"]) copyFileSync(`build/wasm/${f}`, `dist/${f}`);
  },
};

export default {
  input: {
    index: "build/esm/index.js",
    cli: "build/esm/cli/index.js",
    worker: "build/esm/experiment/worker.js",
  },
  output: {
    dir: "dist",
    format: "es",
    entryFileNames: "[name].js",
    chunkFileNames: "[name]-[hash].js",
  },
  external: (id) => id.startsWith("node:"),
  plugins: [copyWasm],
};
