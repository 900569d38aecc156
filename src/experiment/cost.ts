// Cost model of a comparison run's points (issue 12, item 4): what a point does, and its
// seconds on this machine from a calibration (src/experiment/calibrate.ts).
//
// Two models of a point's cost:
// - `pointCost`: a static, machine-independent count of GEMM-equivalent flops. It orders the
//   worker pool's queue and assigns points to shards, so it must be a pure function of the
//   configuration (every shard of a job array computes the same assignment on its own).
// - `CostModel`: seconds on this machine. Per training kind (NN, NT), the per-step time on one
//   thread, piecewise linear in flops through a few probe widths (the per-flop time is not
//   constant: at d = 450 it grows ~2.5× from N = 30 to N = 4767 as the d×N weights leave the
//   caches, so one line t = a + b·flops misses the widest point by ~45 %); the speed-up of
//   `threads` threads over one at each probe width (threads pay at wide points and hardly at
//   narrow ones: 2.0× at NN N = 4767, 1.0× at N = 69 on the 2-core dev machine); a GEMM rate
//   for the one-off work (fits, exact risks, theory).

import type { NormalizedConfig } from "./config.js";
import type { Point } from "./points.js";

/** @internal Float type of an SGD step. */
export type Precision = "f64" | "f32";

/** @internal What a point does: `steps` SGD steps of `stepFlops` each (kind NN or NT), plus one-off work. */
export interface PointWork {
  kind: "NN" | "NT" | null;
  /** Float type of the SGD steps (the run's config.nn/nt.precision; "f64" when unset). */
  precision: Precision;
  steps: number;
  stepFlops: number;
  /** GEMM-equivalent flops of the one-off work: fits, exact risks, theory, checkpoints. */
  fixedFlops: number;
}

/** @internal Flops of one SGD step (forward + backward GEMMs; online: drawing the batch and y = xᵀBx). */
export function stepFlops(kind: "NN" | "NT", d: number, N: number, batch: number, online: boolean): number {
  // NN: X·W, the gradient Xᵀ·(…) and the elementwise passes ≈ 6·b·d·N; NT carries a second
  // d×N block (G) through the same products ≈ 10·b·d·N (measured NT/NN ≈ 1.7 per step at N = d = 450)
  return (kind === "NN" ? 6 : 10) * batch * d * N + (online ? 2 * batch * d * d : 0);
}

/**
 * @internal
 * The work of a point. The one-off terms were sized from measured point times at d = 450 and
 * d = 30 with 1 SGD step (riskRF/riskNT/expectedRiskNT/riskNN, exact-risk checkpoints,
 * population risks); they only need to be right within a factor ~2, as they are a small share
 * of a trained point and the running ETA corrects them from measured times.
 */
export function pointWork(c: NormalizedConfig, p: Point): PointWork {
  const { d } = c,
    N = p.N;
  const online = c.n === "online";
  const n = online ? 0 : (c.n as number);
  const mc = c.task === "mixture" ? 4 * c.mcSamples * d * N : 0;
  const none = { kind: null, steps: 0, stepFlops: 0, precision: "f64" as Precision };
  if (p.regime === "RF") {
    const theory = c.task === "quadratic" ? 4 * d ** 3 + 14 * (d * d * N + N ** 3) : 0;
    const fit = online && c.task === "quadratic" && c.activation === "square" ? 0 : 2 * n * N * N + N ** 3 + 2 * n * d * N;
    return { ...none, fixedFlops: theory + fit + mc };
  }
  if (p.regime === "NT") {
    const theory = c.task === "quadratic" ? 28 * d ** 3 + 73 * d * d * N : 0;
    if (online && c.nt.method === "sgd") {
      return {
        kind: "NT",
        precision: c.nt.precision ?? "f64",
        steps: c.nt.steps,
        stepFlops: stepFlops("NT", d, N, c.nt.batch, true),
        fixedFlops: theory + 20 * 4 * d * d * N + mc,
      };
    }
    const fit = online ? 0 : 60 * n * d * N;
    return { ...none, fixedFlops: theory + fit + mc };
  }
  const theory = c.task === "quadratic" ? 3 * d ** 3 + 9 * d * d * N : 0;
  return {
    kind: "NN",
    precision: c.nn.precision ?? "f64",
    steps: c.nn.steps,
    stepFlops: stepFlops("NN", d, N, c.nn.batch, online),
    fixedFlops: theory + (online ? 20 * 2 * d * d * N : 0) + mc,
  };
}

/** @internal Static relative cost of a point (flops): for shard assignment and the pool's queue order. */
export function pointCost(c: NormalizedConfig, p: Point): number {
  const w = pointWork(c, p);
  return w.steps * w.stepFlops + w.fixedFlops;
}

/** Seconds per SGD step, piecewise linear in flops through the probe's measurements. */
export interface StepFit {
  /**
   * The probe's measurements, by increasing flops: flops and seconds per step on one thread,
   * steps timed, and `speedup`, the per-step speed-up of CostModel.threads threads over one at
   * that width (wall clock; absent or 1 when the model is for one thread).
   */
  samples: { N: number; flops: number; seconds: number; steps: number; speedup?: number }[];
  /** Seconds of a training call besides its steps (context setup, reading the model). */
  setup: number;
  /** Float type the probe trained in (the run's). Spelled out: StepFit is public, Precision internal. */
  precision: "f64" | "f32";
  /** The speed-up of CostModel.threads threads over one at the widest probe width (1 for one thread). */
  threadSpeedup: number;
}

