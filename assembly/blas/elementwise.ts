// Elementwise float64 vector operations, written once for every caller (blas/level1.ts,
// lapack/level1.ts): out[i] = x[i] ∘ y[i], or x[i] ∘ s with a scalar s, for ∘ ∈ {+, −, ×, ÷}.
// SIMD build: f64x2 pairs, then a scalar tail; scalar build: the scalar loop only. Each
// element is one correctly rounded operation either way, so both builds agree bit for bit.
//
// `vmap` is inlined, so its `op` (always a constant at the call sites) and the operand kind
// (the type Y: a pointer, usize, or a scalar, f64) fold away: each call site compiles to the
// one loop it needs.

export const OP_ADD = 0;
export const OP_SUB = 1;
export const OP_MUL = 2;
export const OP_DIV = 3;

// @ts-ignore: decorator
@inline function scalarOp(op: i32, a: f64, b: f64): f64 {
  return op == OP_ADD ? a + b : op == OP_SUB ? a - b : op == OP_MUL ? a * b : a / b;
}

// @ts-ignore: decorator
@inline function vectorOp(op: i32, a: v128, b: v128): v128 {
  return op == OP_ADD ? f64x2.add(a, b) : op == OP_SUB ? f64x2.sub(a, b) : op == OP_MUL ? f64x2.mul(a, b) : f64x2.div(a, b);
}

/**
 * out[i] = x[i] ∘ y[i] (Y = usize: y points to n float64) or x[i] ∘ y (Y = f64: a scalar),
 * for i < n, ∘ chosen by op (OP_ADD, OP_SUB, OP_MUL, OP_DIV). out may equal x or y.
 */
// @ts-ignore: decorator
@inline export function vmap<Y>(op: i32, n: i32, x: usize, y: Y, out: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const ys = f64x2.splat(isFloat<Y>() ? <f64>y : 0.0);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(out + o, vectorOp(op, v128.load(x + o), isFloat<Y>() ? ys : v128.load(<usize>y + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(out + o, scalarOp(op, load<f64>(x + o), isFloat<Y>() ? <f64>y : load<f64>(<usize>y + o)));
  }
}
