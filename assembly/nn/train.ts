// Gradient training of the two-layer network (NN) and of its explicit linearisation (NT),
// entirely inside WebAssembly: sampling, forward, loss, backward and update for K steps per
// call, with no allocation (every buffer is owned by the TypeScript side, src/regimes/train.ts).
//
// Models (mean-field scaling, SPEC §6; authors' TF scripts):
//   NN  ŷ(x) = β·c + (α/N) Σᵢ Aᵢ σ(wᵢᵀx),             Aᵢ = a (shared scalar) or aᵢ (per neuron)
//   NT  ŷ(x) = β·c + (α/N) Σᵢ [aᵢ σ(wᵢᵀx) + a⁰ᵢ σ'(wᵢᵀx) gᵢᵀx],  W and a⁰ frozen
// Loss on a batch of b rows: L = (1/b) Σₖ (ŷₖ − yₖ)² (the authors' tf.reduce_mean of squares).
// Raw gradients, with eₖ = (2/b)(ŷₖ − yₖ), Z = XW, F = σ(Z), D = σ'(Z):
//   ∂L/∂c = β Σₖ eₖ
//   ∂L/∂aᵢ = (α/N) Σₖ eₖ Fₖᵢ              (shared: ∂L/∂a = (α/N) Σₖ eₖ Σᵢ Fₖᵢ)
//   ∂L/∂W = Xᵀ E,  Eₖᵢ = eₖ Dₖᵢ (α/N) Aᵢ  (NT: ∂L/∂G = Xᵀ E with a⁰ᵢ in place of Aᵢ)
// The update uses these rescaled by N/α² (W, G, per-neuron a), 1/α² (shared a), 1/β² (c).
//
// Parameter vector θ (one contiguous block, also the layout of the gradient and Adam moments):
//   [ W or G: d×N row-major, one neuron per column | a: N (or 1 when shared) | c: 1 ].
// Cost per step: two b×d×N GEMMs for NN (Z = XW, XᵀE), three for NT (+ XG), plus O(b·N + d·N)
// fused elementwise work and the sampling (b·d normals; b·d² more for a non-diagonal B).
//
// Determinism: the GEMMs are bit-identical across builds (blas/gemm.ts); the elementwise
// kernels here are written once, in scalar code shared by both builds, except the parameter
// update, whose SIMD path performs the same per-element operations as the scalar one (no
// cross-lane reductions; f64x2.sqrt is correctly rounded like f64.sqrt). Reductions over a row
// use two interleaved accumulators (even/odd index) combined as s0 + s1;
// reductions over rows accumulate each column in ascending row order.

import { dgemm } from "../blas/gemm";
import { dquaddiag, drowdot, dscalerowsel } from "../blas/level1";
import { rngNormal, rngUniform } from "../random/xoshiro";
import { ACT_RELU, ACT_SQUARE } from "./activation";

// ---------------------------------------------------------------------------------------
// The context: an array of float64 slots at `ctx` (integers and pointers stored exactly as
// doubles). src/regimes/train.ts mirrors these indices; nnCtxSlots() lets it check the count.

