// Summary statistics of repeated runs, shared by the Markdown summary (io.ts) and the figure
// (plot/svg.ts) so that both report the same numbers.

/** @internal Sample mean and standard deviation (n − 1 denominator; 0 for a single value), summed in order. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (values.length - 1)) : 0;
  return { mean, sd };
}
