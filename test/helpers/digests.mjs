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
 * Digest of a results.jsonl: its rows (not the meta line), each without the wall-clock
 * `seconds` (the only field that is not reproducible), sorted by point so the completion order
 * of the worker pool does not matter.
 */
export function rowsDigest(jsonl) {
  const rows = jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .filter((r) => r.kind !== 'meta' && 'regime' in r);
  const key = (r) => `${r.regime}|${String(r.N).padStart(8, '0')}|${r.rep}`;
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const text = rows.map(({ seconds: _s, ...r }) => JSON.stringify(r)).join('\n');
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
