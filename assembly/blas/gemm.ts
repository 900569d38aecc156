// General matrix multiply C = op(A)·op(B) (+ C), float64 and float32, written once.
//
// Algorithm: the GotoBLAS/BLIS layering (Goto & van de Geijn, "Anatomy of High-Performance
// Matrix Multiplication", ACM TOMS 34(3), 2008; Van Zee & van de Geijn, "BLIS", TOMS 41(3), 2015):
//   for jc in n by NC:            B panel  (KC×NC)  lives in L3/L2
//     for pc in k by KC:          pack B(pc:pc+KC, jc:jc+NC) into NR-wide slivers
//       for ic in m by MC:        pack A(ic:ic+MC, pc:pc+KC) into MR-tall slivers (L2)
//         for jr in NC by NR, ir in MC by MR:
//           micro-kernel: MR×NR tile of C += (MR×KC sliver)·(KC×NR sliver), in registers
// Transposes are strides: op(A)[i][p] = A[i*rsa + p*csa], so one kernel serves all four cases.
// Edge tiles (any m, n, k ≥ 1) are handled by zero-padded packing plus a masked store.
//
// One generic driver and packing, `gemm<T>` for T = f64 (dgemm) or f32 (sgemm): the element
// type picks the tile and block sizes at compile time (`sizeof<T>()`), and only the k-loops of
// the micro-kernel are written per type and per build (SIMD f64x2 4×4 / f32x4 4×8, scalar).
// In both types a packed B row of one sliver (NR elements) and a row of the edge tile are
// 32 bytes, the width of two v128 registers.
//
// Determinism: every C element is accumulated in the same order (p ascending inside a KC
// block, blocks added in order), with separate mul and add (no FMA), in the SIMD and the
// scalar build alike, so both builds give bit-identical results in every engine. The opt-in
// relaxed-SIMD build keeps the order but lets the engine fuse each mul+add (see `madd`).

// f64: 4×4 tile = 8 f64x2 accumulators + 2 B vectors + A splat: fits the 16 XMM registers
// V8 uses on x64 without spilling (a 6×4 or 4×6 tile spills). f32: 4×8 tile = 8 f32x4
// accumulators, the same register budget.
// Block sizes for this 48 KiB L1d / 2 MiB L2 core (`lscpu`): the A and B slivers of one
// micro-kernel call stay in L1, the packed A block in L2, the B panel in L3.
// Also tried: KC 384 (f64), KC 512 with MC 64, MC 192/256 — within the VM's noise of these.
// f32 KC 256/384/512 interleaved on the idle machine: equal at n = 256, 768, 1024; at n = 512
// KC 512 (one k-pass, no second read-modify-write of C) had the best median (22.2 vs 19.6
// GFLOP/s for 384), so f32 uses 512.
const MR = 4;
const DKC = 256; // f64: A sliver 4·256·8 = 8 KiB + B sliver 8 KiB: both stay in L1
const SKC = 512; // f32: A sliver 8 KiB + B sliver 16 KiB: L1 (48 KiB); one k-pass up to k = 512
const MC = 128; // packed A block 128·256·8 = 128·512·4 = 256 KiB: L2
const NC = 2048; // packed B panel 256·2048·8 = 512·2048·4 = 4 MiB: L3
const ROW: usize = 32; // bytes of one packed B row (NR elements) and of one edge-tile row

// @ts-ignore: decorator
@inline function NR<T>(): i32 {
  return sizeof<T>() == 8 ? 4 : 8;
}
// @ts-ignore: decorator
@inline function KC<T>(): i32 {
  return sizeof<T>() == 8 ? DKC : SKC;
}
// @ts-ignore: decorator
@inline function SHIFT<T>(): usize {
  return sizeof<T>() == 8 ? 3 : 2;
}

const PACK_A_BYTES: usize = <usize>max(MC * DKC * 8, MC * SKC * 4);
const PACK_B_BYTES: usize = <usize>max(DKC * NC * 8, SKC * NC * 4);

let packA: usize = 0;
let packB: usize = 0;
// Scratch tile for edge stores (MR rows of ROW bytes).
let tile: usize = 0;

function ensureWork(): void {
  if (packA == 0) {
    packA = heap.alloc(PACK_A_BYTES);
    packB = heap.alloc(PACK_B_BYTES);
    tile = heap.alloc(<usize>MR * ROW);
  }
}

/**
 * Bytes of one instance's GEMM scratch (packed A block, packed B panel, edge tile). A helper
 * thread of the threads builds (../threads.ts) gets its scratch from instance 0 through
 * setGemmWork: helpers never allocate (the allocator's state is a per-instance global).
 */
