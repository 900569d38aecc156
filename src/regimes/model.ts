// The model interface shared by the RF / NT fits and the NN / NT training (issue 5):
//   f(x) = c + Σᵢ aᵢ σ(wᵢᵀx) [+ Σᵢ ⟨sᵢ, x⟩ σ'(wᵢᵀx)  for NT]
// with W d×N (one neuron per column). For σ(t) = t² the model is the quadratic form
// c + xᵀMx, M = W diag(a) Wᵀ (+ S Wᵀ + W Sᵀ), and its population risk on the quadratic task is
// exact: 2‖B − M‖_F² + (c + tr M)² + s² (docs/theory.md §1).

import * as ABI from "../kernels/abi.js";
import { toF64Matrix, toF64Vector, type Matrix, type MatrixLike } from "../linalg/matrix.js";
import { matmul } from "../linalg/matmul.js";
import { checkEnum, checkOptions, checkSize, describe } from "../runtime/errors.js";
import {
  activate,
  allocMatrix,
  gemm,
  read,
  rowDot,
  scoped,
  uploadMatrix,
  uploadVector,
  type HeapMatrix,
  type Scope,
} from "../kernels/index.js";
import { createRng, type Rng } from "../random/rng.js";
import type { QuadraticTask } from "../tasks/quadratic.js";
import type { MixtureTask } from "../tasks/mixture.js";
import { checkRng } from "../tasks/common.js";

export type Activation = "square" | "relu" | "tanh";
export type Regime = "RF" | "NT" | "NN";
export type Task = QuadraticTask | MixtureTask;

/** @internal The activation codes of the core (assembly/nn/activation.ts). */
export const ACTIVATION_CODE: Readonly<Record<Activation, number>> = {
  square: ABI.ACT_SQUARE,
  relu: ABI.ACT_RELU,
  tanh: ABI.ACT_TANH,
};

/** @internal The activations, in the order error messages list them. */
export const ACTIVATIONS: readonly Activation[] = ["square", "relu", "tanh"];

/** @internal σ from an option (default "square"). */
export function checkActivation(name: string, v: unknown): Activation {
  return checkEnum(name, v, ACTIVATIONS, "square");
}

export interface RiskEstimate {
  /** Population square loss E[(y − f(x))²] (exact, or a Monte Carlo mean). */
  risk: number;
  /** True when `risk` is the closed form (quadratic task, square activation). */
  exact: boolean;
  /** Monte Carlo standard error of `risk` (0 when exact). */
  stderr: number;
  /** Mixture task: the 0-1 error of sign(f(x)) (Monte Carlo). */
  error01?: number;
  /** Standard error of error01. */
  error01Stderr?: number;
}

export interface PopulationRiskOptions {
  /** Monte Carlo sample size when no closed form applies (default 20 000). */
  nMC?: number;
  /** Generator for the Monte Carlo samples (default: createRng(0), so the estimate is reproducible). */
  rng?: Rng;
}

export interface FittedModel {
  readonly regime: Regime;
  readonly activation: Activation;
  readonly d: number;
  readonly N: number;
  /** First layer, d×N, one neuron per column. */
  readonly W: Matrix<Float64Array>;
  /** Offset c. */
  readonly c: number;
  /** Second-layer weights aᵢ (length N). */
  readonly a: Float64Array;
  /** NT only: the linearisation directions sᵢ as the columns of a d×N matrix. */
  readonly S: Matrix<Float64Array> | null;
  /**
   * f(x) for each row of X (n×d): a Matrix, or the rows as number[][] (float32 data and nested
   * arrays are copied once into float64; the result equals that of the converted input).
   */
  predict(X: MatrixLike): Float64Array;
  /** (c, M) with f(x) = c + xᵀMx: square activation only. */
  quadraticForm(): { c: number; M: Matrix<Float64Array> };
  /** Population risk on a task: exact for the quadratic task with σ = t², else Monte Carlo. */
  populationRisk(task: Task, options?: PopulationRiskOptions): RiskEstimate;
  /**
   * A JSON-safe snapshot of the model (what JSON.stringify writes); `modelFromJSON` rebuilds it
   * bit for bit.
   */
  toJSON(): ModelJSON;
}

