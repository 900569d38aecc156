// dist/ layout: index.js is the whole library in one file (module state lives in exactly one
// module, so every importer shares one WebAssembly instance); cli.js and worker.js are thin
// entries that import "./index.js"; the two .wasm builds sit next to them (import.meta.url).
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const copyWasm = {
  name: "copy-wasm",
  writeBundle() {
    mkdirSync("dist", { recursive: true });
    for (const f of [
      "lazytrain-simd.wasm",
      "lazytrain-scalar.wasm",
      "lazytrain-relaxed.wasm",
      "lazytrain-simd-mt.wasm",
      "lazytrain-relaxed-mt.wasm",
    ])
      copyFileSync(`build/wasm/${f}`, `dist/${f}`);
    // types beside the bundle, for code that imports dist/index.js by path (the tests, type-checked);
    // not shipped ("!dist/index.d.ts" in package.json files): users get dist/types through exports
    writeFileSync("dist/index.d.ts", 'export * from "./types/index.js";\n');
  },
};

const libEntry = resolve("build/esm/index.js");
const node = (id) => id.startsWith("node:");

export default [
  {
    input: "build/esm/index.js",
    output: { file: "dist/index.js", format: "es", inlineDynamicImports: true },
    external: node,
    plugins: [copyWasm],
  },
  {
    input: { cli: "build/esm/cli/index.js", worker: "build/esm/experiment/worker.js" },
    output: { dir: "dist", format: "es", entryFileNames: "[name].js", paths: (id) => (id === libEntry ? "./index.js" : id) },
    external: (id, parent) => node(id) || (parent !== undefined && resolve(parent, "..", id) === libEntry),
  },
];