export const CTX_MODE = 0; // 0 = NN, 1 = NT
export const CTX_D = 1;
export const CTX_N = 2;
export const CTX_B = 3; // batch rows
export const CTX_ACT = 4; // 0 square, 1 relu, 2 tanh
export const CTX_SECOND = 5; // 0 shared a, 1 per-neuron a, 2 per-neuron a projected onto a ≥ 0
export const CTX_ALPHA = 6;
export const CTX_BETA = 7;
export const CTX_OPT = 8; // 0 SGD, 1 Adam
export const CTX_ADAM_B1 = 9;
export const CTX_ADAM_B2 = 10;
export const CTX_ADAM_EPS = 11;
export const CTX_ADAM_B1T = 12; // β₁ᵗ, β₂ᵗ (running products, updated here)
export const CTX_ADAM_B2T = 13;
export const CTX_TASK = 14; // 0 quadratic, 1 mixture, 2 fixed data
export const CTX_TASK_DIAG = 15; // 1: diagonal B / Δ
export const CTX_TASK_R = 16; // mixture: rank of Δ
export const CTX_TRACE = 17; // quadratic: tr B
export const CTX_NOISE = 18; // quadratic: label-noise std
export const CTX_TASK_P0 = 19; // quadratic: B (d×d) or its diagonal; mixture: U (d×r) (diag: unused)
export const CTX_TASK_P1 = 20; // mixture: factors for y = +1
export const CTX_TASK_P2 = 21; // mixture: factors for y = −1
export const CTX_THETA = 22;
export const CTX_GRAD = 23;
export const CTX_M = 24; // Adam first moment (θ layout)
export const CTX_V = 25; // Adam second moment
export const CTX_W0 = 26; // NT: frozen W (d×N)
export const CTX_A0 = 27; // NT: frozen a⁰ (N)
export const CTX_X = 28; // b×d batch
export const CTX_Y = 29; // b labels
export const CTX_Z = 30; // b×N
export const CTX_F = 31; // b×N
export const CTX_DZ = 32; // b×N
export const CTX_T = 33; // b×N (NT: X·G); reused as the E matrix
export const CTX_WORK = 34; // b×max(d, r): XB (quadratic, dense B), Z·U (mixture)
export const CTX_VEC = 35; // max(b, N) scratch: noise draws, row sums
export const CTX_COEF = 36; // N: (α/N)·Aᵢ
export const CTX_COLACC = 37; // N: column accumulator for ∂L/∂a
export const CTX_STEP = 38; // global step counter t (updated here)
export const CTX_STEPS = 39; // total steps S (schedule horizon)
export const CTX_SCHED = 40; // 0 constant, 1 paper, 2 cosine
export const CTX_LR = 41;
export const CTX_TAIL1 = 42; // paper schedule: lr/10 from step S − TAIL1
export const CTX_TAIL2 = 43; // paper schedule: lr/15 from step S − TAIL2
export const CTX_REF = 44; // loss reference for divergence (max of E y² and the first loss)
export const CTX_EXPLODE = 45; // divergence when loss > EXPLODE·REF (or not finite)
export const CTX_XALL = 46; // fixed data: n×d inputs
export const CTX_YALL = 47; // fixed data: n labels
export const CTX_NDATA = 48; // fixed data: n
export const CTX_PERM = 49; // fixed data: i32 permutation (n)
export const CTX_UNIF = 50; // fixed data: n uniforms (shuffle)
export const CTX_POS = 51; // fixed data: position in the current epoch
export const CTX_SLOTS = 52;

/** Number of context slots (the TypeScript mirror checks it at load). */
export function nnCtxSlots(): i32 {
  return CTX_SLOTS;
}

// @ts-ignore: decorator
@inline function gf(ctx: usize, k: i32): f64 {
  return load<f64>(ctx + (<usize>k << 3));
}
// @ts-ignore: decorator
@inline function gi(ctx: usize, k: i32): i32 {
  return <i32>load<f64>(ctx + (<usize>k << 3));
}
// @ts-ignore: decorator
@inline function gp(ctx: usize, k: i32): usize {
  return <usize>load<f64>(ctx + (<usize>k << 3));
}
// @ts-ignore: decorator
@inline function sf(ctx: usize, k: i32, v: f64): void {
  store<f64>(ctx + (<usize>k << 3), v);
}
// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

// ---------------------------------------------------------------------------------------
// Sampling: the same draws, in the same order and with the same arithmetic, as
// task.sample(b, rng) in src/tasks (quadratic.ts, mixture.ts), so a batch can be reproduced.

function sampleTask(ctx: usize, st: usize): void {
  const task = gi(ctx, CTX_TASK);
  const b = gi(ctx, CTX_B), d = gi(ctx, CTX_D);
  const X = gp(ctx, CTX_X), y = gp(ctx, CTX_Y);
  const diag = gi(ctx, CTX_TASK_DIAG) != 0;
  if (task == 0) {
    // quadratic: X ~ N(0, I) (b·d normals, row by row), y = xᵀBx − tr B (+ s·ε, b more normals)
    rngNormal(st, X, b * d, 0.0, 1.0);
    const B = gp(ctx, CTX_TASK_P0);
    if (diag) {
      dquaddiag(b, d, X, d, B, y);
    } else {
      const XB = gp(ctx, CTX_WORK);
      dgemm(b, d, d, X, d, 1, B, d, 1, XB, d, false);
      drowdot(b, d, XB, d, X, d, y);
    }
    const tr = gf(ctx, CTX_TRACE);
    for (let k = 0; k < b; k++) store<f64>(at(y, k), load<f64>(at(y, k)) - tr);
    const s = gf(ctx, CTX_NOISE);
    if (s > 0) {
      const eps = gp(ctx, CTX_VEC);
      rngNormal(st, eps, b, 0.0, s);
      for (let k = 0; k < b; k++) store<f64>(at(y, k), load<f64>(at(y, k)) + load<f64>(at(eps, k)));
    }
  } else {
    // mixture: b uniforms → labels ±1, then b·d normals z, x = (I + yΔ)^{1/2} z in eigen-form
    rngUniform(st, y, b);
    for (let k = 0; k < b; k++) store<f64>(at(y, k), load<f64>(at(y, k)) < 0.5 ? 1.0 : -1.0);
    rngNormal(st, X, b * d, 0.0, 1.0);
    const sp = gp(ctx, CTX_TASK_P1), sm = gp(ctx, CTX_TASK_P2);
    if (diag) {
      dscalerowsel(b, d, X, d, y, sp, sm);
    } else {
      const r = gi(ctx, CTX_TASK_R);
      const U = gp(ctx, CTX_TASK_P0), T = gp(ctx, CTX_WORK);
      dgemm(b, r, d, X, d, 1, U, r, 1, T, r, false);
      dscalerowsel(b, r, T, r, y, sp, sm);
      dgemm(b, d, r, T, r, 1, U, 1, r, X, d, true);
    }
  }
}

