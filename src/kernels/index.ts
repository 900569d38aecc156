// The kernels layer: the only TypeScript (with the loader in src/runtime/) that calls the
// WebAssembly exports or handles heap offsets. Higher layers (linalg, random, regimes, tasks,
// theory, experiment) work on plain { rows, cols, data } matrices and call these by name.
//   heap.ts        HeapMatrix (pointer, shape, leading dimension, dtype, transposed view), scopes
//   blas.ts        gemm
//   lapack.ts      syev, potrf, potrs, logdetChol
//   random.ts      generator state in the heap, normal/uniform/exponential fills
//   elementwise.ts rowDot, quadDiag, scaleRowsBySign, centerColumns, scaleRows, activate, ntFeatures
//   math.ts        log, exp, sin, …, erfc, normalCdf (engine-independent bits)
// Internal to the package: every export is marked @internal (stripped from the .d.ts).

export * from "./heap.js";
export * from "./blas.js";
export * from "./lapack.js";
export * from "./random.js";
export * from "./elementwise.js";
export * as math from "./math.js";
