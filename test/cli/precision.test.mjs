// CLI --precision and --fma (issue 12): the precision enters the run's configuration (an f32 run
// does not resume an f64 folder), --fma loads the relaxed-SIMD build in a plain `node` (no
// flags) and says so, bad values exit 2 naming the flag.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lazytrain-cli-precision-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const env = { ...process.env };
delete env.NODE_OPTIONS;
const run = (args) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp, env, encoding: 'utf8' });
const SMALL = ['--d', '10', '--ratios', '0.5,1', '--regimes', 'NT,NN', '--steps', '150', '--seed', '5', '--workers', '1'];
const meta = (dir) => JSON.parse(readFileSync(join(tmp, dir, 'results.jsonl'), 'utf8').split('\n')[0]).meta;

test('--precision f32 --fma: f32 in the configuration, relaxed-SIMD build announced; resuming it as f64 is refused', () => {
  const r = run(['compare', ...SMALL, '--precision', 'f32', '--fma', '--out', 'f32']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /relaxed-SIMD \(FMA\) WebAssembly/);
  const m = meta('f32');
  assert.is(m.config.nn.precision, 'f32');
  assert.is(m.config.nt.precision, 'f32');
  const again = run(['compare', ...SMALL, '--out', 'f32']);
  assert.is(again.status, 2);
  assert.match(again.stderr, /another configuration/);
});

test('the f64 default leaves the configuration as it was (old results folders still resume)', () => {
  const r = run(['compare', ...SMALL, '--precision', 'f64', '--out', 'f64']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, / SIMD WebAssembly/);
  const m = meta('f64');
  assert.not.ok('precision' in m.config.nn);
  assert.not.ok('precision' in m.config.nt);
});

test('bad values exit 2 naming the flag', () => {
  const r = run(['compare', ...SMALL, '--precision', 'f16', '--out', 'bad']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /--precision must be one of f64, f32/);
  const f = run(['info', '--fma=yes']);
  assert.is(f.status, 2);
  assert.match(f.stderr, /--fma/);
});

test('info --fma names the build', () => {
  const r = run(['info', '--fma']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /relaxed-SIMD \(FMA\)/);
});

test.run();
