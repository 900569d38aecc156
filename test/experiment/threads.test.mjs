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
import { init, compare, planCompare, normalizeConfig, runtimeInfo } from '../../dist/index.js';
import { internal } from '../helpers/internal.mjs';
import { SMALL, strip } from '../helpers/compare.mjs';

const { tailGrants, poolSchedule, predictSeconds, pointWork, enumeratePoints, calibrate, RunContext, setThreadsGrant } = internal;

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

/** The plan's makespan recomputed from its parts: the pool rule on the per-point predictions. */
function replan(cfg, plan) {
  const c = normalizeConfig(cfg);
  const byIndex = new Map(enumeratePoints(c).map((p) => [p.index, p]));
  const jobs = plan.perPoint.map((q) => {
    const w = pointWork(c, byIndex.get(q.index));
    return { seconds: q.seconds, speedup: (g) => (g <= 1 ? 1 : q.seconds / predictSeconds(plan.model, w, g)) };
  });
  return poolSchedule(jobs, plan.workers, plan.workers > 1 ? plan.threads : 1);
}

const WIDE = { d: 60, widths: { RF: [4], NT: [8, 60], NN: [8, 60, 240] }, seed: 4, nn: { steps: 400 }, nt: { steps: 400 } };

test("the ETA model with threads: a pool's speed-ups are measured on a threads module in a worker; the plan replays the tail", async () => {
  const plan = await planCompare(WIDE, { workers: 2, threads: 2 });
  assert.is(plan.threads, 2);
  assert.is(plan.model.threads, 2);
  for (const k of ['NN', 'NT']) {
    const f = plan.model[k];
    for (const x of f.samples) assert.ok(x.speedup >= 0.25 && x.speedup <= 2, `${k} N=${x.N}: ${x.speedup}`);
    assert.is(f.threadSpeedup, f.samples.at(-1).speedup);
  }
  assert.is(runtimeInfo().threads.used, 1); // this thread's module is untouched
  assert.ok(Math.abs(plan.predictedSeconds - replan(WIDE, plan)) <= 1e-12 * plan.predictedSeconds);
  // one thread per point: no speed-ups, plain list scheduling of the same points
  const flat = await planCompare(WIDE, { workers: 2 });
  assert.equal([flat.threads, flat.model.threads, flat.model.NN.samples[0].speedup], [1, 1, undefined]);
  assert.ok(Math.abs(flat.predictedSeconds - replan(WIDE, flat)) <= 1e-12 * flat.predictedSeconds);
  await rejects(() => planCompare(WIDE, { workers: 2, threads: 0 }), /options\.threads/);
});

test("the ETA model with init({ threads: 2 }) and one worker: every point predicted on the module's threads", async () => {
  const info = await init({ threads: 2 });
  try {
    if (info.threads.used !== 2) throw new Error(`threads unavailable here: ${info.threads.reason}`);
    const plan = await planCompare(WIDE);
    assert.equal([plan.workers, plan.threads, plan.model.threads], [1, 2, 2]);
    const c = normalizeConfig(WIDE);
    const byIndex = new Map(enumeratePoints(c).map((p) => [p.index, p]));
    for (const q of plan.perPoint) {
      assert.is(q.seconds, predictSeconds(plan.model, pointWork(c, byIndex.get(q.index)), 2));
    }
    assert.ok(Math.abs(plan.predictedSeconds - plan.serialSeconds) <= 1e-12 * plan.serialSeconds);
    for (const x of plan.model.NN.samples) assert.ok(x.speedup >= 0.25 && x.speedup <= 2);
    // the probe restores the grant it found (none: all threads)
    assert.is(setThreadsGrant(null), null);
  } finally {
    await init({ simd: true });
  }
  // the threads are timed on the loaded module unless told where: one thread cannot time two
  const c = normalizeConfig(WIDE);
  await rejects(
    () => calibrate(new RunContext(c), enumeratePoints(c), { threads: 2 }),
    /options\.threads is 2 but the loaded module has 1 thread/,
  );
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
    // the dry run predicts the tail's threads, with the speed-ups the probe measured
    const dry = await run([...args, '--workers', '2', '--threads', '2', '--dry-run']);
    assert.is(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /probe NN, speed-up of 2 threads over one: N=\d+ \d\.\d\d×/);
    assert.match(dry.stdout, /on 2 workers with a core each, the last points taking idle cores \(up to 2 threads each\)/);
    const dry1 = await run([...args, '--workers', '1', '--threads', '2', '--dry-run']);
    assert.is(dry1.code, 0, dry1.stderr);
    assert.match(dry1.stdout, /on 1 worker with 2 threads/);
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
