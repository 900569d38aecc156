// Runs every test suite (uvu, one child process per suite directory so a crash in one is
// contained), then prints the closing line CI reads: "N passed, N failed" (", N skipped" when
// suites were skipped: the browser suites without a Chromium, with one line saying how to enable
// them; LAZYTRAIN_REQUIRE_BROWSER=1 turns those skips into failures, see test/helpers/browser.mjs).
// Usage: node test/run.mjs [dir ...]   (default: every directory under test/ with *.test.mjs)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));
const uvu = fileURLToPath(new URL('../node_modules/uvu/bin.js', import.meta.url));

function suiteDirs(dir) {
  const out = [];
  const entries = readdirSync(dir).sort();
  if (entries.some((f) => f.endsWith('.test.mjs'))) out.push(dir);
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory() && e !== 'helpers' && e !== 'fixtures') out.push(...suiteDirs(p));
  }
  return out;
}

// eslint-disable-next-line no-control-regex -- strips uvu's ANSI colour codes (ESC [ … m)
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
const dirs = process.argv.length > 2 ? process.argv.slice(2).map((d) => join(process.cwd(), d)) : suiteDirs(root);
let passed = 0,
  failed = 0,
  skipped = 0;
const notes = new Set(); // 'browser suites skipped: …' lines, repeated once at the end
for (const dir of dirs) {
  const name = relative(root, dir) || '.';
  process.stdout.write(`\n── ${name} ──\n`);
  const { code, text } = await new Promise((resolve) => {
    // uvu <dir> <pattern>: only files in this directory (sub-directories run as their own suites)
    const child = spawn(process.execPath, [uvu, dir, '^[^/\\\\]+\\.test\\.mjs$'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      text += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code, text }));
  });
  const t = strip(text);
  for (const line of t.split('\n')) if (line.startsWith('browser suites skipped:')) notes.add(line.trim());
  const num = (label) => Number((t.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
  const total = num('Total'),
    ok = num('Passed'),
    skip = num('Skipped');
  if (Number.isNaN(total)) {
    // the suite crashed before uvu could report: count it as one failure
    failed += 1;
    process.stdout.write(`suite ${name} exited with code ${code} before reporting\n`);
    continue;
  }
  // uvu's Total counts the tests that ran; skipped ones are reported apart
  passed += ok;
  skipped += skip || 0;
  failed += total - ok;
  if (code !== 0 && total === ok) failed += 1; // non-zero exit with all tests green
}
for (const n of notes) process.stdout.write(`\n${n}`);
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = failed > 0 ? 1 : 0;
