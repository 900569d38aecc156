// compare() with threads (issue 12 item 3): the pool's tail grants (once no point waits, the
// cores of finished workers go to the points still running) and the CLI's --threads. Rows
// must not change: training is bit-identical for every thread count (test/runtime/threads).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rejects } from '../helpers/assert.mjs';
import { collect, rowsOfFile, sortRows } from '../helpers/spawn.mjs';
import { init, compare } from '../../dist/index.js';
import { internal } from '../helpers/internal.mjs';

const { tailGrants } = internal;
const strip = (rows) => rows.map(({ seconds, ...r }) => r);
/** @type {import('../../dist/index.js').CompareConfig} */
const SMALL = {
  d: 12,
  ratios: [0.25, 0.5, 1, 1.5],
  n: 'online',
  seed: 3,
  reps: 2,
  nn: { steps: 300 },
  nt: { method: 'sgd', steps: 300 },
};

test.before(async () => {
  await init();
});

test('tailGrants: spare cores to the most work left per thread, capped, ties to the earlier point', () => {
  assert.equal(tailGrants([10, 100], 0, 4), [1, 1]);
  assert.equal(tailGrants([10, 100], 1, 4), [1, 2]);
  // 100/2 = 50 > 30: the long point takes the second spare core too; then 100/3 ≈ 33 > 30
  assert.equal(tailGrants([30, 100], 2, 4), [1, 3]);
  // 100/3 ≈ 33 > 30: the third too; the fourth goes to the short point (30 > 100/4 = 25)
  assert.equal(tailGrants([30, 100], 3, 4), [1, 4]);
  assert.equal(tailGrants([30, 100], 4, 4), [2, 4]);
  assert.equal(tailGrants([30, 100], 3, 2), [2, 2]);
  assert.equal(tailGrants([5, 5], 1, 2), [2, 1]);
  assert.equal(tailGrants([7], 5, 3), [3]);
  assert.equal(tailGrants([], 2, 3), []);
});

test('compare with workers and threads: rows and meta identical to a one-thread run', async () => {
  const a = await compare(SMALL);
  const w = await compare(SMALL, { workers: 2, threads: 3 });
  assert.equal(strip(w.rows), strip(a.rows));
  assert.equal(w.meta, a.meta);
});

test('hooks.threads: bad values name the argument; compare stays usable', async () => {
  await rejects(() => compare(SMALL, { workers: 2, threads: 0 }), /hooks\.threads/);
  await rejects(() => compare(SMALL, { workers: 2, threads: 65 }), /hooks\.threads/);
  await rejects(() => compare(SMALL, { workers: 2, threads: 1.5 }), /hooks\.threads/);
  const r = await compare({ ...SMALL, reps: 1 }, { threads: 2 });
  assert.is(r.rows.length, 12);
});

test('CLI --threads: the same rows as a one-thread run; out-of-range values are usage errors', async () => {
  const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
  const tmp = mkdtempSync(join(tmpdir(), 'lazytrain-threads-'));
  try {
    const run = (args) => collect(spawn(process.execPath, [CLI, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] }));
    const args = ['compare', '--d', '10', '--ratios', '0.3:1.2:0.3', '--steps', '200', '--seed', '5'];
    const rows = (dir) => sortRows(rowsOfFile(join(tmp, dir, 'results.jsonl')));
    const one = await run([...args, '--workers', '1', '--out', 'one']);
    assert.is(one.code, 0, one.stderr);
    const two = await run([...args, '--workers', '1', '--threads', '2', '--out', 'two']);
    assert.is(two.code, 0, two.stderr);
    assert.match(two.stdout, /up to 2 threads per point/);
    const pool = await run([...args, '--workers', '2', '--threads', '2', '--out', 'pool']);
    assert.is(pool.code, 0, pool.stderr);
    assert.equal(rows('two'), rows('one'));
    assert.equal(rows('pool'), rows('one'));
    for (const bad of ['0', '65']) {
      const r = await run([...args, '--threads', bad, '--out', 'bad']);
      assert.is(r.code, 2, r.stderr);
      assert.match(r.stderr, /--threads must be an integer from 1 to 64/);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
