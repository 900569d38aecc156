// The shared ABI (src/kernels/abi.ts: training-context slots and enum codes) means the same
// thing to both compilers: every constant the TypeScript build emitted equals the global the
// AssemblyScript build exported under the same name, in both builds; the slots form a
// permutation of 0 … CTX_SLOTS − 1; the AssemblyScript code compares enum-valued slots with
// names only; and a module whose constants differ (two slots swapped) is refused with a clear
// error before any training or sampling runs on it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import * as ABI from '../../build/esm/kernels/abi.js';
import { init, createRng, learningRates, quadraticTask, trainNN } from '../../dist/index.js';

const wasmBytes = (f) => readFileSync(new URL(`../../build/wasm/${f}`, import.meta.url));
const BUILDS = ['lazytrain-simd.wasm', 'lazytrain-scalar.wasm'];

async function globalsOf(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { abort() { throw new Error('abort'); } } });
  const out = {};
  for (const [name, v] of Object.entries(instance.exports)) if (v instanceof WebAssembly.Global) out[name] = v.value;
  return out;
}

test('every TypeScript ABI constant equals the exported WASM global of the same name (both builds)', async () => {
  const ts = Object.fromEntries(Object.entries(ABI));
  assert.ok(Object.keys(ts).length > 60, 'the ABI module exports its constants');
  for (const f of BUILDS) {
    const g = await globalsOf(wasmBytes(f));
    assert.equal(Object.keys(g).sort(), Object.keys(ts).sort(), `${f}: the same names`);
    for (const [name, value] of Object.entries(ts)) assert.is(g[name], value, `${f}: ${name}`);
  }
});

test('context slots are a permutation of 0 … CTX_SLOTS − 1; enum codes are distinct per group', () => {
  const slots = Object.entries(ABI).filter(([k]) => k.startsWith('CTX_') && k !== 'CTX_SLOTS');
  assert.is(slots.length, ABI.CTX_SLOTS);
  assert.equal(slots.map(([, v]) => v).sort((a, b) => a - b), Array.from({ length: ABI.CTX_SLOTS }, (_, i) => i));
  for (const prefix of ['MODE_', 'TASK_', 'ACT_', 'SECOND_', 'OPT_', 'SCHED_']) {
    const codes = Object.entries(ABI).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
    assert.ok(codes.length >= 2, prefix);
    assert.is(new Set(codes).size, codes.length, `${prefix}* codes are distinct`);
    assert.ok(codes.every((c) => Number.isInteger(c) && c >= 0), `${prefix}* codes are small integers`);
  }
});

test('AssemblyScript reads enum-valued slots by name, never against a bare number', () => {
  const dirs = ['nn', 'tasks'];
  const enumSlot = /gi\(ctx, CTX_(MODE|ACT|SECOND|OPT|TASK|SCHED)\)\s*[=!]=+\s*\d/;
  const enumVar = /\b(kind|mode|task|second|opt|sched|act)\s*[=!]=+\s*\d/;
  let files = 0;
  for (const dir of dirs) {
    const base = new URL(`../../assembly/${dir}/`, import.meta.url);
    for (const f of readdirSync(base).filter((n) => n.endsWith('.ts'))) {
      files++;
      readFileSync(new URL(f, base), 'utf8').split('\n').forEach((line, i) => {
        assert.not.match(line, enumSlot, `assembly/${dir}/${f}:${i + 1}: ${line.trim()}`);
        assert.not.match(line, enumVar, `assembly/${dir}/${f}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  assert.ok(files >= 5);
});

// ---------------------------------------------------------------------------------------
// A module built with two slots swapped is refused.

function leb(bytes, pos) {
  let result = 0, shift = 0, b;
  do { b = bytes[pos++]; result |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  return [result >>> 0, pos];
}

/** Byte offset of the i32.const immediate of each exported immutable global, by export name. */
function globalInits(bytes) {
  let pos = 8;
  const inits = [], exported = {};
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = leb(bytes, pos);
    const end = pos + size;
    if (id === 6) {
      let n, p = pos;
      [n, p] = leb(bytes, p);
      for (let i = 0; i < n; i++) {
        const type = bytes[p];
        p += 2; // valtype, mutability
        const op = bytes[p++];
        inits.push(type === 0x7f && op === 0x41 ? p : -1);
        // skip the constant expression up to its `end` (0x0b): i32.const LEB or f64.const 8 bytes
        if (op === 0x41) { [, p] = leb(bytes, p); } else if (op === 0x44) { p += 8; } else if (op === 0x42) { [, p] = leb(bytes, p); }
        assert.is(bytes[p++], 0x0b, 'simple constant initialisers');
      }
    } else if (id === 7) {
      let n, p = pos;
      [n, p] = leb(bytes, p);
      for (let i = 0; i < n; i++) {
        let len;
        [len, p] = leb(bytes, p);
        const name = new TextDecoder().decode(bytes.subarray(p, p + len));
        p += len;
        const kind = bytes[p++];
        let index;
        [index, p] = leb(bytes, p);
        if (kind === 3) exported[name] = index;
      }
    }
    pos = end;
  }
  return Object.fromEntries(Object.entries(exported).map(([name, i]) => [name, inits[i]]));
}

test('a module with CTX_LR and CTX_TAIL1 swapped is refused by name; the bundled one works again', async () => {
  const bytes = new Uint8Array(wasmBytes('lazytrain-simd.wasm'));
  const at = globalInits(bytes);
  // both fit in one LEB128 byte, so swapping them keeps every section size
  assert.ok(ABI.CTX_LR < 64 && ABI.CTX_TAIL1 < 64 && at.CTX_LR > 0 && at.CTX_TAIL1 > 0);
  assert.is(bytes[at.CTX_LR], ABI.CTX_LR);
  bytes[at.CTX_LR] = ABI.CTX_TAIL1;
  bytes[at.CTX_TAIL1] = ABI.CTX_LR;
  assert.equal((await globalsOf(bytes)).CTX_LR, ABI.CTX_TAIL1, 'the patched module really has them swapped');
  await init({ simd: true });
  const task = quadraticTask({ d: 4, seed: 1 });
  try {
    await init({ wasm: bytes });
    const re = new RegExp(`ABI constant CTX_LR is ${ABI.CTX_TAIL1}, expected ${ABI.CTX_LR} \\(stale \\.wasm\\?\\)`);
    assert.throws(() => learningRates({ lr: 1, steps: 10 }), re);
    assert.throws(() => task.sample(3, createRng(1)), re);
    let err;
    try { await trainNN({ task, N: 2, steps: 3 }); } catch (e) { err = e; }
    assert.match(err?.message ?? '', re);
  } finally {
    await init({ simd: true });
  }
  assert.is(learningRates({ lr: 1, steps: 10 })[0], 1);
  assert.is((await trainNN({ task, N: 2, steps: 3 })).training.steps, 3);
});

test.run();
