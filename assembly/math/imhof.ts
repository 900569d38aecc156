// Distribution of a quadratic form of a Gaussian vector, Q = Σₖ μₖ zₖ², zₖ iid N(0, 1)
// (a weighted sum of χ²₁ variables; any xᵀMx with x ~ N(0, Σ) is one, with μ the eigenvalues
// of Σ^{1/2} M Σ^{1/2}), and the best threshold of the two-class rule sign(Q − t).
//
// CDF by inversion of the characteristic function φ(u) = Πₖ (1 − 2iμₖu)^{−1/2} (Gil-Pelaez):
//   P(Q < c) = ½ − (1/π) ∫₀^∞ Im[φ(u) e^{−iuc}] / u du,
// which is Imhof's (1961) integral ½ − (1/π)∫ sin θ(u) / (u ρ(u)) du with
// θ(u) = ½ Σ atan(2μₖu) − cu, ρ(u) = Π (1 + 4μₖ²u²)^{1/4}. It is evaluated as in Davies (1973,
// "Numerical inversion of a characteristic function", Biometrika 60; the method of his 1980
// algorithm AS 155 without its auxiliary convergence factor) by the midpoint rule with step h:
//   P(Q < c) ≈ ½ − Σ_{k≥0} Im[φ((k+½)h) e^{−i(k+½)hc}] / (π(k+½)),
// whose discretisation error is exactly an alternating sum of the aliased probabilities
// P(Q < c − 2πn/h) and P(Q > c + 2πn/h), n ≥ 1. We pick 2π/h ≥ |c − E Q| + L with L from the
// Laurent–Massart (2000) χ² tail bound applied to the positive and negative parts of μ
// (P(|Q − E Q| ≥ L) ≤ 4e^{−X}, X = 40), so the aliasing error is ≤ 4e^{−40} ≈ 2e-17.
// The series is truncated at K once the tail bound below is under `eps`: for u ≥ U each factor
// with 2|μₖ|U ≥ 1 obeys (1 + 4μₖ²u²)^{−1/4} ≤ (2|μₖ|U)^{−1/2} (U/u)^{1/2}, the other factors are
// ≤ 1, so with m such factors Σ_{k>K} |term| ≤ (1/π)·C·∫_K^∞ ((K+½)/(s+½))^{m/2} ds/(s+½)
// = 2C/(πm), C = Π (2|μₖ|U)^{−1/2}. Few weights (m ≤ 3) decay slowly; a term cap bounds the
// work and the achieved bound is reported. One weight is done in closed form (erfc).
//
// Everything here uses the module's own Math (atan, log1p, exp, sin): the same bits in every
// engine (NOTES-wasm.md), so the theory numbers built on it are deterministic.

import { erfc } from "./special";

const PI: f64 = 3.141592653589793;
const ALIAS_X: f64 = 40.0;
const MAX_TERMS: i32 = 4000000;
/** Up to this many weights the CDF uses the saddle-point contour (its series would be slow). */
const CONTOUR_MAX_WEIGHTS: i32 = 8;

function negateInto(w: usize, r: i32): void {
  for (let k = 0; k < r; k++) store<f64>(w + (<usize>k << 3), -load<f64>(w + (<usize>k << 3)));
}

// Results of the last imhofCdf call (read by imhofLastBound / imhofLastTerms).
let lastBound: f64 = 0.0;
let lastTerms: i32 = 0;

/** Truncation bound of the last imhofCdf / quadThreshold evaluation (max over its CDF calls). */
export function imhofLastBound(): f64 { return lastBound; }
/** Series terms used by the last imhofCdf call (largest over a quadThreshold search). */
export function imhofLastTerms(): i32 { return lastTerms; }


