// Activations σ and their derivatives, elementwise over `len` float64 values.
// kind: 0 = square (σ = t², σ' = 2t), 1 = relu (σ = max(t, 0), σ' = 1{t > 0}),
//       2 = tanh (AssemblyScript's Math.tanh: the same bits in every engine).
// `f` or `df` may be 0 to skip that output.

export const ACT_SQUARE = 0;
export const ACT_RELU = 1;
export const ACT_TANH = 2;

export function dactivate(len: i32, z: usize, f: usize, df: usize, kind: i32): void {
  for (let i = 0; i < len; i++) {
    const o = <usize>i << 3;
    const t = load<f64>(z + o);
    let v: f64, g: f64;
    if (kind == ACT_SQUARE) {
      v = t * t;
      g = 2.0 * t;
    } else if (kind == ACT_RELU) {
      v = t > 0 ? t : 0.0;
      g = t > 0 ? 1.0 : 0.0;
    } else {
      v = Math.tanh(t);
      g = 1.0 - v * v;
    }
    if (f != 0) store<f64>(f + o, v);
    if (df != 0) store<f64>(df + o, g);
  }
}
