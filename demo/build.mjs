// npm run build:demo: a self-contained static site in build/demo (the page, its worker and a
// copy of the built library with its .wasm files under lib/). Host it anywhere.
import { cpSync, mkdirSync, rmSync, readdirSync } from 'node:fs';

rmSync('build/demo', { recursive: true, force: true });
mkdirSync('build/demo/lib', { recursive: true });
for (const f of ['index.html', 'app.js', 'worker.js', 'style.css']) cpSync(`demo/${f}`, `build/demo/${f}`);
for (const f of readdirSync('dist'))
  if (/\.(js|wasm)$/.test(f) && f !== 'cli.js' && f !== 'worker.js') cpSync(`dist/${f}`, `build/demo/lib/${f}`);
console.log('demo built in build/demo');
