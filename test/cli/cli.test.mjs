import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collect, rowsOfFile, sortRows } from '../helpers/spawn.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lazytrain-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * @param {string[]} args
 * @param {{ onStdout?: (stdout: string, child: import('node:child_process').ChildProcess) => void }} [hooks]
 * @returns {Promise<{ code: number, signal: NodeJS.Signals, stdout: string, stderr: string }>}
 */
function run(args, { onStdout } = {}) {
  return collect(spawn(process.execPath, [CLI, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] }), onStdout);
}

const SMALL = ['--d', '10', '--ratios', '0.3:1.2:0.3', '--steps', '200', '--seed', '5'];
const rowsOf = (dir) => rowsOfFile(join(dir, 'results.jsonl'));

test('--version prints the package version (src/version.ts kept in step with package.json)', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const r = await run(['--version']);
  assert.is(r.code, 0);
  assert.is(r.stdout.trim(), pkg.version);
});

test('--help on every command; usage errors exit 2 and name the problem', async () => {
  for (const args of [['--help'], ['compare', '--help'], ['plot', '--help'], ['merge', '--help'], ['info', '--help']]) {
    const r = await run(args);
    assert.is(r.code, 0, args.join(' '));
    assert.match(r.stdout, /Usage/);
  }
  /** @type {Array<[string[], RegExp]>} */
  const cases = [
    [[], /Usage: lazytrain <command>/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['compare', '--bogus'], /unknown option --bogus/],
    [['compare', '--d', 'abc'], /--d must be a non-negative integer, got "abc"/],
    [['compare', '--d'], /--d needs a value/],
    [['compare', '--ratios', '1:0:0.1'], /--ratios: bad range/],
    [['compare', '--ratios', '0,1'], /--ratios: expected positive numbers/],
    [['compare', '--regimes', 'RF,XX'], /unknown regime "XX"/],
    [['compare', '--n', 'lots'], /--n must be "online" or a sample size/],
    [['compare', '--shard', '3/2'], /need 0 ≤ i < k/],
    [['compare', '--preset', 'huge'], /--preset must be one of quick, paper, mixture/],
    [['compare', '--d', '0', '--ratios', '1'], /config\.d must be an integer/],
    [['plot'], /expected exactly one results\.jsonl/],
    [['plot', 'missing.jsonl'], /missing\.jsonl does not exist/],
    [['merge', 'a.jsonl'], /--out is required/],
  ];
  for (const [args, re] of cases) {
    const r = await run(args);
    assert.is(r.code, 2, `${args.join(' ')} → exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, re);
    // every message names the command it comes from, once
    const prefix = ['compare', 'plot', 'merge'].includes(args[0]) ? args[0] : null;
    if (prefix) assert.ok(r.stderr.startsWith(`${prefix}: `) && !r.stderr.startsWith(`${prefix}: ${prefix}:`), r.stderr);
  }
});

test('-h and -v on every command; unknown short options and values are named', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  for (const args of [
    ['-v'],
    ['--version'],
    ['compare', '-v'],
    ['compare', '--version'],
    ['plot', '-v'],
    ['merge', '-v'],
    ['repair', '-v'],
    ['info', '-v'],
  ]) {
    const r = await run(args);
    assert.is(r.code, 0, args.join(' '));
    assert.is(r.stdout, `${pkg.version}\n`, args.join(' '));
  }
  for (const cmd of ['compare', 'plot', 'merge', 'repair', 'info']) {
    const r = await run([cmd, '-h']);
    assert.is(r.code, 0, `${cmd} -h`);
    assert.match(r.stdout, new RegExp(`^Usage: lazytrain ${cmd}`));
    assert.match(r.stdout, /-h, --help/);
    assert.match(r.stdout, /-v, --version/);
  }
  const main = await run(['-h']);
  assert.is(main.code, 0);
  assert.match(main.stdout, /repair +move the invalid lines/);
  /** @type {Array<[string[], RegExp]>} the arguments, what stderr must match */
  const cases = [
    [['compare', '-x'], /^compare: unknown option -x \(see lazytrain compare --help\)\n$/],
    [['compare', '--fresh=yes'], /^compare: --fresh takes no value\n$/],
    [['compare', '--seed', '-3'], /^compare: --seed needs a value \(for a value starting with "-", write --seed=VALUE\)\n$/],
    [['compare', '--seed=-3'], /^compare: --seed must be a non-negative integer, got "-3"\n$/],
    [['compare', '--fresh', '--repair'], /^compare: --fresh discards the file and --repair mends it: pass one of them\n$/],
    [['compare', 'extra'], /^compare: unexpected argument "extra"\n$/],
    [['repair'], /^repair: expected exactly one results\.jsonl\n$/],
    [['repair', 'nope.jsonl'], /^repair: nope\.jsonl does not exist\n$/],
    [['info', 'x'], /^info: unexpected argument x\n$/],
    [['constructor'], /^lazytrain: unknown command "constructor"/],
  ];
  for (const [args, re] of cases) {
    const r = await run(args);
    assert.is(r.code, 2, `${args.join(' ')} → exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test('compare --help shows the defaults, and they are what a run without those flags uses', async () => {
  const r = await run(['compare', '--help']);
  const shown = (flag) => (new RegExp(`--${flag} VALUE .*\\(default: ([^)]*)\\)`).exec(r.stdout) ?? [])[1];
  assert.is(shown('workers'), `the number of CPU cores, ${availableParallelism()} here`);
  const out = join(tmp, 'defaults');
  const d = await run(['compare', '--regimes', 'RF', '--ratios', '0.5', '--out', out]);
  assert.is(d.code, 0, d.stderr);
  const { meta } = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n')[0]);
  assert.is(Number(shown('d')), meta.d);
  assert.is(Number(shown('reps')), meta.reps);
  assert.is(Number(shown('seed')), meta.seed);
  assert.is(Number(shown('steps')), meta.config.nn.steps);
  assert.is(Number(shown('steps')), meta.config.nt.steps);
  assert.is(shown('nt'), meta.config.nt.method);
  assert.is(shown('task'), meta.task);
  assert.is(shown('spectrum'), meta.spectrum);
  assert.ok(shown('n').startsWith(String(meta.n)));
  assert.match(d.stdout, new RegExp(`, ${availableParallelism()} workers?;`), 'workers default: the number of cores');
  // the default widths are those shown: the same run without --ratios has them
  assert.equal(shown('ratios').split(',').map(Number), [0.25, 0.5, 0.75, 1, 1.25, 1.5]);
  const dflt = await run(['compare', '--regimes', 'RF', '--out', join(tmp, 'defaults2')]);
  assert.is(dflt.code, 0, dflt.stderr);
  const m2 = JSON.parse(readFileSync(join(tmp, 'defaults2', 'results.jsonl'), 'utf8').split('\n')[0]).meta;
  assert.equal(
    m2.config.widths.RF,
    shown('ratios')
      .split(',')
      .map((x) => Math.round(Number(x) * meta.d)),
  );
});

test('stdout closed early (| head): the run goes on and writes every output file', async () => {
  const out = join(tmp, 'epipe');
  /** @type {number | null} characters of stdout read when the reader went away */
  let closedAfter = null;
  const r = await run(['compare', ...SMALL, '--out', out], {
    onStdout: (text, child) => {
      if (closedAfter === null && text.length > 0) {
        closedAfter = text.length;
        child.stdout.destroy();
      }
    },
  });
  assert.ok(closedAfter !== null && closedAfter < 400, 'the reader went away after the first line');
  assert.is(r.code, 0, r.stderr);
  // a short run: only the unconverged-point warnings (issue 13) on stderr
  assert.is(r.stderr.replace(/^compare: warning: \S+ N=\d+ rep=\d+ did not converge .*\n/gm, ''), '');
  for (const f of ['results.csv', 'summary.md', 'figure.svg']) assert.ok(existsSync(join(out, f)), f);
  assert.is(rowsOf(out).length, 12);
  // the same through a shell pipeline into head
  const out2 = join(tmp, 'epipe2');
  const sh = await collect(
    spawn(
      'bash',
      [
        '-c',
        `"$0" "$@" | head -n 1 >/dev/null; echo "\${PIPESTATUS[0]}"`,
        process.execPath,
        CLI,
        'compare',
        ...SMALL,
        '--out',
        out2,
      ],
      { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  assert.is(sh.stdout.trim(), '0', sh.stderr);
  assert.is(sh.stderr.replace(/^compare: warning: \S+ N=\d+ rep=\d+ did not converge .*\n/gm, ''), '');
  for (const f of ['results.csv', 'summary.md', 'figure.svg']) assert.ok(existsSync(join(out2, f)), f);
  assert.equal(sortRows(rowsOf(out2)), sortRows(rowsOf(out)));
});

test('compare writes results.jsonl, CSV, summary and figure; a rerun resumes (nothing recomputed)', async () => {
  const out = join(tmp, 'run1');
  const r = await run(['compare', ...SMALL, '--out', out]);
  assert.is(r.code, 0, r.stderr);
  for (const f of ['results.jsonl', 'results.csv', 'summary.md', 'figure.svg']) assert.ok(existsSync(join(out, f)), f);
  assert.match(r.stdout, /\| N \| N\/d \| RF \| NT \| NN \|/, 'prints the table');
  assert.match(r.stdout, /^\d+\/12 /m, 'plain progress lines when not a TTY');
  const first = rowsOf(out);
  assert.is(first.length, 12);
  const again = await run(['compare', ...SMALL, '--out', out]);
  assert.is(again.code, 0);
  assert.match(again.stdout, /12 points \(12 already done\)/);
  assert.equal(rowsOf(out), first);
  const other = await run(['compare', ...SMALL, '--seed', '6', '--out', out]);
  assert.is(other.code, 2);
  assert.match(other.stderr, /another configuration; use another --out or pass --fresh/);
});

test('Ctrl-C keeps finished points; the rerun completes to the same rows as an uninterrupted run', async () => {
  const ref = join(tmp, 'ref'),
    out = join(tmp, 'interrupted');
  const args = ['compare', '--d', '12', '--ratios', '0.25:2:0.25', '--steps', '1500', '--seed', '7'];
  assert.is((await run([...args, '--out', ref])).code, 0);
  let sent = false;
  const r = await run([...args, '--out', out], {
    onStdout: (text, child) => {
      if (!sent && /^3\/24 /m.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, 'interrupted mid-run');
  assert.is(r.code, 130, r.stderr);
  assert.match(r.stdout, /stopped early: \d+ of 24 points done/);
  const partial = rowsOf(out);
  assert.ok(partial.length >= 3 && partial.length < 24, `${partial.length} rows kept`);
  const resumed = await run([...args, '--out', out]);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`24 points \\(${partial.length} already done\\)`));
  assert.equal(sortRows(rowsOf(out)), sortRows(rowsOf(ref)));
});

test('sharded runs merged equal the full run; plot redraws the figure', async () => {
  const full = join(tmp, 'run1');
  const a = join(tmp, 'shard0'),
    b = join(tmp, 'shard1');
  assert.is((await run(['compare', ...SMALL, '--shard', '0/2', '--out', a])).code, 0);
  assert.is((await run(['compare', ...SMALL, '--shard', '1/2', '--out', b])).code, 0);
  assert.is(rowsOf(a).length + rowsOf(b).length, 12);
  const merged = join(tmp, 'merged', 'results.jsonl');
  const m = await run(['merge', join(a, 'results.jsonl'), join(b, 'results.jsonl'), '--out', merged]);
  assert.is(m.code, 0, m.stderr);
  assert.match(m.stdout, /12 of 12 points/);
  assert.equal(sortRows(rowsOf(join(tmp, 'merged'))), sortRows(rowsOf(full)));
  // a file given twice: each point kept once, with a warning
  const dup = await run([
    'merge',
    join(a, 'results.jsonl'),
    join(a, 'results.jsonl'),
    '--out',
    join(tmp, 'dup', 'results.jsonl'),
  ]);
  assert.is(dup.code, 0, dup.stderr);
  // (shards balance predicted cost, not point count: shard 0 holds rowsOf(a).length rows)
  assert.match(
    dup.stderr,
    new RegExp(
      `^merge: warning: ${rowsOf(a).length} duplicate rows \\(first: point \\S+ appears twice in \\S+shard0/results\\.jsonl\\); each point kept once`,
      'm',
    ),
  );
  assert.equal(sortRows(rowsOf(join(tmp, 'dup'))), sortRows(rowsOf(a)));
  const p = await run(['plot', merged, '--out', join(tmp, 'fig.svg'), '--log-y']);
  assert.is(p.code, 0, p.stderr);
  assert.match(readFileSync(join(tmp, 'fig.svg'), 'utf8'), /^<svg /);
});

test.run();
