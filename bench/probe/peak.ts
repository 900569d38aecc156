// Register-only WASM SIMD peak probe: the core's f64x2 / f32x4 multiply and add throughput
// under this engine, with no memory traffic. 5 independent multiply chains and 5 independent
// add chains run interleaved (x64 FP mul/add: latency ≈4 cycles, 2 issued per cycle, so ≥8
// chains in flight saturate both ports). Mul and add are separate instructions, as in the GEMM
// micro-kernels (no relaxed FMA). Returns a value so nothing is optimised away.

export function peakF64(iters: i32): f64 {
  const m = f64x2.splat(0.9999999);
  const x = f64x2.splat(1e-9);
  let p0 = f64x2.splat(1.0), s0 = f64x2.splat(0.0);
  let p1 = f64x2.splat(1.1), s1 = f64x2.splat(0.1);
  let p2 = f64x2.splat(1.2), s2 = f64x2.splat(0.2);
  let p3 = f64x2.splat(1.3), s3 = f64x2.splat(0.3);
  let p4 = f64x2.splat(1.4), s4 = f64x2.splat(0.4);
  for (let i = 0; i < iters; i++) {
    p0 = f64x2.mul(p0, m);
    s0 = f64x2.add(s0, x);
    p1 = f64x2.mul(p1, m);
    s1 = f64x2.add(s1, x);
    p2 = f64x2.mul(p2, m);
    s2 = f64x2.add(s2, x);
    p3 = f64x2.mul(p3, m);
    s3 = f64x2.add(s3, x);
    p4 = f64x2.mul(p4, m);
    s4 = f64x2.add(s4, x);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(p0, p1), p2), p3), p4), s0), s1), s2), s3), s4);
  return <f64>f64x2.extract_lane(s, 0) + <f64>f64x2.extract_lane(s, 1);
}

/** flops per iteration of peakF64: 10 chains × 2 lanes. */
export const FLOPS_PER_ITER_F64: i32 = 20;

export function peakF32(iters: i32): f64 {
  const m = f32x4.splat(0.9999999);
  const x = f32x4.splat(1e-9);
  let p0 = f32x4.splat(1.0), s0 = f32x4.splat(0.0);
  let p1 = f32x4.splat(1.1), s1 = f32x4.splat(0.1);
  let p2 = f32x4.splat(1.2), s2 = f32x4.splat(0.2);
  let p3 = f32x4.splat(1.3), s3 = f32x4.splat(0.3);
  let p4 = f32x4.splat(1.4), s4 = f32x4.splat(0.4);
  for (let i = 0; i < iters; i++) {
    p0 = f32x4.mul(p0, m);
    s0 = f32x4.add(s0, x);
    p1 = f32x4.mul(p1, m);
    s1 = f32x4.add(s1, x);
    p2 = f32x4.mul(p2, m);
    s2 = f32x4.add(s2, x);
    p3 = f32x4.mul(p3, m);
    s3 = f32x4.add(s3, x);
    p4 = f32x4.mul(p4, m);
    s4 = f32x4.add(s4, x);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(p0, p1), p2), p3), p4), s0), s1), s2), s3), s4);
  return <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) + <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
}

/** flops per iteration of peakF32: 10 chains × 4 lanes. */
export const FLOPS_PER_ITER_F32: i32 = 40;

