// Gradient training of the two-layer network (NN) and of its linearisation (NT) by online SGD
// — the authors' protocol (docs/theory.md §6) — or Adam, on fresh samples every step or on a given
// sample. Every step runs in WebAssembly (assembly/nn/train.ts): sampling, forward, loss,
// backward as GEMMs plus fused elementwise passes, update. This file drives the kernel in
// chunks (progress, AbortSignal, divergence, exact-risk checkpoints) and wraps the result.
// Loss: mean over the batch of (ŷ − y)²; SGD steps θ ← θ − lr·s·∇L with the rescaling
// s = N/α² (W, G, per-neuron a), 1/α² (shared a), 1/β² (c).

import * as ABI from "../kernels/abi.js";
import { TrainingContext, type ContextConfig } from "../kernels/train.js";
import { yieldToEventLoop } from "../runtime/yield.js";
import { ACTIVATION_CODE, Model } from "../regimes/model.js";
import { samplerOf } from "../tasks/common.js";
import { PRECISION_ABI, resolve, SECOND_ABI, type Resolved } from "./options.js";
import { readModel, type ThetaShape } from "./params.js";
import { convergenceOf } from "./convergence.js";
import { paperTails, SCHEDULE_CODE } from "./schedule.js";
import {
  TrainedModel,
  type TrainInfo,
  type TrainingCurve,
  type TrainNNOptions,
  type TrainNTOptions,
  type TrainProgress,
} from "./types.js";

/** Divergence: a batch loss above EXPLODE × max(E y², first loss), or not finite. */
const EXPLODE = 1e4;
const MAX_CHUNK = 4096;
const CHUNK_SECONDS = 0.05;

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** The kernel's view of resolved options. */
function contextConfig(r: Resolved): ContextConfig {
  const nt = r.regime === "NT";
  return {
    mode: nt ? ABI.MODE_NT : ABI.MODE_NN,
    d: r.d,
    N: r.N,
    b: r.batch,
    act: ACTIVATION_CODE[r.activation],
    second: nt ? ABI.SECOND_FREE : SECOND_ABI[r.second],
    alpha: r.alpha,
    beta: r.beta,
    opt: r.optimizer === "adam" ? ABI.OPT_ADAM : ABI.OPT_SGD,
    W0: r.W0.data,
    a0: r.a0,
    c0: r.c0,
    task: r.task === null ? null : samplerOf(r.task),
    data: r.X !== null && r.y !== null ? { X: r.X.data, y: r.y, n: r.X.rows } : null,
    sched: SCHEDULE_CODE[r.schedule],
    lr: r.lr,
    steps: r.steps,
    ...paperTails(r.regime, r.steps),
    ref: r.varY,
    explode: EXPLODE,
    prec: PRECISION_ABI[r.precision],
  };
}

/**
 * Halvings of the default learning rate after a divergence. The default is a rule from the
 * tangent kernel's scale (src/training/defaults.ts) that holds for N ≳ 5; a handful of neurons on
 * a small d has a larger top eigenvalue than it predicts — for NT the functions (wᵢᵀx)² reached
 * through aᵢ and through gᵢ ∥ wᵢ carry (1 + 4)·2/N more than the rule's 6, plus the spread of
 * ‖wᵢ‖² — and diverged at the default rate (NT at N ≤ 4 for most d ≤ 12, N = 1 up to d = 20).
 * Rather than change the rule (and with it every committed result), a run at the default rate
 * that diverges is run again from the same seeds at half the rate, up to MAX_HALVINGS times;
 * the model records `training.lrHalvings`. An explicit lr or lrScale is the caller's: it is
 * never changed.
 */
const MAX_HALVINGS = 3;

async function train(regime: "NN" | "NT", options: unknown): Promise<TrainedModel> {
  const first = resolve(regime, options);
  const o = options as { lr?: unknown; lrScale?: unknown };
  const defaultRate = o.lr === undefined && o.lrScale === undefined;
  for (let halvings = 0, lr = first.lr; ; halvings++, lr *= 0.5) {
    // each attempt from the same seeds (a fresh resolve: fresh data generator and W₀)
    const r = halvings === 0 ? first : { ...resolve(regime, options), lr };
    try {
      return await trainOnce(regime, r, halvings);
    } catch (e) {
      const diverged = e instanceof Error && (e as { diverged?: boolean }).diverged === true;
      if (!diverged || !defaultRate || halvings >= MAX_HALVINGS) throw e;
    }
  }
}

