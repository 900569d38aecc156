// Gradient training of the two-layer network (NN) and of its explicit linearisation (NT),
// entirely inside WebAssembly: sampling, forward, loss, backward and update for K steps per
// call, with no allocation (every buffer is owned by the TypeScript side, src/kernels/train.ts).
//
// Models (mean-field scaling, docs/theory.md §6; authors' TF scripts):
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
// Precision (CTX_PREC): the step is written once, generic over its element type T, and
// instantiated for f64 (the default) and f32 (θ, ∇, moments and the b×N work in float32, the
// GEMMs by sgemm's f32x4 kernel, the update in f32x4). Sampling stays float64 (the same batches
// as an f64 run, rounded once to float32: lossGrad) and the loss is summed in float64.
//
// Determinism: the GEMMs are bit-identical across builds (blas/gemm.ts); the elementwise
// kernels here are written once, in scalar code shared by both builds, except the parameter
// update (optimizer.ts), whose SIMD path performs the same per-element operations as the scalar
// one. Reductions over a row use two interleaved accumulators (even/odd index) combined as
// s0 + s1; reductions over rows accumulate each column in ascending row order.
//
// Layout: the context slots and enum codes are src/kernels/abi.ts (shared with TypeScript);
// context.ts reads them; the batch comes from ../tasks (sampling, written once) or gatherBatch
// below; σ from activation.ts; the update and schedule from optimizer.ts.

import { dgemm, sgemm } from "../blas/gemm";
import { rngUniform } from "../random/xoshiro";
import { sampleMixture } from "../tasks/mixture";
import { sampleQuadratic } from "../tasks/quadratic";
import {
  CTX_A0, CTX_ACT, CTX_ALPHA, CTX_B, CTX_BETA, CTX_COEF, CTX_COLACC, CTX_D, CTX_DZ, CTX_EXPLODE, CTX_F, CTX_GRAD,
  CTX_MODE, CTX_N, CTX_NDATA, CTX_NOISE, CTX_PERM, CTX_POS, CTX_PREC, CTX_REF, CTX_XS, CTX_YS, PREC_F32, CTX_SECOND, CTX_STEP, CTX_T,
  CTX_TASK, CTX_TASK_DIAG, CTX_TASK_P0, CTX_TASK_P1, CTX_TASK_P2, CTX_TASK_R, CTX_THETA, CTX_TRACE, CTX_UNIF,
  CTX_VEC, CTX_W0, CTX_WORK, CTX_X, CTX_XALL, CTX_Y, CTX_YALL, CTX_Z, MODE_NT, SECOND_SHARED, TASK_DATA,
  TASK_QUADRATIC, CTX_POOL, CTX_XCUR, CTX_STEP_LR,
} from "../../src/kernels/abi";
import { dactivate, sactivate } from "./activation";
import { at, gf, gi, gp, ix, sf } from "./context";
import { adamAdvance, learningRate, update, updateNeurons, updateScalars } from "./optimizer";
import { dispatch, shareStart, TASK_TRAIN_A, TASK_TRAIN_B, threadCount } from "../threads";

// ---------------------------------------------------------------------------------------
// Batches