/**
 * Fixed data, minibatches: rows of a fresh Fisher–Yates permutation per epoch (uniforms from the
 * stream, j = ⌊u·(i + 1)⌋), copied into the batch buffer; a final partial batch is dropped.
 */
function gatherBatch(ctx: usize, st: usize): void {
  const n = gi(ctx, CTX_NDATA), b = gi(ctx, CTX_B), d = gi(ctx, CTX_D);
  const perm = gp(ctx, CTX_PERM);
  let pos = gi(ctx, CTX_POS);
  if (pos + b > n) {
    const u = gp(ctx, CTX_UNIF);
    rngUniform(st, u, n);
    for (let i = 0; i < n; i++) store<i32>(perm + (<usize>i << 2), i);
    for (let i = n - 1; i > 0; i--) {
      const j = <i32>(load<f64>(at(u, i)) * <f64>(i + 1));
      const pi = perm + (<usize>i << 2), pj = perm + (<usize>j << 2);
      const t = load<i32>(pi);
      store<i32>(pi, load<i32>(pj));
      store<i32>(pj, t);
    }
    pos = 0;
  }
  const Xa = gp(ctx, CTX_XALL), ya = gp(ctx, CTX_YALL);
  const X = gp(ctx, CTX_X), y = gp(ctx, CTX_Y);
  const row = <usize>d << 3;
  for (let k = 0; k < b; k++) {
    const src = <usize>load<i32>(perm + (<usize>(pos + k) << 2));
    memory.copy(X + <usize>k * row, Xa + src * row, row);
    store<f64>(at(y, k), load<f64>(at(ya, <i32>src)));
  }
  sf(ctx, CTX_POS, <f64>(pos + b));
}

// ---------------------------------------------------------------------------------------
// Forward + backward on the batch (X: b×d, y: b). Writes the raw gradient into CTX_GRAD and
// returns the batch loss (1/b) Σ (ŷ − y)².

