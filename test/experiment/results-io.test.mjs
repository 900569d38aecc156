// results.jsonl reading (issue 15): torn last lines found at their exact byte offset, invalid
// lines elsewhere named by line number, duplicate rows kept once with a warning (reading and
// merging), and compare()'s onRow handing out each finished point exactly once, whole.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, compare, parseJsonl, mergeResults } from '../../dist/index.js';
import { internal } from '../helpers/internal.mjs';

const { scanJsonl, metaLine, rowLine } = internal;
/** @type {import('../../dist/index.js').CompareConfig} */
const CFG = { d: 8, ratios: [0.5, 1, 1.5], n: 'online', seed: 4, nn: { steps: 200 }, nt: { method: 'sgd', steps: 200 } };
let res, text, lines;

test.before(async () => {
  await init();
  res = await compare(CFG);
  // a non-ASCII field in the meta line, so byte offsets differ from character offsets
  Object.assign(res.meta, { note: 'Δ, κ — ρ = N/d' });
  text = metaLine(res.meta) + res.rows.map(rowLine).join('');
  lines = text.split('\n').slice(0, -1);
});

const key = (r) => `${r.regime}|${r.N}|${r.rep}`;
/** Byte offset of line `i` (1-based), computed from the lines themselves. */
const offsetOf = (i) => lines.slice(0, i - 1).reduce((s, l) => s + Buffer.byteLength(l) + 1, 0);

test('a clean file: every row, no torn line, no invalid line, no duplicate', () => {
  const s = scanJsonl(text);
  assert.is(s.rows.length, 9);
  assert.equal(
    s.rows.map((r) => r.row),
    res.rows,
  );
  assert.is(s.metaAt.line, 1);
  assert.is(s.torn, null);
  assert.equal(s.invalid, []);
  assert.equal(s.duplicates, []);
  assert.is(s.bytes, Buffer.byteLength(text));
  // bytes and text give the same scan
  assert.equal(scanJsonl(Buffer.from(text)), s);
});

test('a file cut at any byte inside a line: that line is torn, at the byte offset where it starts', () => {
  const bytes = Buffer.from(text);
  for (const line of [1, 2, 5, 10]) {
    const start = offsetOf(line),
      len = Buffer.byteLength(lines[line - 1]);
    for (const cut of [1, Math.floor(len / 2), len - 1, len]) {
      const s = scanJsonl(bytes.subarray(0, start + cut));
      assert.ok(s.torn, `line ${line} cut after ${cut} bytes`);
      assert.is(s.torn.line, line);
      assert.is(s.torn.offset, start);
      assert.match(s.torn.reason, /incomplete \(no final newline\)/);
      assert.is(s.rows.length, Math.max(0, line - 2));
      assert.equal(s.invalid, []);
      // parseJsonl keeps the whole lines before the cut, and a last line that only lacks its newline
      if (line > 1) {
        const warnings = [];
        const parsed = parseJsonl(bytes.subarray(0, start + cut).toString(), 'r.jsonl', { onWarning: (m) => warnings.push(m) });
        if (cut === len) {
          assert.equal(parsed.rows, res.rows.slice(0, line - 1));
          assert.equal(warnings, []);
        } else {
          assert.equal(parsed.rows, res.rows.slice(0, line - 2));
          assert.equal(warnings, [
            `r.jsonl: the last line (line ${line}, from byte ${start}, ${cut} bytes) is not valid JSON: a write was interrupted; left out`,
          ]);
        }
      }
    }
  }
  // Δ, κ, ρ take 2 bytes and — 3 in UTF-8: the offsets above are bytes, not characters
  assert.is(Buffer.byteLength(lines[0]) - lines[0].length, 5);
});

test('a last line of broken JSON (with its newline) is torn too; blank lines are ignored', () => {
  const s = scanJsonl(text + '\n\n{"task":"quadr\n\n');
  assert.is(s.torn.line, 13);
  assert.is(s.torn.offset, Buffer.byteLength(text) + 2);
  assert.match(s.torn.reason, /not valid JSON/);
  assert.is(s.rows.length, 9);
  const glued = scanJsonl(text.slice(0, -1) + '{"task":"quadratic"}\n');
  assert.is(glued.torn.line, 10, 'a row with a fragment glued to it is not valid');
  assert.is(glued.rows.length, 8);
});

