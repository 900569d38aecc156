// The parameter update of a training step and the learning-rate schedule (context slots and
// enum codes: src/kernels/abi.ts). θ = [ W or G: d×N | a: N (1 when shared) | c: 1 ].
//
// Written once for both precisions: update<T> with T = f64 (PREC_F64) or f32 (PREC_F32, θ and
// the moments in float32, f32x4 SIMD).
//
// Determinism: the SIMD path performs the same per-element operations as the scalar one (no
// cross-lane reductions; f64x2.sqrt / f32x4.sqrt are correctly rounded like f64.sqrt / f32.sqrt),
// so both builds agree bit for bit, in either precision.

import {
  CTX_ADAM_B1, CTX_ADAM_B1T, CTX_ADAM_B2, CTX_ADAM_B2T, CTX_ADAM_EPS, CTX_ALPHA, CTX_BETA, CTX_D, CTX_GRAD, CTX_LR,
  CTX_M, CTX_MODE, CTX_N, CTX_OPT, CTX_SCHED, CTX_SECOND, CTX_STEPS, CTX_TAIL1, CTX_TAIL2, CTX_THETA, CTX_V,
  MODE_NT, OPT_SGD, SCHED_COSINE, SCHED_PAPER, SECOND_FREE, SECOND_POSITIVE, SECOND_SHARED,
} from "../../src/kernels/abi";
import { gf, gi, gp, ix, sf } from "./context";

/** Learning rate of global step t (0-based) under the context's schedule. */
export function learningRate(ctx: usize, t: i32): f64 {
  const lr = gf(ctx, CTX_LR);
  const kind = gi(ctx, CTX_SCHED);
  const S = gi(ctx, CTX_STEPS);
  if (kind == SCHED_PAPER) {
    if (t < S - gi(ctx, CTX_TAIL1)) return lr;
    if (t < S - gi(ctx, CTX_TAIL2)) return lr / 10.0;
    return lr / 15.0;
  }
  if (kind == SCHED_COSINE) return lr * (0.5 * (1.0 + Math.cos(Math.PI * (<f64>t / <f64>S))));
  return lr;
}

// Blocks of T = f64 (f64x2, 2 lanes) or f32 (f32x4, 4 lanes), the precision of the context.
// @ts-ignore: decorator
@inline function SH<T>(): usize {
  return sizeof<T>() == 8 ? 3 : 2;
}
// @ts-ignore: decorator
@inline function LANES<T>(): i32 {
  return sizeof<T>() == 8 ? 2 : 4;
}
// @ts-ignore: decorator
@inline function vsplat<T>(x: f64): v128 {
  return sizeof<T>() == 8 ? f64x2.splat(x) : f32x4.splat(<f32>x);
}
// @ts-ignore: decorator
@inline function vadd<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.add(a, b) : f32x4.add(a, b);
}
// @ts-ignore: decorator
@inline function vsub<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.sub(a, b) : f32x4.sub(a, b);
}
// @ts-ignore: decorator
@inline function vmul<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.mul(a, b) : f32x4.mul(a, b);
}
// @ts-ignore: decorator
@inline function vdiv<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.div(a, b) : f32x4.div(a, b);
}
// @ts-ignore: decorator
@inline function vsqrt<T>(a: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.sqrt(a) : f32x4.sqrt(a);
}

/** θⱼ −= s·gⱼ for j < n (s = lr × block scale, rounded to T). */
function sgdBlock<T>(p: usize, g: usize, n: i32, s64: f64): void {
  const s = <T>s64;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = vsplat<T>(s64);
    for (; j + LANES<T>() - 1 < n; j += LANES<T>()) {
      const o = <usize>j << SH<T>();
      v128.store(p + o, vsub<T>(v128.load(p + o), vmul<T>(sv, v128.load(g + o))));
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << SH<T>();
    store<T>(p + o, load<T>(p + o) - s * load<T>(g + o));
  }
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) on the rescaled gradient g' = scale·g:
 *   m ← β₁m + (1 − β₁)g',  v ← β₂v + (1 − β₂)g'²,  θ ← θ − lr·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε).
 * The constants are computed in float64 and rounded once to T.
 */
