// Argument validation shared by every public function. Errors name the argument, say what
// was expected and what was received, so a caller can fix the call without reading our code.

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** A non-negative integer size (0 allowed unless `min` says otherwise). */
export function checkSize(name: string, v: unknown, min = 0, max = 2 ** 31 - 1): number {
  if (typeof v !== "number") throw new TypeError(`${name} must be an integer, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
  return v;
}

/** A finite number (optionally within [lo, hi]). */
export function checkFinite(name: string, v: unknown, lo = -Infinity, hi = Infinity): number {
  if (typeof v !== "number") throw new TypeError(`${name} must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be finite, got ${v}`);
  if (v < lo || v > hi) throw new RangeError(`${name} must be in [${lo}, ${hi}], got ${v}`);
  return v;
}

export function checkBoolean(name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/** Options objects: undefined → {}, anything but a plain object → TypeError; unknown keys rejected. */
export function checkOptions<T extends object>(name: string, v: unknown, allowed: readonly string[]): Partial<T> {
  if (v === undefined) return {};
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new TypeError(`${name} must be an options object, got ${describe(v)}`);
  }
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${name}.${key} is not a known option (known: ${allowed.join(", ")})`);
    }
  }
  return v as Partial<T>;
}

/** Index of the first non-finite entry, or -1. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    // x - x is NaN exactly for NaN and ±Infinity
    if (x - x !== 0) return i;
  }
  return -1;
}

/** One of a fixed set of strings; `undefined` gives `dflt` when one is passed. */
export function checkEnum<T extends string>(name: string, v: unknown, allowed: readonly T[], dflt?: T): T {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
  const list = allowed.map((x) => JSON.stringify(x));
  const words = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : list[0];
  throw new TypeError(`${name} must be ${words}, got ${describe(v)}`);
}

/** A finite number > 0; `undefined` gives `dflt` when one is passed. */
export function checkPositive(name: string, v: unknown, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  const x = checkFinite(name, v);
  if (!(x > 0)) throw new RangeError(`${name} must be > 0, got ${x}`);
  return x;
}
