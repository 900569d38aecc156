// High-dimensional limits of the normalised risks, N/d → ρ (docs/theory.md §5).

import { checkFinite, describe } from "../runtime/errors.js";
import { log, sin } from "../kernels/math.js";

const pos = (x: number) => (x > 0 ? x : 0);

/**
 * @internal
 * Σ of the k largest λᵢ² (k may be fractional: the last one counts with weight k − ⌊k⌋;
 * k beyond the length takes them all), summed in descending order.
 */
export function largestSquares(values: ArrayLike<number>, k: number): number {
  const sq = Array.from(values, (x) => x * x).sort((p, q) => q - p);
  const keep = Math.min(k, sq.length);
  const whole = Math.floor(keep);
  let s = 0;
  for (let i = 0; i < whole; i++) s += sq[i];
  if (whole < sq.length) s += (keep - whole) * sq[whole];
  return s;
}

/** RF: 1 − κρ/(1 + ρ) — RF learns only a ρ/(1+ρ) share of the isotropic part while N = O(d). */
export function limitRF(kappa: number, rho: number): number {
  checkFinite("kappa", kappa, 0, 1);
  checkFinite("rho", rho, 0);
  return 1 - (kappa * rho) / (1 + rho);
}

/** NT: (1 − ρ)₊² + κρ(1 − ρ)₊. */
export function limitNT(kappa: number, rho: number): number {
  checkFinite("kappa", kappa, 0, 1);
  checkFinite("rho", rho, 0);
  const r = pos(1 - rho);
  return r * r + kappa * rho * r;
}

export type LimitSpectrum = "exponential" | "semicircle" | Float64Array;

/**
 * NN: E[λ² 1{|λ| < t}] / E[λ²] with P(|λ| > t) = ρ (the network keeps the ρ-tail of the
 * spectrum; Eckart–Young). Closed forms:
 * - "exponential" (λ ~ Exp(1)): t = ln(1/ρ), R/R0 = 1 − ρ(t² + 2t + 2)/2 for ρ ≤ 1, 0 beyond.
 * - "semicircle" (density √(4 − λ²)/(2π) on [−2, 2]): with λ = 2 sin θ and a = asin(t/2),
 *   P(|λ| < t) = (2/π)(a + sin a cos a) and E[λ² 1{|λ|<t}] = (2/π)(a − sin(4a)/4); a is found
 *   by bisection to full double precision.
 * - a Float64Array: an empirical spectrum (e.g. the eigenvalues of B): the normalised tail after
 *   removing the ⌊ρ·n⌋ eigenvalues of largest |λ|, linearly interpolated in ρ·n.
 */
export function limitNN(spectrum: LimitSpectrum, rho: number): number {
  checkFinite("rho", rho, 0);
  if (spectrum === "exponential") {
    if (rho >= 1) return 0;
    if (rho === 0) return 1;
    const t = log(1 / rho);
    return 1 - (rho * (t * t + 2 * t + 2)) / 2;
  }
  if (spectrum === "semicircle") {
    if (rho >= 1) return 0;
    if (rho === 0) return 1;
    // find a ∈ (0, π/2) with 1 − (2/π)(a + sin a cos a) = ρ, i.e. a + sin(2a)/2 = (π/2)(1 − ρ)
    const target = (Math.PI / 2) * (1 - rho);
    let lo = 0,
      hi = Math.PI / 2;
    for (let i = 0; i < 200 && hi - lo > 0; i++) {
      const mid = 0.5 * (lo + hi);
      if (mid === lo || mid === hi) break;
      if (mid + sin(2 * mid) / 2 < target) lo = mid;
      else hi = mid;
    }
    const a = 0.5 * (lo + hi);
    return (2 / Math.PI) * (a - sin(4 * a) / 4);
  }
  if (spectrum instanceof Float64Array) {
    const n = spectrum.length;
    if (n === 0) throw new RangeError("spectrum must not be empty");
    let total = 0;
    for (let i = 0; i < n; i++) total += checkFinite(`spectrum[${i}]`, spectrum[i]) * spectrum[i];
    if (total === 0) return 0;
    return pos(total - largestSquares(spectrum, rho * n)) / total;
  }
  throw new TypeError(`spectrum must be "exponential", "semicircle" or a Float64Array, got ${describe(spectrum)}`);
}