/** Seconds of a point on this machine, calibrated by a short probe (ComparePlan.model). */
export interface CostModel {
  NN?: StepFit;
  NT?: StepFit;
  /** The WebAssembly build the probe ran on ("relaxed" with init({ fma: true }), "simd", "scalar", "custom"). */
  build: string;
  /** The most threads one point uses in the run the model predicts (the samples' speed-ups are for this many). */
  threads: number;
  /** GEMM-equivalent flop rate of the one-off work (flops per second). */
  flopRate: number;
  /** Fixed seconds per point (bookkeeping besides the modelled work). */
  perPoint: number;
  /** Seconds the probe took. */
  probeSeconds: number;
}

/**
 * @internal
 * Seconds of one step of `flops` flops: the line t = a + b·f through the two probe samples
 * around f (interpolation); beyond the probed range, the end segment's line (left of the
 * first sample: proportional to flops, which stays positive).
 */
export function stepSeconds(samples: { flops: number; seconds: number }[], flops: number): number {
  if (samples.length === 0) throw new RangeError("stepSeconds: no samples");
  if (!(flops >= 0) || !Number.isFinite(flops))
    throw new RangeError(`stepSeconds: flops must be a finite number ≥ 0, got ${flops}`);
  for (const x of samples) {
    if (!(x.flops > 0 && x.seconds > 0) || !Number.isFinite(x.flops) || !Number.isFinite(x.seconds))
      throw new RangeError(`stepSeconds: a sample needs positive finite flops and seconds, got ${x.flops} flops, ${x.seconds} s`);
  }
  const s = [...samples].sort((x, y) => x.flops - y.flops);
  if (flops <= s[0].flops || s.length === 1) return (s[0].seconds * flops) / s[0].flops;
  let i = 0;
  while (i < s.length - 2 && flops > s[i + 1].flops) i++;
  const [p, q] = [s[i], s[i + 1]];
  if (q.flops === p.flops) return Math.max(p.seconds, q.seconds);
  const b = (q.seconds - p.seconds) / (q.flops - p.flops);
  const t = p.seconds + b * (flops - p.flops);
  // a noisy probe can make a segment fall; never predict below the proportional rule of the
  // last sample for a point beyond it
  return flops > q.flops && b < 0 ? (q.seconds * flops) / q.flops : t;
}

/**
 * @internal
 * Per-step speed-up of `g` threads over one at a step of `flops` flops: the probe's speed-ups
 * at its widths (for `threads` threads), linear in flops between them and constant beyond;
 * for 1 < g < threads, linear in g between 1 and that (the pool grants a point 1 … threads).
 */
export function speedupAt(f: StepFit, threads: number, flops: number, g: number): number {
  if (g <= 1 || threads <= 1) return 1;
  const s = [...f.samples].sort((x, y) => x.flops - y.flops);
  const at = (x: { speedup?: number }) => x.speedup ?? 1;
  let full: number;
  if (flops <= s[0].flops) full = at(s[0]);
  else if (flops >= s[s.length - 1].flops) full = at(s[s.length - 1]);
  else {
    let i = 0;
    while (flops > s[i + 1].flops) i++;
    const u = (flops - s[i].flops) / (s[i + 1].flops - s[i].flops);
    full = at(s[i]) + u * (at(s[i + 1]) - at(s[i]));
  }
  return g >= threads ? full : 1 + ((full - 1) * (g - 1)) / (threads - 1);
}

/**
 * @internal
 * Predicted seconds of a point on the calibrated machine when its steps run on `g` threads
 * (default: the model's threads). The one-off work is not sped up (a conservative bound: its
 * products use the threads too, but it is a small share of a trained point).
 */
export function predictSeconds(m: CostModel, w: PointWork, g = m.threads): number {
  let s = m.perPoint + w.fixedFlops / m.flopRate;
  if (w.kind !== null && w.steps > 0) {
    const f = m[w.kind];
    if (f === undefined) throw new Error(`cost model has no ${w.kind} calibration`);
    // an f64 probe says little about f32 steps (and back): refuse rather than mispredict
    if (f.precision !== w.precision)
      throw new Error(`cost model: ${w.kind} was calibrated in ${f.precision}, the point trains in ${w.precision}`);
    for (const x of f.samples) {
      const v = x.speedup ?? 1;
      if (!(v > 0) || !Number.isFinite(v))
        throw new RangeError(`cost model: ${w.kind} speed-up at N = ${x.N} must be a positive number, got ${v}`);
    }
    if (!Number.isInteger(g) || g < 1) throw new RangeError(`predictSeconds: threads must be an integer ≥ 1, got ${g}`);
    s += f.setup + (w.steps * stepSeconds(f.samples, w.stepFlops)) / speedupAt(f, m.threads, w.stepFlops, g);
  }
  return s;
}
