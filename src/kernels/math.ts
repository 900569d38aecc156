// Transcendental functions for result paths, evaluated in the WebAssembly core so that every
// engine returns the same bits (JS Math.log/exp/sin differ in the last bit between engines
// and versions; the core carries AssemblyScript's musl-derived ports). + − × ÷ and Math.sqrt
// are correctly rounded in JS and used directly.
// Internal to the package: every export is marked @internal (stripped from the .d.ts).

import { wasm } from "../runtime/module.js";

/** @internal */
export const log = (x: number): number => wasm().mathLog(x);
/** @internal */
export const log1p = (x: number): number => wasm().mathLog1p(x);
/** @internal */
export const exp = (x: number): number => wasm().mathExp(x);
/** @internal */
export const sin = (x: number): number => wasm().mathSin(x);
/** @internal */
export const cos = (x: number): number => wasm().mathCos(x);
/** @internal */
export const asin = (x: number): number => wasm().mathAsin(x);
/** @internal Complementary error function (assembly/math/special.ts). */
export const erfc = (x: number): number => wasm().erfc(x);
/** Standard normal CDF Φ (public as theory.normalCdf). */
export const normalCdf = (x: number): number => wasm().normalCdf(x);
