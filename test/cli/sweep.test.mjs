// lazytrain compare --sweep alpha=…: parsing (grids, lists, errors naming the flag), a small
// sweep's files (rows with α, the two-panel figure), resume after Ctrl-C to the same rows as an
// uninterrupted run, and --dry-run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collect, rowsOfFile } from '../helpers/spawn.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lazytrain-sweep-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** @param {string[]} args */
function run(
  args,
  { onStdout } = /** @type {{ onStdout?: (s: string, c: import('node:child_process').ChildProcess) => void }} */ ({}),
) {
  return collect(spawn(process.execPath, [CLI, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] }), onStdout);
}
const rowsOf = (dir) => rowsOfFile(join(dir, 'results.jsonl'));
const metaOf = (dir) => JSON.parse(readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n')[0]).meta;

test('bad --sweep specs and flag combinations exit 2 naming the flag', async () => {
  /** @type {Array<[string[], RegExp]>} */
  const cases = [
    [['--sweep', 'alpha='], /--sweep alpha: no values/],
    [['--sweep', 'alpha=1,-2'], /--sweep alpha: value 2 must be a number > 0, got "-2"/],
    [['--sweep', 'alpha=0,1'], /--sweep alpha: value 1 must be a number > 0, got "0"/],
    [['--sweep', 'alpha=NaN'], /--sweep alpha: value 1 must be a number > 0, got "NaN"/],
    [['--sweep', 'alpha=abc'], /--sweep alpha: value 1 must be a number > 0, got "abc"/],
    [['--sweep', 'alpha=1,,2'], /--sweep alpha: value 2 must be a number > 0, got ""/],
    [['--sweep', 'alpha=-1:10:log10'], /--sweep alpha: START must be a number > 0, got "-1"/],
    [['--sweep', 'alpha=1:x:log10'], /--sweep alpha: STOP must be a number > 0, got "x"/],
    [['--sweep', 'alpha=10:1:log10'], /--sweep alpha: STOP must be ≥ START/],
    [['--sweep', 'alpha=1:10:log2'], /expected START:STOP:log10 or START:STOP:log10:COUNT, got "1:10:log2"/],
    [['--sweep', 'alpha=1:10:log10:0'], /COUNT must be an integer in \[1, 1000\], got "0"/],
    [['--sweep', 'alpha=1:10:log10:2.5'], /COUNT must be an integer in \[1, 1000\], got "2.5"/],
    [['--sweep', 'beta=1,2'], /--sweep: unknown parameter "beta" \(only alpha can be swept\)/],
    [['--sweep', '0.1:10:log10'], /--sweep: expected alpha=START:STOP:log10\[:COUNT\] or alpha=A,B,C/],
    [['--sweep', 'alpha=1,10', '--N', '5'], /N must be even, got 5/],
    [['--sweep', 'alpha=1,10', '--regimes', 'NT'], /config\.regimes: the α sweep trains the NN only/],
    [['--sweep', 'alpha=1,10', '--preset', 'quick'], /--sweep runs its own experiment: drop --preset/],
    [['--sweep', 'alpha=1,10', '--per-decade', '3'], /--per-decade applies to a log10 grid/],
    [['--sweep', 'alpha=1:10:log10:3', '--per-decade', '3'], /--per-decade and a COUNT in --sweep are exclusive/],
    [['--sweep', 'alpha=1:10:log10', '--per-decade', '0'], /--per-decade must be an integer in \[1, 100\], got 0/],
    [['--per-decade', '3'], /--per-decade applies to --sweep/],
    [['--N', '4', '--ratios', '1'], /--N and --ratios both set the widths/],
  ];
  for (const [args, re] of cases) {
    const r = await run(['compare', '--d', '8', ...args, '--dry-run']);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
});

test('--dry-run: a log10 grid with --per-decade, and a COUNT, plan the α points', async () => {
  const r = await run(['compare', '--sweep', 'alpha=0.1:1000:log10', '--per-decade', '1', '--N', '4', '--d', '8', '--dry-run']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /plan: 5 of 5 points/);
  assert.match(r.stdout, /NN: 5 points, N = 4, 40000 SGD steps each/);
  const c = await run(['compare', '--sweep', 'alpha=1:100:log10:7', '--d', '8', '--dry-run']);
  assert.is(c.code, 0, c.stderr);
  // without --N a sweep runs at N ≈ d/2 (even)
  assert.match(c.stdout, /NN: 7 points, N = 4,/);
});

test('a small sweep: files with α on every row; Ctrl-C then rerun resumes to the rows of an uninterrupted run', async () => {
  const args = ['compare', '--sweep', 'alpha=0.5:5000:log10:5', '--N', '4', '--d', '8', '--steps', '1500', '--workers', '1'];
  const ref = join(tmp, 'ref');
  const r = await run([...args, '--out', ref]);
  assert.is(r.code, 0, r.stderr);
  for (const f of ['results.jsonl', 'results.csv', 'summary.md', 'figure.svg']) assert.ok(existsSync(join(ref, f)), f);
  assert.match(r.stdout, /^1\/5 NN N=4 rep=0 α=0\.5 R\/R0 [\d.]+ \(lazy [\d.]+, rich [\d.]+\) movement /m);
  assert.match(r.stdout, /\| α \| R\/R0 \| vs lazy \| vs rich \|/);
  const rows = rowsOf(ref);
  assert.equal(
    rows.map((x) => x.alpha),
    [0.5, 5, 50, 500, 5000],
  );
  for (const x of rows) assert.ok(x.movement > 0 && x.theory.lazy > x.theory.rich);
  assert.equal(metaOf(ref).sweep, { alpha: [0.5, 5, 50, 500, 5000], N: 4 });
  assert.match(readFileSync(join(ref, 'figure.svg'), 'utf8'), /class="theory-lazy"/);
  assert.match(readFileSync(join(ref, 'results.csv'), 'utf8').split('\n')[0], /,rep,alpha,/);

  const out = join(tmp, 'interrupted');
  let sent = false;
  const cut = await run([...args, '--out', out], {
    onStdout: (text, child) => {
      if (!sent && /^2\/5 /m.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent);
  assert.is(cut.code, 130, cut.stderr);
  const partial = rowsOf(out);
  assert.ok(partial.length >= 2 && partial.length < 5, `${partial.length} rows kept`);
  const resumed = await run([...args, '--out', out]);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`5 points \\(${partial.length} already done\\)`));
  assert.equal(rowsOf(out), rows);
  // another grid in the same folder is another run
  const other = await run(['compare', '--sweep', 'alpha=1,2', '--N', '4', '--d', '8', '--steps', '1500', '--out', out]);
  assert.is(other.code, 2);
  assert.match(other.stderr, /another configuration/);
});

test.run();