/**
 * P(Q > c) for c > 0 by the same inversion integral taken along a deformed path (Helstrom 1996,
 * "Calculating the distribution of quadratic forms via saddlepoint integration"): with the
 * moment generating function M(s) = Π (1 − 2μₖs)^{−1/2},
 *   P(Q > c) = (1/2πi) ∫_{σ−i∞}^{σ+i∞} M(s) e^{−sc} ds / s,  0 < σ < 1/(2 max μ₊),
 * and the vertical line may be bent into the parabola s(y) = σ₀ + a y² + iy (it crosses the real
 * axis only at σ₀; the branch cuts of M lie on the real axis), along which e^{−sc} decays like
 * e^{−c a y²}: the integrand is analytic and Gaussian-like, so the trapezoid rule converges
 * exponentially (Trefethen & Weideman 2014). σ₀ is the real saddle point of M(s)e^{−sc}/s
 * (bisection on the convex log), a = κ₂/(2c) with κ₂ the log's second derivative there. By
 * conjugate symmetry P(Q > c) = (1/π) ∫₀^∞ Im[K(s(y)) s′(y)] dy, K = M e^{−sc}/s; the step is
 * halved until two successive sums agree to eps/10.
 */
function upperTailContour(w: usize, r: i32, c: f64, cut: f64, eps: f64): f64 {
  let mpos: f64 = 0.0;
  for (let k = 0; k < r; k++) mpos = Math.max(mpos, load<f64>(w + (<usize>k << 3)));
  if (mpos <= cut) { lastBound = 0.0; lastTerms = 0; return 0.0; } // Q ≤ 0 < c
  const smax = 0.5 / mpos;
  // saddle point: d/ds log K = Σ μ/(1 − 2μs) − c − 1/s = 0 on (0, smax); increasing in s
  let lo: f64 = 0.0, hi: f64 = smax;
  for (let it = 0; it < 200; it++) {
    const s = 0.5 * (lo + hi);
    let g: f64 = -c - 1.0 / s;
    for (let k = 0; k < r; k++) {
      const m = load<f64>(w + (<usize>k << 3));
      if (Math.abs(m) <= cut) continue;
      g += m / (1.0 - 2.0 * m * s);
    }
    if (g < 0.0) lo = s; else hi = s;
    if (hi - lo <= 1e-15 * hi) break;
  }
  const s0 = 0.5 * (lo + hi);
  let k2: f64 = 1.0 / (s0 * s0);
  for (let k = 0; k < r; k++) {
    const m = load<f64>(w + (<usize>k << 3));
    if (Math.abs(m) <= cut) continue;
    const q = m / (1.0 - 2.0 * m * s0);
    k2 += 2.0 * q * q;
  }
  const a = k2 / (2.0 * c);
  let h: f64 = 0.5 / Math.sqrt(k2);
  // f(y) = Im[K(s) s′], s = s0 + a y² + iy, s′ = 2ay + i
  let total: f64 = 0.5 * integrandAt(w, r, c, cut, s0, a, 0.0);
  // first pass: all points kh, k ≥ 1, until negligible
  for (let k = 1; k < 1000000; k++) {
    const f = integrandAt(w, r, c, cut, s0, a, <f64>k * h);
    total += f;
    if (Math.abs(f) < 1e-20 && <f64>k * h * Math.sqrt(k2) > 1.0) break;
  }
  let prev = total * h;
  lastTerms = 0;
  for (let level = 0; level < 30; level++) {
    // halve h: add the midpoints
    let add: f64 = 0.0;
    for (let k = 0; k < 2000000; k++) {
      const y = (<f64>k + 0.5) * h;
      const f = integrandAt(w, r, c, cut, s0, a, y);
      add += f;
      lastTerms++;
      if (Math.abs(f) < 1e-20 && y * Math.sqrt(k2) > 1.0) break;
    }
    total += add;
    h *= 0.5;
    const cur = total * h;
    const diff = Math.abs(cur - prev);
    prev = cur;
    if (diff < 0.1 * eps) { lastBound = diff; return cur / PI; }
  }
  lastBound = 1.0;
  return prev / PI;
}

