// Where the default learning rate is too large (src/training/loop.ts, MAX_HALVINGS): compare()
// over small d, three seeds, N/d = 0.1 … 2, default rates, 1 500 steps; prints the points whose
// default rate diverged and was halved (with how many halvings) and whether any point still
// failed after three. Before the halving rule every line printed here was a rejected compare().
//   npm run build && nice node bench/protocol/halvings.mjs
import { init, compare } from '../../dist/index.js';

await init();
let fails = 0,
  halved = 0,
  total = 0,
  most = 0;
const t0 = performance.now();
for (const d of [2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30]) {
  for (const seed of [1, 2, 3]) {
    try {
      const r = await compare({ d, ratios: [0.1, 0.25, 0.5, 1, 2], seed, nn: { steps: 1500 }, nt: { steps: 1500 } });
      total += r.rows.length;
      const h = r.rows.filter((x) => x.lrHalvings);
      halved += h.length;
      for (const x of h) most = Math.max(most, x.lrHalvings);
      if (h.length) console.log(`d = ${d}, seed ${seed}: ${h.map((x) => `${x.regime} N=${x.N} ×${x.lrHalvings}`).join(', ')}`);
    } catch (e) {
      fails++;
      console.log(`d = ${d}, seed ${seed}: failed: ${e.message.slice(0, 160)}`);
    }
  }
}
console.log(
  `${total} points, ${halved} with a halved default rate (at most ${most} halvings), ${fails} grids failed; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
