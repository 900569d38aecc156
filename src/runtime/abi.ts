// Typed view of the module's exports (assembly/index.ts). Pointers are byte offsets into
// `memory`; sizes and strides are element counts.

/** Signature of the GEMM kernels (dgemm: float64, sgemm: float32): one type, so the two cannot drift. */
export type Gemm = (
  m: number,
  n: number,
  k: number,
  a: number,
  rsa: number,
  csa: number,
  b: number,
  rsb: number,
  csb: number,
  c: number,
  ldc: number,
  accumulate: number,
) => void;

/** Arguments of the mixture sampler, shared by taskSampleMixture and taskMixtureBayesErrors (which draws the same sample). */
export type MixtureSample = [
  n: number,
  d: number,
  r: number,
  st: number,
  x: number,
  y: number,
  diag: number,
  u: number,
  sp: number,
  sm: number,
  work: number,
];

export interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  simdEnabled(): number;
  /** 1 in the relaxed-SIMD build (optional: absent from modules built before it existed). */
  fmaBuild?(): number;
  /** Threads builds (assembly/threads.ts; optional: absent from modules built before it existed). */
  threadsBuild?(): number;
  threadsControlBytes?(): number;
  gemmWorkBytes?(): number;
  threadLoop?(ctl: number, id: number, work: number): number;
  threadsExit?(ctl: number): void;
  /** C = op(A)·op(B) over the helper threads; args: 12 int32 (m n k a rsa csa b rsb csb c ldc accumulate). */
  gemmParallel?(ctl: number, f32: number, args: number): void;
  gemmArgsBytes?(): number;
  /** C (m×n, row stride ldc) = op(A)·op(B), or += when accumulate is 1; float64 (assembly/blas/gemm.ts). */
  dgemm: Gemm;
  /** Its float32 twin. */
  sgemm: Gemm;
  rngSeed(st: number, lo: number, hi: number): void;
  rngJump(st: number): void;
  rngNextU64(st: number, out: number, n: number): void;
  rngUniform(st: number, out: number, n: number): void;
  rngNormal(st: number, out: number, n: number, mean: number, std: number): void;
  rngExponential(st: number, out: number, n: number, scale: number): void;
  drowdot(n: number, d: number, a: number, lda: number, b: number, ldb: number, out: number): void;
  dquaddiag(n: number, d: number, x: number, ldx: number, diag: number, out: number): void;
  dscalerowsel(n: number, r: number, t: number, ldt: number, labels: number, sp: number, sm: number): void;
  dcentercols(n: number, m: number, a: number, lda: number, means: number): void;
  dscalerows(n: number, m: number, a: number, lda: number, v: number, out: number, ldo: number): void;
  dactivate(len: number, z: number, f: number, df: number, kind: number): void;
  dntfeatures(n: number, d: number, N: number, x: number, dd: number, out: number, ldo: number): void;
  mathLog(x: number): number;
  mathLog1p(x: number): number;
  mathExp(x: number): number;
  mathSin(x: number): number;
  mathCos(x: number): number;
  mathAsin(x: number): number;
  erfc(x: number): number;
  normalCdf(x: number): number;
  imhofCdf(w: number, r: number, c: number, eps: number): number;
  quadError(wp: number, rp: number, wm: number, rm: number, t: number, eps: number): number;
  quadThreshold(wp: number, rp: number, wm: number, rm: number, eps: number, out: number): void;
  imhofLastBound(): number;
  imhofLastTerms(): number;
  dsyev(n: number, s: number, w: number, v: number, work: number, wantz: number): number;
  dsyevWorkBytes(n: number, wantz: number): number;
  dpotrf(n: number, a: number, work: number, jitter: number): number;
  dpotrs(n: number, nrhs: number, l: number, b: number, work: number): void;
  dlogdetChol(n: number, l: number): number;
  dpotrfWorkBytes(n: number): number;
  dpotrsWorkBytes(nrhs: number): number;
  nnTrain(ctx: number, st: number, steps: number, losses: number): number;
  nnLossGrad(ctx: number): number;
  nnLearningRate(ctx: number, t: number): number;
  taskSampleQuadratic(
    n: number,
    d: number,
    st: number,
    x: number,
    y: number,
    diag: number,
    b: number,
    trace: number,
    noise: number,
    work: number,
    eps: number,
  ): void;
  taskMixtureFactors(r: number, delta: number, diag: number, sp: number, sm: number): void;
  taskSampleMixture(...args: MixtureSample): void;
  /** Draws the same sample, then counts how many "predict +1 iff Σₖ wₖ (uₖᵀx)² > threshold" misclassifies. */
  taskMixtureBayesErrors(...args: [...MixtureSample, w: number, threshold: number, q: number]): number;
}

/** Names every module build must export: checked at load, so a stale .wasm fails loudly. */
export const REQUIRED_EXPORTS: readonly (keyof Exports)[] = [
  "memory",
  "alloc",
  "free",
  "simdEnabled",
  "dgemm",
  "sgemm",
  "rngSeed",
  "rngJump",
  "rngNextU64",
  "rngUniform",
  "rngNormal",
  "rngExponential",
  "drowdot",
  "dquaddiag",
  "dscalerowsel",
  "dcentercols",
  "dscalerows",
  "dactivate",
  "dntfeatures",
  "mathLog",
  "mathLog1p",
  "mathExp",
  "mathSin",
  "mathCos",
  "mathAsin",
  "erfc",
  "normalCdf",
  "imhofCdf",
  "quadError",
  "quadThreshold",
  "imhofLastBound",
  "imhofLastTerms",
  "dsyev",
  "dsyevWorkBytes",
  "dpotrf",
  "dpotrs",
  "dlogdetChol",
  "dpotrfWorkBytes",
  "dpotrsWorkBytes",
  "nnTrain",
  "nnLossGrad",
  "nnLearningRate",
  "taskSampleQuadratic",
  "taskMixtureFactors",
  "taskSampleMixture",
  "taskMixtureBayesErrors",
];

/**
 * Throws unless the module was built from the same src/kernels/abi.ts as this bundle: every
 * constant there is also an exported global of the module (assembly/index.ts), compared by
 * name and value — a stale .wasm, or a slot renumbered on one side only, fails here.
 */
export function checkAbi(exports: Exports, abi: Readonly<Record<string, number>>): void {
  const ex = exports as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(abi)) {
    const g = ex[name];
    const got = g instanceof WebAssembly.Global ? (g.value as number) : undefined;
    if (got !== value) {
      throw new Error(
        `lazytrain: the WebAssembly module's ABI constant ${name} is ${got === undefined ? "missing" : got}, expected ${value} (stale .wasm?)`,
      );
    }
  }
}
