// The demo page's downloads after Cancel (issue 15): only whole rows, each point once, and the
// very numbers Node computes for those points (no partly trained point slips in).
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve, launch, browserSuite } from '../helpers/browser.mjs';
import { init, compare, normalizeConfig } from '../../dist/index.js';
import { internal } from '../helpers/internal.mjs';

const test = browserSuite(uvuTest); // skipped, with one line saying why, when no Chromium is found

let server, browser, page;
const errors = [];

test.before(async () => {
  await init();
  server = await serve(fileURLToPath(new URL('../../build/demo/', import.meta.url)));
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1100, height: 1250 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => document.getElementById('build').dataset.simd !== undefined, null, { timeout: 30000 });
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

const key = (r) => `${r.regime}|${r.N}|${r.rep}`;

async function downloaded(id) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
  return readFileSync(await d.path(), 'utf8');
}

test('a cancelled run downloads whole, unique rows equal to those Node computes for the same points', async () => {
  for (const [name, v] of Object.entries({ d: 12, rmin: 0.25, rmax: 3, rstep: 0.25, steps: 6000, reps: 1, seed: 9 }))
    await page.fill(`[name=${name}]`, String(v));
  await page.click('#run');
  await page.waitForFunction(() => /^([3-9]|\d\d+)\/\d+ points/.test(document.getElementById('status').textContent), null, {
    timeout: 120000,
  });
  await page.click('#cancel');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'cancelled', null, { timeout: 60000 });
  const n = Number(/cancelled after (\d+) points/.exec(await page.textContent('#status'))[1]);
  assert.ok(n >= 3 && n < 36, `${n} of 36 points before Cancel`);

  const json = JSON.parse(await downloaded('#dl-json'));
  assert.is(json.rows.length, n);
  const keys = json.rows.map(key);
  assert.is(new Set(keys).size, n, 'each point once');
  const csv = (await downloaded('#dl-csv')).trim().split('\n');
  assert.is(csv.length, 1 + n);
  const col = Object.fromEntries(csv[0].split(',').map((c, i) => [c, i]));
  assert.equal(
    csv
      .slice(1)
      .map((l) => l.split(','))
      .map((c) => `${c[col.regime]}|${c[col.N]}|${c[col.rep]}`)
      .sort(),
    [...keys].sort(),
  );

  // the same points in Node: identical numbers (bit for bit: see the README, Determinism), so no row is torn or partial
  const all = internal.enumeratePoints(normalizeConfig(json.meta.config)).map(key);
  assert.is(all.length, 36);
  const ref = await compare(json.meta.config, { skip: all.filter((k) => !keys.includes(k)) });
  const strip = ({ seconds, ...r }) => r;
  assert.equal(json.rows.map(strip), ref.rows.map(strip));
  assert.equal(errors, []);
});

test.run();
