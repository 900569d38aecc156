// The WASM-evaluated transcendental functions (src/kernels/math.ts), re-exported for the
// modules that import them from here. normalCdf is public as theory.normalCdf.

/** @internal */
export { log, log1p, exp, sin, cos, asin } from "../kernels/math.js";
export { normalCdf } from "../kernels/math.js";
