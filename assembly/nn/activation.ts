// Activations σ and their derivatives, elementwise over `len` values of type T (f64 or f32):
// the one implementation, used by the fits and population risks (dactivate, float64, through
// the kernels layer) and by every training step (assembly/nn/train.ts, in its precision).
//   ACT_SQUARE: σ = t², σ' = 2t;  ACT_RELU: σ = max(t, 0), σ' = 1{t > 0};
//   ACT_TANH: AssemblyScript's Math.tanh (compiled in: the same bits in every engine), σ' = 1 − σ²;
//   in float32 the tanh is evaluated in float64 and rounded once (deterministic, and within
//   ½ ulp of the true value).
// `f` or `df` may be 0 to skip that output; f may alias z (in place). The kind is dispatched
// once per call, outside the loop.

import { ACT_RELU, ACT_SQUARE } from "../../src/kernels/abi";

// @ts-ignore: decorator
@inline export function activate<T>(len: i32, z: usize, f: usize, df: usize, kind: i32): void {
  const sh: usize = sizeof<T>() == 8 ? 3 : 2;
  if (kind == ACT_SQUARE) {
    for (let i = 0; i < len; i++) {
      const o = <usize>i << sh;
      const t = load<T>(z + o);
      if (f != 0) store<T>(f + o, t * t);
      if (df != 0) store<T>(df + o, <T>2.0 * t);
    }
  } else if (kind == ACT_RELU) {
    for (let i = 0; i < len; i++) {
      const o = <usize>i << sh;
      const t = load<T>(z + o);
      if (f != 0) store<T>(f + o, t > <T>0 ? t : <T>0.0);
      if (df != 0) store<T>(df + o, t > <T>0 ? <T>1.0 : <T>0.0);
    }
  } else {
    for (let i = 0; i < len; i++) {
      const o = <usize>i << sh;
      const v = <T>Math.tanh(<f64>load<T>(z + o));
      if (f != 0) store<T>(f + o, v);
      if (df != 0) store<T>(df + o, <T>1.0 - v * v);
    }
  }
}

export function dactivate(len: i32, z: usize, f: usize, df: usize, kind: i32): void {
  activate<f64>(len, z, f, df, kind);
}

/** The float32 twin of dactivate (the training step in PREC_F32). */
export function sactivate(len: i32, z: usize, f: usize, df: usize, kind: i32): void {
  activate<f32>(len, z, f, df, kind);
}
