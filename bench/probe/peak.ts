// Register-only WASM SIMD peak probe: the core's f64x2 / f32x4 multiply and add throughput
// under this engine, with no memory traffic in the loop. Mul and add are separate
// instructions, as in the GEMM micro-kernels (no relaxed FMA). Returns a value so nothing is
// optimised away.
//
// Design (checked against V8's machine code, `node --print-wasm-code`, and by sweeping the
// chain counts on this machine):
// - 6 independent multiply chains + 6 independent add chains. A chain is latency-bound
//   (mulpd ≈ 4 cycles), so the number of chains in flight must cover latency × issue rate.
//   On this core (Golden/Raptor Cove class) 128-bit mul issues on 2 ports and add on 3 (the
//   FMA units plus a fast adder), and the mixed mul+add rate tops out near 3 vector ops per
//   cycle: that needs ≥ 6 mul chains. The previous 5 + 5 design was latency-bound (10 ops
//   per 4-cycle mul latency = 2.5/cycle) and read ~10–15 % under the real peak, so a good
//   GEMM could "beat" it.
// - 12 chains + the 2 operand vectors = 14 XMM registers, inside the 15 V8 allocates on x64
//   (xmm15 is its scratch): no spills. 7 + 7 = 16 makes V8 reload an operand from the stack
//   every iteration; 8 + 8 is slower still.
// - The operands come in as arguments and pass through memory, because V8 (11.3) otherwise
//   re-materialises a constant splat (mov imm; movq; punpcklqdq) or re-splats an argument
//   inside the loop: 2–4 extra shuffle-port uops per iteration. A v128.load before the loop
//   stays before the loop.
// - The body is unrolled 4× so the loop counter, compare-branch and V8's stack check cost
//   4 scalar uops per 48 vector ops.
// Call as peakF64(iters, 0.9999999, 1e-9): the products decay as mul^(4·iters) and stay far
// from subnormal for iters < 10⁸.

const BUF = memory.data(32, 16);

export function peakF64(iters: i32, mul: f64, add: f64): f64 {
  v128.store(BUF, f64x2.splat(mul));
  v128.store(BUF, f64x2.splat(add), 16);
  const m = v128.load(BUF);
  const x = v128.load(BUF, 16);
  let p0 = f64x2.splat(1.0), s0 = f64x2.splat(0.0);
  let p1 = f64x2.splat(1.1), s1 = f64x2.splat(0.1);
  let p2 = f64x2.splat(1.2), s2 = f64x2.splat(0.2);
  let p3 = f64x2.splat(1.3), s3 = f64x2.splat(0.3);
  let p4 = f64x2.splat(1.4), s4 = f64x2.splat(0.4);
  let p5 = f64x2.splat(1.5), s5 = f64x2.splat(0.5);
  for (let i = 0; i < iters; i++) {
    // ×4 by hand (binaryen does not unroll it)
    p0 = f64x2.mul(p0, m); s0 = f64x2.add(s0, x);
    p1 = f64x2.mul(p1, m); s1 = f64x2.add(s1, x);
    p2 = f64x2.mul(p2, m); s2 = f64x2.add(s2, x);
    p3 = f64x2.mul(p3, m); s3 = f64x2.add(s3, x);
    p4 = f64x2.mul(p4, m); s4 = f64x2.add(s4, x);
    p5 = f64x2.mul(p5, m); s5 = f64x2.add(s5, x);
    p0 = f64x2.mul(p0, m); s0 = f64x2.add(s0, x);
    p1 = f64x2.mul(p1, m); s1 = f64x2.add(s1, x);
    p2 = f64x2.mul(p2, m); s2 = f64x2.add(s2, x);
    p3 = f64x2.mul(p3, m); s3 = f64x2.add(s3, x);
    p4 = f64x2.mul(p4, m); s4 = f64x2.add(s4, x);
    p5 = f64x2.mul(p5, m); s5 = f64x2.add(s5, x);
    p0 = f64x2.mul(p0, m); s0 = f64x2.add(s0, x);
    p1 = f64x2.mul(p1, m); s1 = f64x2.add(s1, x);
    p2 = f64x2.mul(p2, m); s2 = f64x2.add(s2, x);
    p3 = f64x2.mul(p3, m); s3 = f64x2.add(s3, x);
    p4 = f64x2.mul(p4, m); s4 = f64x2.add(s4, x);
    p5 = f64x2.mul(p5, m); s5 = f64x2.add(s5, x);
    p0 = f64x2.mul(p0, m); s0 = f64x2.add(s0, x);
    p1 = f64x2.mul(p1, m); s1 = f64x2.add(s1, x);
    p2 = f64x2.mul(p2, m); s2 = f64x2.add(s2, x);
    p3 = f64x2.mul(p3, m); s3 = f64x2.add(s3, x);
    p4 = f64x2.mul(p4, m); s4 = f64x2.add(s4, x);
    p5 = f64x2.mul(p5, m); s5 = f64x2.add(s5, x);
  }
  const s = f64x2.add(
    f64x2.add(f64x2.add(f64x2.add(p0, p1), f64x2.add(p2, p3)), f64x2.add(p4, p5)),
    f64x2.add(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)), f64x2.add(s4, s5)),
  );
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** flops per iteration of peakF64: 4 × 12 chains × 2 lanes. */
export const FLOPS_PER_ITER_F64: i32 = 96;

