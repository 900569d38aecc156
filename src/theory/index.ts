// The theory namespace: exact risks for a fixed W, averages over W, and d → ∞ limits.
export { riskRF, riskNT, riskNN, expectedRiskNT, normalizedRisk, projectionRF, complementNorm2 } from "./risks.js";
export type { Target, RiskOptions, RiskNNOptions, SecondLayer } from "./risks.js";
export { limitRF, limitNT, limitNN } from "./limits.js";
export type { LimitSpectrum } from "./limits.js";
export { mixtureErrorWeakSignal, mixtureProjection } from "./mixture.js";
export type { WeakSignalOptions } from "./mixture.js";
export { mixtureErrorExact, bayesErrorExact, chi2MixtureCdf, quadraticRuleError, mixturePopulationRF } from "./mixture.js";
export type { ExactErrorOptions, ExactError } from "./mixture.js";
export { normalCdf } from "./math.js";
