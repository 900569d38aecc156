// Threads: one computation split over k instances of this module that share one memory
// (the "-mt" builds: `--enable threads --sharedMemory --importMemory`). Instance 0 is the
// caller's (the JS thread that called nnTrain or gemmParallel); instances 1 … k−1 run in Node
// worker_threads or Web Workers, parked in `threadLoop`. The TypeScript side
// (src/runtime/threads.ts) allocates the control block and each helper's GEMM scratch; no
// helper ever allocates (the allocator's state is a per-instance global).
//
// Work split: over neurons (training: columns of Z, F, E and of W's gradient) and over output
// columns (GEMM). Every quantity a phase writes is computed element by element in an order
// that does not depend on which columns a thread owns (the GEMM sums p ascending per element,
// blas/gemm.ts; activations and updates are per element), and every reduction over neurons
// (the prediction Σᵢ, the loss, ∂L/∂c, a shared ∂L/∂a) runs on instance 0 over all N in the
// one-thread order. So results are bit-identical for every thread count, and to the
// unthreaded builds.
//
// Protocol (one control block of CTL_BYTES, i32 slots, sequentially consistent atomics):
// instance 0 writes the task and its argument, clears DONE, increments EPOCH and notifies;
// each helper waits (spin, then memory.atomic.wait32) for EPOCH to change, runs its share,
// increments DONE and notifies when it is the last. Instance 0 runs share 0 meanwhile, then
// spins (or waits, where the host allows the caller's thread to block) for DONE = k − 1.
// Two dispatches per SGD step (before and after the reductions), a few µs each when spinning.

import { dgemm, sgemm, setGemmWork } from "./blas/gemm";
import { trainShare } from "./nn/train";

// control block slots (byte offsets)
const EPOCH: usize = 0; // dispatch counter (helpers wait on it)
const DONE: usize = 64; // helpers finished with the current task (own cache line)
const TASK: usize = 128;
const ARG: usize = 132; // pointer: training context or GEMM argument block
const THREADS: usize = 136; // k, including instance 0
const CANWAIT: usize = 140; // 1 when instance 0 may block in memory.atomic.wait32
/** Bytes of the control block (allocated by the TypeScript side). */
export const CTL_BYTES: i32 = 192;

// tasks
export const TASK_EXIT = 0;
export const TASK_TRAIN_A = 1; // forward over a neuron range (nn/train.ts)
export const TASK_TRAIN_B = 2; // backward and update over a neuron range
export const TASK_DGEMM = 3;
export const TASK_SGEMM = 4;

// GEMM argument block (i32 slots): m n k a rsa csa b rsb csb c ldc accumulate
const GEMM_ARGS = 12;

const SPIN = 1 << 14;
const PARK_NS: i64 = 100_000_000; // 0.1 s

/** The number of instances sharing the work (1 without a control block). */
// @ts-ignore: decorator
@inline export function threadCount(ctl: usize): i32 {
  return ctl == 0 ? 1 : load<i32>(ctl + THREADS);
}

/**
 * Columns [j0, j1) of `n` for share `id` of `k`: contiguous runs of whole `align`-wide groups
 * (so a thread's GEMM columns fill whole micro-tiles); which thread owns a column changes no
 * bit of the result (header).
 */
// @ts-ignore: decorator
@inline export function shareStart(n: i32, k: i32, id: i32, align: i32): i32 {
  const groups = (n + align - 1) / align;
  const per = (groups + k - 1) / k;
  return min(n, id * per * align);
}

function runShare(ctl: usize, id: i32): void {
  const task = load<i32>(ctl + TASK);
  const arg = <usize>load<i32>(ctl + ARG);
  const k = load<i32>(ctl + THREADS);
  if (task == TASK_DGEMM || task == TASK_SGEMM) {
    const f32 = task == TASK_SGEMM;
    const n = load<i32>(arg, 4);
    const j0 = shareStart(n, k, id, f32 ? 8 : 4), j1 = shareStart(n, k, id + 1, f32 ? 8 : 4);
    if (j1 <= j0) return;
    const m = load<i32>(arg), kk = load<i32>(arg, 8);
    const a = <usize>load<i32>(arg, 12), rsa = load<i32>(arg, 16), csa = load<i32>(arg, 20);
    const b = <usize>load<i32>(arg, 24), rsb = load<i32>(arg, 28), csb = load<i32>(arg, 32);
    const c = <usize>load<i32>(arg, 36), ldc = load<i32>(arg, 40), acc = load<i32>(arg, 44) != 0;
    const sh: usize = f32 ? 2 : 3;
    const bj = b + ((<usize>j0 * <usize>csb) << sh), cj = c + (<usize>j0 << sh);
    if (f32) sgemm(m, j1 - j0, kk, a, rsa, csa, bj, rsb, csb, cj, ldc, acc);
    else dgemm(m, j1 - j0, kk, a, rsa, csa, bj, rsb, csb, cj, ldc, acc);
  } else {
    trainShare(arg, task == TASK_TRAIN_B, k, id);
  }
}