/** A fresh batch of the context's task (the sampler task.sample runs), into CTX_X / CTX_Y. */
function sampleBatch(ctx: usize, st: usize): void {
  const b = gi(ctx, CTX_B), d = gi(ctx, CTX_D);
  const X = gp(ctx, CTX_X), y = gp(ctx, CTX_Y);
  const diag = gi(ctx, CTX_TASK_DIAG) != 0;
  if (gi(ctx, CTX_TASK) == TASK_QUADRATIC) {
    sampleQuadratic(b, d, st, X, y, diag, gp(ctx, CTX_TASK_P0), gf(ctx, CTX_TRACE), gf(ctx, CTX_NOISE),
      gp(ctx, CTX_WORK), gp(ctx, CTX_VEC));
  } else {
    sampleMixture(b, d, gi(ctx, CTX_TASK_R), st, X, y, diag, gp(ctx, CTX_TASK_P0), gp(ctx, CTX_TASK_P1),
      gp(ctx, CTX_TASK_P2), gp(ctx, CTX_WORK));
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
// Forward + backward on the batch (X: b×d, y: b, of type T). Writes the raw gradient into
// CTX_GRAD and returns the batch loss (1/b) Σ (ŷ − y)², accumulated in float64 whatever T.
// Written once for T = f64 (PREC_F64: every buffer float64, the default, bit-identical across
// builds and engines) and T = f32 (PREC_F32: θ, ∇, W0, A0 and the b×N work in float32, the
// GEMMs by sgemm's f32x4 micro-kernel; rᵢ = ŷᵢ − yᵢ in float32, r² summed in float64).

// @ts-ignore: decorator
@inline function gemmT<T>(m: i32, n: i32, k: i32, a: usize, rsa: i32, csa: i32, b: usize, rsb: i32, csb: i32,
  c: usize, ldc: i32, accumulate: bool): void {
  if (sizeof<T>() == 8) dgemm(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc, accumulate);
  else sgemm(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc, accumulate);
}

// The step is split at its reductions over neurons so that the threads builds can run the
// column-wise parts on several instances (../threads.ts): forwardCols and backwardCols touch
// neuron columns [j0, j1) only, each element computed the same way whoever computes it;
// reduceRows sums over all N on one instance. The one-thread path runs them over [0, N).

/** Z = X·W, (NT: T = X·G), F = σ(Z), D = σ'(Z) and coef, on neuron columns [j0, j1). */
function forwardCols<T>(ctx: usize, X: usize, j0: i32, j1: i32): void {
  const nt = gi(ctx, CTX_MODE) == MODE_NT;
  const b = gi(ctx, CTX_B), d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const shared = !nt && gi(ctx, CTX_SECOND) == SECOND_SHARED;
  const alpha = gf(ctx, CTX_ALPHA);
  const theta = gp(ctx, CTX_THETA);
  const dN = d * N;
  const pa = ix<T>(theta, dN);
  const W = nt ? gp(ctx, CTX_W0) : theta;
  const Z = gp(ctx, CTX_Z), F = gp(ctx, CTX_F), D = gp(ctx, CTX_DZ), T_ = gp(ctx, CTX_T);
  const coef = gp(ctx, CTX_COEF);
  const sc = <T>(alpha / <f64>N);
  const row = <usize>N << (sizeof<T>() == 8 ? 3 : 2); // bytes of one b×N row
  const nj = j1 - j0;

  // Z = X·W (b×N), and for NT T = X·G
  gemmT<T>(b, nj, d, X, d, 1, ix<T>(W, j0), N, 1, ix<T>(Z, j0), N, false);
  if (nt) gemmT<T>(b, nj, d, X, d, 1, ix<T>(theta, j0), N, 1, ix<T>(T_, j0), N, false);

  // F = σ(Z), D = σ'(Z) (elementwise: one call over the whole block, or one per row segment)
  const act = gi(ctx, CTX_ACT);
  if (j0 == 0 && j1 == N) {
    if (sizeof<T>() == 8) dactivate(b * N, Z, F, D, act);
    else sactivate(b * N, Z, F, D, act);
  } else {
    for (let k = 0; k < b; k++) {
      const o = <usize>k * row;
      if (sizeof<T>() == 8) dactivate(nj, ix<T>(Z + o, j0), ix<T>(F + o, j0), ix<T>(D + o, j0), act);
      else sactivate(nj, ix<T>(Z + o, j0), ix<T>(F + o, j0), ix<T>(D + o, j0), act);
    }
  }

  // coefᵢ = (α/N)·Aᵢ (the output weight of neuron i); NT: the derivative weight (α/N)·a⁰ᵢ
  if (nt) {
    const a0 = gp(ctx, CTX_A0);
    for (let i = j0; i < j1; i++) store<T>(ix<T>(coef, i), sc * load<T>(ix<T>(a0, i)));
  } else if (shared) {
    const s = sc * load<T>(pa);
    for (let i = j0; i < j1; i++) store<T>(ix<T>(coef, i), s);
  } else {
    for (let i = j0; i < j1; i++) store<T>(ix<T>(coef, i), sc * load<T>(ix<T>(pa, i)));
  }
}

/**
 * The reductions over all neurons, after forwardCols on every column: ŷ, the loss, eₖ (in
 * vec), ∂L/∂c and a shared ∂L/∂a. Returns the loss.
 */
function reduceRows<T>(ctx: usize, y: usize): f64 {
  const nt = gi(ctx, CTX_MODE) == MODE_NT;
  const b = gi(ctx, CTX_B), d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const shared = !nt && gi(ctx, CTX_SECOND) == SECOND_SHARED;
  const alpha = gf(ctx, CTX_ALPHA), beta = gf(ctx, CTX_BETA);
  const theta = gp(ctx, CTX_THETA), grad = gp(ctx, CTX_GRAD);
  const dN = d * N;
  const pa = ix<T>(theta, dN);
  const na = shared ? 1 : N;
  const c = load<T>(ix<T>(theta, dN + na));
  const F = gp(ctx, CTX_F), D = gp(ctx, CTX_DZ), T_ = gp(ctx, CTX_T);
  const coef = gp(ctx, CTX_COEF), colacc = gp(ctx, CTX_COLACC), vec = gp(ctx, CTX_VEC);
  const sc = <T>(alpha / <f64>N);
  const row = <usize>N << (sizeof<T>() == 8 ? 3 : 2); // bytes of one b×N row

  // ŷₖ, rₖ = ŷₖ − yₖ, loss; rₖ is kept in vec (overwritten by eₖ below)
  const bc = <T>beta * c;
  let loss: f64 = 0;
  for (let k = 0; k < b; k++) {
    const fr = F + <usize>k * row;
    let s0: T = 0, s1: T = 0;
    let i = 0;
    if (nt) {
      // Σᵢ (α/N)aᵢ Fₖᵢ + (α/N)a⁰ᵢ Dₖᵢ Tₖᵢ
      const dr = D + <usize>k * row, tr = T_ + <usize>k * row;
      for (; i + 1 < N; i += 2) {
        s0 += sc * load<T>(ix<T>(pa, i)) * load<T>(ix<T>(fr, i)) + load<T>(ix<T>(coef, i)) * (load<T>(ix<T>(dr, i)) * load<T>(ix<T>(tr, i)));
        s1 += sc * load<T>(ix<T>(pa, i + 1)) * load<T>(ix<T>(fr, i + 1)) + load<T>(ix<T>(coef, i + 1)) * (load<T>(ix<T>(dr, i + 1)) * load<T>(ix<T>(tr, i + 1)));
      }
      if (i < N) s0 += sc * load<T>(ix<T>(pa, i)) * load<T>(ix<T>(fr, i)) + load<T>(ix<T>(coef, i)) * (load<T>(ix<T>(dr, i)) * load<T>(ix<T>(tr, i)));
      const out = bc + (s0 + s1);
      const r = out - load<T>(ix<T>(y, k));
      store<T>(ix<T>(vec, k), r);
      loss += <f64>r * <f64>r;
    } else if (shared) {
      // row sum Σᵢ Fₖᵢ (kept for ∂L/∂a), ŷ = βc + (α/N)·a·rowsum
      for (; i + 1 < N; i += 2) {
        s0 += load<T>(ix<T>(fr, i));
        s1 += load<T>(ix<T>(fr, i + 1));
      }
      if (i < N) s0 += load<T>(ix<T>(fr, i));
      const rs = s0 + s1;
      store<T>(ix<T>(colacc, k), rs); // colacc has max(b, N) slots
      const out = bc + load<T>(coef) * rs;
      const r = out - load<T>(ix<T>(y, k));
      store<T>(ix<T>(vec, k), r);
      loss += <f64>r * <f64>r;
    } else {
      for (; i + 1 < N; i += 2) {
        s0 += load<T>(ix<T>(coef, i)) * load<T>(ix<T>(fr, i));
        s1 += load<T>(ix<T>(coef, i + 1)) * load<T>(ix<T>(fr, i + 1));
      }
      if (i < N) s0 += load<T>(ix<T>(coef, i)) * load<T>(ix<T>(fr, i));
      const out = bc + (s0 + s1);
      const r = out - load<T>(ix<T>(y, k));
      store<T>(ix<T>(vec, k), r);
      loss += <f64>r * <f64>r;
    }
  }
  const inv = 1.0 / <f64>b;
  loss *= inv;

  // eₖ = (2/b) rₖ; ∂L/∂c = β Σ eₖ
  const two = <T>(2.0 * inv);
  let se: T = 0;
  for (let k = 0; k < b; k++) {
    const e = two * load<T>(ix<T>(vec, k));
    store<T>(ix<T>(vec, k), e);
    se += e;
  }
  const ga = ix<T>(grad, dN);
  store<T>(ix<T>(grad, dN + na), <T>beta * se);

  // ∂L/∂a, shared (per-neuron aᵢ: backwardCols)
  if (shared) {
    let s: T = 0;
    for (let k = 0; k < b; k++) s += load<T>(ix<T>(vec, k)) * load<T>(ix<T>(colacc, k));
    store<T>(ga, sc * s);
  }
  return loss;
}

/** Per-neuron ∂L/∂aᵢ, E = e ∘ D ∘ coef and ∂L/∂W (or ∂L/∂G) = Xᵀ E, on neuron columns [j0, j1). */
function backwardCols<T>(ctx: usize, X: usize, j0: i32, j1: i32): void {
  const nt = gi(ctx, CTX_MODE) == MODE_NT;
  const b = gi(ctx, CTX_B), d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const shared = !nt && gi(ctx, CTX_SECOND) == SECOND_SHARED;
  const alpha = gf(ctx, CTX_ALPHA);
  const grad = gp(ctx, CTX_GRAD);
  const dN = d * N;
  const F = gp(ctx, CTX_F), D = gp(ctx, CTX_DZ), T_ = gp(ctx, CTX_T);
  const coef = gp(ctx, CTX_COEF), colacc = gp(ctx, CTX_COLACC), vec = gp(ctx, CTX_VEC);
  const sc = <T>(alpha / <f64>N);
  const row = <usize>N << (sizeof<T>() == 8 ? 3 : 2); // bytes of one b×N row
  const ga = ix<T>(grad, dN);

  // ∂L/∂aᵢ = (α/N) Σₖ eₖ Fₖᵢ (rows in ascending order per column)
  if (!shared) {
    memory.fill(ix<T>(colacc, j0), 0, <usize>(j1 - j0) << (sizeof<T>() == 8 ? 3 : 2));
    for (let k = 0; k < b; k++) {
      const e = load<T>(ix<T>(vec, k));
      const fr = F + <usize>k * row;
      for (let i = j0; i < j1; i++) store<T>(ix<T>(colacc, i), load<T>(ix<T>(colacc, i)) + e * load<T>(ix<T>(fr, i)));
    }
    for (let i = j0; i < j1; i++) store<T>(ix<T>(ga, i), sc * load<T>(ix<T>(colacc, i)));
  }

  // E = e ∘ D ∘ coef (into T), ∂L/∂W (or ∂L/∂G) = Xᵀ E
  for (let k = 0; k < b; k++) {
    const e = load<T>(ix<T>(vec, k));
    const dr = D + <usize>k * row, er = T_ + <usize>k * row;
    for (let i = j0; i < j1; i++) store<T>(ix<T>(er, i), (e * load<T>(ix<T>(dr, i))) * load<T>(ix<T>(coef, i)));
  }
  gemmT<T>(d, j1 - j0, b, X, 1, d, ix<T>(T_, j0), N, 1, ix<T>(grad, j0), N, false);
}

function forwardBackward<T>(ctx: usize, X: usize, y: usize): f64 {
  const N = gi(ctx, CTX_N);
  forwardCols<T>(ctx, X, 0, N);
  const loss = reduceRows<T>(ctx, y);
  backwardCols<T>(ctx, X, 0, N);
  return loss;
}

/**
 * One share of a threaded step (called by ../threads.ts on every instance): forward (phase A)
 * or backward and update (phase B) on this share's neuron columns. The batch and the learning
 * rate come from CTX_XCUR and CTX_STEP_LR, written by instance 0 before the dispatch.
 */
export function trainShare(ctx: usize, phaseB: bool, k: i32, id: i32): void {
  const N = gi(ctx, CTX_N);
  const f32 = gi(ctx, CTX_PREC) == PREC_F32;
  const align = f32 ? 8 : 4; // GEMM micro-tile width (blas/gemm.ts NR)
  const j0 = shareStart(N, k, id, align), j1 = shareStart(N, k, id + 1, align);
  if (j1 <= j0) return;
  const X = gp(ctx, CTX_XCUR);
  if (!phaseB) {
    if (f32) forwardCols<f32>(ctx, X, j0, j1);
    else forwardCols<f64>(ctx, X, j0, j1);
  } else {
    const lr = gf(ctx, CTX_STEP_LR);
    if (f32) {
      backwardCols<f32>(ctx, X, j0, j1);
      updateNeurons<f32>(ctx, lr, j0, j1);
    } else {
      backwardCols<f64>(ctx, X, j0, j1);
      updateNeurons<f64>(ctx, lr, j0, j1);
    }
  }
}

/** Round n float64 values at src to float32 at dst (round to nearest even: f32.demote_f64). */
function demote(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), <f32>load<f64>(src + (<usize>i << 3)));
}