export function gemmWorkBytes(): i32 {
  return <i32>(PACK_A_BYTES + PACK_B_BYTES + <usize>MR * ROW);
}

/** Use `work` (gemmWorkBytes() bytes, 16-byte aligned) as this instance's GEMM scratch. */
export function setGemmWork(work: usize): void {
  packA = work;
  packB = work + PACK_A_BYTES;
  tile = work + PACK_A_BYTES + PACK_B_BYTES;
}

// Pack op(A)(0:mc, 0:kc) into MR-tall slivers: sliver s holds, for p = 0..kc-1, the MR
// values A[s·MR + i][p] contiguously. Rows past mc are zero (edge tiles).
function packPanelA<T>(mc: i32, kc: i32, a: usize, rsa: usize, csa: usize, dst: usize): void {
  const rs = rsa << SHIFT<T>();
  const cs = csa << SHIFT<T>();
  const step = <usize>MR << SHIFT<T>();
  for (let i0 = 0; i0 < mc; i0 += MR) {
    for (let i = 0; i < MR; i++) {
      let d = dst + (<usize>i << SHIFT<T>());
      if (i0 + i < mc) {
        let s = a + <usize>(i0 + i) * rs;
        for (let p = 0; p < kc; p++) {
          store<T>(d, load<T>(s));
          s += cs;
          d += step;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          store<T>(d, <T>0);
          d += step;
        }
      }
    }
    dst += <usize>kc * step;
  }
}

// Pack op(B)(0:kc, 0:nc) into NR-wide slivers: sliver s holds, for p = 0..kc-1, the NR
// values B[p][s·NR + j] contiguously. Columns past nc are zero. A full sliver of a row-major
// B is a 32-byte copy per row (bits, whatever T).
function packPanelB<T>(kc: i32, nc: i32, b: usize, rsb: usize, csb: usize, dst: usize): void {
  const nrMax = NR<T>();
  const rs = rsb << SHIFT<T>();
  const cs = csb << SHIFT<T>();
  for (let j0 = 0; j0 < nc; j0 += nrMax) {
    const nr = min(nrMax, nc - j0);
    let s = b + <usize>j0 * cs;
    if (nr == nrMax && csb == 1) {
      for (let p = 0; p < kc; p++) {
        if (ASC_FEATURE_SIMD) {
          v128.store(dst, v128.load(s));
          v128.store(dst, v128.load(s, 16), 16);
        } else {
          store<u64>(dst, load<u64>(s));
          store<u64>(dst, load<u64>(s, 8), 8);
          store<u64>(dst, load<u64>(s, 16), 16);
          store<u64>(dst, load<u64>(s, 24), 24);
        }
        s += rs;
        dst += ROW;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        let q = s;
        for (let j = 0; j < nrMax; j++) {
          store<T>(dst + (<usize>j << SHIFT<T>()), j < nr ? load<T>(q) : <T>0);
          q += cs;
        }
        s += rs;
        dst += ROW;
      }
    }
  }
}

// c + a·b lane-wise for the element type's v128 shape: separate mul and add (two roundings,
// the same bits in every engine) in the default SIMD build; relaxed_madd in the relaxed-SIMD
// build (`--enable relaxed-simd`, target "relaxed"), which the engine may fuse into one FMA
// rounding — faster, but then the last bits depend on the CPU and engine.
// @ts-ignore: decorator
@inline function madd<T>(c: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return sizeof<T>() == 8 ? f64x2.relaxed_madd(a, b, c) : f32x4.relaxed_madd(a, b, c);
  } else {
    return sizeof<T>() == 8 ? f64x2.add(c, f64x2.mul(a, b)) : f32x4.add(c, f32x4.mul(a, b));
  }
}

// Lane-wise x + y for the element type's v128 shape.
// @ts-ignore: decorator
@inline function vadd<T>(x: v128, y: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.add(x, y) : f32x4.add(x, y);
}

