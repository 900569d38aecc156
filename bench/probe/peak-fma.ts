// Register-only WASM relaxed-SIMD FMA peak probe: the core's f64x2 / f32x4 `relaxed_madd`
// throughput under this engine, with no memory traffic in the loop — the ceiling of the
// relaxed-SIMD build (init({ fma: true })), whose GEMM micro-kernels use relaxed_madd. The
// companion of bench/probe/peak.ts (mul + add, the plain SIMD build's ceiling); compiled as a
// separate module because a module with relaxed-SIMD instructions fails to compile where the
// engine lacks relaxed SIMD (Node 20 without --experimental-wasm-relaxed-simd, which the bench
// sets through lazytrain's init({ fma: true }) before loading this).
//
// Design, after peak.ts: 12 independent accumulator chains a ← a·m + x. On x64 V8 lowers
// relaxed_madd to vfmadd (latency ≈ 4 cycles, 2 ports), so ≥ 8 chains in flight are needed;
// 12 chains + the 2 operands = 14 XMM registers, inside the 15 V8 allocates (no spills).
// Operands pass through memory so V8 does not re-splat them in the loop; the body is unrolled
// 4× by hand. Where the engine does not fuse (relaxed_madd may be mul + add), the probe reads
// that engine's relaxed ceiling, which is the point. Each relaxed_madd counts as 2 flops per
// lane. Call as peakF64Fma(iters, 0.9999999, 1e-9): a → x/(1−m), finite and far from subnormal.

const BUF = memory.data(32, 16);

