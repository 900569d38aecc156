// Independent references for the tests: slow, obvious code with no shared logic with the kernels.

/** C = op(A)·op(B) by the textbook triple loop in float64, plus |op(A)|·|op(B)| for error bounds. */
export function refMatmul(a, b, transA = false, transB = false) {
  const m = transA ? a.cols : a.rows,
    k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const A = (i, p) => (transA ? a.data[p * a.cols + i] : a.data[i * a.cols + p]);
  const B = (p, j) => (transB ? b.data[j * b.cols + p] : b.data[p * b.cols + j]);
  const c = new Float64Array(m * n),
    abs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0,
        t = 0;
      for (let p = 0; p < k; p++) {
        const x = A(i, p) * B(p, j);
        s += x;
        t += Math.abs(x);
      }
      c[i * n + j] = s;
      abs[i * n + j] = t;
    }
  }
  return { m, n, k, c, abs };
}

/**
 * Higham's a-priori bound for recursive summation of a dot product of length k in precision u:
 * |fl(x·y) − x·y| ≤ γ_k |x|·|y|, γ_k = k·u / (1 − k·u) (Accuracy and Stability, Thm 3.1/§3.5).
 * Any summation order (blocked or not) satisfies it. The float64 reference itself errs by at
 * most γ_k(2⁻⁵³)|x||y|, so tests allow the sum of the two.
 */
export function gamma(k, u) {
  return (k * u) / (1 - k * u);
}

/** SHA-256 hex of a typed array's bytes (bit-identity checks). */
export async function digest(arr) {
  const { createHash } = await import('node:crypto');
  return createHash('sha256')
    .update(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength))
    .digest('hex');
}

/** A small deterministic generator for test inputs, independent of the library's RNG (mulberry32). */
export function testStream(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {number} rows @param {number} cols @param {number} seed @param {Float64ArrayConstructor | Float32ArrayConstructor} [Ctor] */
export function randomMatrix(rows, cols, seed, Ctor = Float64Array) {
  const r = testStream(seed);
  const data = new Ctor(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 2 * r() - 1;
  return { rows, cols, data };
}

/** Standard normal CDF via erfc (W. J. Cody's rational approximations would be overkill here:
 *  Abramowitz & Stegun 7.1.26 errs by < 1.5e-7, far below the KS thresholds used). */
export function normalCdf(x) {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-z * z);
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/** Kolmogorov–Smirnov statistic D_n = sup |F_n − F| of a sample against a continuous CDF. */
export function ksStatistic(sample, cdf) {
  const x = Float64Array.from(sample).sort();
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/** Critical value of D_n at level alpha (asymptotic Kolmogorov distribution, n large). */
export function ksCritical(n, alpha) {
  return Math.sqrt(-Math.log(alpha / 2) / (2 * n));
}