export function peakF32(iters: i32, mul: f64, add: f64): f64 {
  v128.store(BUF, f32x4.splat(<f32>mul));
  v128.store(BUF, f32x4.splat(<f32>add), 16);
  const m = v128.load(BUF);
  const x = v128.load(BUF, 16);
  let p0 = f32x4.splat(1.0), s0 = f32x4.splat(0.0);
  let p1 = f32x4.splat(1.1), s1 = f32x4.splat(0.1);
  let p2 = f32x4.splat(1.2), s2 = f32x4.splat(0.2);
  let p3 = f32x4.splat(1.3), s3 = f32x4.splat(0.3);
  let p4 = f32x4.splat(1.4), s4 = f32x4.splat(0.4);
  let p5 = f32x4.splat(1.5), s5 = f32x4.splat(0.5);
  for (let i = 0; i < iters; i++) {
    // ×4 by hand (binaryen does not unroll it)
    p0 = f32x4.mul(p0, m); s0 = f32x4.add(s0, x);
    p1 = f32x4.mul(p1, m); s1 = f32x4.add(s1, x);
    p2 = f32x4.mul(p2, m); s2 = f32x4.add(s2, x);
    p3 = f32x4.mul(p3, m); s3 = f32x4.add(s3, x);
    p4 = f32x4.mul(p4, m); s4 = f32x4.add(s4, x);
    p5 = f32x4.mul(p5, m); s5 = f32x4.add(s5, x);
    p0 = f32x4.mul(p0, m); s0 = f32x4.add(s0, x);
    p1 = f32x4.mul(p1, m); s1 = f32x4.add(s1, x);
    p2 = f32x4.mul(p2, m); s2 = f32x4.add(s2, x);
    p3 = f32x4.mul(p3, m); s3 = f32x4.add(s3, x);
    p4 = f32x4.mul(p4, m); s4 = f32x4.add(s4, x);
    p5 = f32x4.mul(p5, m); s5 = f32x4.add(s5, x);
    p0 = f32x4.mul(p0, m); s0 = f32x4.add(s0, x);
    p1 = f32x4.mul(p1, m); s1 = f32x4.add(s1, x);
    p2 = f32x4.mul(p2, m); s2 = f32x4.add(s2, x);
    p3 = f32x4.mul(p3, m); s3 = f32x4.add(s3, x);
    p4 = f32x4.mul(p4, m); s4 = f32x4.add(s4, x);
    p5 = f32x4.mul(p5, m); s5 = f32x4.add(s5, x);
    p0 = f32x4.mul(p0, m); s0 = f32x4.add(s0, x);
    p1 = f32x4.mul(p1, m); s1 = f32x4.add(s1, x);
    p2 = f32x4.mul(p2, m); s2 = f32x4.add(s2, x);
    p3 = f32x4.mul(p3, m); s3 = f32x4.add(s3, x);
    p4 = f32x4.mul(p4, m); s4 = f32x4.add(s4, x);
    p5 = f32x4.mul(p5, m); s5 = f32x4.add(s5, x);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(p0, p1), f32x4.add(p2, p3)), f32x4.add(p4, p5)),
    f32x4.add(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)), f32x4.add(s4, s5)),
  );
  return <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) +
    <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
}

/** flops per iteration of peakF32: 4 × 12 chains × 4 lanes. */
export const FLOPS_PER_ITER_F32: i32 = 192;
