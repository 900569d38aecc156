// The published declarations (dist/types, built with stripInternal): they must be the
// documented API — no heap access, kernels or validation helpers — and must compile for a
// strict consumer that checks library types, on TypeScript versions without generic typed
// arrays (< 5.7: an inferred `Float64Array<ArrayBuffer>` in a .d.ts breaks them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const typesDir = new URL('../../dist/types/', import.meta.url);

/** The .d.ts files a consumer's compiler reads: index.d.ts and everything it imports. */
function reachable() {
  const seen = new Map();
  const todo = [new URL('index.d.ts', typesDir)];
  while (todo.length) {
    const url = todo.pop();
    if (seen.has(url.href)) continue;
    const text = readFileSync(url, 'utf8');
    seen.set(url.href, text);
    for (const m of text.matchAll(/(?:from\s+|import\()\s*"(\.[^"]+)\.js"/g)) todo.push(new URL(`${m[1]}.d.ts`, url));
  }
  return seen;
}

test('declarations reachable from index.d.ts use no generic typed array (TypeScript < 5.7 has none)', () => {
  for (const [href, text] of reachable()) {
    assert.not.match(
      text,
      /(Float64|Float32|Uint8|Int32|BigUint64)Array</,
      `${href.slice(typesDir.href.length)} mentions a generic typed array`,
    );
  }
});

test('internal helpers are stripped from the reachable declarations', () => {
  const internal = [
    'wasm',
    'heapF64',
    'heapF32',
    'heapU8',
    'readF64',
    'readF32',
    'scoped',
    'Scope',
    'HeapMatrix',
    'withState',
    'normalInto',
    'resolveFit',
    'features',
    'checkW',
    'checkXY',
    'checkX',
    'checkFiniteMatrix',
    'checkActivation',
    'ACTIVATION_CODE',
    'checkMatrix',
    'dtypeOf',
    'largestSquares',
    'RunContext',
    'runPoint',
    'enumeratePoints',
    'deriveSeed',
    '_internal',
  ];
  const files = reachable();
  assert.ok(files.size >= 10, `walked the import graph (${files.size} files)`);
  for (const [href, text] of files) {
    for (const name of internal) {
      const decl = new RegExp(`(function|class|const|let|interface|type|as)\\s+${name}\\b|^\\s+${name}(<[^>]*>)?\\(`, 'm');
      assert.not.match(text, decl, `${href.slice(typesDir.href.length)} declares the internal ${name}`);
    }
  }
  const index = files.get(new URL('index.d.ts', typesDir).href);
  for (const name of ['init', 'matmul', 'eigh', 'createRng', 'fitRF', 'fitNT', 'trainNN', 'compare', 'theory', 'plotSVG']) {
    assert.match(index, new RegExp(`\\b${name}\\b`), `index.d.ts exports ${name}`);
  }
});

test('a strict consumer with skipLibCheck off compiles against dist/types', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lazytrain-types-'));
  try {
    const index = fileURLToPath(new URL('index.js', typesDir));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      join(dir, 'check.ts'),
      [
        `import * as lt from ${JSON.stringify(index)};`,
        'export const api: typeof lt = lt;',
        'export function use(m: lt.NTModel, r: lt.Rng): number { return m.solve.iterations + r.uniform(1)[0]; }',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    assert.is(r.status, 0, `tsc reported:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
