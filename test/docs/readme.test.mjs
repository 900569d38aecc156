// README code runs as written. Every ```js block of README.md is executed in Node (its own
// process, `from 'lazytrain'` pointed at dist/index.js), and the results it shows are checked.
//
// Convention for checked comments — a line `expression;  // → values (optional prose)`:
//   - the expression's value is recorded each time the line runs (a loop runs it several times);
//   - the values are the tokens after "→" up to the first "(": numbers, true/false, 'strings';
//     brackets, commas and type names (Float64Array) are layout and ignored;
//   - the recorded values are flattened (arrays, typed arrays, object values in key order) and
//     must match the tokens one for one, in order;
//   - a number written with k decimals is the value rounded to k decimals; followed by "…" it is
//     the value truncated to k decimals; an integer (no decimal point) must be exact.
// Any other comment is prose. A block that cannot run in Node is preceded by an HTML comment
// `<!-- readme-test: skip, <reason> -->` (invisible on GitHub and npm); the test lists them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DIST = pathToFileURL(join(ROOT, 'dist/index.js')).href;

/** The ```js blocks: { line (1-based, of the opening fence), code, skip (reason or null) }. */
export function jsBlocks(md) {
  const lines = md.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```js') continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    let j = start - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    const m = j >= 0 ? lines[j].match(/^<!-- readme-test: skip, (.+) -->$/) : null;
    out.push({ line: start + 1, code: body.join('\n'), skip: m ? m[1] : null });
  }
  return out;
}

const CHECK = /^(\s*)(.*?);\s*\/\/ → (.*)$/;

/** The runnable program for one block, and the expectations of its checked lines. */
export function instrument(code) {
  const expect = [];
  const lines = code.split('\n').map((l) => {
    const m = l.match(CHECK);
    if (!m) return l;
    const shown = m[3].split('(')[0].trim();
    expect.push({ source: m[2].trim(), shown });
    return `${m[1]}__doc(${expect.length - 1}, (${m[2]}));`;
  });
  const src = lines.join('\n')
    .replace(/from\s+(['"])lazytrain\1/g, `from '${DIST}'`);
  const prelude = `const __seen = [];
const __leaves = (v, out = []) => {
  if (v === null || v === undefined) out.push(String(v));
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out.push(v);
  else if (ArrayBuffer.isView(v) || Array.isArray(v)) for (const x of v) __leaves(x, out);
  else if (typeof v === 'object') for (const k of Object.keys(v)) __leaves(v[k], out);
  else out.push(String(v));
  return out;
};
const __doc = (i, v) => { (__seen[i] ??= []).push(...__leaves(v)); return v; };
process.on('exit', () => process.stdout.write('\\n__DOC__' + JSON.stringify(__seen) + '\\n'));
`;
  return { program: prelude + src, expect };
}

/** Tokens of a shown value list. */
export function tokens(shown) {
  return [...shown.matchAll(/(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?…?|\btrue\b|\bfalse\b|'[^']*'/g)].map((m) => {
    const t = m[0];
    if (t === 'true' || t === 'false') return { kind: 'bool', value: t === 'true', text: t };
    if (t.startsWith("'")) return { kind: 'string', value: t.slice(1, -1), text: t };
    const truncated = t.endsWith('…');
    const num = truncated ? t.slice(0, -1) : t;
    const decimals = num.includes('.') ? num.split('.')[1].replace(/e.*/, '').length : null;
    return { kind: 'number', value: Number(num), decimals, truncated, exponent: /e/.test(num), text: t };
  });
}

/** Does value v read as token t (see the convention above)? */
export function matches(t, v) {
  if (t.kind !== 'number') return v === t.value;
  if (typeof v !== 'number') return false;
  if (t.decimals === null && !t.exponent) return v === t.value;
  // digits shown: k decimals, or for 1.23e-5 style the mantissa's decimals at that exponent
  const scale = t.exponent ? 10 ** (Number(t.text.replace('…', '').split('e')[1]) - t.decimals) : 10 ** -t.decimals;
  const slack = 1e-9 * scale; // the decimal literal itself is not exact in binary
  if (t.truncated) {
    const a = Math.abs(v), s = Math.abs(t.value);
    return Math.sign(v) === Math.sign(t.value) && a >= s - slack && a < s + scale - slack;
  }
  return Math.abs(v - t.value) <= scale / 2 + slack;
}

const blocks = jsBlocks(README);

test('README has js blocks, and each skipped one says why', () => {
  assert.ok(blocks.length >= 8, `${blocks.length} blocks`);
  for (const b of blocks) if (b.skip !== null) assert.ok(b.skip.length > 10, `README.md:${b.line}: skip reason`);
});

const tmp = mkdtempSync(join(tmpdir(), 'lazytrain-readme-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

for (const b of blocks) {
  if (b.skip !== null) {
    test.skip(`README.md:${b.line} (skipped: ${b.skip})`);
    continue;
  }
  test(`README.md:${b.line}: runs, and its → comments hold`, () => {
    const { program, expect } = instrument(b.code);
    const file = join(tmp, `block-${b.line}.mjs`);
    writeFileSync(file, program);
    const r = spawnSync(process.execPath, [file], { cwd: tmp, encoding: 'utf8' });
    assert.is(r.status, 0, `README.md:${b.line} failed:\n${r.stderr}`);
    const seen = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('__DOC__')).slice(7));
    expect.forEach((e, i) => {
      const want = tokens(e.shown);
      const got = seen[i] ?? [];
      assert.ok(want.length > 0, `README.md:${b.line}: "// → ${e.shown}" shows no value`);
      assert.is(got.length, want.length, `README.md:${b.line}: ${e.source} gave ${JSON.stringify(got)}, the comment shows ${e.shown}`);
      want.forEach((t, k) => {
        assert.ok(matches(t, got[k]), `README.md:${b.line}: ${e.source} → ${got[k]}, the comment shows ${t.text} (value ${k + 1} of "${e.shown}")`);
      });
    });
  });
}

test('the checker itself: rounding, truncation, exact integers', () => {
  const [a, b, c, d, e] = tokens('0.8599 0.0838… 0 14 1.5e-3');
  assert.ok(matches(a, 0.85994) && matches(a, 0.85985) && !matches(a, 0.8597) && !matches(a, 0.86));
  assert.ok(matches(b, 0.08389) && matches(b, 0.0838) && !matches(b, 0.0839) && !matches(b, 0.08379));
  assert.ok(matches(c, 0) && !matches(c, 2.15e-16));
  assert.ok(matches(d, 14) && !matches(d, 14.000001));
  assert.ok(matches(e, 0.00150004) && matches(e, 0.00151) && !matches(e, 0.00156));
  assert.equal(instrument("x;   // → 1 (prose 2)").expect, [{ source: 'x', shown: '1' }]);
  assert.equal(tokens("Float64Array [0.1…, 2] true 'bundled'").map((t) => t.text), ['0.1…', '2', 'true', "'bundled'"]);
});

test.run();
