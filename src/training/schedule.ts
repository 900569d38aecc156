// Learning-rate schedules of gradient training. The rate of each step is computed in WASM
// (assembly/nn/optimizer.ts) by the same function the training runs; this file holds the
// "paper" schedule's tail lengths (the one place they are written) and the public
// learningRates() inspection utility.

import * as ABI from "../kernels/abi.js";
import { scheduleRates } from "../kernels/train.js";
import { checkEnum, checkOptions, checkPositive, checkSize } from "../runtime/errors.js";
import type { Schedule } from "./types.js";

export const SCHEDULES: readonly Schedule[] = ["paper", "constant", "cosine"];

export const SCHEDULE_CODE: Readonly<Record<Schedule, number>> = {
  constant: ABI.SCHED_CONSTANT,
  paper: ABI.SCHED_PAPER,
  cosine: ABI.SCHED_COSINE,
};

/**
 * The authors' schedule scaled to `steps`: lr, then lr/10 over the last 30 % of the steps
 * (NT: 20 %, as their 100k-step runs dropped at the last 30k / 20k steps) for half of that tail,
 * then lr/15. Returns the tail lengths the kernel reads (lr/10 from steps − tail1, lr/15 from
 * steps − tail2).
 */
export function paperTails(regime: "NN" | "NT", steps: number): { tail1: number; tail2: number } {
  const tail = regime === "NT" ? 0.2 : 0.3;
  return { tail1: Math.round(steps * tail), tail2: Math.round((steps * tail) / 2) };
}

/**
 * The learning rate of every step 0 … steps − 1 under a schedule, computed by the kernel the
 * training runs (for plots and checks). regime "NN" (default) or "NT" picks the paper tail.
 */
export function learningRates(options: { lr: number; steps: number; schedule?: Schedule; regime?: "NN" | "NT" }): Float64Array {
  const o = checkOptions<{ lr: number; steps: number; schedule: Schedule; regime: "NN" | "NT" }>("options", options, [
    "lr",
    "steps",
    "schedule",
    "regime",
  ]);
  if (o.lr === undefined) throw new TypeError("options.lr is required");
  const lr = checkPositive("options.lr", o.lr);
  const steps = checkSize("options.steps", o.steps, 1, 1 << 26);
  const schedule = checkEnum<Schedule>("options.schedule", o.schedule, SCHEDULES, "paper");
  const regime = checkEnum<"NN" | "NT">("options.regime", o.regime, ["NN", "NT"], "NN");
  const { tail1, tail2 } = paperTails(regime, steps);
  return scheduleRates(SCHEDULE_CODE[schedule], lr, steps, tail1, tail2);
}
