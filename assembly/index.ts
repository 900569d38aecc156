// The WASM ABI of lazytrain: pointers (byte offsets into this module's memory) and integers
// only. The TypeScript side (src/) validates, allocates and wraps; nothing here knows JS types.
export { alloc, free, simdEnabled, fmaBuild } from "./memory";
export { dgemm, sgemm, gemmWorkBytes } from "./blas/gemm";
export { threadLoop, gemmParallel, gemmArgsBytes, threadsBuild, threadsControlBytes, threadsExit } from "./threads";
export { rngSeed, rngJump, rngNextU64, rngUniform, rngNormal, rngExponential } from "./random/xoshiro";
export { drowdot, dquaddiag, dscalerowsel, dcentercols, dscalerows, dntfeatures } from "./blas/level1";
export { dactivate } from "./nn/activation";
export { mathLog, mathLog1p, mathExp, mathSin, mathCos, mathAsin, erfc, normalCdf } from "./math/special";
export { dsyev, dsyevWorkBytes } from "./lapack/syev";
export { dpotrf, dpotrs, dlogdetChol, dpotrfWorkBytes, dpotrsWorkBytes } from "./lapack/potrf";
export { nnTrain, nnLossGrad, nnLearningRate } from "./nn/train";
export { taskSampleQuadratic } from "./tasks/quadratic";
export { taskMixtureFactors, taskSampleMixture, taskMixtureBayesErrors } from "./tasks/mixture";
// The shared constants (slot indices, enum codes) as exported immutable globals, so the
// TypeScript side can check that a module was built from the same src/kernels/abi.ts.
export * from "../src/kernels/abi";
export { imhofCdf, quadError, quadThreshold, imhofLastBound, imhofLastTerms } from "./math/imhof";
