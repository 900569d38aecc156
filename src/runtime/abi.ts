// Typed view of the module's exports (assembly/index.ts). Pointers are byte offsets into
// `memory`; sizes and strides are element counts.

export interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  simdEnabled(): number;
  dgemm(m: number, n: number, k: number, a: number, rsa: number, csa: number,
    b: number, rsb: number, csb: number, c: number, ldc: number, accumulate: number): void;
  sgemm(m: number, n: number, k: number, a: number, rsa: number, csa: number,
    b: number, rsb: number, csb: number, c: number, ldc: number, accumulate: number): void;
  rngSeed(st: number, lo: number, hi: number): void;
  rngJump(st: number): void;
  rngNextU64(st: number, out: number, n: number): void;
  rngUniform(st: number, out: number, n: number): void;
  rngNormal(st: number, out: number, n: number, mean: number, std: number): void;
}

/** Names every module build must export: checked at load, so a stale .wasm fails loudly. */
export const REQUIRED_EXPORTS: readonly (keyof Exports)[] = [
  "memory", "alloc", "free", "simdEnabled", "dgemm", "sgemm",
  "rngSeed", "rngJump", "rngNextU64", "rngUniform", "rngNormal",
];