function adamBlock<T>(p: usize, g: usize, m: usize, v: usize, n: i32, scale64: f64, lr64: f64,
  b164: f64, b264: f64, c164: f64, c264: f64, eps64: f64): void {
  const scale = <T>scale64, lr = <T>lr64, b1 = <T>b164, b2 = <T>b264, c1 = <T>c164, c2 = <T>c264, eps = <T>eps64;
  const ob1 = <T>(1.0 - b164), ob2 = <T>(1.0 - b264);
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = vsplat<T>(scale), vb1 = vsplat<T>(b1), vb2 = vsplat<T>(b2);
    const vo1 = vsplat<T>(ob1), vo2 = vsplat<T>(ob2), vc1 = vsplat<T>(c1), vc2 = vsplat<T>(c2);
    const veps = vsplat<T>(eps), vlr = vsplat<T>(lr);
    for (; j + LANES<T>() - 1 < n; j += LANES<T>()) {
      const o = <usize>j << SH<T>();
      const gg = vmul<T>(vs, v128.load(g + o));
      const mm = vadd<T>(vmul<T>(vb1, v128.load(m + o)), vmul<T>(vo1, gg));
      const vv = vadd<T>(vmul<T>(vb2, v128.load(v + o)), vmul<T>(vo2, vmul<T>(gg, gg)));
      v128.store(m + o, mm);
      v128.store(v + o, vv);
      const den = vadd<T>(vsqrt<T>(vdiv<T>(vv, vc2)), veps);
      v128.store(p + o, vsub<T>(v128.load(p + o), vdiv<T>(vmul<T>(vlr, vdiv<T>(mm, vc1)), den)));
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << SH<T>();
    const gg = scale * load<T>(g + o);
    const mm = b1 * load<T>(m + o) + ob1 * gg;
    const vv = b2 * load<T>(v + o) + ob2 * (gg * gg);
    store<T>(m + o, mm);
    store<T>(v + o, vv);
    const den = sqrt<T>(vv / c2) + eps;
    store<T>(p + o, load<T>(p + o) - (lr * (mm / c1)) / den);
  }
}

/**
 * θ ← θ − lr·s·∇L (SGD) or the Adam step on s·∇L, with the block scales s = N/α² (W, G,
 * per-neuron a), 1/α² (shared a), 1/β² (c); then the projection aᵢ ← max(aᵢ, 0) for
 * SECOND_POSITIVE.
 */
export function update<T>(ctx: usize, lr: f64): void {
  const nt = gi(ctx, CTX_MODE) == MODE_NT;
  const d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const second = nt ? SECOND_FREE : gi(ctx, CTX_SECOND);
  const alpha = gf(ctx, CTX_ALPHA), beta = gf(ctx, CTX_BETA);
  const a2 = alpha * alpha;
  const na = second == SECOND_SHARED ? 1 : N;
  const dN = d * N;
  // the gradient rescaling of the mean-field parameterisation (assembly/nn/train.ts header)
  const sW = <f64>N / a2;
  const sA = second == SECOND_SHARED ? 1.0 / a2 : <f64>N / a2;
  const sC = 1.0 / (beta * beta);
  const theta = gp(ctx, CTX_THETA), grad = gp(ctx, CTX_GRAD);
  if (gi(ctx, CTX_OPT) == OPT_SGD) {
    sgdBlock<T>(theta, grad, dN, lr * sW);
    sgdBlock<T>(ix<T>(theta, dN), ix<T>(grad, dN), na, lr * sA);
    sgdBlock<T>(ix<T>(theta, dN + na), ix<T>(grad, dN + na), 1, lr * sC);
  } else {
    const b1 = gf(ctx, CTX_ADAM_B1), b2 = gf(ctx, CTX_ADAM_B2), eps = gf(ctx, CTX_ADAM_EPS);
    const b1t = gf(ctx, CTX_ADAM_B1T) * b1, b2t = gf(ctx, CTX_ADAM_B2T) * b2;
    sf(ctx, CTX_ADAM_B1T, b1t);
    sf(ctx, CTX_ADAM_B2T, b2t);
    const c1 = 1.0 - b1t, c2 = 1.0 - b2t;
    const m = gp(ctx, CTX_M), v = gp(ctx, CTX_V);
    adamBlock<T>(theta, grad, m, v, dN, sW, lr, b1, b2, c1, c2, eps);
    adamBlock<T>(ix<T>(theta, dN), ix<T>(grad, dN), ix<T>(m, dN), ix<T>(v, dN), na, sA, lr, b1, b2, c1, c2, eps);
    adamBlock<T>(ix<T>(theta, dN + na), ix<T>(grad, dN + na), ix<T>(m, dN + na), ix<T>(v, dN + na), 1, sC, lr, b1, b2, c1, c2, eps);
  }
  if (second == SECOND_POSITIVE) {
    const pa = ix<T>(theta, dN);
    for (let i = 0; i < N; i++) {
      const v = load<T>(ix<T>(pa, i));
      store<T>(ix<T>(pa, i), v > <T>0 ? v : <T>0.0);
    }
  }
}

