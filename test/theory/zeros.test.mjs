// Exact zeros by rank: riskNN once the network can represent every nonzero eigenvalue of B
// (N ≥ rank B; always when N ≥ d), riskNT once span(W) is the whole space (N ≥ d, W generic),
// expectedRiskNT for N ≥ d: 0, not ~1e-16 of rounding (which a summary prints as 2.150e-16).
// Just below the threshold the risk is the smallest squared eigenvalue(s), checked against an
// independent sort of the spectrum, so the shortcut cannot hide a wrong tail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init, quadraticTask, createRng, randomFeatures, theory, eigvalsh } from '../../dist/index.js';

const { riskNN, riskNT, expectedRiskNT } = theory;

test.before(async () => {
  await init();
});

// riskNN below the threshold is 2(Σλ² − Σ kept λ²): cancellation leaves O(d·ε·Σλ²) absolute error
const near = (a, b, lam) => Math.abs(a - b) <= 2 * lam.length * 2 ** -52 * lam.reduce((s, x) => s + x * x, 0);

test('riskNN (free signs), N ≥ d on an indefinite full-rank B (GOE): exactly 0', () => {
  for (const seed of [1, 2, 3]) {
    const task = quadraticTask({ d: 60, spectrum: 'goe', seed });
    for (const N of [60, 61, 66, 120]) assert.is(riskNN(task, N), 0, `seed ${seed}, N = ${N}`);
    // N = d − 1: exactly the smallest |λ| is dropped
    const sq = Array.from(eigvalsh(task.B), (x) => x * x).sort((a, b) => a - b);
    assert.ok(near(riskNN(task, 59), 2 * sq[0], sq), `N = d − 1: ${riskNN(task, 59)} vs ${2 * sq[0]}`);
  }
});

test('riskNN: a matrix B (spectrum computed by eigvalsh), N ≥ d: exactly 0', () => {
  const task = quadraticTask({ d: 30, spectrum: 'goe', seed: 4, rotate: true });
  for (const N of [30, 45]) assert.is(riskNN(task.B, N), 0);
  const sq = Array.from(eigvalsh(task.B), (x) => x * x).sort((a, b) => a - b);
  assert.ok(near(riskNN(task.B, 28), 2 * (sq[0] + sq[1]), sq));
});

test('riskNN: rank-r target, exactly 0 from N = r on (free and positive second layer)', () => {
  const task = quadraticTask({ d: 40, spectrum: 'lowrank', rank: 5, seed: 5 });
  for (const N of [5, 6, 40]) {
    assert.is(riskNN(task, N), 0, `free, N = ${N}`);
    assert.is(riskNN(task, N, { secondLayer: 'positive' }), 0, `positive, N = ${N}`);
  }
  // N = r − 1: the smallest of the r nonzero eigenvalues is dropped
  const sq = Array.from(eigvalsh(task.B), (x) => x * x).sort((a, b) => b - a);
  assert.ok(near(riskNN(task, 4), 2 * sq[4], sq) && sq[4] > 1e-3, `${riskNN(task, 4)} vs ${2 * sq[4]}`);
});

test('riskNN with sign counts: 0 exactly when both counts cover their eigenvalues, else > 0', () => {
  const task = quadraticTask({ d: 20, spectrum: 'goe', seed: 6 });
  const pos = eigvalsh(task.B).filter((x) => x > 0).length,
    neg = eigvalsh(task.B).filter((x) => x < 0).length;
  assert.is(pos + neg, 20);
  assert.is(riskNN(task, 1, { secondLayer: { positive: pos, negative: neg } }), 0);
  assert.is(riskNN(task, 1, { secondLayer: { positive: pos + 3, negative: neg + 1 } }), 0);
  assert.ok(riskNN(task, 1, { secondLayer: { positive: pos - 1, negative: neg + 5 } }) > 0);
  assert.ok(riskNN(task, 40, { secondLayer: 'positive' }) > 0, 'positive only: the negative part stays');
});

test('with label noise the zero-by-rank risk is exactly s²', () => {
  const task = quadraticTask({ d: 20, spectrum: 'goe', seed: 7, noise: 0.3 });
  assert.is(riskNN(task, 20), 0.3 * 0.3);
  assert.is(riskNN(task, 25, { noise: 0 }), 0);
});

test('riskNT and expectedRiskNT, N ≥ d: exactly 0', () => {
  const task = quadraticTask({ d: 40, spectrum: 'goe', seed: 8 });
  const rng = createRng(9);
  for (const N of [40, 41, 80]) {
    assert.is(riskNT(task, randomFeatures(40, N, rng)), 0, `riskNT, N = ${N}`);
    assert.is(expectedRiskNT(task, N), 0, `expectedRiskNT, N = ${N}`);
  }
  assert.ok(riskNT(task, randomFeatures(40, 39, rng)) > 0);
});

test.run();
