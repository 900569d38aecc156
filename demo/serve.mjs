// npm run demo: serve the built demo (build/demo) on http://127.0.0.1:PORT (default 8080).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../build/demo/', import.meta.url));
const port = Number(process.env.PORT ?? process.argv[2] ?? 8080);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};
// eslint-disable-next-line @typescript-eslint/no-misused-promises -- the body catches every error
const server = createServer(async (req, res) => {
  try {
    let file = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!file.startsWith(root.replace(/[\\/]$/, '') + sep) && file + sep !== root) {
      res.writeHead(403).end();
      return;
    }
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      // cross-origin isolation: SharedArrayBuffer, hence init({ threads }) in the page (README)
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(await readFile(file));
  } catch {
    res.writeHead(404).end('not found (did you run npm run build?)');
  }
});
server.listen(port, '127.0.0.1', () =>
  console.log(`lazytrain demo: http://127.0.0.1:${server.address().port}/  (Ctrl-C to stop)`),
);
