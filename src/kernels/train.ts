// Kernels layer, training: the only TypeScript that builds the WebAssembly training context
// (slot indices and enum codes: ./abi.ts, shared with assembly/nn) and calls nnTrain,
// nnLossGrad and nnLearningRate. Callers (src/training) speak in ABI codes and plain arrays;
// every heap pointer stays in here.
//
// Parameter vector θ (one contiguous block, also the layout of the gradient and Adam moments):
//   [ W or G: d×N row-major, one neuron per column | a: N (1 when shared) | c: 1 ].

import * as ABI from "./abi.js";
import { abiWasm } from "./checked.js";
import { writeTaskSlots, type TaskSampler } from "./tasks.js";
import type { Exports } from "../runtime/abi.js";
import { threadControl, wasm } from "../runtime/module.js";
import { heapF32, heapF64, readF32, readF64, Scope, scoped } from "../runtime/memory.js";
import type { Rng } from "../random/rng.js";

/** Adam's constants (Kingma & Ba 2015, the paper's defaults). */
const ADAM_B1 = 0.9,
  ADAM_B2 = 0.999,
  ADAM_EPS = 1e-8;

/** @internal Everything a training context holds, in ABI terms (codes from ./abi.ts). */
export interface ContextConfig {
  mode: number; // MODE_*
  d: number;
  N: number;
  /** Batch rows. */
  b: number;
  act: number; // ACT_*
  second: number; // SECOND_* (NT: SECOND_FREE)
  alpha: number;
  beta: number;
  opt: number; // OPT_*
  /** NN: the initial W; NT: the frozen W (d×N row-major). */
  W0: Float64Array;
  /** NN: the initial a (length 1 when shared); NT: the frozen a⁰, also the initial a. */
  a0: Float64Array;
  c0: number;
  /** NT: the initial G (default 0). */
  G0?: Float64Array;
  /** Online batches from a task, or a fixed sample (X n×d, y), or neither (inspection only). */
  task: TaskSampler | null;
  data: { X: Float64Array; y: Float64Array; n: number } | null;
  sched: number; // SCHED_*
  lr: number;
  steps: number;
  /** Paper schedule: lr/10 from step steps − tail1, lr/15 from steps − tail2. */
  tail1: number;
  tail2: number;
  /** Divergence when a batch loss exceeds explode × max(ref, first loss), or is not finite. */
  ref: number;
  explode: number;
  /**
   * PREC_F64 (default) or PREC_F32: the element type of θ, the gradient, the Adam moments, the
   * frozen W0/a⁰ and the b×N work. The batch is sampled in float64 either way (and rounded).
   */
  prec?: number;
}

/** Length of θ's a block: 1 for the NN's shared scalar, else N (as assembly/nn reads it). */
function secondLength(cfg: ContextConfig): number {
  return cfg.mode !== ABI.MODE_NT && cfg.second === ABI.SECOND_SHARED ? 1 : cfg.N;
}

/** @internal A training context on the heap, with every buffer it uses; release() frees them. */
export class TrainingContext {
  private readonly s = new Scope();
  private readonly ex: Exports;
  private readonly ctx: number;
  private readonly thetaPtr: number;
  private readonly gradPtr: number;
  private readonly xPtr: number;
  private readonly yPtr: number;
  private lossPtr = 0;
  /** Bytes per element of θ and the gradient: 8 (PREC_F64) or 4 (PREC_F32). */
  private readonly es: number;
  /** Length of θ: d·N + (1 or N) + 1. */
  readonly nTheta: number;

  constructor(cfg: ContextConfig) {
    this.ex = abiWasm();
    this.es = cfg.prec === ABI.PREC_F32 ? 4 : 8;
    try {
      [this.ctx, this.thetaPtr, this.gradPtr, this.xPtr, this.yPtr] = this.build(cfg);
    } catch (e) {
      this.s.release(); // a failed allocation leaves the heap as it was
      throw e;
    }
    this.nTheta = cfg.d * cfg.N + secondLength(cfg) + 1;
  }

