// The published types, as a consumer compiles them: the packed package, a consumer file using the
// documented API (with @ts-expect-error lines, so types that silently resolve to `any` fail),
// checked with skipLibCheck off by TypeScript 5.0 (devDependency alias typescript-5.0) and the
// current one, under moduleResolution bundler, node16 and node10.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packedConsumer, ROOT } from './pack.mjs';

const CONSUMER = `
import {
  init, runtimeInfo, matrix, fromArray, toArray, matmul, createRng, quadraticTask, mixtureTask,
  theory, randomFeatures, fitRF, fitNT, eigh, cholesky, solveSPD, trainNN, compare, preset, plotSVG,
  summaryMarkdown, VERSION,
  type Matrix, type RuntimeInfo, type CompareResult, type CompareRow, type TrainedModel, type FittedModel,
} from 'lazytrain';

export async function main(): Promise<string> {
  const info: RuntimeInfo = await init();
  const a: Matrix = fromArray([[1, 2], [3, 4]]);
  const x32: Matrix = matrix(2, 2, new Float32Array(4));
  const rows: number[][] = toArray(matmul(a, a, { transB: true }));
  const u: Float64Array = createRng(42).uniform(3);
  const task = quadraticTask({ d: 20, spectrum: 'exponential', seed: 1 });
  const r: number = theory.riskNN(task, 10) / task.risk0;
  const W = randomFeatures(20, 10, createRng(1));
  const { X, y } = task.sample(200, createRng(2));
  const rf: FittedModel = fitRF({ X, y, W });
  const nt = fitNT({ X, y, W });
  const risk: number = rf.populationRisk(task).risk + nt.populationRisk(task).risk;
  const { values } = eigh(a);
  const L: Matrix = cholesky(fromArray([[4, 2], [2, 3]]));
  const s: Matrix = solveSPD(fromArray([[4, 2], [2, 3]]), fromArray([[1], [2]]));
  const nn: TrainedModel = await trainNN({ task, N: 5, steps: 10, seed: 3 });
  const result: CompareResult = await compare({ ...preset('quick'), ratios: [0.5] }, { onProgress: (p) => void p.done });
  const row: CompareRow | undefined = result.rows[0];
  const svg: string = plotSVG(result) + summaryMarkdown(result);
  void mixtureTask; void info; void x32; void rows; void u; void r; void risk; void values; void L; void s; void nn; void row;
  // @ts-expect-error matmul takes matrices
  matmul(1, 2);
  // @ts-expect-error unknown spectrum name
  quadraticTask({ d: 5, spectrum: 'gaussian' });
  // @ts-expect-error a risk is a number
  const wrong: string = theory.riskNN(task, 1);
  void wrong;
  return svg + VERSION + runtimeInfo().simd;
}
`;

// moduleResolution → the matching module setting and file extension (node16 consumers are ESM
// files, .mts; node10 is the classic CommonJS setup; bundler is ESM for Vite and friends)
const MODES = {
  bundler: { module: 'esnext', ext: 'ts' },
  node16: { module: 'node16', ext: 'mts' },
  node10: { module: 'commonjs', ext: 'ts' },
};
const COMPILERS = {
  'typescript-5.0': join(ROOT, 'node_modules/typescript-5.0/bin/tsc'),
  typescript: join(ROOT, 'node_modules/typescript/bin/tsc'),
};

for (const [pkg, tsc] of Object.entries(COMPILERS)) {
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  for (const [resolution, { module, ext }] of Object.entries(MODES)) {
    test(`TypeScript ${version}, moduleResolution ${resolution}: the consumer type-checks (skipLibCheck off)`, () => {
      const { dir } = packedConsumer();
      const proj = join(dir, `types-${pkg}-${resolution}`);
      mkdirSync(proj, { recursive: true });
      writeFileSync(join(proj, `consumer.${ext}`), CONSUMER);
      writeFileSync(
        join(proj, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution: resolution,
            target: 'es2022',
            lib: ['es2022', 'dom'],
            types: [],
            strict: true,
            noEmit: true,
            skipLibCheck: false,
          },
          files: [`consumer.${ext}`],
        }),
      );
      const r = spawnSync(process.execPath, [tsc, '-p', proj], { cwd: proj, encoding: 'utf8' });
      assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
    });
  }
}

test.run();
