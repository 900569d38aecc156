// Child process of test/regimes/train-fma.test.mjs: a plain `node` (no V8 flags, no
// NODE_OPTIONS) asking for the relaxed-SIMD build. Prints one JSON line.
import * as lt from '../../dist/index.js';

const out = { before: WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) };
const info = await lt.init({ fma: true });
out.info = { simd: info.simd, fma: info.fma, build: info.build };

// d = 100 training: f64 and f32 with FMA against the default f64 (non-FMA) run
const task = lt.quadraticTask({ d: 100, seed: 3 });
const risk = async (precision, regime = 'NN', N = 30) => {
  const train = regime === 'NN' ? lt.trainNN : lt.trainNT;
  const m = await train({ task, N, steps: 1500, seed: 2, checkpoints: 0, precision, ...(regime === 'NN' ? { lrScale: 3 } : {}) });
  return m.populationRisk(task).risk;
};
/** @type {[string, number][]} */
const POINTS = [
  ['NN', 30],
  ['NN', 150],
  ['NT', 50],
];
out.fma = {};
for (const [regime, N] of POINTS) {
  out.fma[`${regime} ${N} f32`] = await risk('f32', regime, N);
  if (N === 30) out.fma[`${regime} ${N} f64`] = await risk('f64', regime, N);
}

// compare's worker_threads: the rows of 2 workers equal those of this thread (relaxed build)
/** @type {import('../../dist/index.js').CompareConfig} */
const config = {
  task: 'quadratic',
  d: 24,
  widths: [5, 13, 21],
  regimes: ['NT', 'NN'],
  n: 'online',
  seed: 3,
  nn: { steps: 300, precision: 'f32' },
  nt: { method: 'sgd', steps: 300 },
};
const rows = async (workers) => (await lt.compare(config, { workers })).rows.map(({ seconds: _s, ...r }) => r);
out.rows1 = await rows(1);
out.rows2 = await rows(2);

await lt.init({ simd: true });
out.plain = { info: lt.runtimeInfo().build, rows1: await rows(1) };
for (const [regime, N] of POINTS) out.plain[`${regime} ${N}`] = await risk('f64', regime, N);
process.stdout.write(JSON.stringify(out) + '\n');
