// The WASM ABI of lazytrain: pointers (byte offsets into this module's memory) and integers
// only. The TypeScript side (src/) validates, allocates and wraps; nothing here knows JS types.
export { alloc, free, simdEnabled } from "./memory";
export { dgemm, sgemm } from "./blas/gemm";
export { rngSeed, rngJump, rngNextU64, rngUniform, rngNormal } from "./random/xoshiro";
