// Activations σ and their derivatives, elementwise over `len` float64 values: the one
// implementation, used by the fits and population risks (dactivate, through the kernels layer)
// and by every training step (assembly/nn/train.ts).
//   ACT_SQUARE: σ = t², σ' = 2t;  ACT_RELU: σ = max(t, 0), σ' = 1{t > 0};
//   ACT_TANH: AssemblyScript's Math.tanh (compiled in: the same bits in every engine), σ' = 1 − σ².
// `f` or `df` may be 0 to skip that output; f may alias z (in place). The kind is dispatched
// once per call, outside the loop.

import { ACT_RELU, ACT_SQUARE } from "../../src/kernels/abi";

export function dactivate(len: i32, z: usize, f: usize, df: usize, kind: i32): void {
  if (kind == ACT_SQUARE) {
    for (let i = 0; i < len; i++) {
      const o = <usize>i << 3;
      const t = load<f64>(z + o);
      if (f != 0) store<f64>(f + o, t * t);
      if (df != 0) store<f64>(df + o, 2.0 * t);
    }
  } else if (kind == ACT_RELU) {
    for (let i = 0; i < len; i++) {
      const o = <usize>i << 3;
      const t = load<f64>(z + o);
      if (f != 0) store<f64>(f + o, t > 0 ? t : 0.0);
      if (df != 0) store<f64>(df + o, t > 0 ? 1.0 : 0.0);
    }
  } else {
    for (let i = 0; i < len; i++) {
      const o = <usize>i << 3;
      const v = Math.tanh(load<f64>(z + o));
      if (f != 0) store<f64>(f + o, v);
      if (df != 0) store<f64>(df + o, 1.0 - v * v);
    }
  }
}
