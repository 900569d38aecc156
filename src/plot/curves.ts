// Risk-vs-step figure of a comparison's trained points: for each trained regime one panel, the
// exact normalised risk R/R₀ at the training checkpoints (the rows' `curve`) against the SGD
// step, one line per width, each with its own exact theory as a dashed line of the same colour.
// This is what shows whether a protocol converged (docs/paper/: the d = 450 runs). Pure string
// building with fixed-precision numbers, like svg.ts, so Node and browsers emit the same bytes.

import type { CompareResult, CompareRow } from "../experiment/types.js";
import { checkOptions, checkSize } from "../runtime/errors.js";

export interface CurvesPlotOptions {
  /** Widths to draw (default: up to 6 spread over the widths that have a curve). */
  widths?: number[];
  /** Width in pixels of one panel (default 420). */
  panelWidth?: number;
  /** Height in pixels (default 380). */
  height?: number;
  /** Title override (default: task, d and the steps). */
  title?: string;
}

const PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#e6ab02", "#666666"];
const f = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Up to k values spread evenly (by index) over a sorted list, ends included. */
function spread(sorted: number[], k: number): number[] {
  if (sorted.length <= k) return sorted;
  const out = new Set<number>();
  for (let i = 0; i < k; i++) out.add(sorted[Math.round((i * (sorted.length - 1)) / (k - 1))]);
  return [...out];
}

/**
 * The risk-vs-step figure of the trained rows of a run that recorded curves (the quadratic task
 * with σ = t²): a log risk axis, one panel per trained regime, the rows' first repetition.
 * Throws when no row has a curve.
 */
export function plotCurvesSVG(result: CompareResult, options: CurvesPlotOptions = {}): string {
  const o = checkOptions<CurvesPlotOptions>("options", options, ["widths", "panelWidth", "height", "title"]);
  const PW = checkSize("options.panelWidth", o.panelWidth ?? 420, 200, 4000);
  const H = checkSize("options.height", o.height ?? 380, 200, 4000);
  const rows = result.rows.filter((r) => r.curve !== undefined && r.curve.step.length > 1 && r.rep === 0);
  if (rows.length === 0)
    throw new RangeError(
      "result: no row has a risk-vs-step curve (curves are recorded for trained points of the quadratic task with σ = t², lazytrain ≥ 0.2)",
    );
  const regimes = (["NT", "NN"] as const).filter((g) => rows.some((r) => r.regime === g));
  const wanted = o.widths?.map((w, i) => checkSize(`options.widths[${i}]`, w, 1));
  const m = { l: 60, r: 16, t: 44, b: 86 };
  const W = PW * regimes.length;
  const title =
    o.title ?? `Exact risk during training, ${result.meta.task} task, d = ${result.meta.d} (dashed: each width's exact theory)`;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${f(W / 2)}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>`,
  ];
  regimes.forEach((g, k) => {
    const mine = rows.filter((r) => r.regime === g);
    const all = [...new Set(mine.map((r) => r.N))].sort((a, b) => a - b);
    const widths = wanted ? all.filter((N) => wanted.includes(N)) : spread(all, 6);
    const shown: CompareRow[] = widths.map((N) => mine.find((r) => r.N === N)!);
    const x0 = k * PW + m.l,
      pw = PW - m.l - m.r,
      ph = H - m.t - m.b;
    const values: number[] = [];
    for (const r of shown) values.push(...r.curve!.risk.filter((v) => v > 0), ...(r.theory.exact! > 0 ? [r.theory.exact!] : []));
    const sMax = Math.max(1, ...shown.map((r) => r.curve!.step.at(-1)!));
    // decades spanning the values (floor 10⁻⁴: a theory of exactly 0 is drawn at the axis bottom)
    const lo = Math.max(-4, Math.floor(Math.min(0, ...values.map(Math.log10)))),
      hi = Math.max(lo + 1, Math.ceil(Math.max(...values.map(Math.log10))));
    const X = (s: number) => x0 + (s / sMax) * pw;
    const Y = (v: number) => m.t + ph - ((Math.min(Math.max(Math.log10(Math.max(v, 10 ** lo)), lo), hi) - lo) / (hi - lo)) * ph;
    out.push(`<text x="${f(x0 + pw / 2)}" y="36" text-anchor="middle" font-weight="bold">${g}</text>`);
    out.push(`<rect x="${f(x0)}" y="${f(m.t)}" width="${f(pw)}" height="${f(ph)}" fill="none" stroke="#999999"/>`);
    for (let e = lo; e <= hi; e++) {
      out.push(`<line x1="${f(x0)}" x2="${f(x0 + pw)}" y1="${f(Y(10 ** e))}" y2="${f(Y(10 ** e))}" stroke="#eeeeee"/>`);
      out.push(`<text x="${f(x0 - 4)}" y="${f(Y(10 ** e) + 4)}" text-anchor="end">1e${e}</text>`);
    }
    for (let i = 0; i <= 4; i++) {
      const s = (sMax * i) / 4;
      out.push(`<text x="${f(X(s))}" y="${f(m.t + ph + 16)}" text-anchor="middle">${s >= 1000 ? `${s / 1000}k` : s}</text>`);
    }
    out.push(`<text x="${f(x0 + pw / 2)}" y="${f(m.t + ph + 32)}" text-anchor="middle">SGD step</text>`);
    if (k === 0)
      out.push(`<text transform="translate(14 ${f(m.t + ph / 2)}) rotate(-90)" text-anchor="middle">R / R0 (log)</text>`);
    shown.forEach((r, i) => {
      const c = PALETTE[i % PALETTE.length];
      const pts = r.curve!.step.map((s, j) => `${f(X(s))},${f(Y(r.curve!.risk[j]))}`).join(" ");
      out.push(
        `<polyline class="curve" data-regime="${g}" data-n="${r.N}" fill="none" stroke="${c}" stroke-width="1.5" points="${pts}"/>`,
      );
      const th = r.theory.exact;
      if (th !== null)
        out.push(
          `<line class="theory" data-n="${r.N}" x1="${f(x0)}" x2="${f(x0 + pw)}" y1="${f(Y(th))}" y2="${f(Y(th))}" stroke="${c}" stroke-dasharray="5 4"/>`,
        );
      // legend along the bottom
      const lx = x0 + (i % 2) * (pw / 2),
        ly = m.t + ph + 46 + Math.floor(i / 2) * 14;
      out.push(`<line x1="${f(lx)}" x2="${f(lx + 16)}" y1="${f(ly - 4)}" y2="${f(ly - 4)}" stroke="${c}" stroke-width="2"/>`);
      out.push(`<text x="${f(lx + 20)}" y="${f(ly)}">N = ${r.N}${r.convergence?.converged === false ? " (moving)" : ""}</text>`);
    });
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