function forwardBackward(ctx: usize, X: usize, y: usize): f64 {
  const nt = gi(ctx, CTX_MODE) == 1;
  const b = gi(ctx, CTX_B), d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const kind = gi(ctx, CTX_ACT);
  const shared = !nt && gi(ctx, CTX_SECOND) == 0;
  const alpha = gf(ctx, CTX_ALPHA), beta = gf(ctx, CTX_BETA);
  const theta = gp(ctx, CTX_THETA), grad = gp(ctx, CTX_GRAD);
  const dN = d * N;
  const pa = at(theta, dN);
  const na = shared ? 1 : N;
  const c = load<f64>(at(theta, dN + na));
  const W = nt ? gp(ctx, CTX_W0) : theta;
  const Z = gp(ctx, CTX_Z), F = gp(ctx, CTX_F), D = gp(ctx, CTX_DZ), T = gp(ctx, CTX_T);
  const coef = gp(ctx, CTX_COEF), colacc = gp(ctx, CTX_COLACC), vec = gp(ctx, CTX_VEC);
  const sc = alpha / <f64>N;

  // Z = X·W (b×N), and for NT T = X·G
  dgemm(b, N, d, X, d, 1, W, N, 1, Z, N, false);
  if (nt) dgemm(b, N, d, X, d, 1, theta, N, 1, T, N, false);

  // F = σ(Z), D = σ'(Z)
  const len = b * N;
  if (kind == ACT_SQUARE) {
    for (let i = 0; i < len; i++) {
      const t = load<f64>(at(Z, i));
      store<f64>(at(F, i), t * t);
      store<f64>(at(D, i), 2.0 * t);
    }
  } else if (kind == ACT_RELU) {
    for (let i = 0; i < len; i++) {
      const t = load<f64>(at(Z, i));
      store<f64>(at(F, i), t > 0 ? t : 0.0);
      store<f64>(at(D, i), t > 0 ? 1.0 : 0.0);
    }
  } else {
    for (let i = 0; i < len; i++) {
      const v = Math.tanh(load<f64>(at(Z, i)));
      store<f64>(at(F, i), v);
      store<f64>(at(D, i), 1.0 - v * v);
    }
  }

  // coefᵢ = (α/N)·Aᵢ (the output weight of neuron i); NT: the derivative weight (α/N)·a⁰ᵢ
  if (nt) {
    const a0 = gp(ctx, CTX_A0);
    for (let i = 0; i < N; i++) store<f64>(at(coef, i), sc * load<f64>(at(a0, i)));
  } else if (shared) {
    const s = sc * load<f64>(pa);
    for (let i = 0; i < N; i++) store<f64>(at(coef, i), s);
  } else {
    for (let i = 0; i < N; i++) store<f64>(at(coef, i), sc * load<f64>(at(pa, i)));
  }

  // ŷₖ, rₖ = ŷₖ − yₖ, loss; rₖ is kept in vec (overwritten by eₖ below)
  const bc = beta * c;
  let loss: f64 = 0;
  for (let k = 0; k < b; k++) {
    const fr = F + <usize>k * (<usize>N << 3);
    let s0: f64 = 0, s1: f64 = 0;
    let i = 0;
    if (nt) {
      // Σᵢ (α/N)aᵢ Fₖᵢ + (α/N)a⁰ᵢ Dₖᵢ Tₖᵢ
      const dr = D + <usize>k * (<usize>N << 3), tr = T + <usize>k * (<usize>N << 3);
      for (; i + 1 < N; i += 2) {
        s0 += sc * load<f64>(at(pa, i)) * load<f64>(at(fr, i)) + load<f64>(at(coef, i)) * (load<f64>(at(dr, i)) * load<f64>(at(tr, i)));
        s1 += sc * load<f64>(at(pa, i + 1)) * load<f64>(at(fr, i + 1)) + load<f64>(at(coef, i + 1)) * (load<f64>(at(dr, i + 1)) * load<f64>(at(tr, i + 1)));
      }
      if (i < N) s0 += sc * load<f64>(at(pa, i)) * load<f64>(at(fr, i)) + load<f64>(at(coef, i)) * (load<f64>(at(dr, i)) * load<f64>(at(tr, i)));
      const out = bc + (s0 + s1);
      const r = out - load<f64>(at(y, k));
      store<f64>(at(vec, k), r);
      loss += r * r;
    } else if (shared) {
      // row sum Σᵢ Fₖᵢ (kept for ∂L/∂a), ŷ = βc + (α/N)·a·rowsum
      for (; i + 1 < N; i += 2) {
        s0 += load<f64>(at(fr, i));
        s1 += load<f64>(at(fr, i + 1));
      }
      if (i < N) s0 += load<f64>(at(fr, i));
      const rs = s0 + s1;
      store<f64>(at(colacc, k), rs); // colacc has max(b, N) slots
      const out = bc + load<f64>(coef) * rs;
      const r = out - load<f64>(at(y, k));
      store<f64>(at(vec, k), r);
      loss += r * r;
    } else {
      for (; i + 1 < N; i += 2) {
        s0 += load<f64>(at(coef, i)) * load<f64>(at(fr, i));
        s1 += load<f64>(at(coef, i + 1)) * load<f64>(at(fr, i + 1));
      }
      if (i < N) s0 += load<f64>(at(coef, i)) * load<f64>(at(fr, i));
      const out = bc + (s0 + s1);
      const r = out - load<f64>(at(y, k));
      store<f64>(at(vec, k), r);
      loss += r * r;
    }
  }
  const inv = 1.0 / <f64>b;
  loss *= inv;

  // eₖ = (2/b) rₖ; ∂L/∂c = β Σ eₖ
  const two = 2.0 * inv;
  let se: f64 = 0;
  for (let k = 0; k < b; k++) {
    const e = two * load<f64>(at(vec, k));
    store<f64>(at(vec, k), e);
    se += e;
  }
  const ga = at(grad, dN);
  store<f64>(at(grad, dN + na), beta * se);

  // ∂L/∂a
  if (shared) {
    let s: f64 = 0;
    for (let k = 0; k < b; k++) s += load<f64>(at(vec, k)) * load<f64>(at(colacc, k));
    store<f64>(ga, sc * s);
  } else {
    memory.fill(colacc, 0, <usize>N << 3);
    for (let k = 0; k < b; k++) {
      const e = load<f64>(at(vec, k));
      const fr = F + <usize>k * (<usize>N << 3);
      for (let i = 0; i < N; i++) store<f64>(at(colacc, i), load<f64>(at(colacc, i)) + e * load<f64>(at(fr, i)));
    }
    for (let i = 0; i < N; i++) store<f64>(at(ga, i), sc * load<f64>(at(colacc, i)));
  }

  // E = e ∘ D ∘ coef (into T), ∂L/∂W (or ∂L/∂G) = Xᵀ E
  for (let k = 0; k < b; k++) {
    const e = load<f64>(at(vec, k));
    const dr = D + <usize>k * (<usize>N << 3), er = T + <usize>k * (<usize>N << 3);
    for (let i = 0; i < N; i++) store<f64>(at(er, i), (e * load<f64>(at(dr, i))) * load<f64>(at(coef, i)));
  }
  dgemm(d, N, b, X, 1, d, T, N, 1, grad, N, false);
  return loss;
}

