// A fresh machine without Chromium: the browser suites are skipped (with one line saying how to
// enable them) and the run passes; LAZYTRAIN_REQUIRE_BROWSER=1 (set by .ci/run) turns the skips
// into failures. Runs test/run.mjs on test/browser only, with Chromium hidden: no browser starts,
// so this costs about a second and CI never runs the full suite twice.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../helpers/browser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runBrowserSuites(extraEnv) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium', PATH: '/nonexistent-bin' };
  delete env.LAZYTRAIN_REQUIRE_BROWSER;
  Object.assign(env, extraEnv);
  const r = spawnSync(process.execPath, ['test/run.mjs', 'test/browser'], { cwd: ROOT, env, encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  return { status: r.status, last: lines.at(-1), out: r.stdout };
}

test("findChromium: CHROMIUM_PATH, then Debian's path, then the usual names on PATH", () => {
  const dir = mkdtempSync(join(tmpdir(), 'lazytrain-chromium-'));
  try {
    const fake = join(dir, 'chromium-browser');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    assert.is(findChromium({ PATH: `/nonexistent:${dir}` }, '/nonexistent/debian'), fake);
    assert.is(findChromium({ PATH: dir }, fake), fake, 'Debian path first');
    assert.is(findChromium({ PATH: '' }, '/nonexistent/debian'), null);
    assert.is(findChromium({ CHROMIUM_PATH: fake, PATH: '' }, '/nonexistent/debian'), fake);
    // an explicit CHROMIUM_PATH that does not exist is not silently replaced by another browser
    assert.is(findChromium({ CHROMIUM_PATH: join(dir, 'nope'), PATH: dir }, fake), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no Chromium: browser suites reported as skipped with how to enable them, exit code 0', () => {
  const r = runBrowserSuites({});
  assert.is(r.status, 0, r.out);
  assert.match(r.last, /^0 passed, 0 failed, [1-9]\d* skipped$/);
  const hints = r.out.split('\n').filter((l) => l.startsWith('browser suites skipped:'));
  assert.ok(hints.length >= 1, 'a hint line');
  assert.match(hints.at(-1), /CHROMIUM_PATH=\/path\/to\/chromium/);
  assert.match(hints.at(-1), /apt-get install chromium/);
});

test('LAZYTRAIN_REQUIRE_BROWSER=1 (CI): the same skips are failures', () => {
  const skipped = Number(runBrowserSuites({}).last.match(/(\d+) skipped/)[1]);
  const r = runBrowserSuites({ LAZYTRAIN_REQUIRE_BROWSER: '1' });
  assert.is(r.status, 1);
  assert.is(r.last, `0 passed, ${skipped} failed`);
  assert.match(r.out, /LAZYTRAIN_REQUIRE_BROWSER=1: browser suites skipped: no Chromium found/);
});

test('.ci/run requires the browser suites', async () => {
  const { readFileSync } = await import('node:fs');
  assert.match(readFileSync(join(ROOT, '.ci/run'), 'utf8'), /^export LAZYTRAIN_REQUIRE_BROWSER=1$/m);
});

test.run();
