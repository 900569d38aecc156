// Internals shared with the CLI (dist/cli.js) and the compare() worker (dist/worker.js),
// which import the library bundle rather than carrying their own copy of it. Exported from
// index.ts as `_internal`: not part of the public API, no stability promise.
export { enumeratePoints, parseShard, pointKey, shardPoints, shardAssignment, deriveSeed } from "./experiment/points.js";
export { stepSeconds, speedupAt, pointWork, predictSeconds, stepFlops } from "./experiment/cost.js";
export type { CostModel, StepFit, PointWork } from "./experiment/cost.js";
export { calibrate, measureSpeedups, probeWidths } from "./experiment/calibrate.js";
export { EtaTracker, poolSchedule, longestFirst, tailGrants } from "./experiment/schedule.js";
export { RunContext, runPoint, pointCost } from "./experiment/run.js";
export { convergenceOf } from "./training/convergence.js";
export { setThreadsGrant } from "./runtime/module.js";
export {
  metaLine,
  rowLine,
  scanJsonl,
  rejectedPath,
  invalidLinesMessage,
  duplicatesMessage,
  tornMessage,
} from "./experiment/io.js";
export type { JsonlScan, JsonlLine, ReadOptions } from "./experiment/io.js";
export { pairedInit, sweepStart } from "./experiment/sweep.js";
export { SWEEP_DEFAULTS } from "./experiment/config.js";
