// `npm run bench`: runs every bench/<topic>.mjs that exports `async run(options)` (gemm, eigh, …)
// in turn, in this process, and prints each topic's Markdown table.
//   node bench/run.mjs [--quick] [topic ...]
// Topics are discovered, not listed: a topic file that is missing or fails to import is reported
// and skipped, so a half-written topic never blocks the others. Benchmarks never run in `npm test`.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const topics = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.slice(0, -4))
  .filter((t) => only.length === 0 || only.includes(t))
  .sort((a, b) => (a === 'gemm' ? -1 : b === 'gemm' ? 1 : a.localeCompare(b)));
for (const t of only) if (!topics.includes(t)) process.stderr.write(`bench: no bench/${t}.mjs, skipped\n`);

// A topic's result may be { table } (Markdown), a string, or rows (an array of plain objects).
function render(res) {
  if (typeof res === 'string') return res;
  if (res && typeof res.table === 'string') return res.table;
  if (res && typeof res.markdown === 'string') return res.markdown;
  const rows = Array.isArray(res) ? res : res?.rows;
  if (!Array.isArray(rows) || rows.length === 0) return '(no results)';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v ?? ''));
  return [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(' | ')} |`)].join('\n');
}

let failed = 0;
for (const topic of topics) {
  let mod;
  try {
    mod = await import(pathToFileURL(`${dir}${topic}.mjs`).href);
  } catch (e) {
    process.stderr.write(`bench: skipping ${topic} (cannot import: ${e.message})\n`);
    continue;
  }
  if (typeof mod.run !== 'function') continue; // a helper module, not a topic
  process.stderr.write(`bench: ${topic}${quick ? ' (quick)' : ''} …\n`);
  try {
    const res = await mod.run({ quick });
    process.stdout.write(`\n## ${topic}\n\n${render(res)}\n`);
    if (res?.file) process.stdout.write(`\n(${topic}: results written to ${res.file})\n`);
  } catch (e) {
    failed++;
    process.stderr.write(`bench: ${topic} failed: ${e.stack ?? e}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
