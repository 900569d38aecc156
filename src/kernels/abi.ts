// The ABI between TypeScript and WebAssembly that is not a function signature: the slots of the
// training context and the enum codes. ONE file, read by both compilers: the TypeScript build
// compiles it as part of src/, and AssemblyScript imports it (assembly/nn, assembly/tasks) by a
// relative path — both accept `export const NAME = <integer>;` with the same meaning. Nothing
// else may go here (no types, no imports, no expressions): it must stay valid in both languages.
//
// Why a shared source file rather than one generated at build time: there is nothing to
// regenerate or forget, no stale copy can be committed, and `tsc --noEmit` works on a fresh
// clone. It lives under src/ because tsc emits only files under its rootDir (src/), while the
// AssemblyScript compiler resolves any relative path.
//
// assembly/index.ts re-exports every constant, so each .wasm build carries them as exported
// globals: the kernels layer (src/kernels/checked.ts) compares them with this file when it first
// uses a module instance (a stale .wasm fails loudly), and test/assembly/abi.test.mjs does so
// for both builds.

// ---------------------------------------------------------------------------------------
// Enum codes

// regime of a training context
export const MODE_NN = 0;
export const MODE_NT = 1;

// where the batches come from
export const TASK_QUADRATIC = 0;
export const TASK_MIXTURE = 1;
export const TASK_DATA = 2; // a fixed sample (full batch or shuffled minibatches)

// activation σ
export const ACT_SQUARE = 0; // σ = t², σ' = 2t
export const ACT_RELU = 1; // σ = max(t, 0), σ' = 1{t > 0}
export const ACT_TANH = 2; // AssemblyScript's Math.tanh: the same bits in every engine

// NN second layer
export const SECOND_SHARED = 0; // one scalar a
export const SECOND_FREE = 1; // per-neuron aᵢ
export const SECOND_POSITIVE = 2; // per-neuron aᵢ projected onto aᵢ ≥ 0 after each update

// optimizer
export const OPT_SGD = 0;
export const OPT_ADAM = 1;

// learning-rate schedule
export const SCHED_CONSTANT = 0;
export const SCHED_PAPER = 1; // lr, lr/10 from step S − TAIL1, lr/15 from step S − TAIL2
export const SCHED_COSINE = 2; // lr·(1 + cos(πt/S))/2

// precision of the training step (CTX_PREC); the loss is accumulated in float64 either way
export const PREC_F64 = 0;
export const PREC_F32 = 1; // θ, gradient, Adam moments and the b×N work in float32

// ---------------------------------------------------------------------------------------
// Training context: an array of CTX_SLOTS float64 slots (integers and pointers stored exactly
// as doubles), written by src/kernels/train.ts, read (and a few updated) by assembly/nn/train.ts.

export const CTX_MODE = 0; // MODE_*
export const CTX_D = 1;
export const CTX_N = 2;
export const CTX_B = 3; // batch rows
export const CTX_ACT = 4; // ACT_*
export const CTX_SECOND = 5; // SECOND_* (NT: SECOND_FREE)
export const CTX_ALPHA = 6;
export const CTX_BETA = 7;
export const CTX_OPT = 8; // OPT_*
export const CTX_ADAM_B1 = 9;
export const CTX_ADAM_B2 = 10;
export const CTX_ADAM_EPS = 11;
export const CTX_ADAM_B1T = 12; // β₁ᵗ, β₂ᵗ (running products, updated by the kernel)
export const CTX_ADAM_B2T = 13;
export const CTX_TASK = 14; // TASK_*
export const CTX_TASK_DIAG = 15; // 1: diagonal B / Δ
export const CTX_TASK_R = 16; // mixture: rank of Δ
export const CTX_TRACE = 17; // quadratic: tr B
export const CTX_NOISE = 18; // quadratic: label-noise std
export const CTX_TASK_P0 = 19; // quadratic: B (d×d) or its diagonal; mixture: U (d×r) (diag: unused)
export const CTX_TASK_P1 = 20; // mixture: factors for y = +1
export const CTX_TASK_P2 = 21; // mixture: factors for y = −1
export const CTX_THETA = 22;
export const CTX_GRAD = 23;
export const CTX_M = 24; // Adam first moment (θ layout)
export const CTX_V = 25; // Adam second moment
export const CTX_W0 = 26; // NT: frozen W (d×N)
export const CTX_A0 = 27; // NT: frozen a⁰ (N)
export const CTX_X = 28; // b×d batch
export const CTX_Y = 29; // b labels
export const CTX_Z = 30; // b×N
export const CTX_F = 31; // b×N
export const CTX_DZ = 32; // b×N
export const CTX_T = 33; // b×N (NT: X·G); reused as the E matrix
export const CTX_WORK = 34; // b×max(d, r): XB (quadratic, dense B), Z·U (mixture)
export const CTX_VEC = 35; // b scratch: noise draws, residuals
export const CTX_COEF = 36; // N: (α/N)·Aᵢ
export const CTX_COLACC = 37; // max(b, N): column accumulator for ∂L/∂a, row sums
export const CTX_STEP = 38; // global step counter t (updated by the kernel)
export const CTX_STEPS = 39; // total steps S (schedule horizon)
export const CTX_SCHED = 40; // SCHED_*
export const CTX_LR = 41;
export const CTX_TAIL1 = 42; // paper schedule: lr/10 from step S − TAIL1
export const CTX_TAIL2 = 43; // paper schedule: lr/15 from step S − TAIL2
export const CTX_REF = 44; // loss reference for divergence (max of E y² and the first loss)
export const CTX_EXPLODE = 45; // divergence when loss > EXPLODE·REF (or not finite)
export const CTX_XALL = 46; // fixed data: n×d inputs
export const CTX_YALL = 47; // fixed data: n labels
export const CTX_NDATA = 48; // fixed data: n
export const CTX_PERM = 49; // fixed data: i32 permutation (n)
export const CTX_UNIF = 50; // fixed data: n uniforms (shuffle)
export const CTX_POS = 51; // fixed data: position in the current epoch
export const CTX_PREC = 52; // PREC_*: element type of θ, ∇, M, V, W0, A0, Z, F, DZ, T, VEC, COEF, COLACC
export const CTX_XS = 53; // PREC_F32: the batch X (b×d) rounded to float32 (CTX_X stays the float64 sample)
export const CTX_YS = 54; // PREC_F32: the labels y (b) rounded to float32
export const CTX_POOL = 55; // threads builds: the control block of the helper threads (0: none)
export const CTX_XCUR = 56; // threaded step: the batch X of the current step (CTX_X, CTX_XALL or CTX_XS)
export const CTX_STEP_LR = 57; // threaded step: the learning rate of the current step
export const CTX_SLOTS = 58;

// ---------------------------------------------------------------------------------------
// Random-number state (assembly/random/xoshiro.ts): byte offsets inside one generator state

export const RNG_SPARE = 32; // f64: the unused second Box–Muller output
export const RNG_HAS_SPARE = 40; // u64: 1 when RNG_SPARE holds a pending normal
export const RNG_STATE_BYTES = 48; // s0..s3 (4 × u64) + spare + flag