  /** Allocates and fills the context; returns its pointer and those of θ, ∇, X and y. */
  private build(cfg: ContextConfig): [number, number, number, number, number] {
    const s = this.s;
    const { d, N, b } = cfg;
    const nt = cfg.mode === ABI.MODE_NT;
    const na = secondLength(cfg);
    const dN = d * N;
    const nTheta = dN + na + 1;
    const f32 = cfg.prec === ABI.PREC_F32;
    const es = f32 ? 4 : 8;
    // a T-typed copy of the given values (f32: rounded to nearest)
    const put = (v: ArrayLike<number>) => (f32 ? s.f32(v) : s.f64(v));
    const c = new Float64Array(ABI.CTX_SLOTS);
    c[ABI.CTX_PREC] = f32 ? ABI.PREC_F32 : ABI.PREC_F64;
    c[ABI.CTX_MODE] = cfg.mode;
    c[ABI.CTX_D] = d;
    c[ABI.CTX_N] = N;
    c[ABI.CTX_B] = b;
    c[ABI.CTX_ACT] = cfg.act;
    c[ABI.CTX_SECOND] = cfg.second;
    c[ABI.CTX_ALPHA] = cfg.alpha;
    c[ABI.CTX_BETA] = cfg.beta;
    c[ABI.CTX_OPT] = cfg.opt;
    c[ABI.CTX_ADAM_B1] = ADAM_B1;
    c[ABI.CTX_ADAM_B2] = ADAM_B2;
    c[ABI.CTX_ADAM_EPS] = ADAM_EPS;
    c[ABI.CTX_ADAM_B1T] = 1;
    c[ABI.CTX_ADAM_B2T] = 1;
    c[ABI.CTX_STEPS] = cfg.steps;
    c[ABI.CTX_SCHED] = cfg.sched;
    c[ABI.CTX_LR] = cfg.lr;
    c[ABI.CTX_TAIL1] = cfg.tail1;
    c[ABI.CTX_TAIL2] = cfg.tail2;
    c[ABI.CTX_REF] = cfg.ref;
    c[ABI.CTX_EXPLODE] = cfg.explode;
    // the helper threads of init({ threads }) share each step (0: this thread alone)
    c[ABI.CTX_POOL] = threadControl();

    // parameters θ = [W or G | a | c]
    const theta0 = new Float64Array(nTheta);
    if (nt) {
      if (cfg.G0) theta0.set(cfg.G0, 0);
    } else {
      theta0.set(cfg.W0, 0);
    }
    theta0.set(cfg.a0, dN);
    theta0[dN + na] = cfg.c0;
    const theta = (c[ABI.CTX_THETA] = put(theta0));
    const grad = (c[ABI.CTX_GRAD] = s.alloc(nTheta * es));
    if (cfg.opt === ABI.OPT_ADAM) {
      c[ABI.CTX_M] = put(new Float64Array(nTheta));
      c[ABI.CTX_V] = put(new Float64Array(nTheta));
    }
    if (nt) {
      c[ABI.CTX_W0] = put(cfg.W0);
      c[ABI.CTX_A0] = put(cfg.a0);
    }
    // the sample stays float64 (the task samplers write it); f32 rounds it into XS, YS
    const X = (c[ABI.CTX_X] = s.alloc(b * d * 8));
    const y = (c[ABI.CTX_Y] = s.alloc(b * 8));
    if (f32) {
      c[ABI.CTX_XS] = s.alloc(b * d * 4);
      c[ABI.CTX_YS] = s.alloc(b * 4);
    }
    c[ABI.CTX_Z] = s.alloc(b * N * es);
    c[ABI.CTX_F] = s.alloc(b * N * es);
    c[ABI.CTX_DZ] = s.alloc(b * N * es);
    c[ABI.CTX_T] = s.alloc(b * N * es);
    c[ABI.CTX_VEC] = s.alloc(b * 8); // also the samplers' float64 label-noise draws
    c[ABI.CTX_COEF] = s.alloc(N * es);
    c[ABI.CTX_COLACC] = s.alloc(Math.max(b, N) * es);
    if (cfg.task !== null) {
      writeTaskSlots(s, c, cfg.task, b);
    } else if (cfg.data !== null) {
      const n = cfg.data.n;
      c[ABI.CTX_TASK] = ABI.TASK_DATA;
      c[ABI.CTX_NDATA] = n;
      c[ABI.CTX_XALL] = s.f64(cfg.data.X);
      c[ABI.CTX_YALL] = s.f64(cfg.data.y);
      c[ABI.CTX_PERM] = s.alloc(n * 4);
      c[ABI.CTX_UNIF] = s.alloc(n * 8);
      c[ABI.CTX_POS] = n; // shuffle before the first minibatch
    }
    return [s.f64(c), theta, grad, X, y];
  }