// C tile (mr×nr, mr ≤ MR, nr ≤ NR) = or += (packed A sliver)·(packed B sliver).
// `ldc` in bytes. `add`: accumulate into C instead of overwriting it.
// @ts-ignore: decorator
@inline
function kernel<T>(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, mr: i32, nr: i32, add: bool): void {
  const full = mr == MR && nr == NR<T>();
  if (ASC_FEATURE_SIMD) {
    // Accumulator cᵢₕ holds row i, columns 2h.. (f64) or 4h.. (f32) of the tile.
    let c00 = i64x2.splat(0), c01 = i64x2.splat(0);
    let c10 = i64x2.splat(0), c11 = i64x2.splat(0);
    let c20 = i64x2.splat(0), c21 = i64x2.splat(0);
    let c30 = i64x2.splat(0), c31 = i64x2.splat(0);
    // The micro-kernel proper, one per element type. Loop on the A pointer alone (no
    // separate counter): 3 scalar uops per k step instead of 4 on the ports the SIMD mul/add
    // also use. V8 unrolls this loop itself and keeps the loads next to their uses; unrolling
    // it by hand in the source made binaryen/V8 hoist every load to the top of the body and
    // spill half the accumulators (checked with `node --print-wasm-code`).
    const pend = pa + (<usize>kc << (SHIFT<T>() + 2)); // kc·MR elements
    if (sizeof<T>() == 8) {
      while (pa < pend) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let a = v128.load64_splat(pa);
        c00 = madd<f64>(c00, a, b0);
        c01 = madd<f64>(c01, a, b1);
        a = v128.load64_splat(pa, 8);
        c10 = madd<f64>(c10, a, b0);
        c11 = madd<f64>(c11, a, b1);
        a = v128.load64_splat(pa, 16);
        c20 = madd<f64>(c20, a, b0);
        c21 = madd<f64>(c21, a, b1);
        a = v128.load64_splat(pa, 24);
        c30 = madd<f64>(c30, a, b0);
        c31 = madd<f64>(c31, a, b1);
        pa += 32;
        pb += 32;
      }
    } else {
      while (pa < pend) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let a = v128.load32_splat(pa);
        c00 = madd<f32>(c00, a, b0);
        c01 = madd<f32>(c01, a, b1);
        a = v128.load32_splat(pa, 4);
        c10 = madd<f32>(c10, a, b0);
        c11 = madd<f32>(c11, a, b1);
        a = v128.load32_splat(pa, 8);
        c20 = madd<f32>(c20, a, b0);
        c21 = madd<f32>(c21, a, b1);
        a = v128.load32_splat(pa, 12);
        c30 = madd<f32>(c30, a, b0);
        c31 = madd<f32>(c31, a, b1);
        pa += 16;
        pb += 32;
      }
    }
    // Full tiles go straight to C; edge tiles through the scratch tile (row stride ROW).
    let dst = full ? c : tile;
    const ld: usize = full ? ldc : ROW;
    if (add && full) {
      v128.store(dst, vadd<T>(v128.load(dst), c00));
      v128.store(dst, vadd<T>(v128.load(dst, 16), c01), 16);
      dst += ld;
      v128.store(dst, vadd<T>(v128.load(dst), c10));
      v128.store(dst, vadd<T>(v128.load(dst, 16), c11), 16);
      dst += ld;
      v128.store(dst, vadd<T>(v128.load(dst), c20));
      v128.store(dst, vadd<T>(v128.load(dst, 16), c21), 16);
      dst += ld;
      v128.store(dst, vadd<T>(v128.load(dst), c30));
      v128.store(dst, vadd<T>(v128.load(dst, 16), c31), 16);
    } else {
      v128.store(dst, c00);
      v128.store(dst, c01, 16);
      dst += ld;
      v128.store(dst, c10);
      v128.store(dst, c11, 16);
      dst += ld;
      v128.store(dst, c20);
      v128.store(dst, c21, 16);
      dst += ld;
      v128.store(dst, c30);
      v128.store(dst, c31, 16);
    }
    if (!full) storeEdge<T>(c, ldc, mr, nr, add);
  } else {
    if (sizeof<T>() == 8) {
      // Scalar f64: the whole 4×4 tile in 16 accumulators.
      let c00 = 0.0, c01 = 0.0, c02 = 0.0, c03 = 0.0;
      let c10 = 0.0, c11 = 0.0, c12 = 0.0, c13 = 0.0;
      let c20 = 0.0, c21 = 0.0, c22 = 0.0, c23 = 0.0;
      let c30 = 0.0, c31 = 0.0, c32 = 0.0, c33 = 0.0;
      for (let p = 0; p < kc; p++) {
        const b0 = load<f64>(pb), b1 = load<f64>(pb, 8), b2 = load<f64>(pb, 16), b3 = load<f64>(pb, 24);
        let a = load<f64>(pa);
        c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
        a = load<f64>(pa, 8);
        c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
        a = load<f64>(pa, 16);
        c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
        a = load<f64>(pa, 24);
        c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
        pa += 32;
        pb += 32;
      }
      const t = tile;
      store<f64>(t, c00, 0); store<f64>(t, c01, 8); store<f64>(t, c02, 16); store<f64>(t, c03, 24);
      store<f64>(t, c10, 32); store<f64>(t, c11, 40); store<f64>(t, c12, 48); store<f64>(t, c13, 56);
      store<f64>(t, c20, 64); store<f64>(t, c21, 72); store<f64>(t, c22, 80); store<f64>(t, c23, 88);
      store<f64>(t, c30, 96); store<f64>(t, c31, 104); store<f64>(t, c32, 112); store<f64>(t, c33, 120);
    } else {
      // Scalar f32: one row of 8 accumulators at a time keeps the register pressure sane;
      // each element still sums p in ascending order, as the SIMD path does.
      for (let i = 0; i < MR; i++) {
        let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
        let c4: f32 = 0, c5: f32 = 0, c6: f32 = 0, c7: f32 = 0;
        let qa = pa + (<usize>i << 2);
        let qb = pb;
        for (let p = 0; p < kc; p++) {
          const a = load<f32>(qa);
          c0 += a * load<f32>(qb); c1 += a * load<f32>(qb, 4);
          c2 += a * load<f32>(qb, 8); c3 += a * load<f32>(qb, 12);
          c4 += a * load<f32>(qb, 16); c5 += a * load<f32>(qb, 20);
          c6 += a * load<f32>(qb, 24); c7 += a * load<f32>(qb, 28);
          qa += MR << 2;
          qb += ROW;
        }
        const t = tile + <usize>i * ROW;
        store<f32>(t, c0, 0); store<f32>(t, c1, 4); store<f32>(t, c2, 8); store<f32>(t, c3, 12);
        store<f32>(t, c4, 16); store<f32>(t, c5, 20); store<f32>(t, c6, 24); store<f32>(t, c7, 28);
      }
    }
    storeEdge<T>(c, ldc, mr, nr, add);
  }
}

