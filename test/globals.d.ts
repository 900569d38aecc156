// Globals the browser tests set on a page and read back with page.evaluate.
interface Window {
  /** The outcome a test page computes (test/browser/bundlers.test.mjs, parity.test.mjs). */
  __result: unknown;
}
