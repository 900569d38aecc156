// Scheduling of a run's points on its workers and cores (issue 12, items 3–4): the pool's queue
// order, its rule for giving idle cores to the points still running, the makespan that rule
// gives (the plan's prediction), and the running ETA (EtaTracker).
//
// The pool (src/experiment/pool.ts) takes points longest predicted first (LPT list scheduling,
// Graham 1969). With threads for the tail, while points wait every running point has one core;
// once the queue is empty, each finished worker's core goes to the running point with the most
// predicted seconds left per granted thread. `poolSchedule` replays exactly that rule on the
// predicted times (an event simulation: between two finishes every point runs at the speed-up
// of its grant), so a --threads run is predicted with its tail sharing cores rather than as if
// each point kept one core to the end.

/**
 * Threads for the running points once the queue is empty: each gets one, and the `spare` cores
 * go one at a time to the point with the most predicted seconds left per thread (capped at
 * `cap`; ties to the earlier point). `left`: predicted seconds left of each running point.
 */
export function tailGrants(left: readonly number[], spare: number, cap: number): number[] {
  const g = left.map(() => 1);
  for (let s = spare; s > 0; s--) {
    let best = -1;
    for (let j = 0; j < left.length; j++) {
      if (g[j] >= cap) continue;
      if (best < 0 || left[j] / g[j] > left[best] / g[best]) best = j;
    }
    if (best < 0) break;
    g[best]++;
  }
  return g;
}

const oneThread = () => 1;

/** @internal A point of the pool simulation: predicted seconds on one thread, and its speed-up on g threads. */
export interface PoolJob {
  seconds: number;
  speedup?: (g: number) => number;
}

/**
 * @internal A point in flight: `left` one-thread seconds of work, `elapsed` seconds since it
 * started (the grant rule ranks by `seconds` − elapsed, as the pool does).
 */
export interface PoolRunning extends PoolJob {
  left: number;
  elapsed: number;
}

/**
 * @internal
 * Makespan of the pool on `cores` workers when each point may take up to `cap` threads in the
 * tail (tailGrants), `running` being the points already in flight. With cap = 1 (or every
 * speed-up 1) it is plain list scheduling: each point to the worker that frees first.
 */
export function poolSchedule(jobs: readonly PoolJob[], cores: number, cap = 1, running: readonly PoolRunning[] = []): number {
  type R = { left: number; pred: number; start: number; speedup: (g: number) => number };
  let t = 0,
    q = 0;
  const run: R[] = running
    .slice(0, cores)
    .map((r) => ({ left: Math.max(0, r.left), pred: r.seconds, start: -r.elapsed, speedup: r.speedup ?? oneThread }));
  const fill = () => {
    while (run.length < cores && q < jobs.length) {
      const j = jobs[q++];
      run.push({ left: j.seconds, pred: j.seconds, start: t, speedup: j.speedup ?? oneThread });
    }
  };
  fill();
  while (run.length > 0) {
    const g =
      cap > 1 && q >= jobs.length
        ? tailGrants(
            run.map((r) => Math.max(0, r.pred - (t - r.start))),
            cores - run.length,
            cap,
          )
        : run.map(() => 1);
    const rate = run.map((r, j) => r.speedup(g[j]));
    let dt = Infinity;
    for (let j = 0; j < run.length; j++) dt = Math.min(dt, run[j].left / rate[j]);
    t += dt;
    // the point(s) reaching the minimum finish (exactly: no rounding residue keeps them alive)
    for (let j = run.length - 1; j >= 0; j--) {
      if (run[j].left / rate[j] <= dt) run.splice(j, 1);
      else run[j].left -= rate[j] * dt;
    }
    fill();
  }
  return t;
}

/** @internal The pool's queue order: longest predicted first, ties by canonical index. */
export function longestFirst<T extends { index: number }>(points: T[], cost: (p: T) => number): T[] {
  return points
    .map((p) => ({ p, c: cost(p) }))
    .sort((x, y) => y.c - x.c || x.p.index - y.p.index)
    .map((x) => x.p);
}

/**
 * @internal
 * Running ETA of a run. Each point has a predicted duration on one thread, a class (its regime:
 * the model errs differently for an SGD point and an exact risk) and, with threads for the tail
 * (`cap` > 1), its speed-up on g threads. On every finished point the class's
 * measured/predicted ratio is updated; ratios are shrunk towards the run's overall ratio, and
 * that one towards 1, with a prior weight of `prior` × the run's predicted total, so a few
 * cheap points cannot rescale hours of training (the demo's "ETA 11105 min" for a two-second
 * run came from one cheap point's ratio applied to the whole run). The remaining time is the
 * pool's makespan (poolSchedule) on the rescaled remaining points, after the points in flight.
 * With threads, the tracker follows the grants the pool gives (the same rule, on the same
 * start / finish events) and counts a point's work in one-thread seconds: a point that took
 * 10 s on 2 threads at a speed-up of 1.9 did 19 s of one-thread work.
 */