// Copy the mr×nr corner of the scratch tile (row stride ROW) to C.
function storeEdge<T>(c: usize, ldc: usize, mr: i32, nr: i32, add: bool): void {
  for (let i = 0; i < mr; i++) {
    const src = tile + <usize>i * ROW;
    const dst = c + <usize>i * ldc;
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << SHIFT<T>();
      const v = load<T>(src + o);
      store<T>(dst + o, add ? load<T>(dst + o) + v : v);
    }
  }
}

// The driver, inlined into dgemm and sgemm (so each export carries its own micro-kernel).
// @ts-ignore: decorator
@inline
function gemm<T>(
  m: i32, n: i32, k: i32,
  a: usize, rsa: i32, csa: i32,
  b: usize, rsb: i32, csb: i32,
  c: usize, ldc: i32, accumulate: bool,
): void {
  ensureWork();
  const sh = SHIFT<T>();
  const nrMax = NR<T>(), kcMax = KC<T>();
  const ldcb = <usize>ldc << sh;
  if (k == 0) {
    if (!accumulate) {
      for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldcb, 0, <usize>n << sh);
    }
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      packPanelB<T>(kc, nc, b + ((<usize>pc * rsb + <usize>jc * csb) << sh), rsb, csb, packB);
      const add = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packPanelA<T>(mc, kc, a + ((<usize>ic * rsa + <usize>pc * csa) << sh), rsa, csa, packA);
        for (let jr = 0; jr < nc; jr += nrMax) {
          const nr = min(nrMax, nc - jr);
          const pb = packB + ((<usize>jr * kc) << sh);
          let cp = c + <usize>ic * ldcb + (<usize>(jc + jr) << sh);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            kernel<T>(kc, packA + ((<usize>ir * kc) << sh), pb, cp, ldcb, mr, nr, add);
            cp += ldcb * MR;
          }
        }
      }
    }
  }
}

/**
 * dgemm: C(m×n, row stride ldc) = op(A)·op(B)  (or += when `accumulate`), float64.
 * op(A)[i][p] = A[i·rsa + p·csa] (m×k), op(B)[p][j] = B[p·rsb + j·csb] (k×n); strides in
 * elements. 2·m·n·k flops. C must not alias A or B.
 */
export function dgemm(
  m: i32, n: i32, k: i32,
  a: usize, rsa: i32, csa: i32,
  b: usize, rsb: i32, csb: i32,
  c: usize, ldc: i32, accumulate: bool,
): void {
  gemm<f64>(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc, accumulate);
}

/** sgemm: float32 twin of `dgemm` (same argument conventions, strides in elements). */
export function sgemm(
  m: i32, n: i32, k: i32,
  a: usize, rsa: i32, csa: i32,
  b: usize, rsb: i32, csb: i32,
  c: usize, ldc: i32, accumulate: bool,
): void {
  gemm<f32>(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc, accumulate);
}
