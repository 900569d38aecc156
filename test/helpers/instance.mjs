// A separate instance of the library: the query string makes Node (or the browser) evaluate
// dist/index.js anew, with its own WebAssembly instance and "not initialised" state. Typed as the
// published module (tsc cannot resolve a specifier with a query string).

/**
 * @param {string} tag distinguishes instances (the same tag returns the same cached module)
 * @returns {Promise<typeof import('../../dist/index.js')>}
 */
export const freshInstance = (tag) => import(`../../dist/index.js?instance=${tag}`);
