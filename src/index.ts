// lazytrain — public surface. Everything numeric runs in the WebAssembly core; call
// `await init()` once before the first call.

export { init, runtimeInfo, simdSupported } from "./runtime/module.js";
export type { InitOptions, RuntimeInfo, WasmSource } from "./runtime/module.js";

export { matrix, fromArray, toArray, transpose } from "./linalg/matrix.js";
export type { Matrix, FloatArray, Dtype } from "./linalg/matrix.js";
export { matmul } from "./linalg/matmul.js";
export type { MatmulOptions } from "./linalg/matmul.js";

export { createRng, Rng } from "./random/rng.js";
export type { Seed } from "./random/rng.js";
