// Real-browser harness: a static node:http server on 127.0.0.1 over the repository, and
// Debian's Chromium driven by playwright-core (never a downloaded browser). Without a Chromium the
// browser suites are skipped (see browserSuite), so `npm test` passes on any machine.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { delimiter, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.css': 'text/css',
  '.png': 'image/png',
  '.csv': 'text/csv',
};

/** Serve files under `root` (default: the repository) on 127.0.0.1 at a free port. */
export async function serve(root = ROOT, { headers = {} } = {}) {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the body catches every error
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

// Where to find Chromium: CHROMIUM_PATH if set (an explicit choice: no fallback), else Debian's
// /usr/bin/chromium, else the usual names on PATH. null when none exists.
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
export function findChromium(env = process.env, debian = '/usr/bin/chromium') {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  if (existsSync(debian)) return debian;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

export const CHROMIUM = findChromium();

/** The one line printed by a skipped browser suite (test/run.mjs repeats it once at the end). */
export const SKIP_LINE = `browser suites skipped: no Chromium found${process.env.CHROMIUM_PATH ? ` at CHROMIUM_PATH=${process.env.CHROMIUM_PATH}` : ''} — to run them, install one (Debian: apt-get install chromium) or set CHROMIUM_PATH=/path/to/chromium`;

/**
 * The uvu suite of a browser test file. With Chromium it is `test` itself. Without, every test is
 * registered as skipped (uvu's "Skipped" count) and the suite prints SKIP_LINE, unless
 * LAZYTRAIN_REQUIRE_BROWSER=1 (set by .ci/run): then every test fails with that line, so CI
 * cannot pass without running them.
 */
export function browserSuite(test) {
  if (CHROMIUM !== null) return test;
  const required = process.env.LAZYTRAIN_REQUIRE_BROWSER === '1';
  if (!required) process.stdout.write(`${SKIP_LINE}\n`);
  const t = (name, fn) =>
    required
      ? test(name, () => {
          throw new Error(`LAZYTRAIN_REQUIRE_BROWSER=1: ${SKIP_LINE}`);
        })
      : test.skip(name, fn);
  t.skip = test.skip;
  t.only = test.only;
  t.before = t.after = () => {};
  t.before.each = t.after.each = () => {};
  t.run = test.run;
  return t;
}

/** Launch headless Debian Chromium with the flags this machine needs (fresh profile). */
export async function launch() {
  if (CHROMIUM === null) throw new Error(SKIP_LINE);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}