/**
 * Instance 0: run `task` on `arg` over all k instances and return when every share is done.
 * With one instance (or no control block) it simply runs the whole task here.
 */
export function dispatch(ctl: usize, task: i32, arg: usize): void {
  const k = threadCount(ctl);
  if (!ASC_FEATURE_THREADS || k <= 1) {
    if (task == TASK_TRAIN_A || task == TASK_TRAIN_B) trainShare(arg, task == TASK_TRAIN_B, 1, 0);
    return;
  }
  if (ASC_FEATURE_THREADS) {
    store<i32>(ctl + TASK, task);
    store<i32>(ctl + ARG, <i32>arg);
    atomic.store<i32>(ctl + DONE, 0);
    atomic.add<i32>(ctl + EPOCH, 1); // seq-cst: publishes the plain stores above
    atomic.notify(ctl + EPOCH, k - 1);
    runShare(ctl, 0);
    const want = k - 1;
    for (let i = 0; i < SPIN; i++) {
      if (atomic.load<i32>(ctl + DONE) == want) return;
    }
    const canWait = load<i32>(ctl + CANWAIT) != 0;
    for (;;) {
      const v = atomic.load<i32>(ctl + DONE);
      if (v == want) return;
      if (canWait) memory.atomic.wait32(ctl + DONE, v, -1);
    }
  }
}

/**
 * Helper `id` (1 … k−1): park on the control block and run shares until TASK_EXIT. `work`
 * is this helper's GEMM scratch (gemmWorkBytes() bytes, allocated by instance 0).
 * Returns the number of tasks run (0 in builds without threads, which cannot share memory).
 */
export function threadLoop(ctl: usize, id: i32, work: usize): i32 {
  if (!ASC_FEATURE_THREADS) return 0;
  setGemmWork(work);
  let seen = 0; // EPOCH starts at 0: a helper that starts late still sees the first dispatch
  let runs = 0;
  for (;;) {
    let e = atomic.load<i32>(ctl + EPOCH);
    for (let i = 0; i < SPIN && e == seen; i++) e = atomic.load<i32>(ctl + EPOCH);
    while (e == seen) {
      // a finite wait, so that a parked helper passes a loop back-edge (where the engine
      // handles Worker.terminate() and process exit) at least every PARK_NS
      memory.atomic.wait32(ctl + EPOCH, seen, PARK_NS);
      e = atomic.load<i32>(ctl + EPOCH);
    }
    seen = e;
    if (load<i32>(ctl + TASK) == TASK_EXIT) return runs;
    // THREADS may be lowered between dispatches (a compare worker lends its idle helpers to
    // another point): helpers at or past it sit this task out
    const k = load<i32>(ctl + THREADS);
    if (id >= k) continue;
    runShare(ctl, id);
    runs++;
    if (atomic.add<i32>(ctl + DONE, 1) + 1 == k - 1) atomic.notify(ctl + DONE, 1);
  }
  return runs; // unreachable: the loop ends at TASK_EXIT
}

/** Instance 0: C = op(A)·op(B) (+ C) over every instance; arguments as dgemm's. */
export function gemmParallel(ctl: usize, f32: i32, args: usize): void {
  if (threadCount(ctl) <= 1) {
    const m = load<i32>(args), n = load<i32>(args, 4), kk = load<i32>(args, 8);
    const a = <usize>load<i32>(args, 12), rsa = load<i32>(args, 16), csa = load<i32>(args, 20);
    const b = <usize>load<i32>(args, 24), rsb = load<i32>(args, 28), csb = load<i32>(args, 32);
    const c = <usize>load<i32>(args, 36), ldc = load<i32>(args, 40), acc = load<i32>(args, 44) != 0;
    if (f32 != 0) sgemm(m, n, kk, a, rsa, csa, b, rsb, csb, c, ldc, acc);
    else dgemm(m, n, kk, a, rsa, csa, b, rsb, csb, c, ldc, acc);
    return;
  }
  dispatch(ctl, f32 != 0 ? TASK_SGEMM : TASK_DGEMM, args);
}

/** Bytes of the GEMM argument block gemmParallel reads. */
export function gemmArgsBytes(): i32 {
  return GEMM_ARGS * 4;
}

/** 1 in the threads builds (shared, imported memory; atomics). */
export function threadsBuild(): i32 {
  return ASC_FEATURE_THREADS ? 1 : 0;
}

/** Bytes of the control block threadLoop and dispatch use. */
export function threadsControlBytes(): i32 {
  return CTL_BYTES;
}

/** Instance 0: release every helper from threadLoop (they return; their workers can end). */
export function threadsExit(ctl: usize): void {
  if (!ASC_FEATURE_THREADS) return;
  store<i32>(ctl + TASK, TASK_EXIT);
  atomic.add<i32>(ctl + EPOCH, 1);
  atomic.notify(ctl + EPOCH, -1);
}
