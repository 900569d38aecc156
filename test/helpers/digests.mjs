// The refactor safety net: SHA-256 digests recorded before a change that must not move a bit
// (test/fixtures/digests.json). `node test/helpers/digests.mjs --record` rewrites the fixture;
// do that only for a change that is meant to alter results, and say so in its commit.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { battery } from './battery.mjs';

export const FIXTURE = fileURLToPath(new URL('../fixtures/digests.json', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * The row fields the fixture's quick-preset digest was recorded with, in row order. Listed
 * explicitly (rather than "every field but `seconds`") so that diagnostic fields added since —
 * `convergence` (issue 13: a function of the training curve, not a new number of the run) — do
 * not change the digest: the digest keeps proving that the numbers themselves are unchanged.
 * `seconds` (wall clock) was never hashed: it is not reproducible.
 */
const DIGEST_FIELDS = [
  'task',
  'regime',
  'd',
  'N',
  'rho',
  'rep',
  'seed',
  'risk',
  'normalizedRisk',
  'theory',
  'error01',
  'steps',
  'method',
];

/**
 * Digest of a results.jsonl: its rows (not the meta line), each restricted to DIGEST_FIELDS,
 * sorted by point so the completion order of the worker pool does not matter.
 */
export function rowsDigest(jsonl) {
  const rows = jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .filter((r) => r.kind !== 'meta' && 'regime' in r);
  const key = (r) => `${r.regime}|${String(r.N).padStart(8, '0')}|${r.rep}`;
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const pick = (r) => Object.fromEntries(DIGEST_FIELDS.filter((k) => k in r).map((k) => [k, r[k]]));
  const text = rows.map((r) => JSON.stringify(pick(r))).join('\n');
  return { rows: rows.length, sha256: createHash('sha256').update(text).digest('hex') };
}

/** Run `lazytrain compare --preset quick` (its own defaults) and digest its results.jsonl. */
export function quickPresetDigest() {
  const out = mkdtempSync(join(tmpdir(), 'lazytrain-quick-'));
  try {
    execFileSync(process.execPath, [CLI, 'compare', '--preset', 'quick', '--out', out], { stdio: 'ignore' });
    return rowsDigest(readFileSync(join(out, 'results.jsonl'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv.includes('--record')) {
  // one battery for both builds: the SIMD and scalar builds are bit-identical (tested)
  const lt = await import('../../dist/index.js');
  const { simd: _s, ...battery_ } = await battery(lt, { simd: true });
  const fixture = { battery: battery_, quickPreset: quickPresetDigest() };
  writeFileSync(FIXTURE, JSON.stringify(fixture, null, 2) + '\n');
  console.log(`wrote ${FIXTURE}`);
}
