// The module's exports for the kernels that rely on the shared constants of ./abi.ts: checked
// once per module instance against the constants the module itself exports (assembly/index.ts
// re-exports ./abi.ts as WASM globals), so a stale or foreign .wasm fails with a clear error
// instead of reading its training context with other slot numbers.

import * as ABI from "./abi.js";
import { checkAbi, type Exports } from "../runtime/abi.js";
import { wasm } from "../runtime/module.js";

const checked = new WeakSet<Exports>();

/** @internal */
export function abiWasm(): Exports {
  const ex = wasm();
  if (!checked.has(ex)) {
    checkAbi(ex, ABI);
    checked.add(ex);
  }
  return ex;
}