function integrandAt(w: usize, r: i32, c: f64, cut: f64, s0: f64, a: f64, y: f64): f64 {
  const sr = s0 + a * y * y, si = y;
  // log M(s) = −½ Σ log(1 − 2μs), principal branch (continuous on y ≥ 0: Im(1 − 2μs) keeps its sign)
  let lre: f64 = -c * sr, lim: f64 = -c * si;
  for (let k = 0; k < r; k++) {
    const m = load<f64>(w + (<usize>k << 3));
    if (Math.abs(m) <= cut) continue;
    const zr = 1.0 - 2.0 * m * sr, zi = -2.0 * m * si;
    lre -= 0.25 * Math.log(zr * zr + zi * zi);
    lim -= 0.5 * Math.atan2(zi, zr);
  }
  // K·s′ = exp(lre + i lim) · (2ay + i) / s
  const den = sr * sr + si * si;
  const qr = (2.0 * a * y * sr + si) / den, qi = (sr - 2.0 * a * y * si) / den; // (2ay + i)/s
  const mod = Math.exp(lre);
  return mod * (Math.sin(lim) * qr + Math.cos(lim) * qi);
}

/**
 * P(Σₖ μₖ zₖ² < c) for the r weights at `w` (f64). Weights with |μ| ≤ 1e-15·max|μ| are
 * ignored (their total effect is below the rounding of Q). `eps`: truncation tolerance.
 */
