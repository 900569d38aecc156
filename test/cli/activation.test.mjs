// CLI --activation (issue 13, part 5) and the unconverged-point warnings (part 2): the activation
// reaches the run's configuration and meta, and its rows are Monte Carlo risks (σ ≠ t² has no
// exact theory); a run with far too few steps ends with one warning line per unconverged point.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lazytrain-cli-activation-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const env = { ...process.env };
delete env.NODE_OPTIONS;
const run = (args) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp, env, encoding: 'utf8' });
const SMALL = ['--d', '10', '--ratios', '0.5,1', '--seed', '5', '--workers', '1'];
const lines = (dir) =>
  readFileSync(join(tmp, dir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

test('--activation relu reaches the configuration, the meta and the rows (Monte Carlo risks, no exact theory)', () => {
  const r = run([
    'compare',
    ...SMALL,
    '--regimes',
    'RF,NN',
    '--steps',
    '300',
    '--activation',
    'relu',
    '--n',
    '400',
    '--out',
    'relu',
  ]);
  assert.is(r.status, 0, r.stderr);
  const [first, ...rows] = lines('relu');
  assert.is(first.meta.activation, 'relu');
  assert.is(first.meta.config.activation, 'relu');
  assert.is(rows.length, 4);
  for (const row of rows) {
    // σ = relu: RF is fitted (no closed form), every risk is estimated on fresh test samples
    assert.is(row.regime === 'RF' ? row.method.startsWith('lstsq') : row.method === 'sgd', true, row.method);
    assert.ok(Number.isFinite(row.risk) && row.risk > 0);
    if (row.regime === 'NN') assert.type(row.convergence.converged, 'boolean');
    // the closed forms are for σ = t² only: no theory beside a relu point
    assert.equal(row.theory, { exact: null, expected: null, limit: null });
  }
  assert.not.ok('theoryCurves' in first.meta);
  const svg = readFileSync(join(tmp, 'relu', 'figure.svg'), 'utf8');
  assert.match(svg, /no exact theory \(σ = relu\)/);
  assert.not.match(svg, /stroke-dasharray="6 3"/, 'no theory line');
  assert.match(readFileSync(join(tmp, 'relu', 'summary.md'), 'utf8'), /σ = relu.*no exact theory/);
  // the same configuration as square differs: relu is not silently dropped
  const sq = run(['compare', ...SMALL, '--regimes', 'RF,NN', '--steps', '300', '--n', '400', '--out', 'square']);
  assert.is(sq.status, 0, sq.stderr);
  assert.is(lines('square')[0].meta.activation, 'square');
  assert.not.equal(
    lines('square')
      .slice(1)
      .map((x) => x.risk),
    rows.map((x) => x.risk),
  );
});

test('--activation tanh is accepted; a bad value, or relu with online RF, exits 2 and says why', () => {
  const r = run(['compare', ...SMALL, '--regimes', 'NN', '--steps', '100', '--activation', 'tanh', '--out', 'tanh']);
  assert.is(r.status, 0, r.stderr);
  assert.is(lines('tanh')[0].meta.activation, 'tanh');
  const bad = run(['compare', ...SMALL, '--activation', 'sigmoid', '--out', 'bad']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--activation must be one of square, relu, tanh/);
  // online RF has an exact risk only for σ = t²: refused up front, naming what to pass
  const online = run(['compare', ...SMALL, '--activation', 'relu', '--out', 'online']);
  assert.is(online.status, 2);
  assert.match(online.stderr, /config\.n = "online" with activation "relu".*give a finite sample size n/);
});

test('far too few steps: one warning line per unconverged point, at the end, and the summary counts them', () => {
  const r = run(['compare', ...SMALL, '--regimes', 'NT,NN', '--nt', 'sgd', '--steps', '150', '--out', 'short']);
  assert.is(r.status, 0, r.stderr);
  const rows = lines('short').slice(1);
  const bad = rows.filter((x) => !x.convergence.converged);
  assert.ok(bad.length > 0);
  const warned = r.stderr.split('\n').filter((l) => /did not converge/.test(l));
  assert.is(warned.length, bad.length);
  for (const x of bad) assert.ok(warned.some((l) => l.includes(`${x.regime} N=${x.N} rep=${x.rep} did not converge`)));
  const summary = readFileSync(join(tmp, 'short', 'summary.md'), 'utf8');
  assert.match(
    summary,
    new RegExp(`${rows.length - bad.length} of ${rows.length} trained rows converged, ${bad.length} unconverged`),
  );
});

test.run();
