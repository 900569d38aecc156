// Scalar special functions for the theory module. They run here, not in JS, because
// JS engines disagree in the last bit of Math.log/exp/sin/… (NOTES-wasm.md); AssemblyScript's
// Math is compiled into the module and gives the same bits in every engine.

export function mathLog(x: f64): f64 { return Math.log(x); }
export function mathLog1p(x: f64): f64 { return Math.log1p(x); }
export function mathExp(x: f64): f64 { return Math.exp(x); }
export function mathSin(x: f64): f64 { return Math.sin(x); }
export function mathCos(x: f64): f64 { return Math.cos(x); }
export function mathAsin(x: f64): f64 { return Math.asin(x); }

const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const INV_SQRT_PI: f64 = 0.5641895835477563;

/**
 * Complementary error function erfc(x) = 2/√π ∫ₓ^∞ e^{−t²} dt.
 * |x| < 2: Maclaurin series of erf, erfc = 1 − erf (absolute error ≲ 1e-16, relative ≲ 1e-13
 * since erfc(2) ≈ 4.7e-3). x ≥ 2: Laplace continued fraction
 * erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) evaluated by the modified
 * Lentz method (Numerical Recipes §5.2) to relative 1e-16. erfc(x) = 2 − erfc(−x) for x < 0.
 */
export function erfc(x: f64): f64 {
  if (isNaN(x)) return x;
  if (x < 0) return 2.0 - erfc(-x);
  if (x < 2.0) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n+1))
    const x2 = x * x;
    let term = x; // (−1)ⁿ x^{2n+1} / n!
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / <f64>n;
      const t = term / <f64>(2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return 1.0 - TWO_OVER_SQRT_PI * sum;
  }
  if (x > 27.3) return 0.0; // e^{−x²} underflows
  // Continued fraction K(aₖ / x) with a₀ = 1, aₖ = k/2 (modified Lentz).
  const tiny: f64 = 1e-300;
  let f = x;
  let c = x;
  let d: f64 = 0.0;
  for (let k = 1; k < 500; k++) {
    const a = <f64>k * 0.5;
    d = x + a * d;
    if (d == 0.0) d = tiny;
    c = x + a / c;
    if (c == 0.0) c = tiny;
    d = 1.0 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1.0) < 1e-16) break;
  }
  return Math.exp(-x * x) * INV_SQRT_PI / f;
}

/** Standard normal CDF Φ(x) = erfc(−x/√2)/2. */
export function normalCdf(x: f64): f64 {
  return 0.5 * erfc(-x * 0.7071067811865476);
}
