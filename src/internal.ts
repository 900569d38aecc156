// Internals shared with the CLI (dist/cli.js) and the compare() worker (dist/worker.js),
// which import the library bundle rather than carrying their own copy of it. Exported from
// index.ts as `_internal`: not part of the public API, no stability promise.
export { enumeratePoints, parseShard, pointKey, shardPoints, shardAssignment, deriveSeed } from "./experiment/points.js";
export {
  EtaTracker,
  calibrate,
  TRAINING_THREADS,
  stepSeconds,
  listSchedule,
  longestFirst,
  pointWork,
  predictSeconds,
  probeWidths,
  stepFlops,
} from "./experiment/eta.js";
export type { CostModel, StepFit, PointWork } from "./experiment/eta.js";
export { RunContext, runPoint, pointCost } from "./experiment/run.js";
export { convergenceOf } from "./training/convergence.js";
export { setThreadsGrant } from "./runtime/module.js";
export { tailGrants } from "./experiment/pool.js";
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
