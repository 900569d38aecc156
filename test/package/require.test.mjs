// require('lazytrain') from CommonJS: Node ≥ 20.19 loads an ES module synchronously through
// require() when the module graph has no top-level await (otherwise ERR_REQUIRE_ASYNC_MODULE), and package.json's "default" export
// condition lets require resolve it. Checked on the packed package, from a .cjs file and from a
// TypeScript project compiled to CommonJS (the classic module: commonjs setup, and nodenext).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { packedConsumer, ROOT } from './pack.mjs';

const [major, minor] = process.versions.node.split('.').map(Number);
const requireEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);

// The CommonJS consumer: load, initialise, compute; prints JSON for the parent to check.
const BODY = (req) => `
const lib = ${req};
lib.init().then(() => {
  const c = lib.matmul(lib.fromArray([[1, 2], [3, 4]]), lib.fromArray([[5], [6]]));
  const task = lib.quadraticTask({ d: 8, seed: 1 });
  console.log(JSON.stringify({ product: lib.toArray(c), nn: lib.theory.riskNN(task, 8), simd: lib.runtimeInfo().simd }));
});
`;

function run(file, cwd) {
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
  // a top-level await anywhere in dist/ would make require() throw this
  assert.not.match(r.stderr, /ERR_REQUIRE_ASYNC_MODULE/, 'the bundle must not use top-level await');
  assert.is(r.status, 0, r.stderr);
  return { out: JSON.parse(r.stdout), stderr: r.stderr };
}

if (requireEsm) {
  test('require("lazytrain") from a .cjs file', () => {
    const { dir } = packedConsumer();
    writeFileSync(join(dir, 'consumer.cjs'), BODY("require('lazytrain')"));
    const { out, stderr } = run('consumer.cjs', dir);
    assert.equal(out.product, [[17], [39]]);
    assert.is(out.nn, 0, 'N = d: the NN risk is exactly 0');
    assert.is(out.simd, true);
    assert.not.match(stderr, /ERR_|Error/);
  });

  test('a TypeScript project compiled to CommonJS (module commonjs / node10, and nodenext .cts)', () => {
    const { dir } = packedConsumer();
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    /** @type {Array<[string, object, string]>} the project, its module options, the source's extension */
    const projects = [
      ['cjs-node10', { module: 'commonjs', moduleResolution: 'node10' }, 'ts'],
      ['cjs-nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, 'cts'],
    ];
    for (const [name, opts, ext] of projects) {
      const proj = join(dir, name);
      mkdirSync(proj, { recursive: true });
      writeFileSync(
        join(proj, `main.${ext}`),
        `import * as lt from 'lazytrain';\nconst m: lt.Matrix = lt.matrix(1, 1);\nvoid m;\n${BODY('lt')}`,
      );
      writeFileSync(
        join(proj, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...opts,
            target: 'es2022',
            strict: true,
            outDir: 'out',
            lib: ['es2022', 'dom'],
            types: [],
            skipLibCheck: false,
          },
          files: [`main.${ext}`],
        }),
      );
      const r = spawnSync(process.execPath, [tsc, '-p', proj], { cwd: dir, encoding: 'utf8' });
      assert.is(r.status, 0, `${name}: ${r.stdout}${r.stderr}`);
      const js = join(proj, 'out', `main.${ext === 'cts' ? 'cjs' : 'js'}`);
      const { out } = run(js, dir);
      assert.equal(out.product, [[17], [39]], name);
    }
  });
} else {
  test(`require(esm) needs Node ≥ 20.19 / 22.12 (this is ${process.version}): skipped`, () => {});
}

test.run();