export class EtaTracker {
  private readonly pred = new Map<number, { seconds: number; cls: string; speedup: (g: number) => number }>();
  private readonly order: number[];
  /** Points in flight: start time, one-thread work done by `last`, current grant. */
  private readonly running = new Map<number, { start: number; work: number; last: number; g: number }>();
  private readonly done = new Set<number>();
  private readonly measured = new Map<string, number>();
  private readonly predicted = new Map<string, number>();
  private readonly priorWeight: number;
  readonly total: number;

  constructor(
    points: { index: number; seconds: number; cls: string; speedup?: (g: number) => number }[],
    readonly workers: number,
    prior = 0.05,
    readonly cap = 1,
  ) {
    for (const p of points) {
      if (!(p.seconds >= 0) || !Number.isFinite(p.seconds))
        throw new RangeError(`EtaTracker: point ${p.index} has predicted seconds ${p.seconds}`);
      this.pred.set(p.index, { seconds: p.seconds, cls: p.cls, speedup: p.speedup ?? oneThread });
    }
    this.order = points.map((p) => p.index);
    this.total = poolSchedule(points, workers, cap);
    const sum = points.reduce((s, p) => s + p.seconds, 0);
    this.priorWeight = Math.max(prior * sum, 1e-6);
  }

  /** Move the points in flight to time `at` at their current grants. */
  private advance(at: number): void {
    for (const [i, r] of this.running) {
      if (at <= r.last) continue;
      r.work += this.pred.get(i)!.speedup(r.g) * (at - r.last);
      r.last = at;
    }
  }

  /** The pool's grants at time `at` (src/experiment/pool.ts): one each while points wait. */
  private regrant(at: number): void {
    const ids = [...this.running.keys()];
    const waiting = this.order.some((i) => !this.done.has(i) && !this.running.has(i));
    const g =
      this.cap > 1 && !waiting
        ? tailGrants(
            ids.map((i) => Math.max(0, this.pred.get(i)!.seconds - (at - this.running.get(i)!.start))),
            this.workers - ids.length,
            this.cap,
          )
        : ids.map(() => 1);
    ids.forEach((i, j) => (this.running.get(i)!.g = g[j]));
  }

  start(index: number, at: number): void {
    this.advance(at);
    this.running.set(index, { start: at, work: 0, last: at, g: 1 });
    this.regrant(at);
  }

  /**
   * A finished point and its measured seconds (its own time, not the wall clock between
   * events). With `at` (same clock as start()), a point that ran on more than one thread
   * counts its one-thread work: `seconds` × its mean speed-up since it started.
   */
  finish(index: number, seconds: number, at?: number): void {
    const p = this.pred.get(index);
    if (p === undefined || this.done.has(index)) return;
    const r = this.running.get(index);
    let oneThreadSeconds = seconds;
    if (at !== undefined && r !== undefined) {
      this.advance(at);
      if (at > r.start) oneThreadSeconds = seconds * (r.work / (at - r.start));
    }
    this.done.add(index);
    this.running.delete(index);
    if (at !== undefined) this.regrant(at);
    this.measured.set(p.cls, (this.measured.get(p.cls) ?? 0) + oneThreadSeconds);
    this.predicted.set(p.cls, (this.predicted.get(p.cls) ?? 0) + p.seconds);
  }

  /** measured/predicted of the run so far, shrunk towards 1. */
  overallRatio(): number {
    let m = 0,
      q = 0;
    for (const v of this.measured.values()) m += v;
    for (const v of this.predicted.values()) q += v;
    return (m + this.priorWeight) / (q + this.priorWeight);
  }

  /** measured/predicted of a class, shrunk towards the overall ratio. */
  ratio(cls: string): number {
    const g = this.overallRatio();
    const m = this.measured.get(cls) ?? 0,
      q = this.predicted.get(cls) ?? 0;
    return (m + this.priorWeight * g) / (q + this.priorWeight);
  }

  /** Seconds left at time `at` (same clock as start()). */
  eta(at: number): number {
    this.advance(at);
    const running: PoolRunning[] = [];
    for (const [i, r] of this.running) {
      const p = this.pred.get(i)!;
      running.push({
        seconds: p.seconds,
        speedup: p.speedup,
        left: Math.max(0, p.seconds * this.ratio(p.cls) - r.work),
        elapsed: Math.max(0, at - r.start),
      });
    }
    const rest: PoolJob[] = [];
    for (const i of this.order) {
      if (this.done.has(i) || this.running.has(i)) continue;
      const p = this.pred.get(i)!;
      rest.push({ seconds: p.seconds * this.ratio(p.cls), speedup: p.speedup });
    }
    return poolSchedule(rest, this.workers, this.cap, running);
  }
}
