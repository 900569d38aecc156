// The plan `lazytrain compare --dry-run` prints: points per regime, the probe's step times, the
// longest point and the predicted wall-clock time (src/experiment/{calibrate,cost,schedule}.ts).

import type { ComparePlan } from "../index.js";
import { fmtTime } from "./common.js";

/** The plan as printed by --dry-run. */
export function planText(plan: ComparePlan, shard: string | undefined): string {
  const lines = [
    `plan: ${plan.todo} of ${plan.points} points${shard ? ` (shard ${shard})` : ""} on ${plan.workers} worker${plan.workers > 1 ? "s" : ""}`,
  ];
  for (const r of plan.regimes) {
    const w =
      r.widths.length > 6 ? `${r.widths.slice(0, 3).join(", ")}, …, ${r.widths.slice(-2).join(", ")}` : r.widths.join(", ");
    lines.push(
      `  ${r.regime}: ${r.points} point${r.points > 1 ? "s" : ""}, N = ${w}${r.steps > 0 ? `, ${r.steps} SGD steps each` : ", no training (fit or exact risk)"}`,
    );
  }
  const m = plan.model;
  for (const k of ["NN", "NT"] as const) {
    const f = m[k];
    if (!f) continue;
    const per = f.samples.map((s) => `N=${s.N} ${(s.seconds * 1000).toPrecision(3)}`).join(", ");
    lines.push(
      `  probe ${k} (${f.precision}, ${m.build} build), ms per step: ${per} (interpolated between widths, linear in flops)`,
    );
    if (m.threads > 1) {
      const sp = f.samples.map((s) => `N=${s.N} ${(s.speedup ?? 1).toFixed(2)}×`).join(", ");
      lines.push(`  probe ${k}, speed-up of ${m.threads} threads over one: ${sp}`);
    }
  }
  const top = [...plan.perPoint].sort((a, b) => b.seconds - a.seconds)[0];
  if (top) lines.push(`  longest point: ${top.regime} N=${top.N} rep=${top.rep}, ${fmtTime(top.seconds)}`);
  // the probe times steps in CPU time: the prediction is for cores of the run's own; on a
  // shared machine the running ETA rescales it by the measured point times
  const cores =
    plan.threads <= 1
      ? "with a core each"
      : plan.workers > 1
        ? `with a core each, the last points taking idle cores (up to ${plan.threads} threads each)`
        : `with ${plan.threads} threads`;
  lines.push(
    `predicted: ${fmtTime(plan.predictedSeconds)} on ${plan.workers} worker${plan.workers > 1 ? "s" : ""} ${cores} (${fmtTime(plan.serialSeconds)} of compute; probe took ${m.probeSeconds.toFixed(1)} s)`,
  );
  return lines.join("\n");
}