// ---------------------------------------------------------------------------------------
// The same update split for the threaded step (../threads.ts): instance 0 advances Adam's
// running products once (adamAdvance) and updates the scalar blocks (updateScalars); every
// instance updates its neuron columns (updateNeurons). Each element goes through exactly the
// operations of `update` (the SIMD and scalar paths agree per element, header), so the split
// changes no bit.

/** Adam: β₁ᵗ ← β₁ᵗ·β₁, β₂ᵗ ← β₂ᵗ·β₂ (as `update` does first); no-op for SGD. */
export function adamAdvance(ctx: usize): void {
  if (gi(ctx, CTX_OPT) == OPT_SGD) return;
  sf(ctx, CTX_ADAM_B1T, gf(ctx, CTX_ADAM_B1T) * gf(ctx, CTX_ADAM_B1));
  sf(ctx, CTX_ADAM_B2T, gf(ctx, CTX_ADAM_B2T) * gf(ctx, CTX_ADAM_B2));
}

/** One block of `update` (θ, ∇, m, v at element offset o, n elements, block scale s). */
// @ts-ignore: decorator
@inline function updateBlock<T>(ctx: usize, o: i32, n: i32, s: f64, lr: f64): void {
  const theta = gp(ctx, CTX_THETA), grad = gp(ctx, CTX_GRAD);
  if (gi(ctx, CTX_OPT) == OPT_SGD) {
    sgdBlock<T>(ix<T>(theta, o), ix<T>(grad, o), n, lr * s);
  } else {
    const b1 = gf(ctx, CTX_ADAM_B1), b2 = gf(ctx, CTX_ADAM_B2), eps = gf(ctx, CTX_ADAM_EPS);
    const c1 = 1.0 - gf(ctx, CTX_ADAM_B1T), c2 = 1.0 - gf(ctx, CTX_ADAM_B2T);
    const m = gp(ctx, CTX_M), v = gp(ctx, CTX_V);
    adamBlock<T>(ix<T>(theta, o), ix<T>(grad, o), ix<T>(m, o), ix<T>(v, o), n, s, lr, b1, b2, c1, c2, eps);
  }
}

/** `update` restricted to neuron columns [j0, j1): W or G (each row's segment) and per-neuron aᵢ. */
export function updateNeurons<T>(ctx: usize, lr: f64, j0: i32, j1: i32): void {
  const nt = gi(ctx, CTX_MODE) == MODE_NT;
  const d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const second = nt ? SECOND_FREE : gi(ctx, CTX_SECOND);
  const alpha = gf(ctx, CTX_ALPHA);
  const a2 = alpha * alpha;
  const sW = <f64>N / a2;
  const n = j1 - j0;
  for (let r = 0; r < d; r++) updateBlock<T>(ctx, r * N + j0, n, sW, lr);
  if (second != SECOND_SHARED) {
    updateBlock<T>(ctx, d * N + j0, n, <f64>N / a2, lr);
    if (second == SECOND_POSITIVE) {
      const pa = ix<T>(gp(ctx, CTX_THETA), d * N);
      for (let i = j0; i < j1; i++) {
        const v = load<T>(ix<T>(pa, i));
        store<T>(ix<T>(pa, i), v > <T>0 ? v : <T>0.0);
      }
    }
  }
}

/** `update` of the scalar blocks: the shared a (when shared) and c. */
export function updateScalars<T>(ctx: usize, lr: f64): void {
  const nt = gi(ctx, CTX_MODE) == MODE_NT;
  const d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const second = nt ? SECOND_FREE : gi(ctx, CTX_SECOND);
  const alpha = gf(ctx, CTX_ALPHA), beta = gf(ctx, CTX_BETA);
  const na = second == SECOND_SHARED ? 1 : N;
  if (second == SECOND_SHARED) updateBlock<T>(ctx, d * N, 1, 1.0 / (alpha * alpha), lr);
  updateBlock<T>(ctx, d * N + na, 1, 1.0 / (beta * beta), lr);
}
