// modelFromJSON: the inverse of model.toJSON() for every model the package returns — fitRF
// (Model), fitNT (NTModel), trainNN / trainNT (TrainedModel). The format is described at
// ModelJSON (src/regimes/model.ts); every field is validated and errors name it (json.W.data[3]).

import { checkBoolean, checkEnum, checkSize, describe } from "../runtime/errors.js";
import { TrainedModel, type TrainInfo, type TrainedParameters, type TrainingCurve } from "../training/types.js";
import { convergenceOf } from "../training/convergence.js";
import {
  ACTIVATIONS,
  decodeArray,
  decodeMatrix,
  decodeNumber,
  JSON_FORMAT,
  JSON_VERSION,
  Model,
  type FittedModel,
  type ModelJSON,
  type Regime,
} from "./model.js";
import { NTModel, type NTSolveInfo } from "./nt.js";

function object(name: string, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw new TypeError(`${name} must be an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}

/** Inverse of encodeValue (src/training/types.ts): { number: "…" } and { bigint: "…" } back. */
function decodeValue(name: string, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x, i) => decodeValue(`${name}[${i}]`, x));
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === "number") return decodeNumber(`${name}.number`, o.number);
    if (keys.length === 1 && keys[0] === "bigint") {
      if (typeof o.bigint !== "string" || !/^-?\d+$/.test(o.bigint))
        throw new TypeError(`${name}.bigint must be a string of digits, got ${describe(o.bigint)}`);
      return BigInt(o.bigint);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = decodeValue(`${name}.${k}`, o[k]);
    return out;
  }
  return v;
}

/**
 * Rebuild a model from its JSON form: `modelFromJSON(JSON.parse(JSON.stringify(model)))` (or the
 * JSON string itself) gives a model whose predict / quadraticForm / populationRisk equal the
 * original's bit for bit — the same class (NT fits: NTModel with `solve`; trained models:
 * TrainedModel with `params`, `curve`, `training`; narrow with `instanceof`). Throws a
 * TypeError/RangeError naming the first invalid field.
 */
export function modelFromJSON(json: unknown): FittedModel {
  let v = json;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v) as unknown;
    } catch (e) {
      throw new SyntaxError(`json is a string but not valid JSON (${(e as Error).message})`);
    }
  }
  const j = object("json", v);
  if (j.format !== JSON_FORMAT)
    throw new TypeError(`json.format must be ${JSON.stringify(JSON_FORMAT)} (a model's toJSON()), got ${describe(j.format)}`);
  const version = checkSize("json.version", j.version, 1);
  if (version > JSON_VERSION)
    throw new RangeError(`json.version ${version} was written by a newer lazytrain (this one reads version ${JSON_VERSION})`);
  const regime = checkEnum<Regime>("json.regime", j.regime, ["RF", "NT", "NN"]);
  const activation = checkEnum("json.activation", j.activation, ACTIVATIONS);
  const d = checkSize("json.d", j.d, 1),
    N = checkSize("json.N", j.N, 1);
  const W = decodeMatrix("json.W", j.W, d, N);
  const c = decodeNumber("json.c", j.c);
  const a = decodeArray("json.a", j.a, N);
  const hasS = j.S !== null && j.S !== undefined;
  if (hasS !== (regime === "NT"))
    throw new TypeError(
      `json.S must be ${regime === "NT" ? "a d×N matrix for an NT model" : `null for an ${regime} model`}, got ${describe(j.S)}`,
    );
  const S = hasS ? decodeMatrix("json.S", j.S, d, N) : null;
  if (j.trained !== undefined) {
    if (regime === "RF") throw new TypeError("json.trained must be absent for an RF model (RF models are fitted, not trained)");
    if (j.solve !== undefined) throw new TypeError("json.solve and json.trained are exclusive (a fit or a trained model)");
    const t = object("json.trained", j.trained);
    const p = object("json.trained.params", t.params);
    const nt = regime === "NT";
    const params: TrainedParameters = {
      W,
      a:
        typeof p.a === "number" || typeof p.a === "string"
          ? decodeNumber("json.trained.params.a", p.a)
          : decodeArray("json.trained.params.a", p.a, N),
      c: decodeNumber("json.trained.params.c", p.c),
    };
    if (nt) {
      params.G = decodeMatrix("json.trained.params.G", p.G, d, N);
      params.a0 = decodeArray("json.trained.params.a0", p.a0, N);
      if (typeof params.a === "number")
        throw new TypeError("json.trained.params.a must be an array of N numbers for an NT model");
    }
    const cv = object("json.trained.curve", t.curve);
    const curve: TrainingCurve = {
      step: decodeArray("json.trained.curve.step", cv.step),
      loss: decodeArray("json.trained.curve.loss", cv.loss),
      riskStep: decodeArray("json.trained.curve.riskStep", cv.riskStep),
      risk: decodeArray("json.trained.curve.risk", cv.risk),
    };
    if (curve.loss.length !== curve.step.length)
      throw new RangeError(`json.trained.curve.loss has length ${curve.loss.length}, but curve.step has ${curve.step.length}`);
    if (curve.risk.length !== curve.riskStep.length)
      throw new RangeError(
        `json.trained.curve.risk has length ${curve.risk.length}, but curve.riskStep has ${curve.riskStep.length}`,
      );
    const ti = object("json.trained.training", t.training);
    const training: TrainInfo = {
      options: object("json.trained.training.options", decodeValue("json.trained.training.options", ti.options)),
      steps: checkSize("json.trained.training.steps", ti.steps),
      aborted: checkBoolean("json.trained.training.aborted", ti.aborted),
      seconds: decodeNumber("json.trained.training.seconds", ti.seconds),
      lr: decodeNumber("json.trained.training.lr", ti.lr),
      ...(ti.lrHalvings === undefined ? {} : { lrHalvings: checkSize("json.trained.training.lrHalvings", ti.lrHalvings, 1, 3) }),
      // not stored: a function of the curve, recomputed
      convergence: convergenceOf(curve),
    };
    return new TrainedModel(nt ? "NT" : "NN", activation, W, c, a, S, params, curve, training);
  }
  if (regime === "NN")
    throw new TypeError("json.trained is missing: an NN model comes from trainNN and carries its training record");
  if (regime === "NT") {
    const s = object("json.solve", j.solve);
    const solve: NTSolveInfo = {
      solver: checkEnum("json.solve.solver", s.solver, ["direct", "cg"]),
      iterations: checkSize("json.solve.iterations", s.iterations),
      relativeResidual: decodeNumber("json.solve.relativeResidual", s.relativeResidual),
      converged: checkBoolean("json.solve.converged", s.converged),
    };
    if (s.rank !== undefined) solve.rank = checkSize("json.solve.rank", s.rank);
    return new NTModel(activation, W, c, a, S as NonNullable<typeof S>, solve);
  }
  if (j.solve !== undefined) throw new TypeError("json.solve must be absent for an RF model");
  return new Model("RF", activation, W, c, a, null);
}

/** The JSON form type, re-exported next to its reader. */
export type { ModelJSON };
