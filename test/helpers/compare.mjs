// Shared by the compare() suites: a small online grid that trains both NT and NN in seconds, and
// rows without their wall-clock `seconds` (the one field that differs between identical runs).

/** @type {import('../../dist/index.js').CompareConfig} */
export const SMALL = {
  d: 12,
  ratios: [0.25, 0.5, 1, 1.5],
  n: 'online',
  seed: 3,
  reps: 2,
  nn: { steps: 300 },
  nt: { method: 'sgd', steps: 300 },
};

/** Rows without `seconds`. @param {any[]} rows */
export const strip = (rows) => rows.map(({ seconds, ...r }) => r);