// ---- JSON form (modelFromJSON in ./json.ts reads it back) ----------------------------------
// JSON.stringify writes a finite double in its shortest round-trip form, and JSON.parse reads
// it back exactly, so finite numbers are stored as JSON numbers. NaN and ±Infinity would become
// null and -0 would become 0: those four are stored as the strings below (a NaN's payload bits
// are not kept; JavaScript does not preserve them either).

/** A number in the JSON form: a finite number as itself, NaN, ±Infinity and -0 as strings. */
export type JSONNumber = number | "NaN" | "Infinity" | "-Infinity" | "-0";

/** A float64 matrix in the JSON form (row-major data). */
export interface MatrixJSON {
  rows: number;
  cols: number;
  data: JSONNumber[];
}

/** The JSON form of a fitted or trained model (`model.toJSON()`, read by `modelFromJSON`). */
export interface ModelJSON {
  format: "lazytrain.model";
  /** Format version (1). */
  version: number;
  regime: Regime;
  activation: Activation;
  d: number;
  N: number;
  W: MatrixJSON;
  c: JSONNumber;
  a: JSONNumber[];
  S: MatrixJSON | null;
  /** NT fits: the solver diagnostics (NTSolveInfo). */
  solve?: { solver: "direct" | "cg"; iterations: number; relativeResidual: JSONNumber; converged: boolean; rank?: number };
  /** Trained models (trainNN / trainNT): raw parameters (their W is the model's W), curve, training info. */
  trained?: {
    params: { a: JSONNumber | JSONNumber[]; c: JSONNumber; G?: MatrixJSON; a0?: JSONNumber[] };
    curve: { step: JSONNumber[]; loss: JSONNumber[]; riskStep: JSONNumber[]; risk: JSONNumber[] };
    /** TrainInfo; in `options`, non-finite or -0 numbers are { number: "…" } and bigints { bigint: "…" }. */
    training: {
      options: Record<string, unknown>;
      steps: number;
      aborted: boolean;
      seconds: JSONNumber;
      lr: JSONNumber;
      lrHalvings?: number;
    };
  };
}

/** @internal The format tag and version written by toJSON. */
export const JSON_FORMAT = "lazytrain.model";
/** @internal */
export const JSON_VERSION = 1;

/** @internal x in the JSON form (see JSONNumber). */
export function encodeNumber(x: number): JSONNumber {
  if (x - x !== 0) return Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
  if (x === 0 && 1 / x < 0) return "-0";
  return x;
}

/** @internal */
export function encodeArray(v: ArrayLike<number>): JSONNumber[] {
  return Array.from(v, encodeNumber);
}

/** @internal */
export function encodeMatrix(m: Matrix): MatrixJSON {
  return { rows: m.rows, cols: m.cols, data: encodeArray(m.data) };
}

const SPECIAL: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };

/** @internal A JSONNumber back to the number (TypeError naming `name` otherwise). */
export function decodeNumber(name: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && Object.prototype.hasOwnProperty.call(SPECIAL, v)) return SPECIAL[v];
  throw new TypeError(`${name} must be a number (or "NaN", "Infinity", "-Infinity", "-0"), got ${describe(v)}`);
}

