// The package as users get it: `npm pack` of the working tree (dist/ must be built), unpacked
// into <tmp>/node_modules/lazytrain of a throwaway consumer project. Shared by the suites of
// this directory (one uvu process runs them all), packed once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let packed = null;

/** { dir: the consumer project, pkg: its node_modules/lazytrain, files: the tarball's paths }. */
export function packedConsumer() {
  if (packed) return packed;
  const dir = mkdtempSync(join(tmpdir(), 'lazytrain-consumer-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  // --ignore-scripts: dist/ is already built (npm test builds first); "prepare" would rebuild
  const [info] = JSON.parse(
    execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  // its own package.json (CommonJS, the default) so no package.json above tmp/ decides for it
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
  const pkg = join(dir, 'node_modules', 'lazytrain');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, info.filename), '-C', pkg, '--strip-components=1']);
  packed = { dir, pkg, files: info.files.map((f) => f.path).sort() };
  return packed;
}
