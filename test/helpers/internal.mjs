// The library's internals, as the CLI and the compare() worker reach them: dist/index.js exports
// them as `_internal` (src/internal.ts), but the published declarations leave that export out
// (@internal, stripInternal), so they are typed here from dist/types/internal.d.ts, which tsc
// still writes. The same module as the tests' `import … from '../../dist/index.js'` (one
// WebAssembly instance, one init()).
import * as lazytrain from '../../dist/index.js';

/** @type {typeof import('../../dist/types/internal.js')} */
export const internal = /** @type {any} */ (lazytrain)._internal;
