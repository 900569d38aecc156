// Transcendental functions for result paths, evaluated in the WebAssembly core so that every
// engine returns the same bits (JS Math.log/exp/sin differ in the last bit between V8
// versions; see NOTES-wasm.md). + − × ÷ and Math.sqrt are exact in JS and used directly.

import { wasm } from "../runtime/module.js";

export const log = (x: number): number => wasm().mathLog(x);
export const log1p = (x: number): number => wasm().mathLog1p(x);
export const exp = (x: number): number => wasm().mathExp(x);
export const sin = (x: number): number => wasm().mathSin(x);
export const cos = (x: number): number => wasm().mathCos(x);
export const asin = (x: number): number => wasm().mathAsin(x);
/** Standard normal CDF Φ. */
export const normalCdf = (x: number): number => wasm().normalCdf(x);
