// The parameter vector θ of a training context and its two readings: the raw mean-field
// parameters (TrainedParameters) and the plain form of regimes/model.ts.
//   θ = [ W (NN) or G (NT): d×N row-major, one neuron per column | a: N (1 when shared) | c ]

import type { Matrix } from "../linalg/matrix.js";
import type { TrainedParameters } from "./types.js";

export interface ThetaShape {
  regime: "NN" | "NT";
  d: number;
  N: number;
  /** NN with one shared scalar a. */
  shared: boolean;
}

/** Offsets of the blocks of θ: a starts at dN, c sits at dN + na. */
export function thetaLayout(t: ThetaShape): { dN: number; na: number; length: number } {
  const dN = t.d * t.N;
  const na = t.regime === "NN" && t.shared ? 1 : t.N;
  return { dN, na, length: dN + na + 1 };
}

export interface PlainModel {
  regime: "NN" | "NT";
  W: Matrix<Float64Array>;
  c: number;
  a: Float64Array;
  S: Matrix<Float64Array> | null;
  params: TrainedParameters;
}

/**
 * θ as a model of model.ts: aᵢ = (α/N)·Aᵢ, c = β·c and, for NT, sᵢ = (α/N)·a⁰ᵢ·gᵢ (W0 and a0:
 * the frozen NT first layer and a⁰; for NN, W0 is unused).
 */
export function readModel(
  t: ThetaShape,
  alpha: number,
  beta: number,
  th: Float64Array,
  W0: Matrix<Float64Array>,
  a0: Float64Array,
): PlainModel {
  const { d, N } = t;
  const { dN, na } = thetaLayout(t);
  const sc = alpha / N;
  const cRaw = th[dN + na];
  const aRaw = th.slice(dN, dN + na);
  const a = new Float64Array(N);
  for (let i = 0; i < N; i++) a[i] = sc * aRaw[na === 1 ? 0 : i];
  if (t.regime === "NT") {
    const G = { rows: d, cols: N, data: th.slice(0, dN) };
    const S = { rows: d, cols: N, data: new Float64Array(dN) };
    for (let j = 0; j < d; j++) for (let i = 0; i < N; i++) S.data[j * N + i] = sc * a0[i] * G.data[j * N + i];
    const W = { rows: d, cols: N, data: Float64Array.from(W0.data) };
    return { regime: "NT", W, c: beta * cRaw, a, S, params: { W, a: aRaw, c: cRaw, G, a0: Float64Array.from(a0) } };
  }
  const W = { rows: d, cols: N, data: th.slice(0, dN) };
  return { regime: "NN", W, c: beta * cRaw, a, S: null, params: { W, a: t.shared ? aRaw[0] : aRaw, c: cRaw } };
}