  /** Free the context's heap blocks (the context is unusable afterwards). */
  release(): void {
    this.s.release();
  }

  /** False once init() with other options replaced the module this context lives in. */
  get live(): boolean {
    return wasm() === this.s.exports;
  }

  /**
   * Up to k steps with the generator `rng` (its state advances). Returns the number of steps
   * completed (< k when a loss diverged: losses[done] is that loss) and the batch losses
   * (length min(k, done + 1)).
   */
  run(k: number, rng: Rng, maxChunk: number): { done: number; losses: Float64Array } {
    if (this.lossPtr === 0) this.lossPtr = this.s.alloc(maxChunk * 8);
    if (k > maxChunk) throw new RangeError(`TrainingContext.run: ${k} steps exceed the chunk buffer (${maxChunk})`);
    threadControl(); // the threads this chunk may use (compare's tail grants; no effect on the bits)
    const done = rng.withState((st) => this.ex.nnTrain(this.ctx, st, k, this.lossPtr));
    return { done, losses: readF64(this.lossPtr, Math.min(k, done + 1)) };
  }

  /** Learning rate the schedule gives at step t (the training's own function). */
  learningRate(t: number): number {
    return this.ex.nnLearningRate(this.ctx, t);
  }

  /** The divergence reference max(ref, first batch loss). */
  reference(): number {
    return heapF64()[(this.ctx >>> 3) + ABI.CTX_REF];
  }

  /** A copy of the current θ (float64; an f32 context's values widened exactly). */
  theta(): Float64Array {
    return this.read(this.thetaPtr, this.nTheta);
  }

  private read(ptr: number, n: number): Float64Array {
    return this.es === 4 ? Float64Array.from(readF32(ptr, n)) : readF64(ptr, n);
  }

  /** Overwrite θ[offset …] (e.g. NT inspection, where a starts apart from a⁰); f32: rounded. */
  setTheta(values: Float64Array, offset: number): void {
    if (this.es === 4) heapF32().set(values, (this.thetaPtr >>> 2) + offset);
    else heapF64().set(values, (this.thetaPtr >>> 3) + offset);
  }

  /**
   * Loss and raw gradient at the current θ on a given batch of exactly b rows (X b×d, y b): the
   * code path of every training step, without sampling or update.
   */
  lossAndGradient(X: Float64Array, y: Float64Array): { loss: number; gradient: Float64Array } {
    heapF64().set(X, this.xPtr >>> 3);
    heapF64().set(y, this.yPtr >>> 3);
    const loss = this.ex.nnLossGrad(this.ctx);
    return { loss, gradient: this.read(this.gradPtr, this.nTheta) };
  }
}

/**
 * @internal
 * The learning rate of each step 0 … steps − 1 under a schedule (codes and tails as in
 * ContextConfig), computed by the kernel's own schedule function.
 */
export function scheduleRates(sched: number, lr: number, steps: number, tail1: number, tail2: number): Float64Array {
  return scoped((s) => {
    const ex = abiWasm();
    const c = new Float64Array(ABI.CTX_SLOTS);
    c[ABI.CTX_STEPS] = steps;
    c[ABI.CTX_SCHED] = sched;
    c[ABI.CTX_LR] = lr;
    c[ABI.CTX_TAIL1] = tail1;
    c[ABI.CTX_TAIL2] = tail2;
    const ctx = s.f64(c);
    const out = new Float64Array(steps);
    for (let t = 0; t < steps; t++) out[t] = ex.nnLearningRate(ctx, t);
    return out;
  });
}