// ---------------------------------------------------------------------------------------
// Update

/** Learning rate of global step t (0-based) under the context's schedule. */
function learningRate(ctx: usize, t: i32): f64 {
  const lr = gf(ctx, CTX_LR);
  const kind = gi(ctx, CTX_SCHED);
  const S = gi(ctx, CTX_STEPS);
  if (kind == 1) {
    if (t < S - gi(ctx, CTX_TAIL1)) return lr;
    if (t < S - gi(ctx, CTX_TAIL2)) return lr / 10.0;
    return lr / 15.0;
  }
  if (kind == 2) return lr * (0.5 * (1.0 + Math.cos(Math.PI * (<f64>t / <f64>S))));
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

function update(ctx: usize, lr: f64): void {
  const nt = gi(ctx, CTX_MODE) == 1;
  const d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const second = nt ? 1 : gi(ctx, CTX_SECOND);
  const alpha = gf(ctx, CTX_ALPHA), beta = gf(ctx, CTX_BETA);
  const a2 = alpha * alpha;
  const na = second == 0 ? 1 : N;
  const dN = d * N;
  // gradient rescaling of SPEC §6
  const sW = <f64>N / a2;
  const sA = second == 0 ? 1.0 / a2 : <f64>N / a2;
  const sC = 1.0 / (beta * beta);
  const theta = gp(ctx, CTX_THETA), grad = gp(ctx, CTX_GRAD);
  if (gi(ctx, CTX_OPT) == 0) {
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
  if (second == 2) {
    const pa = at(theta, dN);
    for (let i = 0; i < N; i++) {
      const v = load<f64>(at(pa, i));
      store<f64>(at(pa, i), v > 0 ? v : 0.0);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Entry points

/**
 * Run up to `steps` training steps with the generator state at `st`; the batch loss of each
 * step (before its update) goes to losses[k]. Stops early, without updating, at the first
 * loss that is not finite or exceeds CTX_EXPLODE·CTX_REF, and returns the number of steps
 * completed (so losses[return value] is the offending loss when it is < steps).
 */
export function nnTrain(ctx: usize, st: usize, steps: i32, losses: usize): i32 {
  const task = gi(ctx, CTX_TASK);
  const full = task == 2 && gi(ctx, CTX_B) >= gi(ctx, CTX_NDATA);
  for (let k = 0; k < steps; k++) {
    const t = gi(ctx, CTX_STEP);
    let X = gp(ctx, CTX_X), y = gp(ctx, CTX_Y);
    if (task == 2) {
      if (full) {
        X = gp(ctx, CTX_XALL);
        y = gp(ctx, CTX_YALL);
      } else {
        gatherBatch(ctx, st);
      }
    } else {
      sampleTask(ctx, st);
    }
    const loss = forwardBackward(ctx, X, y);
    store<f64>(at(losses, k), loss);
    if (t == 0) {
      const ref = gf(ctx, CTX_REF);
      if (loss > ref) sf(ctx, CTX_REF, loss);
    }
    if (!(loss <= gf(ctx, CTX_EXPLODE) * gf(ctx, CTX_REF))) return k;
    update(ctx, learningRate(ctx, t));
    sf(ctx, CTX_STEP, <f64>(t + 1));
  }
  return steps;
}

/**
 * Loss and raw gradient (into CTX_GRAD) at the current parameters on the batch already in
 * CTX_X / CTX_Y (b rows): the code path of every training step, without sampling or update.
 */
export function nnLossGrad(ctx: usize): f64 {
  return forwardBackward(ctx, gp(ctx, CTX_X), gp(ctx, CTX_Y));
}

/** Learning rate the schedule gives at step t (for reporting; the training uses the same function). */
export function nnLearningRate(ctx: usize, t: i32): f64 {
  return learningRate(ctx, t);
}