export function peakF64Fma(iters: i32, mul: f64, add: f64): f64 {
  v128.store(BUF, f64x2.splat(mul));
  v128.store(BUF, f64x2.splat(add), 16);
  const m = v128.load(BUF);
  const x = v128.load(BUF, 16);
  let a0 = f64x2.splat(1.00);
  let a1 = f64x2.splat(1.05);
  let a2 = f64x2.splat(1.10);
  let a3 = f64x2.splat(1.15);
  let a4 = f64x2.splat(1.20);
  let a5 = f64x2.splat(1.25);
  let a6 = f64x2.splat(1.30);
  let a7 = f64x2.splat(1.35);
  let a8 = f64x2.splat(1.40);
  let a9 = f64x2.splat(1.45);
  let a10 = f64x2.splat(1.50);
  let a11 = f64x2.splat(1.55);
  for (let i = 0; i < iters; i++) {
    // ×4 by hand (binaryen does not unroll it)
    a0 = f64x2.relaxed_madd(a0, m, x);
    a1 = f64x2.relaxed_madd(a1, m, x);
    a2 = f64x2.relaxed_madd(a2, m, x);
    a3 = f64x2.relaxed_madd(a3, m, x);
    a4 = f64x2.relaxed_madd(a4, m, x);
    a5 = f64x2.relaxed_madd(a5, m, x);
    a6 = f64x2.relaxed_madd(a6, m, x);
    a7 = f64x2.relaxed_madd(a7, m, x);
    a8 = f64x2.relaxed_madd(a8, m, x);
    a9 = f64x2.relaxed_madd(a9, m, x);
    a10 = f64x2.relaxed_madd(a10, m, x);
    a11 = f64x2.relaxed_madd(a11, m, x);
    a0 = f64x2.relaxed_madd(a0, m, x);
    a1 = f64x2.relaxed_madd(a1, m, x);
    a2 = f64x2.relaxed_madd(a2, m, x);
    a3 = f64x2.relaxed_madd(a3, m, x);
    a4 = f64x2.relaxed_madd(a4, m, x);
    a5 = f64x2.relaxed_madd(a5, m, x);
    a6 = f64x2.relaxed_madd(a6, m, x);
    a7 = f64x2.relaxed_madd(a7, m, x);
    a8 = f64x2.relaxed_madd(a8, m, x);
    a9 = f64x2.relaxed_madd(a9, m, x);
    a10 = f64x2.relaxed_madd(a10, m, x);
    a11 = f64x2.relaxed_madd(a11, m, x);
    a0 = f64x2.relaxed_madd(a0, m, x);
    a1 = f64x2.relaxed_madd(a1, m, x);
    a2 = f64x2.relaxed_madd(a2, m, x);
    a3 = f64x2.relaxed_madd(a3, m, x);
    a4 = f64x2.relaxed_madd(a4, m, x);
    a5 = f64x2.relaxed_madd(a5, m, x);
    a6 = f64x2.relaxed_madd(a6, m, x);
    a7 = f64x2.relaxed_madd(a7, m, x);
    a8 = f64x2.relaxed_madd(a8, m, x);
    a9 = f64x2.relaxed_madd(a9, m, x);
    a10 = f64x2.relaxed_madd(a10, m, x);
    a11 = f64x2.relaxed_madd(a11, m, x);
    a0 = f64x2.relaxed_madd(a0, m, x);
    a1 = f64x2.relaxed_madd(a1, m, x);
    a2 = f64x2.relaxed_madd(a2, m, x);
    a3 = f64x2.relaxed_madd(a3, m, x);
    a4 = f64x2.relaxed_madd(a4, m, x);
    a5 = f64x2.relaxed_madd(a5, m, x);
    a6 = f64x2.relaxed_madd(a6, m, x);
    a7 = f64x2.relaxed_madd(a7, m, x);
    a8 = f64x2.relaxed_madd(a8, m, x);
    a9 = f64x2.relaxed_madd(a9, m, x);
    a10 = f64x2.relaxed_madd(a10, m, x);
    a11 = f64x2.relaxed_madd(a11, m, x);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7))), f64x2.add(f64x2.add(a8, a9), f64x2.add(a10, a11)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** flops per iteration of peakF64Fma: 4 × 12 chains × 2 lanes × 2 (multiply and add). */
export const FLOPS_PER_ITER_F64_FMA: i32 = 192;

export function peakF32Fma(iters: i32, mul: f64, add: f64): f64 {
  v128.store(BUF, f32x4.splat(<f32>mul));
  v128.store(BUF, f32x4.splat(<f32>add), 16);
  const m = v128.load(BUF);
  const x = v128.load(BUF, 16);
  let a0 = f32x4.splat(<f32>1.00);
  let a1 = f32x4.splat(<f32>1.05);
  let a2 = f32x4.splat(<f32>1.10);
  let a3 = f32x4.splat(<f32>1.15);
  let a4 = f32x4.splat(<f32>1.20);
  let a5 = f32x4.splat(<f32>1.25);
  let a6 = f32x4.splat(<f32>1.30);
  let a7 = f32x4.splat(<f32>1.35);
  let a8 = f32x4.splat(<f32>1.40);
  let a9 = f32x4.splat(<f32>1.45);
  let a10 = f32x4.splat(<f32>1.50);
  let a11 = f32x4.splat(<f32>1.55);
  for (let i = 0; i < iters; i++) {
    // ×4 by hand (binaryen does not unroll it)
    a0 = f32x4.relaxed_madd(a0, m, x);
    a1 = f32x4.relaxed_madd(a1, m, x);
    a2 = f32x4.relaxed_madd(a2, m, x);
    a3 = f32x4.relaxed_madd(a3, m, x);
    a4 = f32x4.relaxed_madd(a4, m, x);
    a5 = f32x4.relaxed_madd(a5, m, x);
    a6 = f32x4.relaxed_madd(a6, m, x);
    a7 = f32x4.relaxed_madd(a7, m, x);
    a8 = f32x4.relaxed_madd(a8, m, x);
    a9 = f32x4.relaxed_madd(a9, m, x);
    a10 = f32x4.relaxed_madd(a10, m, x);
    a11 = f32x4.relaxed_madd(a11, m, x);
    a0 = f32x4.relaxed_madd(a0, m, x);
    a1 = f32x4.relaxed_madd(a1, m, x);
    a2 = f32x4.relaxed_madd(a2, m, x);
    a3 = f32x4.relaxed_madd(a3, m, x);
    a4 = f32x4.relaxed_madd(a4, m, x);
    a5 = f32x4.relaxed_madd(a5, m, x);
    a6 = f32x4.relaxed_madd(a6, m, x);
    a7 = f32x4.relaxed_madd(a7, m, x);
    a8 = f32x4.relaxed_madd(a8, m, x);
    a9 = f32x4.relaxed_madd(a9, m, x);
    a10 = f32x4.relaxed_madd(a10, m, x);
    a11 = f32x4.relaxed_madd(a11, m, x);
    a0 = f32x4.relaxed_madd(a0, m, x);
    a1 = f32x4.relaxed_madd(a1, m, x);
    a2 = f32x4.relaxed_madd(a2, m, x);
    a3 = f32x4.relaxed_madd(a3, m, x);
    a4 = f32x4.relaxed_madd(a4, m, x);
    a5 = f32x4.relaxed_madd(a5, m, x);
    a6 = f32x4.relaxed_madd(a6, m, x);
    a7 = f32x4.relaxed_madd(a7, m, x);
    a8 = f32x4.relaxed_madd(a8, m, x);
    a9 = f32x4.relaxed_madd(a9, m, x);
    a10 = f32x4.relaxed_madd(a10, m, x);
    a11 = f32x4.relaxed_madd(a11, m, x);
    a0 = f32x4.relaxed_madd(a0, m, x);
    a1 = f32x4.relaxed_madd(a1, m, x);
    a2 = f32x4.relaxed_madd(a2, m, x);
    a3 = f32x4.relaxed_madd(a3, m, x);
    a4 = f32x4.relaxed_madd(a4, m, x);
    a5 = f32x4.relaxed_madd(a5, m, x);
    a6 = f32x4.relaxed_madd(a6, m, x);
    a7 = f32x4.relaxed_madd(a7, m, x);
    a8 = f32x4.relaxed_madd(a8, m, x);
    a9 = f32x4.relaxed_madd(a9, m, x);
    a10 = f32x4.relaxed_madd(a10, m, x);
    a11 = f32x4.relaxed_madd(a11, m, x);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) +
    <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
}

/** flops per iteration of peakF32Fma: 4 × 12 chains × 4 lanes × 2 (multiply and add). */
export const FLOPS_PER_ITER_F32_FMA: i32 = 384;
