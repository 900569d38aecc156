// Bundles the tsc output (build/esm) into dist/: one ESM file for the library, one for the
// CLI, and the two .wasm builds next to them (the loader finds them via import.meta.url).
import { copyFileSync, mkdirSync } from "node:fs";

const copyWasm = {
  name: "copy-wasm",
  writeBundle() {
    mkdirSync("dist", { recursive: true });
    for (const f of ["lazytrain-simd.wasm", "lazytrain-scalar.wasm"]) copyFileSync(`build/wasm/${f}`, `dist/${f}`);
  },
};

const external = (id) => id.startsWith("node:");

export default [
  {
    input: "build/esm/index.js",
    output: { file: "dist/index.js", format: "es" },
    external,
    plugins: [copyWasm],
  },
  {
    // The CLI imports the library through its public entry so both share one module instance.
    input: "build/esm/cli/index.js",
    output: { file: "dist/cli.js", format: "es", paths: (id) => (/[\\/]esm[\\/]index\.js$|^\.\.\/index\.js$/.test(id) ? "./index.js" : id) },
    external: (id) => external(id) || id === "../index.js",
  },
];