/**
 * The step's forward and backward in the context's precision on the float64 batch (X, y):
 * PREC_F32 first rounds the batch to float32 (CTX_XS, CTX_YS), so an f32 run sees exactly the
 * batches of the f64 run with the same seed, rounded once.
 */
function lossGrad(ctx: usize, X: usize, y: usize): f64 {
  if (gi(ctx, CTX_PREC) == PREC_F32) {
    const b = gi(ctx, CTX_B);
    const xs = gp(ctx, CTX_XS), ys = gp(ctx, CTX_YS);
    demote(X, xs, b * gi(ctx, CTX_D));
    demote(y, ys, b);
    return forwardBackward<f32>(ctx, xs, ys);
  }
  return forwardBackward<f64>(ctx, X, y);
}

// ---------------------------------------------------------------------------------------
// Entry points

/**
 * This step's batch: drawn from the task (online), gathered from the sample (minibatches), or —
 * `full`, a batch at least the sample's size — the whole sample, already in CTX_XALL / CTX_YALL.
 */
function nextBatch(ctx: usize, st: usize, task: i32, full: bool): void {
  if (task != TASK_DATA) sampleBatch(ctx, st);
  else if (!full) gatherBatch(ctx, st);
}

/**
 * Stores step k's batch loss, raises the divergence reference to the first loss if larger, and
 * says whether training may go on (false: not finite, or above CTX_EXPLODE·CTX_REF).
 */
