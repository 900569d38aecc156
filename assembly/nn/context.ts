// Reading and writing the training context: CTX_SLOTS float64 slots at `ctx` (slot indices and
// enum codes: src/kernels/abi.ts, shared with the TypeScript side). Integers and pointers are
// stored exactly as doubles.

// @ts-ignore: decorator
@inline export function gf(ctx: usize, k: i32): f64 {
  return load<f64>(ctx + (<usize>k << 3));
}
// @ts-ignore: decorator
@inline export function gi(ctx: usize, k: i32): i32 {
  return <i32>load<f64>(ctx + (<usize>k << 3));
}
// @ts-ignore: decorator
@inline export function gp(ctx: usize, k: i32): usize {
  return <usize>load<f64>(ctx + (<usize>k << 3));
}
// @ts-ignore: decorator
@inline export function sf(ctx: usize, k: i32, v: f64): void {
  store<f64>(ctx + (<usize>k << 3), v);
}
/** Address of the i-th float64 of the array at p. */
// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}
/** Address of the i-th element of type T (f64 or f32) of the array at p. */
// @ts-ignore: decorator
@inline export function ix<T>(p: usize, i: i32): usize {
  return p + (<usize>i << (sizeof<T>() == 8 ? 3 : 2));
}