/** @internal A JSONNumber[] back to a Float64Array, of length n when given. */
export function decodeArray(name: string, v: unknown, n?: number): Float64Array {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of numbers, got ${describe(v)}`);
  if (n !== undefined && v.length !== n) throw new RangeError(`${name} must have length ${n}, got ${v.length}`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = decodeNumber(`${name}[${i}]`, v[i]);
  return out;
}

/** @internal A MatrixJSON back to a float64 Matrix, rows×cols when given. */
export function decodeMatrix(name: string, v: unknown, rows?: number, cols?: number): Matrix<Float64Array> {
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw new TypeError(`${name} must be a matrix { rows, cols, data }, got ${describe(v)}`);
  const m = v as Record<string, unknown>;
  const r = checkSize(`${name}.rows`, m.rows),
    c = checkSize(`${name}.cols`, m.cols);
  if ((rows !== undefined && r !== rows) || (cols !== undefined && c !== cols)) {
    throw new RangeError(`${name} must be ${rows ?? "?"}×${cols ?? "?"}, got ${r}×${c}`);
  }
  return { rows: r, cols: c, data: decodeArray(`${name}.data`, m.data, r * c) };
}

/** @internal The hidden layer on heap rows X (n×d): F = σ(XW) (n×N) and, when wanted, D = σ'(XW). */
export interface Features {
  F: HeapMatrix;
  D: HeapMatrix | null;
}

/** @internal Z = XW by GEMM, then σ and σ' elementwise in the core (Z overwritten by F). */
export function features(s: Scope, X: HeapMatrix, W: Matrix<Float64Array>, act: Activation, wantD: boolean): Features {
  const F = gemm(s, X, uploadMatrix(s, W));
  const D = wantD ? allocMatrix(s, F.rows, F.cols) : null;
  activate(F, F, D, ACTIVATION_CODE[act]);
  return { F, D };
}

/**
 * @internal A matrix argument as a float64 Matrix with finite entries: MatrixLike input is
 * converted once (toF64Matrix); TypeError/RangeError naming `name` otherwise.
 */
export function checkFiniteMatrix(name: string, X: unknown): Matrix<Float64Array> {
  return toF64Matrix(name, X);
}

/** @internal Inputs: n×d with the model's d. */
export function checkX(name: string, X: unknown, d: number): Matrix<Float64Array> {
  const x = checkFiniteMatrix(name, X);
  if (x.cols !== d) throw new RangeError(`${name} must have d = ${d} columns, got ${x.rows}×${x.cols}`);
  return x;
}

/** @internal A first layer d×N (one neuron per column), N ≥ 1. */
export function checkW(W: unknown, d: number, name = "W"): Matrix<Float64Array> {
  const w = checkFiniteMatrix(name, W);
  if (w.rows !== d)
    throw new RangeError(`${name} must be d×N with d = ${d} rows (one neuron per column), got ${w.rows}×${w.cols}`);
  if (w.cols < 1) throw new RangeError(`${name} must have N ≥ 1 columns`);
  return w;
}

/** @internal A training set: X n×d (n ≥ 2), y of length n, all finite (converted once). */
export function checkXY(X: unknown, y: unknown): { X: Matrix<Float64Array>; y: Float64Array } {
  const x = checkFiniteMatrix("X", X);
  const yv = toF64Vector("y", y);
  if (yv.length !== x.rows) throw new RangeError(`y has length ${yv.length}, but X has ${x.rows} rows`);
  if (x.rows < 2) throw new RangeError(`need at least 2 samples, got X with ${x.rows} rows`);
  return { X: x, y: yv };
}

export class Model implements FittedModel {
  readonly d: number;
  readonly N: number;

  constructor(
    readonly regime: Regime,
    readonly activation: Activation,
    readonly W: Matrix<Float64Array>,
    readonly c: number,
    readonly a: Float64Array,
    readonly S: Matrix<Float64Array> | null,
  ) {
    this.d = W.rows;
    this.N = W.cols;
  }

  predict(X: MatrixLike): Float64Array {
    const x = checkX("X", X, this.d);
    const n = x.rows;
    return scoped((s) => {
      const Xh = uploadMatrix(s, x);
      const { F, D } = features(s, Xh, this.W, this.activation, this.S !== null);
      const out = gemm(s, F, uploadVector(s, this.a)); // F·a
      const f = read(out);
      if (this.S !== null) {
        const T = gemm(s, Xh, uploadMatrix(s, this.S)); // T = X·S
        rowDot(T, D as HeapMatrix, out); // Σᵢ ⟨sᵢ, x⟩σ'(wᵢᵀx)
        const g = read(out);
        for (let i = 0; i < n; i++) f[i] += g[i];
      }
      for (let i = 0; i < n; i++) f[i] += this.c;
      return f;
    });
  }

  /** The JSON form (see ModelJSON): JSON.stringify(model) writes it, modelFromJSON reads it. */
  toJSON(): ModelJSON {
    return {
      format: JSON_FORMAT,
      version: JSON_VERSION,
      regime: this.regime,
      activation: this.activation,
      d: this.d,
      N: this.N,
      W: encodeMatrix(this.W),
      c: encodeNumber(this.c),
      a: encodeArray(this.a),
      S: this.S === null ? null : encodeMatrix(this.S),
    };
  }

  quadraticForm(): { c: number; M: Matrix<Float64Array> } {
    if (this.activation !== "square") {
      throw new Error(`quadraticForm() exists only for the square activation (this model uses ${this.activation})`);
    }
    const d = this.d,
      N = this.N;
    const WA = { rows: d, cols: N, data: new Float64Array(d * N) };
    for (let j = 0; j < d; j++) for (let i = 0; i < N; i++) WA.data[j * N + i] = this.W.data[j * N + i] * this.a[i];
    const M = matmul(WA, this.W, { transB: true });
    if (this.S !== null) {
      // σ' = 2t: Σᵢ ⟨sᵢ, x⟩·2wᵢᵀx = xᵀ(S Wᵀ + W Sᵀ)x
      const SW = matmul(this.S, this.W, { transB: true });
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) M.data[i * d + j] += SW.data[i * d + j] + SW.data[j * d + i];
    }
    // symmetrise exactly (W diag(a) Wᵀ is symmetric up to summation order)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < i; j++) {
        const v = 0.5 * (M.data[i * d + j] + M.data[j * d + i]);
        M.data[i * d + j] = v;
        M.data[j * d + i] = v;
      }
    return { c: this.c, M };
  }

  populationRisk(task: Task, options?: PopulationRiskOptions): RiskEstimate {
    if (task === null || typeof task !== "object" || (task.kind !== "quadratic" && task.kind !== "mixture")) {
      throw new TypeError(`task must be a quadraticTask(…) or mixtureTask(…), got ${describe(task)}`);
    }
    if (task.d !== this.d) throw new RangeError(`task.d = ${task.d} but the model has d = ${this.d}`);
    const o = checkOptions<PopulationRiskOptions>("options", options, ["nMC", "rng"]);
    if (task.kind === "quadratic" && this.activation === "square") {
      const { c, M } = this.quadraticForm();
      const d = this.d,
        B = task.B.data;
      let f2 = 0,
        trM = 0;
      for (let i = 0; i < d * d; i++) {
        const e = B[i] - M.data[i];
        f2 += e * e;
      }
      for (let i = 0; i < d; i++) trM += M.data[i * d + i];
      const off = c + trM;
      const risk = 2 * f2 + off * off + task.noise * task.noise;
      return { risk, exact: true, stderr: 0 };
    }
    const nMC = o.nMC === undefined ? 20000 : checkSize("options.nMC", o.nMC, 2);
    const rng = o.rng ?? createRng(0);
    checkRng("options.rng", rng);
    let sum = 0,
      sum2 = 0,
      wrong = 0;
    const chunk = Math.max(1, Math.min(nMC, Math.floor(2 ** 22 / this.d)));
    for (let done = 0; done < nMC; done += chunk) {
      const n = Math.min(chunk, nMC - done);
      const { X, y } = task.sample(n, rng);
      const f = this.predict(X);
      for (let i = 0; i < n; i++) {
        const r = y[i] - f[i];
        const e = r * r;
        sum += e;
        sum2 += e * e;
        if (task.kind === "mixture" && (f[i] > 0 ? 1 : -1) !== y[i]) wrong++;
      }
    }
    const risk = sum / nMC;
    const stderr = Math.sqrt(Math.max(0, sum2 / nMC - risk * risk) / nMC);
    const out: RiskEstimate = { risk, exact: false, stderr };
    if (task.kind === "mixture") {
      const p = wrong / nMC;
      out.error01 = p;
      out.error01Stderr = Math.sqrt((p * (1 - p)) / nMC);
    }
    return out;
  }
}
