// Enumeration of a run's points and their seeds. Every seed is a pure function of the base
// seed and the point's coordinates, so any scheduling (workers, shards, resume) computes the
// same numbers for the same point.

import type { Regime } from "../regimes/model.js";
import type { NormalizedConfig } from "./config.js";

/** @internal One point of a run: a regime, a width and a repetition. */
export interface Point {
  /** Position in the canonical order (rep, then width, then regime). */
  index: number;
  regime: Regime;
  N: number;
  rep: number;
  /** α sweep points (config.sweep): the scale α of this point. */
  alpha?: number;
}

/** @internal A stable key for resume and merge: regime, width and repetition (and α in a sweep). */
export const pointKey = (p: { regime: string; N: number; rep: number; alpha?: number }) =>
  p.alpha === undefined ? `${p.regime}|${p.N}|${p.rep}` : `${p.regime}|${p.N}|${p.rep}|α=${p.alpha}`;

/** @internal All points of a run in canonical order (a sweep: rep, then increasing α). */
export function enumeratePoints(c: NormalizedConfig): Point[] {
  const out: Point[] = [];
  if (c.sweep !== undefined) {
    const N = c.widths.NN[0];
    for (let rep = 0; rep < c.reps; rep++)
      for (const alpha of c.sweep.alpha) out.push({ index: out.length, regime: "NN", N, rep, alpha });
    return out;
  }
  for (let rep = 0; rep < c.reps; rep++) {
    const widths = [...new Set(c.regimes.flatMap((r) => c.widths[r]))].sort((p, q) => p - q);
    for (const N of widths) {
      for (const regime of c.regimes) {
        if (c.widths[regime].includes(N)) out.push({ index: out.length, regime, N, rep });
      }
    }
  }
  return out;
}

/** @internal Parse "i/k" (0 ≤ i < k). */
export function parseShard(s: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m) throw new RangeError(`shard must look like i/k (e.g. 0/4), got ${JSON.stringify(s)}`);
  const index = Number(m[1]),
    count = Number(m[2]);
  if (!(count >= 1 && index < count)) throw new RangeError(`shard ${s}: need 0 ≤ i < k`);
  return { index, count };
}

/**
 * @internal Which shard each point goes to: greedy longest-processing-time assignment (Graham 1969) by
 * the static predicted cost — points in decreasing cost, ties by canonical index, each to the
 * least-loaded shard, ties to the lowest shard. A pure function of the points and their costs,
 * so every shard of a job array computes the same partition on its own. Costs must be
 * machine-independent (pointCost, not a timing).
 */
export function shardAssignment(points: Point[], count: number, cost: (p: Point) => number): Map<number, number> {
  const load = new Array<number>(count).fill(0);
  const out = new Map<number, number>();
  const order = points.map((p) => ({ p, c: cost(p) })).sort((x, y) => y.c - x.c || x.p.index - y.p.index);
  for (const { p, c } of order) {
    let j = 0;
    for (let i = 1; i < count; i++) if (load[i] < load[j]) j = i;
    load[j] += c;
    out.set(p.index, j);
  }
  return out;
}

/** @internal The points of shard i of k (balanced by predicted cost; see shardAssignment), in canonical order. */
export function shardPoints(points: Point[], shard: { index: number; count: number }, cost: (p: Point) => number): Point[] {
  const a = shardAssignment(points, shard.count, cost);
  return points.filter((p) => a.get(p.index) === shard.index);
}

// 32-bit avalanche mixing (the "lowbias32" finaliser; integer ops only, identical everywhere).
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** @internal A 53-bit seed from a base seed and a list of small integers / tags. */
export function deriveSeed(base: number, ...parts: (number | string)[]): number {
  let h = mix32((base >>> 0) ^ 0x9e3779b9);
  let g = mix32(Math.floor(base / 2 ** 32) ^ 0x85ebca6b);
  for (const p of parts) {
    const v = typeof p === "number" ? p : [...p].reduce((a, ch) => Math.imul(a ^ ch.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
    h = mix32(h ^ (v >>> 0));
    g = mix32(g ^ h ^ Math.floor(v / 2 ** 32));
  }
  return (g & 0x1fffff) * 2 ** 32 + h;
}
