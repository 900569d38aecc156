// Kernels layer, Gaussian quadratic forms (assembly/math/imhof.ts): the CDF of a weighted sum of
// χ²₁ variables by Imhof's integral, the two-class 0-1 error of a rule xᵀMx ≶ t, and the threshold
// that minimises it. The theory module (src/theory/mixture.ts) hands weights in and reads numbers
// back through these three calls only.

import { readF64, scoped } from "../runtime/memory.js";

/** @internal P(Σₖ μₖ zₖ² < c) for `weights` μ, with the integrator's error bound and term count. */
export function imhofCdf(weights: ArrayLike<number>, c: number, eps: number): { p: number; bound: number; terms: number } {
  return scoped((s) => {
    const p = s.f64(weights);
    const v = s.exports.imhofCdf(p, weights.length, c, eps);
    return { p: v, bound: s.exports.imhofLastBound(), terms: s.exports.imhofLastTerms() };
  });
}

/**
 * @internal Error ½·P₊(rule says −) + ½·P₋(rule says +) of the rule "+ iff Σ μₖ zₖ² > t", the
 * quadratic form having weights `wp` under class + and `wm` under class −.
 */
export function quadError(wp: Float64Array, wm: Float64Array, t: number, eps: number): { error: number; bound: number } {
  return scoped((s) => {
    const pp = s.f64(wp),
      pm = s.f64(wm);
    const error = s.exports.quadError(pp, wp.length, pm, wm.length, t, eps);
    return { error, bound: s.exports.imhofLastBound() };
  });
}

/** @internal The threshold t minimising quadError (scan, then golden section), with its error. */
export function quadThreshold(
  wp: Float64Array,
  wm: Float64Array,
  eps: number,
): { threshold: number; error: number; bound: number } {
  return scoped((s) => {
    const pp = s.f64(wp),
      pm = s.f64(wm),
      out = s.alloc(32);
    s.exports.quadThreshold(pp, wp.length, pm, wm.length, eps, out);
    const r = readF64(out, 3);
    return { threshold: r[0], error: r[1], bound: r[2] };
  });
}
