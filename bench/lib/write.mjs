// Node-only: write a suite result as bench/results/<runtime>-<stamp>[-quick].{json,md,svg}.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { markdown, svg } from './report.mjs';
import { ROOT, pkgVersion } from './node-env.mjs';

export const PEERS = ['benchmark', 'ml-matrix', 'mathjs', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'playwright-core'];

export function writeResult(res) {
  res.machine.loadavgEnd = os.loadavg();
  res.peers = Object.fromEntries(PEERS.map((p) => [p, pkgVersion(p)]));
  const stamp = res.started.slice(0, 16).replace(/:/g, '').replace('T', '-');
  const base = `${ROOT}bench/results/${res.runtime}-${stamp}${res.quick ? '-quick' : ''}`;
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  const md = markdown(res);
  writeFileSync(`${base}.json`, `${JSON.stringify(res, null, 1)}\n`);
  writeFileSync(`${base}.md`, md);
  writeFileSync(`${base}.svg`, svg(res));
  return { base, md };
}

/** `--quick`, `--sizes=topic:n,n;topic:n` and topic names from argv. */
export function parseArgs(argv, topics) {
  const quick = argv.includes('--quick');
  const only = argv.filter((a) => !a.startsWith('--'));
  for (const t of only) if (!topics.includes(t)) throw new Error(`unknown topic "${t}" (known: ${topics.join(', ')})`);
  let sizes;
  const s = argv.find((a) => a.startsWith('--sizes='));
  if (s)
    sizes = Object.fromEntries(
      s
        .slice(8)
        .split(';')
        .map((p) => {
          const [k, v] = p.split(':');
          return [k, v.split(',').map(Number)];
        }),
    );
  return { quick, topics: only.length ? topics.filter((t) => only.includes(t)) : topics, sizes };
}
