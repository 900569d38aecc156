// The Node side: the benchmark environment for bench/lib/suite.mjs, numpy through a python3
// subprocess, and the machine description (also used by the Chromium runner).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const rel = (p) => `${ROOT}${p}`;

/** Version of an installed package (null when absent). */
export function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(rel(`node_modules/${name}/package.json`), 'utf8')).version;
  } catch {
    return null;
  }
}

export function machine() {
  const m = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadavgStart: os.loadavg(),
  };
  try {
    const out = execFileSync('lscpu', [], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    m.lscpu = {};
    for (const key of ['Model name', 'CPU family', 'Model', 'Hypervisor vendor', 'L1d cache', 'L2 cache', 'L3 cache']) {
      const r = out.match(new RegExp(`^${key}:\\s*(.*)$`, 'm'));
      if (r) m.lscpu[key] = r[1].trim();
    }
    const flags = out.match(/^Flags:\s*(.*)$/m)?.[1].split(/\s+/) ?? [];
    m.isa = ['avx2', 'fma', 'avx512f', 'avx512_fp16', 'amx_tile'].filter((f) => flags.includes(f));
  } catch {
    /* no lscpu */
  }
  try {
    m.commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    // library sources that differ from the commit (dist/ is built from the work tree)
    m.uncommitted = execFileSync('git', ['status', '--porcelain', '--', 'src', 'assembly'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
  } catch {
    /* not a checkout */
  }
  return m;
}

/** numpy (one thread, the machine's OpenBLAS core overrides removed) for one topic. */
export function numpy(topic, spec, quick) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE; // a current OpenBLAS detects this CPU itself (see shared notes)
  delete env.OPENBLAS_L2_SIZE;
  try {
    const out = execFileSync('python3', [rel('bench/numpy_bench.py'), JSON.stringify({ topic, quick, ...spec })], {
      env,
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const res = JSON.parse(out.trim().split('\n').pop());
    return res.skipped ? { skipped: res.skipped } : res;
  } catch (e) {
    return {
      skipped:
        e.code === 'ENOENT'
          ? 'python3 not found'
          : `python3 failed: ${String(e.stderr || e.message)
              .trim()
              .split('\n')
              .pop()}`,
    };
  }
}

const peerLoaders = {
  'ml-matrix': async () => {
    const m = await import('ml-matrix');
    return {
      Matrix: m.Matrix,
      EigenvalueDecomposition: m.EigenvalueDecomposition,
      CholeskyDecomposition: m.CholeskyDecomposition,
    };
  },
  mathjs: async () => {
    const m = await import('mathjs');
    return { eigs: m.eigs, version: m.version };
  },
  tfjs: async (info) => {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(rel('node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread, like every other contender
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise');
    await tf.ready();
    info.tfjs = {
      version: tf.version?.['tfjs-core'] ?? null,
      backend: tf.getBackend(),
      simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      threads: wasm.getThreadsCount?.() ?? 1,
    };
    return tf;
  },
};

export function nodeEnv({ log = (s) => process.stderr.write(`${s}\n`), quick = false } = {}) {
  const peers = {};
  const peerInfo = {};
  return {
    runtime: 'node',
    log,
    peerInfo,
    breathe: () => new Promise((r) => setImmediate(r)),
    // the process's CPU time in ms (one thread runs the benchmarks): less of other jobs' load
    cpuNow: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e3;
    },
    wasmBytes: async (p) => readFileSync(rel(p)),
    importLazytrain: (tag) => import(`${pathToFileURL(rel('dist/index.js')).href}?${tag}`),
    peer(name) {
      peers[name] ??= (async () => {
        try {
          return await peerLoaders[name](peerInfo);
        } catch (e) {
          throw new Error(`${name} unavailable in node: ${String(e.message).split('\n')[0]}`);
        }
      })();
      return peers[name];
    },
    numpy: async (topic, spec) => {
      log(`  ${topic}: numpy subprocess …`);
      const r = numpy(topic, spec, quick);
      if (r.skipped) log(`  numpy skipped: ${r.skipped}`);
      return r;
    },
  };
}
