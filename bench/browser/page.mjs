// The Chromium side of `npm run bench:browser`: runs bench/lib/suite.mjs (the same topic modules
// as in Node) in this page and hands the result to the runner through the functions it exposed
// (window.benchLog, window.benchDone). Query: ?quick=1&topics=gemm,eigh&sizes=gemm:64,128;eigh:50
import { runSuite, TOPICS } from '../lib/suite.mjs';

const q = new URLSearchParams(location.search);
const quick = q.get('quick') === '1';
const topics = q.get('topics') ? q.get('topics').split(',') : TOPICS;
const sizes = q.get('sizes')
  ? Object.fromEntries(
      q
        .get('sizes')
        .split(';')
        .map((p) => {
          const [k, v] = p.split(':');
          return [k, v.split(',').map(Number)];
        }),
    )
  : undefined;
const pre = document.getElementById('log');
const log = (s) => {
  pre.textContent += `${s}\n`;
  window.benchLog?.(s);
};

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.src = src;
    el.onload = resolve;
    el.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(el);
  });
}

const peerInfo = {};
const loaders = {
  'ml-matrix': async () => {
    await loadScript('/node_modules/ml-matrix/matrix.umd.js');
    return window.mlMatrix;
  },
  mathjs: async () => {
    await loadScript('/node_modules/mathjs/lib/browser/math.js');
    return { eigs: window.math.eigs, version: window.math.version };
  },
  tfjs: async () => {
    await loadScript('/node_modules/@tensorflow/tfjs/dist/tf.min.js');
    await loadScript('/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');
    const tf = window.tf;
    tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread, like every other contender
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
    await tf.ready();
    peerInfo.tfjs = {
      version: tf.version?.['tfjs-core'] ?? null,
      backend: tf.getBackend(),
      simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      threads: tf.wasm.getThreadsCount?.() ?? 1,
    };
    return tf;
  },
};
const peers = {};

const env = {
  runtime: 'chromium',
  Benchmark: window.Benchmark,
  log,
  peerInfo,
  breathe: () => new Promise((r) => setTimeout(r, 0)),
  wasmBytes: async (p) => {
    const r = await fetch(`/${p}`);
    if (!r.ok) throw new Error(`GET /${p}: ${r.status}`);
    return r.arrayBuffer();
  },
  importLazytrain: (tag) => import(`/dist/index.js?${tag}`),
  peer(name) {
    peers[name] ??= loaders[name]().catch((e) => {
      throw new Error(`${name} unavailable in chromium: ${e.message}`);
    });
    return peers[name];
  },
  numpy: async () => ({ skipped: 'not available in chromium (numpy runs as a python3 subprocess of the Node runner)' }),
};

try {
  const res = await runSuite(env, { quick, topics, sizes });
  res.page = {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: self.crossOriginIsolated,
    timer: 'performance.now() via a chrome.Interval shim for benchmark.js',
  };
  window.benchDone?.(JSON.stringify(res));
} catch (e) {
  log(`bench page failed: ${e?.stack ?? e}`);
  window.benchDone?.(JSON.stringify({ error: String(e?.stack ?? e) }));
}