export function imhofCdf(w: usize, r: i32, c: f64, eps: f64): f64 {
  let amax: f64 = 0.0;
  for (let k = 0; k < r; k++) amax = Math.max(amax, Math.abs(load<f64>(w + (<usize>k << 3))));
  if (!(amax > 0.0)) { lastBound = 0.0; lastTerms = 0; return c > 0.0 ? 1.0 : 0.0; }
  const cut = 1e-15 * amax;
  let mean: f64 = 0.0, s2p: f64 = 0.0, s2m: f64 = 0.0, count: i32 = 0, single: f64 = 0.0;
  for (let k = 0; k < r; k++) {
    const m = load<f64>(w + (<usize>k << 3));
    if (Math.abs(m) <= cut) continue;
    count++;
    single = m;
    mean += m;
    if (m > 0) s2p += m * m; else s2m += m * m;
  }
  if (count == 1) {
    // P(μz² < c) = P(z² < c/μ) (μ > 0) or P(z² > c/μ) (μ < 0); P(z² < a) = 1 − erfc(√(a/2)).
    lastBound = 0.0; lastTerms = 0;
    const a = c / single;
    if (single > 0) return a <= 0.0 ? 0.0 : 1.0 - erfc(Math.sqrt(0.5 * a));
    return a <= 0.0 ? 1.0 : erfc(Math.sqrt(0.5 * a));
  }
  if (count <= CONTOUR_MAX_WEIGHTS && c != 0.0) {
    // few weights: the series below decays like (K)^{−count/2}; the saddle-point contour does not
    if (c > 0.0) return 1.0 - upperTailContour(w, r, c, cut, eps);
    negateInto(w, r);
    const p = upperTailContour(w, r, -c, cut, eps);
    negateInto(w, r);
    return p;
  }
  // Laurent–Massart on each sign part: P(Q₊ − EQ₊ ≥ 2‖μ₊‖√X + 2‖μ‖∞X) ≤ e^{−X}, and the same
  // for the lower tail (which needs only 2‖μ₊‖√X); together |Q − EQ| ≥ L has probability ≤ 4e^{−X}.
  const L = 2.0 * (Math.sqrt(s2p) + Math.sqrt(s2m)) * Math.sqrt(ALIAS_X) + 2.0 * amax * ALIAS_X;
  const span = Math.abs(c - mean) + L;
  const h = 2.0 * PI / span;
  let sum: f64 = 0.0;
  let bound: f64 = 1.0;
  let k: i32 = 0;
  for (; k < MAX_TERMS; k++) {
    const kh = <f64>k + 0.5;
    const u = kh * h;
    let theta: f64 = -u * c;
    let logMod: f64 = 0.0;
    for (let j = 0; j < r; j++) {
      const m = load<f64>(w + (<usize>j << 3));
      if (Math.abs(m) <= cut) continue;
      const x = 2.0 * m * u;
      theta += 0.5 * Math.atan(x);
      logMod -= 0.25 * Math.log1p(x * x);
    }
    sum += Math.exp(logMod) * Math.sin(theta) / (PI * kh);
    // tail bound after this term (checked every 8 terms: it costs as much as a term)
    if ((k & 7) == 7 || k < 8) {
      let logC: f64 = 0.0, mcount: i32 = 0;
      for (let j = 0; j < r; j++) {
        const m = Math.abs(load<f64>(w + (<usize>j << 3)));
        if (m <= cut) continue;
        const x = 2.0 * m * u;
        if (x >= 1.0) { logC -= 0.5 * Math.log(x); mcount++; }
      }
      if (mcount > 0) {
        bound = 2.0 * Math.exp(logC) / (PI * <f64>mcount);
        if (bound < eps) { k++; break; }
      }
    }
  }
  lastBound = bound;
  lastTerms = k;
  const p = 0.5 - sum;
  return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

/** ½·P₊(Q < t) + ½·P₋(Q ≥ t): the 0-1 error of "predict + iff Q ≥ t" with equal priors. */
export function quadError(wp: usize, rp: i32, wm: usize, rm: i32, t: f64, eps: f64): f64 {
  const fp = imhofCdf(wp, rp, t, eps);
  const bp = lastBound, np = lastTerms;
  const fm = imhofCdf(wm, rm, t, eps);
  lastBound = Math.max(bp, lastBound);
  lastTerms = max(np, lastTerms);
  return 0.5 * fp + 0.5 * (1.0 - fm);
}

/**
 * The threshold t minimising quadError over t (Q's weights μ₊ under class +, μ₋ under class −):
 * a 65-point scan of [min mean − 3 sd, max mean + 3 sd] (sd of Q under either class), then
 * golden-section search (Kiefer 1953) on the two cells around the best grid point down to a
 * bracket of 1e-12 of the scan's range. Writes [t, error, max truncation bound, evaluations]
 * at `out`.
 */
export function quadThreshold(wp: usize, rp: i32, wm: usize, rm: i32, eps: f64, out: usize): void {
  let mp: f64 = 0.0, vp: f64 = 0.0, mm: f64 = 0.0, vm: f64 = 0.0;
  for (let k = 0; k < rp; k++) { const m = load<f64>(wp + (<usize>k << 3)); mp += m; vp += 2.0 * m * m; }
  for (let k = 0; k < rm; k++) { const m = load<f64>(wm + (<usize>k << 3)); mm += m; vm += 2.0 * m * m; }
  const sd = Math.sqrt(Math.max(vp, vm));
  const lo = Math.min(mp, mm) - 3.0 * sd, hi = Math.max(mp, mm) + 3.0 * sd;
  const G: i32 = 64;
  const step = (hi - lo) / <f64>G;
  let best: i32 = 0, bestE: f64 = Infinity, worst: f64 = 0.0, evals: i32 = 0;
  for (let i = 0; i <= G; i++) {
    const e = quadError(wp, rp, wm, rm, lo + <f64>i * step, eps);
    worst = Math.max(worst, lastBound);
    evals++;
    if (e < bestE) { bestE = e; best = i; }
  }
  if (!(step > 0.0)) {
    store<f64>(out, lo); store<f64>(out + 8, bestE); store<f64>(out + 16, worst); store<f64>(out + 24, <f64>evals);
    return;
  }
  let a = lo + <f64>max(best - 1, 0) * step, b = lo + <f64>min(best + 1, G) * step;
  const g: f64 = 0.6180339887498949; // (√5 − 1)/2
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  let f1 = quadError(wp, rp, wm, rm, x1, eps); worst = Math.max(worst, lastBound);
  let f2 = quadError(wp, rp, wm, rm, x2, eps); worst = Math.max(worst, lastBound);
  evals += 2;
  const tol = 1e-12 * (hi - lo);
  while (b - a > tol && evals < 400) {
    if (f1 <= f2) {
      b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a);
      f1 = quadError(wp, rp, wm, rm, x1, eps);
    } else {
      a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a);
      f2 = quadError(wp, rp, wm, rm, x2, eps);
    }
    worst = Math.max(worst, lastBound);
    evals++;
  }
  let t = f1 <= f2 ? x1 : x2, e = f1 <= f2 ? f1 : f2;
  if (bestE < e) { t = lo + <f64>best * step; e = bestE; }
  store<f64>(out, t);
  store<f64>(out + 8, e);
  store<f64>(out + 16, worst);
  store<f64>(out + 24, <f64>evals);
}