test('an invalid line before the last one: reported with its line number; parseJsonl names the fix', () => {
  for (const [bad, reason] of [
    ['{"task":"quadr', /not valid JSON/],
    ['{"foo":1}', /not a result row/],
    ['[1,2]', /not a JSON object/],
    [JSON.stringify({ ...res.rows[0], N: 2.5 }), /invalid d, N, rep or seed/],
    [lines[0], /a second meta line \(the first is line 1\)/],
  ]) {
    const t = [...lines.slice(0, 3), bad, ...lines.slice(4)].join('\n') + '\n';
    const s = scanJsonl(t);
    assert.is(s.invalid.length, 1, bad);
    assert.is(s.invalid[0].line, 4);
    assert.is(s.invalid[0].offset, offsetOf(4));
    assert.match(s.invalid[0].reason, reason);
    assert.is(s.torn, null);
    assert.is(s.rows.length, 8);
    assert.throws(
      () => parseJsonl(t, 'x/results.jsonl'),
      (e) =>
        e instanceof SyntaxError &&
        /^x\/results\.jsonl:4: /.test(e.message) &&
        reason.test(e.message) &&
        /lazytrain repair x\/results\.jsonl` moves invalid lines to x\/results\.rejected\.jsonl \(after a backup\) and keeps every valid row/.test(
          e.message,
        ),
    );
  }
  const two = [lines[0], 'garbage', lines[1], 'more garbage', ...lines.slice(2)].join('\n') + '\n';
  assert.throws(() => parseJsonl(two), /results\.jsonl:2: not valid JSON: "garbage"; 2 invalid lines in all \(lines 2, 4\)/);
  assert.throws(() => parseJsonl(lines.slice(1).join('\n') + '\n'), /no meta line/);
});

test('duplicate rows: the first of each point is kept, with one warning that says whether they differ', () => {
  const warnings = [];
  const t = [...lines, lines[3], lines[3], lines[5]].join('\n') + '\n';
  const parsed = parseJsonl(t, 'r.jsonl', { onWarning: (m) => warnings.push(m) });
  assert.equal(parsed.rows, res.rows);
  assert.equal(warnings, [
    `r.jsonl: 3 duplicate rows of a point already in the file (first: line 11 repeats line 4, point ${key(res.rows[2])}); each point kept once (its first row)`,
  ]);
  // seconds is wall-clock time and may differ; a different risk is reported
  const changed = JSON.stringify({ ...res.rows[2], seconds: 99, risk: res.rows[2].risk * 2 });
  const w2 = [];
  const p2 = parseJsonl([...lines, changed].join('\n') + '\n', 'r.jsonl', { onWarning: (m) => w2.push(m) });
  assert.equal(p2.rows, res.rows, 'the first row is kept');
  assert.match(w2[0], /1 duplicate row of a point .*; 1 of them differ from the row kept \(line 11: risk\)$/);
  const sameButTime = JSON.stringify({ ...res.rows[2], seconds: 99 });
  const w3 = [];
  parseJsonl([...lines, sameButTime].join('\n') + '\n', 'r.jsonl', { onWarning: (m) => w3.push(m) });
  assert.not.match(w3[0], /differ/);
  // the same point under another seed is another point (a row of another run would fail the meta check first)
  assert.is(scanJsonl([...lines, JSON.stringify({ ...res.rows[2], seed: 1 })].join('\n') + '\n').duplicates.length, 0);
});

test('mergeResults: overlapping inputs keep each point once, with a warning; rows in canonical order', () => {
  const warnings = [];
  const a = { meta: res.meta, rows: res.rows.slice(0, 6) },
    b = { meta: { ...res.meta, shard: '1/2' }, rows: res.rows.slice(4) };
  const m = mergeResults(
    [
      { name: 'a', result: a },
      { name: 'b', result: b },
    ],
    { onWarning: (w) => warnings.push(w) },
  );
  assert.equal(m.rows, res.rows);
  assert.equal(warnings, [
    `merge: 2 duplicate rows (first: point ${key(res.rows[4])} appears in both a and b); each point kept once (its first row)`,
  ]);
  const quiet = [];
  mergeResults([{ name: 'a', result: a }], { onWarning: (w) => quiet.push(w) });
  assert.equal(quiet, []);
});

const whole = (r) => JSON.parse(JSON.stringify(r));

for (const workers of [1, 2]) {
  test(`compare() onRow (workers ${workers}): each point once, whole, the same rows as the result, none after it settles`, async () => {
    for (const stopAfter of [1, 4, Infinity]) {
      const ctl = new AbortController();
      const handed = [];
      let settled = false,
        late = 0;
      const r = await compare(CFG, {
        workers,
        signal: ctl.signal,
        onRow: (row) => {
          if (settled) late++;
          handed.push(row);
          if (handed.length >= stopAfter) ctl.abort();
        },
      });
      settled = true;
      await new Promise((ok) => setTimeout(ok, 300));
      assert.is(late, 0, 'no row after compare() settled');
      const keys = handed.map(key);
      assert.is(new Set(keys).size, keys.length, 'no point handed out twice');
      if (stopAfter === Infinity) assert.is(handed.length, 9);
      else assert.ok(handed.length >= stopAfter && handed.length < 9, `${handed.length} rows after abort at ${stopAfter}`);
      // the result holds exactly the rows handed out, each whole (every field, JSON round trip)
      assert.equal(r.rows.map(key).sort(), [...keys].sort());
      const byKey = new Map(res.rows.map((x) => [key(x), x]));
      for (const row of handed) {
        assert.equal(whole(row), row, 'a plain JSON record');
        const { seconds, ...same } = row;
        const { seconds: s2, ...ref } = byKey.get(key(row));
        assert.equal(same, ref, `${key(row)} equals the uninterrupted run's row`);
      }
    }
    // resume: skipped points are never handed out
    const skip = res.rows.slice(0, 5).map(key);
    const handed = [];
    await compare(CFG, { workers, skip, onRow: (row) => handed.push(key(row)) });
    assert.equal(handed.sort(), res.rows.slice(5).map(key).sort());
  });
}

test('a throwing onRow rejects compare() (workers 1 and 2) and the module stays usable', async () => {
  for (const workers of [1, 2]) {
    let err;
    try {
      await compare(CFG, {
        workers,
        onRow: () => {
          throw new Error(`disk full (${workers})`);
        },
      });
    } catch (e) {
      err = e;
    }
    assert.is(err?.message, `disk full (${workers})`);
  }
  const again = await compare(CFG, { workers: 2 });
  assert.is(again.rows.length, 9);
});

test.run();