function recordLoss(ctx: usize, losses: usize, k: i32, t: i32, loss: f64): bool {
  store<f64>(at(losses, k), loss);
  if (t == 0) {
    const ref = gf(ctx, CTX_REF);
    if (loss > ref) sf(ctx, CTX_REF, loss);
  }
  return loss <= gf(ctx, CTX_EXPLODE) * gf(ctx, CTX_REF);
}

/**
 * Run up to `steps` training steps with the generator state at `st`; the batch loss of each
 * step (before its update) goes to losses[k]. Stops early, without updating, at the first
 * loss that is not finite or exceeds CTX_EXPLODE·CTX_REF, and returns the number of steps
 * completed (so losses[return value] is the offending loss when it is < steps).
 */
export function nnTrain(ctx: usize, st: usize, steps: i32, losses: usize): i32 {
  const ctl = gp(ctx, CTX_POOL);
  if (ASC_FEATURE_THREADS && threadCount(ctl) > 1) return nnTrainThreaded(ctx, st, steps, losses, ctl);
  const task = gi(ctx, CTX_TASK);
  const full = task == TASK_DATA && gi(ctx, CTX_B) >= gi(ctx, CTX_NDATA);
  const f32 = gi(ctx, CTX_PREC) == PREC_F32;
  for (let k = 0; k < steps; k++) {
    const t = gi(ctx, CTX_STEP);
    nextBatch(ctx, st, task, full);
    const loss = lossGrad(ctx, gp(ctx, full ? CTX_XALL : CTX_X), gp(ctx, full ? CTX_YALL : CTX_Y));
    if (!recordLoss(ctx, losses, k, t, loss)) return k;
    if (f32) update<f32>(ctx, learningRate(ctx, t));
    else update<f64>(ctx, learningRate(ctx, t));
    sf(ctx, CTX_STEP, <f64>(t + 1));
  }
  return steps;
}

