// The parameter update of a training step and the learning-rate schedule (context slots and
// enum codes: src/kernels/abi.ts). θ = [ W or G: d×N | a: N (1 when shared) | c: 1 ].
//
// Determinism: the SIMD path performs the same per-element operations as the scalar one (no
// cross-lane reductions; f64x2.sqrt is correctly rounded like f64.sqrt), so both builds agree
// bit for bit.

import {
  CTX_ADAM_B1, CTX_ADAM_B1T, CTX_ADAM_B2, CTX_ADAM_B2T, CTX_ADAM_EPS, CTX_ALPHA, CTX_BETA, CTX_D, CTX_GRAD, CTX_LR,
  CTX_M, CTX_MODE, CTX_N, CTX_OPT, CTX_SCHED, CTX_SECOND, CTX_STEPS, CTX_TAIL1, CTX_TAIL2, CTX_THETA, CTX_V,
  MODE_NT, OPT_SGD, SCHED_COSINE, SCHED_PAPER, SECOND_FREE, SECOND_POSITIVE, SECOND_SHARED,
} from "../../src/kernels/abi";
import { at, gf, gi, gp, sf } from "./context";

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

/** θⱼ −= s·gⱼ for j < n (s = lr × block scale). */
function sgdBlock(p: usize, g: usize, n: i32, s: f64): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(s);
    for (; j + 1 < n; j += 2) {
      const o = <usize>j << 3;
      v128.store(p + o, f64x2.sub(v128.load(p + o), f64x2.mul(sv, v128.load(g + o))));
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    store<f64>(p + o, load<f64>(p + o) - s * load<f64>(g + o));
  }
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) on the rescaled gradient g' = scale·g:
 *   m ← β₁m + (1 − β₁)g',  v ← β₂v + (1 − β₂)g'²,  θ ← θ − lr·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε).
 */
function adamBlock(p: usize, g: usize, m: usize, v: usize, n: i32, scale: f64, lr: f64,
  b1: f64, b2: f64, c1: f64, c2: f64, eps: f64): void {
  const ob1 = 1.0 - b1, ob2 = 1.0 - b2;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f64x2.splat(scale), vb1 = f64x2.splat(b1), vb2 = f64x2.splat(b2);
    const vo1 = f64x2.splat(ob1), vo2 = f64x2.splat(ob2), vc1 = f64x2.splat(c1), vc2 = f64x2.splat(c2);
    const veps = f64x2.splat(eps), vlr = f64x2.splat(lr);
    for (; j + 1 < n; j += 2) {
      const o = <usize>j << 3;
      const gg = f64x2.mul(vs, v128.load(g + o));
      const mm = f64x2.add(f64x2.mul(vb1, v128.load(m + o)), f64x2.mul(vo1, gg));
      const vv = f64x2.add(f64x2.mul(vb2, v128.load(v + o)), f64x2.mul(vo2, f64x2.mul(gg, gg)));
      v128.store(m + o, mm);
      v128.store(v + o, vv);
      const den = f64x2.add(f64x2.sqrt(f64x2.div(vv, vc2)), veps);
      v128.store(p + o, f64x2.sub(v128.load(p + o), f64x2.div(f64x2.mul(vlr, f64x2.div(mm, vc1)), den)));
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    const gg = scale * load<f64>(g + o);
    const mm = b1 * load<f64>(m + o) + ob1 * gg;
    const vv = b2 * load<f64>(v + o) + ob2 * (gg * gg);
    store<f64>(m + o, mm);
    store<f64>(v + o, vv);
    const den = Math.sqrt(vv / c2) + eps;
    store<f64>(p + o, load<f64>(p + o) - (lr * (mm / c1)) / den);
  }
}

/**
 * θ ← θ − lr·s·∇L (SGD) or the Adam step on s·∇L, with the block scales s = N/α² (W, G,
 * per-neuron a), 1/α² (shared a), 1/β² (c); then the projection aᵢ ← max(aᵢ, 0) for
 * SECOND_POSITIVE.
 */
export function update(ctx: usize, lr: f64): void {
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
    sgdBlock(theta, grad, dN, lr * sW);
    sgdBlock(at(theta, dN), at(grad, dN), na, lr * sA);
    sgdBlock(at(theta, dN + na), at(grad, dN + na), 1, lr * sC);
  } else {
    const b1 = gf(ctx, CTX_ADAM_B1), b2 = gf(ctx, CTX_ADAM_B2), eps = gf(ctx, CTX_ADAM_EPS);
    const b1t = gf(ctx, CTX_ADAM_B1T) * b1, b2t = gf(ctx, CTX_ADAM_B2T) * b2;
    sf(ctx, CTX_ADAM_B1T, b1t);
    sf(ctx, CTX_ADAM_B2T, b2t);
    const c1 = 1.0 - b1t, c2 = 1.0 - b2t;
    const m = gp(ctx, CTX_M), v = gp(ctx, CTX_V);
    adamBlock(theta, grad, m, v, dN, sW, lr, b1, b2, c1, c2, eps);
    adamBlock(at(theta, dN), at(grad, dN), at(m, dN), at(v, dN), na, sA, lr, b1, b2, c1, c2, eps);
    adamBlock(at(theta, dN + na), at(grad, dN + na), at(m, dN + na), at(v, dN + na), 1, sC, lr, b1, b2, c1, c2, eps);
  }
  if (second == SECOND_POSITIVE) {
    const pa = at(theta, dN);
    for (let i = 0; i < N; i++) {
      const v = load<f64>(at(pa, i));
      store<f64>(at(pa, i), v > 0 ? v : 0.0);
    }
  }
}
