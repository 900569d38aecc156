// `npm run bench:browser` — the benchmark suite in headless Chromium: serves the repository on
// 127.0.0.1 (test/helpers/browser.mjs), opens bench/browser/index.html in Debian's Chromium
// (playwright-core, no downloaded browser), runs the same topic modules as `npm run bench`
// there, receives the result through an exposed function and writes
// bench/results/chromium-<date>-<time>[-quick].{json,md,svg}. Real time: no --virtual-time-budget.
//   node bench/browser.mjs [--quick] [--sizes=gemm:64,128;eigh:50] [topic ...]
// numpy is Node-only and is reported as skipped here.
import { existsSync } from 'node:fs';
import { launch, serve } from '../test/helpers/browser.mjs';
import { ROOT, machine } from './lib/node-env.mjs';
import { TOPICS } from './lib/suite.mjs';
import { parseArgs, writeResult } from './lib/write.mjs';

for (const f of ['dist/index.js', 'build/wasm/peak-probe.wasm']) {
  if (!existsSync(`${ROOT}${f}`)) {
    process.stderr.write(`bench: ${f} is missing — run \`npm run build\` first\n`);
    process.exit(1);
  }
}
const args = parseArgs(process.argv.slice(2), TOPICS);
const mach = machine();
// cross-origin isolated (COOP + COEP), as `npm run demo` serves it: the paper topic's threads configs need SharedArrayBuffer
const server = await serve(ROOT, {
  headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
});
let browser;
try {
  browser = await launch();
  mach.browser = `Chromium ${browser.version()}`;
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') process.stderr.write(`[page ${m.type()}] ${m.text()}\n`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) process.stderr.write(`[page] ${r.status()} ${r.url()}\n`);
  });
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  let done;
  const result = new Promise((resolve) => {
    done = resolve;
  });
  await page.exposeFunction('benchLog', (s) => process.stderr.write(`${s}\n`));
  await page.exposeFunction('benchDone', (json) => done(JSON.parse(json)));
  const q = new URLSearchParams();
  if (args.quick) q.set('quick', '1');
  q.set('topics', args.topics.join(','));
  if (args.sizes)
    q.set(
      'sizes',
      Object.entries(args.sizes)
        .map(([k, v]) => `${k}:${v.join(',')}`)
        .join(';'),
    );
  await page.goto(`${server.url}/bench/browser/index.html?${q}`);
  const res = await result;
  if (res.error) throw new Error(`the benchmark page failed: ${res.error}`);
  res.machine = mach;
  const { base, md } = writeResult(res);
  process.stdout.write(`${md}\nwrote ${base}.{json,md,svg} (${(res.seconds / 60).toFixed(1)} min)\n`);
  process.exitCode = res.failed.length ? 1 : 0;
} finally {
  await browser?.close();
  await server.close();
}
