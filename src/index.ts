// lazytrain — public surface. Everything numeric runs in the WebAssembly core; call
// `await init()` once before the first call.

export { init, runtimeInfo, simdSupported, dispose } from "./runtime/module.js";
export type { InitOptions, RuntimeInfo, ThreadsInfo, WasmSource } from "./runtime/module.js";

export { matrix, fromArray, toArray, transpose } from "./linalg/matrix.js";
export type { Matrix, FloatArray, Dtype, MatrixLike, VectorLike } from "./linalg/matrix.js";
export { matmul } from "./linalg/matmul.js";
export type { MatmulOptions } from "./linalg/matmul.js";

export { createRng, Rng } from "./random/rng.js";
export type { Seed } from "./random/rng.js";

export { quadraticTask } from "./tasks/quadratic.js";
export type { QuadraticTask, QuadraticTaskOptions, QuadraticSpectrum } from "./tasks/quadratic.js";
export { mixtureTask } from "./tasks/mixture.js";
export type { MixtureTask, MixtureTaskOptions } from "./tasks/mixture.js";
export type { Sample } from "./tasks/common.js";

export * as theory from "./theory/index.js";

export { randomFeatures, fitRF } from "./regimes/rf.js";
export type { FitOptions } from "./regimes/rf.js";
export { fitNT, NTModel } from "./regimes/nt.js";
export type { FitNTOptions, NTSolveInfo } from "./regimes/nt.js";
export type {
  FittedModel,
  Activation,
  Regime,
  RiskEstimate,
  PopulationRiskOptions,
  ModelJSON,
  MatrixJSON,
  JSONNumber,
} from "./regimes/model.js";
export { modelFromJSON } from "./regimes/json.js";
export { eigh, eigvalsh } from "./linalg/eigh.js";
export type { EighOptions, EighResult } from "./linalg/eigh.js";
export { cholesky, solveSPD, logdetSPD } from "./linalg/cholesky.js";
export type { CholeskyOptions } from "./linalg/cholesky.js";
export { trainNN, trainNT } from "./training/loop.js";
export { nnLossAndGradient } from "./training/inspect.js";
export { defaultLearningRate } from "./training/defaults.js";
export { learningRates } from "./training/schedule.js";
export { TrainedModel } from "./training/types.js";
export type {
  TrainNNOptions,
  TrainNTOptions,
  TrainProgress,
  TrainingCurve,
  TrainedParameters,
  TrainInfo,
  SecondLayerMode,
  Optimizer,
  Precision,
  Schedule,
} from "./training/types.js";
export type { Convergence } from "./training/convergence.js";
export type { LossAndGradientOptions, LossAndGradient } from "./training/inspect.js";

export { compare, planCompare } from "./experiment/compare.js";
export type { CompareHooks, CompareProgress, ComparePlan } from "./experiment/compare.js";
export { preset, normalizeConfig, paperNNWidths } from "./experiment/config.js";
export type {
  CompareConfig,
  NormalizedConfig,
  PresetName,
  NNTrainingConfig,
  NTTrainingConfig,
  SGDConfig,
  SweepConfig,
} from "./experiment/config.js";
export type { CompareResult, CompareRow, CompareMeta } from "./experiment/types.js";
export { toCSV, summaryMarkdown, parseJsonl, mergeResults } from "./experiment/io.js";
export { logGrid } from "./experiment/sweep.js";
export type { LogGridOptions } from "./experiment/sweep.js";
export { plotSVG } from "./plot/svg.js";
export { plotCurvesSVG, type CurvesPlotOptions } from "./plot/curves.js";
export type { PlotOptions } from "./plot/svg.js";
export { VERSION } from "./version.js";

/** @internal Internals for the bundled CLI and worker; not public API. */
export * as _internal from "./internal.js";
