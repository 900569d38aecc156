// Assertions uvu/assert lacks. `assert.throws(async () => …)` calls the function, gets a promise
// back (a function that returns normally) and never sees it reject: the check cannot fail. Await
// the promise instead, with `rejects` when it must reject (eslint's no-restricted-syntax and
// await-thenable rules flag the dropped-promise form in test/).
import * as assert from 'uvu/assert';

/**
 * Await `fn()` and require it to reject with an Error matching `expected`: a RegExp tested against
 * the message, or an Error class the rejection must be an instance of (both may be given).
 * @param {() => PromiseLike<unknown>} fn
 * @param {RegExp | (new (...args: any[]) => Error)} expected
 * @param {RegExp} [re] message pattern, when `expected` is a class
 * @returns {Promise<Error>} the rejection, for further checks
 */
export async function rejects(fn, expected, re) {
  let err;
  let rejected = false;
  try {
    await fn();
  } catch (e) {
    rejected = true;
    err = e;
  }
  assert.ok(rejected, `expected a rejection matching ${expected instanceof RegExp ? expected : expected.name}, got a result`);
  assert.ok(err instanceof Error, `rejected with a non-Error: ${String(err)}`);
  if (expected instanceof RegExp) assert.match(err.message, expected);
  else {
    assert.ok(err instanceof expected, `expected ${expected.name}, got ${err.name}: ${err.message}`);
    if (re) assert.match(err.message, re);
  }
  return err;
}