/**
 * nnTrain over the instances of the control block `ctl` (threads builds): the same step, with
 * sampling, the reductions over neurons and the scalar updates on this instance and the
 * column-wise work (GEMMs, activations, E, per-neuron gradients and updates) shared out.
 * Bit-identical to nnTrain on one instance (../threads.ts header).
 */
function nnTrainThreaded(ctx: usize, st: usize, steps: i32, losses: usize, ctl: usize): i32 {
  const task = gi(ctx, CTX_TASK);
  const full = task == TASK_DATA && gi(ctx, CTX_B) >= gi(ctx, CTX_NDATA);
  const f32 = gi(ctx, CTX_PREC) == PREC_F32;
  for (let k = 0; k < steps; k++) {
    const t = gi(ctx, CTX_STEP);
    nextBatch(ctx, st, task, full);
    let X = gp(ctx, full ? CTX_XALL : CTX_X), y = gp(ctx, full ? CTX_YALL : CTX_Y);
    if (f32) {
      const b = gi(ctx, CTX_B);
      const xs = gp(ctx, CTX_XS), ys = gp(ctx, CTX_YS);
      demote(X, xs, b * gi(ctx, CTX_D));
      demote(y, ys, b);
      X = xs;
      y = ys;
    }
    sf(ctx, CTX_XCUR, <f64>X);
    dispatch(ctl, TASK_TRAIN_A, ctx);
    const loss = f32 ? reduceRows<f32>(ctx, y) : reduceRows<f64>(ctx, y);
    if (!recordLoss(ctx, losses, k, t, loss)) return k;
    const lr = learningRate(ctx, t);
    sf(ctx, CTX_STEP_LR, lr);
    adamAdvance(ctx);
    dispatch(ctl, TASK_TRAIN_B, ctx);
    if (f32) updateScalars<f32>(ctx, lr);
    else updateScalars<f64>(ctx, lr);
    sf(ctx, CTX_STEP, <f64>(t + 1));
  }
  return steps;
}

/**
 * Loss and raw gradient (into CTX_GRAD) at the current parameters on the batch already in
 * CTX_X / CTX_Y (b rows): the code path of every training step, without sampling or update.
 */
export function nnLossGrad(ctx: usize): f64 {
  return lossGrad(ctx, gp(ctx, CTX_X), gp(ctx, CTX_Y));
}

/** Learning rate the schedule gives at step t (for reporting; the training uses the same function). */
export function nnLearningRate(ctx: usize, t: i32): f64 {
  return learningRate(ctx, t);
}
