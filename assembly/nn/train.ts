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
// Determinism: the GEMMs are bit-identical across builds (blas/gemm.ts); the elementwise
// kernels here are written once, in scalar code shared by both builds, except the parameter
// update (optimizer.ts), whose SIMD path performs the same per-element operations as the scalar
// one. Reductions over a row use two interleaved accumulators (even/odd index) combined as
// s0 + s1; reductions over rows accumulate each column in ascending row order.
//
// Layout: the context slots and enum codes are src/kernels/abi.ts (shared with TypeScript);
// context.ts reads them; the batch comes from ../tasks (sampling, written once) or gatherBatch
// below; σ from activation.ts; the update and schedule from optimizer.ts.

import { dgemm } from "../blas/gemm";
import { rngUniform } from "../random/xoshiro";
import { sampleMixture } from "../tasks/mixture";
import { sampleQuadratic } from "../tasks/quadratic";
import {
  CTX_A0, CTX_ACT, CTX_ALPHA, CTX_B, CTX_BETA, CTX_COEF, CTX_COLACC, CTX_D, CTX_DZ, CTX_EXPLODE, CTX_F, CTX_GRAD,
  CTX_MODE, CTX_N, CTX_NDATA, CTX_NOISE, CTX_PERM, CTX_POS, CTX_REF, CTX_SECOND, CTX_STEP, CTX_T,
  CTX_TASK, CTX_TASK_DIAG, CTX_TASK_P0, CTX_TASK_P1, CTX_TASK_P2, CTX_TASK_R, CTX_THETA, CTX_TRACE, CTX_UNIF,
  CTX_VEC, CTX_W0, CTX_WORK, CTX_X, CTX_XALL, CTX_Y, CTX_YALL, CTX_Z, MODE_NT, SECOND_SHARED, TASK_DATA,
  TASK_QUADRATIC,
} from "../../src/kernels/abi";
import { dactivate } from "./activation";
import { at, gf, gi, gp, sf } from "./context";
import { learningRate, update } from "./optimizer";

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
// Forward + backward on the batch (X: b×d, y: b). Writes the raw gradient into CTX_GRAD and
// returns the batch loss (1/b) Σ (ŷ − y)².

function forwardBackward(ctx: usize, X: usize, y: usize): f64 {
  const nt = gi(ctx, CTX_MODE) == MODE_NT;
  const b = gi(ctx, CTX_B), d = gi(ctx, CTX_D), N = gi(ctx, CTX_N);
  const shared = !nt && gi(ctx, CTX_SECOND) == SECOND_SHARED;
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
  dactivate(b * N, Z, F, D, gi(ctx, CTX_ACT));

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
// Entry points

/**
 * Run up to `steps` training steps with the generator state at `st`; the batch loss of each
 * step (before its update) goes to losses[k]. Stops early, without updating, at the first
 * loss that is not finite or exceeds CTX_EXPLODE·CTX_REF, and returns the number of steps
 * completed (so losses[return value] is the offending loss when it is < steps).
 */
export function nnTrain(ctx: usize, st: usize, steps: i32, losses: usize): i32 {
  const task = gi(ctx, CTX_TASK);
  const full = task == TASK_DATA && gi(ctx, CTX_B) >= gi(ctx, CTX_NDATA);
  for (let k = 0; k < steps; k++) {
    const t = gi(ctx, CTX_STEP);
    let X = gp(ctx, CTX_X), y = gp(ctx, CTX_Y);
    if (task == TASK_DATA) {
      if (full) {
        X = gp(ctx, CTX_XALL);
        y = gp(ctx, CTX_YALL);
      } else {
        gatherBatch(ctx, st);
      }
    } else {
      sampleBatch(ctx, st);
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
