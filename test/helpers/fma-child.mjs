// Child process of test/regimes/train-fma.test.mjs: a plain `node` (no V8 flags, no
// NODE_OPTIONS) asking for the relaxed-SIMD build. Prints one JSON line.
import * as lt from '../../dist/index.js';

const out = { before: WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) };
const info = await lt.init({ fma: true });
out.info = { simd: info.simd, fma: info.fma, build: info.build };

// d = 100 training: f64 and f32 with FMA against the default f64 (non-FMA) run
const task = lt.quadraticTask({ d: 100, seed: 3 });
const risk = async (precision) => {
  const m = await lt.trainNN({ task, N: 30, steps: 1500, seed: 2, lrScale: 3, checkpoints: 0, precision });
  return m.populationRisk(task).risk;
};
out.fma = { f64: await risk('f64'), f32: await risk('f32') };

// compare's worker_threads: the rows of 2 workers equal those of this thread (relaxed build)
const config = {
  task: 'quadratic', d: 24, widths: [5, 13, 21], regimes: ['NT', 'NN'], n: 'online', seed: 3,
  nn: { steps: 300, precision: 'f32' }, nt: { method: 'sgd', steps: 300 },
};
const rows = async (workers) => (await lt.compare(config, { workers })).rows.map(({ seconds: _s, ...r }) => r);
out.rows1 = await rows(1);
out.rows2 = await rows(2);

await lt.init({ simd: true });
out.plain = { info: lt.runtimeInfo().build, f64: await risk('f64'), rows1: await rows(1) };
process.stdout.write(JSON.stringify(out) + '\n');