async function trainOnce(regime: "NN" | "NT", r: Resolved, halvings: number): Promise<TrainedModel> {
  const shape: ThetaShape = { regime, d: r.d, N: r.N, shared: regime === "NN" && r.second === "shared" };
  const S = r.steps;
  const stride = Math.ceil(S / 1000);
  const nWin = Math.ceil(S / stride);
  const winSum = new Float64Array(nWin);
  const riskSteps: number[] = [],
    risks: number[] = [];
  const exactRisk = r.task !== null && r.task.kind === "quadratic" && r.activation === "square" && r.checkpoints > 0;
  const checkpointEvery = exactRisk ? Math.max(1, Math.ceil(S / r.checkpoints)) : Infinity;
  const flopsPerStep = (regime === "NT" ? 6 : 4) * r.batch * r.d * r.N + 40 * r.batch * r.d;
  let chunk = Math.max(1, Math.min(MAX_CHUNK, Math.floor((CHUNK_SECONDS * 2e9) / flopsPerStep)));
  const t0 = now();
  let t = 0;
  let aborted = false;
  let lastReport = t0,
    repSum = 0,
    repN = 0;
  const ctx = new TrainingContext(contextConfig(r));
  try {
    // f32: the model the kernel trained has the float32-rounded frozen W (and a⁰) of NT
    const f32 = r.precision === "f32";
    const W0 = f32 ? { ...r.W0, data: Float64Array.from(Float32Array.from(r.W0.data)) } : r.W0;
    const a0 = f32 ? Float64Array.from(Float32Array.from(r.a0)) : r.a0;
    const current = () => readModel(shape, r.alpha, r.beta, ctx.theta(), W0, a0);
    const report = (final: boolean) => {
      if (r.onProgress === null) return;
      const tn = now();
      if (!final && tn - lastReport < r.progressInterval) return;
      const elapsed = (tn - t0) / 1e3;
      const lr = ctx.learningRate(t < S ? t : S - 1);
      const p: TrainProgress = {
        step: t,
        steps: S,
        loss: repN > 0 ? repSum / repN : NaN,
        lr,
        elapsed,
        eta: t > 0 ? (elapsed / t) * (S - t) : NaN,
      };
      lastReport = tn;
      repSum = 0;
      repN = 0;
      r.onProgress(p);
    };
    const recordRisk = () => {
      const m = current();
      const model = new Model(m.regime, r.activation, m.W, m.c, m.a, m.S);
      riskSteps.push(t);
      risks.push(model.populationRisk(r.task!).risk);
    };
    if (exactRisk) recordRisk();
    while (t < S) {
      if (r.signal?.aborted) {
        aborted = true;
        break;
      }
      if (!ctx.live) throw new Error(`${r.fn}: lazytrain was re-initialised with other options during training (at step ${t})`);
      const nextCheckpoint = exactRisk ? Math.min(S, (Math.floor(t / checkpointEvery) + 1) * checkpointEvery) : S;
      const k = Math.min(chunk, nextCheckpoint - t);
      const started = now();
      const { done, losses } = ctx.run(k, r.dataRng, MAX_CHUNK);
      const spent = (now() - started) / 1e3;
      for (let j = 0; j < done; j++) {
        const L = losses[j];
        winSum[Math.floor((t + j) / stride)] += L;
        repSum += L;
        repN++;
      }
      if (done < k) throw divergence(r, ctx, t + done, losses[done], halvings);
      t += done;
      if (exactRisk && (t % checkpointEvery === 0 || t === S)) recordRisk();
      // aim at ~CHUNK_SECONDS per chunk
      if (spent > 0) chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round(chunk * Math.min(4, CHUNK_SECONDS / spent))));
      report(false);
      if (t < S) await yieldToEventLoop();
    }
    if (aborted && exactRisk && riskSteps[riskSteps.length - 1] !== t) recordRisk();
    report(true);
    const m = current();
    const nDone = Math.ceil(t / stride);
    const cs = new Float64Array(nDone),
      cl = new Float64Array(nDone);
    for (let j = 0; j < nDone; j++) {
      const end = Math.min((j + 1) * stride, t);
      cs[j] = end;
      cl[j] = winSum[j] / (end - j * stride);
    }
    const curve: TrainingCurve = { step: cs, loss: cl, riskStep: Float64Array.from(riskSteps), risk: Float64Array.from(risks) };
    const info: TrainInfo = {
      options: {
        regime,
        N: r.N,
        d: r.d,
        ...(regime === "NN" ? { secondLayer: r.second } : {}),
        alpha: r.alpha,
        beta: r.beta,
        activation: r.activation,
        precision: r.precision,
        optimizer: r.optimizer,
        lr: r.lr,
        schedule: r.schedule,
        steps: r.steps,
        batch: r.batch,
        online: r.online,
        seed: r.seed,
        checkpoints: r.checkpoints,
        task: r.task?.kind ?? "data",
      },
      steps: t,
      aborted,
      seconds: (now() - t0) / 1e3,
      lr: r.lr,
      ...(halvings > 0 ? { lrHalvings: halvings } : {}),
      convergence: convergenceOf(curve),
    };
    return new TrainedModel(m.regime, r.activation, m.W, m.c, m.a, m.S, m.params, curve, info);
  } finally {
    ctx.release();
  }
}

/** The error of a diverged run: names the step and loss, suggests a smaller lr. */
function divergence(r: Resolved, ctx: TrainingContext, step: number, L: number, halvings: number): Error {
  const lr = ctx.learningRate(step);
  const halved = halvings > 0 ? `, the default rate halved ${halvings} times` : "";
  return Object.assign(
    new Error(
      `${r.fn}: training diverged at step ${step}: batch loss ${L} ${Number.isFinite(L) ? `exceeds ${EXPLODE} × the reference ${ctx.reference()}` : "is not finite"}; ` +
        `try a smaller lr (this run used lr = ${r.lr}${halved}${r.schedule !== "constant" ? `, ${lr} at that step` : ""}${r.regime === "NN" ? `, alpha = ${r.alpha}` : ""})`,
    ),
    { step, loss: L, lr: r.lr, diverged: true },
  );
}

/**
 * Train the two-layer network (all of W, a, c) by online SGD — the authors' protocol: fresh
 * Gaussian samples every step, batch 100, plain SGD with the mean-field rescaling and the
 * "paper" schedule — or Adam, or on a fixed sample. Resolves to the trained model (with its
 * curve); rejects with an Error naming the step and loss when the loss diverges (at the default
 * rate: after MAX_HALVINGS reruns at half the rate, see above).
 */
export function trainNN(options: TrainNNOptions): Promise<TrainedModel> {
  return train("NN", options);
}

/**
 * Train the linearisation of the network at its initialisation (NT: a, G and c; W and a⁰
 * frozen) by online SGD, as the authors' NT script. Its objective is a convex quadratic, so it
 * converges to the population least-squares risk theory.riskNT(B, W).
 */
export function trainNT(options: TrainNTOptions): Promise<TrainedModel> {
  return train("NT", options);
}
