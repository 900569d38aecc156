// --shard auto from simulated scheduler environments (Slurm job arrays, Kubernetes Indexed
// Jobs), --dry-run, and shards merged back into a single-machine run (issue 12, items 4–5).
// Every run is a child process with an explicit environment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collect, rowsOfFile } from '../helpers/spawn.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lazytrain-shard-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

// the parent's environment without any scheduler variables, plus the simulated ones
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('SLURM_') && k !== 'JOB_COMPLETION_INDEX'),
);

function run(args, env = {}, cwd = tmp) {
  return collect(
    spawn(process.execPath, [CLI, ...args], { cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

const TINY = ['--d', '10', '--ratios', '0.2:1.4:0.3', '--steps', '150', '--seed', '4', '--workers', '1'];
const rowsOf = rowsOfFile;

test('--dry-run prints the plan and the prediction, and writes nothing', async () => {
  const cwd = join(tmp, 'dry');
  mkdirSync(cwd);
  const out = join(cwd, 'out');
  const r = await run(['compare', ...TINY, '--dry-run', '--out', out], {}, cwd);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^plan: 15 of 15 points on 1 worker$/m);
  assert.match(r.stdout, /^ {2}RF: 5 points, N = 2, 5, 8, 11, 14, no training/m);
  assert.match(r.stdout, /^ {2}NN: 5 points, N = 2, 5, 8, 11, 14, 150 SGD steps each$/m);
  assert.match(r.stdout, /^ {2}probe NN \(f64, simd build\), ms per step: N=2 [\d.]+, N=14 [\d.]+/m);
  assert.match(r.stdout, /^predicted: \d+ s on 1 worker/m);
  assert.not.ok(existsSync(out), 'no output folder');
  assert.equal(readdirSync(cwd), []);
  // on the paper preset (the issue's example): the plan of 55 points, nothing computed
  const p = await run(['compare', '--preset', 'paper', '--dry-run', '--workers', '2'], {}, cwd);
  assert.is(p.code, 0, p.stderr);
  assert.match(p.stdout, /^plan: 55 of 55 points on 2 workers$/m);
  assert.match(p.stdout, /NN: 25 points, N = 30, 37, 45, …, 3859, 4767, 100000 SGD steps each/);
  assert.match(p.stdout, /^predicted: [\d.]+ (h|min) on 2 workers with a core each/m);
  assert.equal(readdirSync(cwd), []);
  // the probe trains in the run's precision on the run's build (--fma: relaxed SIMD)
  const f = await run(['compare', ...TINY, '--precision', 'f32', '--fma', '--dry-run'], {}, cwd);
  assert.is(f.code, 0, f.stderr);
  assert.match(f.stdout, /^ {2}probe NN \(f32, relaxed build\), ms per step: N=2 [\d.]+, N=14 [\d.]+/m);
  assert.equal(readdirSync(cwd), []);
  const bad = await run(['compare', ...TINY, '--dry-run', '--fresh'], {}, cwd);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /^compare: --dry-run writes nothing/);
});

test('--shard auto: Slurm array variables (COUNT, or MIN/MAX/STEP) and Kubernetes JOB_COMPLETION_INDEX + --shard-count', async () => {
  /** @type {[Record<string, string>, string[], string][]} */
  const cases = [
    [{ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' }, [], '1/3'],
    [{ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_MAX: '6', SLURM_ARRAY_TASK_COUNT: '3' }, [], '1/3'],
    [{ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '5', SLURM_ARRAY_TASK_STEP: '2' }, [], '1/3'],
    [{ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '2' }, ['--shard-count', '3'], '2/3'],
    [{ JOB_COMPLETION_INDEX: '2' }, ['--shard-count', '3'], '2/3'],
    // a resubmitted subset (sbatch --array=3,5) with the run's count: the ID is the index
    [
      { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '5', SLURM_ARRAY_TASK_COUNT: '2' },
      ['--shard-count', '8'],
      '5/8',
    ],
    [{ JOB_COMPLETION_INDEX: '0' }, ['--shard-count', '1'], '0/1'],
  ];
  for (const [env, extra, shard] of cases) {
    const r = await run(['compare', ...TINY, '--shard', 'auto', ...extra, '--dry-run'], env);
    assert.is(r.code, 0, `${JSON.stringify(env)}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^plan: \\d+ of \\d+ points \\(shard ${shard}\\)`, 'm'), JSON.stringify(env));
  }
});

test('--shard auto: clear errors when no scheduler is found or the values disagree', async () => {
  /** @type {[Record<string, string>, string[], RegExp][]} */
  const cases = [
    [
      {},
      [],
      /--shard auto: no job array found: set by Slurm \(sbatch --array, SLURM_ARRAY_TASK_ID\) or a Kubernetes Indexed Job \(JOB_COMPLETION_INDEX, with --shard-count\); or pass --shard i\/k/,
    ],
    [
      { JOB_COMPLETION_INDEX: '1' },
      [],
      /JOB_COMPLETION_INDEX is set \(Kubernetes Indexed Job\); pass the Job's completions as --shard-count/,
    ],
    [{ JOB_COMPLETION_INDEX: '3' }, ['--shard-count', '3'], /JOB_COMPLETION_INDEX=3 ≥ --shard-count 3/],
    [{ JOB_COMPLETION_INDEX: 'x' }, ['--shard-count', '3'], /JOB_COMPLETION_INDEX="x" is not a non-negative integer/],
    [
      { SLURM_ARRAY_TASK_ID: '1' },
      [],
      /SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN\/_MAX is/,
    ],
    [
      { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3' },
      [],
      /SLURM_ARRAY_TASK_ID=3 ≥ SLURM_ARRAY_TASK_COUNT=3 .*must be 0-based/,
    ],
    [
      { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '7', SLURM_ARRAY_TASK_COUNT: '3' },
      [],
      /SLURM_ARRAY_TASK_COUNT=3 disagrees with the range 0-7 \(8 tasks\); submit the array as a range/,
    ],
    [
      { SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '7' },
      [],
      /SLURM_ARRAY_TASK_ID=9 is not in the array 0-7/,
    ],
    [
      { SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' },
      ['--shard-count', '8'],
      /SLURM_ARRAY_TASK_ID=8 ≥ --shard-count 8 \(with --shard-count the array must be 0-based/,
    ],
    [
      { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4', JOB_COMPLETION_INDEX: '1' },
      [],
      /both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set/,
    ],
  ];
  for (const [env, extra, re] of cases) {
    const r = await run(['compare', ...TINY, '--shard', 'auto', ...extra, '--dry-run'], env);
    assert.is(r.code, 2, `${JSON.stringify(env)} → ${r.code}: ${r.stdout}`);
    assert.match(r.stderr, /^compare: /);
    assert.match(r.stderr, re);
  }
  const a = await run(['compare', ...TINY, '--shard-count', '2', '--dry-run']);
  assert.match(a.stderr, /--shard-count goes with --shard auto/);
  const b = await run(['compare', ...TINY, '--shard', '0/2', '--shard-count', '2', '--dry-run']);
  assert.match(b.stderr, /--shard-count goes with --shard auto \(--shard 0\/2 already gives the count\)/);
});

test('three Slurm array tasks and two Kubernetes indices, merged, equal the single-machine run row for row', async () => {
  const full = join(tmp, 'full');
  const f = await run(['compare', ...TINY, '--out', full]);
  assert.is(f.code, 0, f.stderr);
  const single = rowsOf(join(full, 'results.jsonl'));
  assert.is(single.length, 15);
  /** @type {[(i: number) => Record<string, string>, number, string[]][]} */
  const schedulers = [
    [
      (i) => ({
        SLURM_ARRAY_TASK_ID: String(i + 1),
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_MAX: '3',
        SLURM_ARRAY_TASK_COUNT: '3',
      }),
      3,
      [],
    ],
    [(i) => ({ JOB_COMPLETION_INDEX: String(i) }), 2, ['--shard-count', '2']],
  ];
  for (const [env, count, extra] of schedulers) {
    const files = [];
    const sizes = [];
    for (let i = 0; i < count; i++) {
      const dir = join(tmp, `s${count}-${i}`);
      const r = await run(['compare', ...TINY, '--shard', 'auto', ...extra, '--out', dir], env(i));
      assert.is(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`shard ${i}/${count}`));
      const { meta } = JSON.parse(readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n')[0]);
      assert.is(meta.shard, `${i}/${count}`);
      files.push(join(dir, 'results.jsonl'));
      sizes.push(rowsOf(join(dir, 'results.jsonl')).length);
    }
    assert.is(
      sizes.reduce((a, b) => a + b, 0),
      15,
    );
    const merged = join(tmp, `merged-${count}.jsonl`);
    const m = await run(['merge', ...files, '--out', merged]);
    assert.is(m.code, 0, m.stderr);
    assert.match(m.stdout, /15 of 15 points/);
    // merge writes rows in canonical order, as a single run does
    assert.equal(rowsOf(merged), single);
    const p = await run(['plot', merged, '--out', join(tmp, `fig-${count}.svg`)]);
    assert.is(p.code, 0, p.stderr);
  }
});

test('--max-N computes a grid in stages: the wider points are left for later, and the same command without it completes the run, equal to a single run', async () => {
  const byKey = (rows) => [...rows].sort((a, b) => `${a.regime}|${a.N}`.localeCompare(`${b.regime}|${b.N}`));
  const full = join(tmp, 'full-staged-ref');
  const f = await run(['compare', ...TINY, '--out', full]);
  assert.is(f.code, 0, f.stderr);
  const single = rowsOf(join(full, 'results.jsonl'));
  const dir = join(tmp, 'staged');
  const dry = await run(['compare', ...TINY, '--max-N', '8', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^plan: 9 of 15 points on 1 worker$/m);
  const a = await run(['compare', ...TINY, '--max-N', '8', '--out', dir]);
  assert.is(a.code, 0, a.stderr);
  assert.match(a.stdout, /15 points \(0 already done, 6 wider than --max-N left for later\)/);
  assert.match(a.stdout, /--max-N 8: 9 of 15 points done; run the same command without --max-N/);
  const first = rowsOf(join(dir, 'results.jsonl'));
  assert.equal(
    first.map((r) => r.N).sort((x, y) => x - y),
    [2, 2, 2, 5, 5, 5, 8, 8, 8],
  );
  const b = await run(['compare', ...TINY, '--out', dir]);
  assert.is(b.code, 0, b.stderr);
  assert.match(b.stdout, /15 points \(9 already done\)/);
  assert.equal(byKey(rowsOf(join(dir, 'results.jsonl'))), byKey(single));
  const bad = await run(['compare', ...TINY, '--max-N', '0', '--out', join(tmp, 'staged-bad')]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--max-N must be ≥ 1/);
  assert.not.ok(existsSync(join(tmp, 'staged-bad')), 'refused before any folder is made');
});

test.run();
