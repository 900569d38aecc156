// The figure of an α sweep (compare({ sweep: { alpha } })): two panels over a logarithmic α
// axis — the trained NN's normalised risk with the lazy (riskNT(B, W₀)) and rich (sign-split
// riskNN) limits as labelled lines, and the relative movement ‖W − W₀‖/‖W₀‖ on a log scale with
// a 1/α guide. Same style and determinism rules as svg.ts (fixed-precision numbers; tick values
// by × and ÷ only).

import type { CompareResult, CompareRow } from "../experiment/types.js";
import { meanSd } from "../experiment/stats.js";

export interface AlphaPlotOptions {
  width?: number;
  height?: number;
  title?: string;
}

const NN = "#1b9e77",
  LAZY = "#7570b3",
  MOVE = "#d95f02";
const f = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function label(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-2 && a < 1e4) return String(Number(v.toPrecision(4)));
  return v.toExponential(0).replace("e+", "e");
}

/** Powers of ten enclosing [lo, hi] (lo > 0), by × and ÷ only. */
function decades(lo: number, hi: number): number[] {
  let p = 1;
  while (p > lo) p /= 10;
  while (p * 10 <= lo) p *= 10;
  const out = [p];
  while (out[out.length - 1] < hi) out.push(out[out.length - 1] * 10);
  return out.map((x) => Number(x.toPrecision(12)));
}

interface AlphaStat {
  alpha: number;
  risk: number;
  sd: number;
  movement: number;
  unconverged: boolean;
}

function stats(rows: CompareRow[]): AlphaStat[] {
  const by = new Map<number, CompareRow[]>();
  for (const r of rows)
    if (r.alpha !== undefined && Number.isFinite(r.normalizedRisk)) by.set(r.alpha, [...(by.get(r.alpha) ?? []), r]);
  return [...by.entries()]
    .map(([alpha, rs]) => {
      const { mean, sd } = meanSd(rs.map((r) => r.normalizedRisk));
      return {
        alpha,
        risk: mean,
        sd,
        movement: meanSd(rs.map((r) => r.movement ?? NaN)).mean,
        unconverged: rs.some((r) => r.convergence !== undefined && !r.convergence.converged),
      };
    })
    .sort((p, q) => p.alpha - q.alpha);
}

const mean = (rows: CompareRow[], f: (r: CompareRow) => number | undefined) => {
  const v = rows.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : null;
};

/** The α sweep figure as an SVG document string (plotSVG draws this for sweep results). */
export function plotAlphaSVG(result: CompareResult, options: AlphaPlotOptions = {}): string {
  const W = options.width ?? 800,
    H = options.height ?? 680;
  const { meta, rows } = result;
  const st = stats(rows);
  const lazy = mean(rows, (r) => r.theory.lazy),
    rich = mean(rows, (r) => r.theory.rich);
  const planned = meta.sweep?.alpha ?? [];
  const alphas = [...planned, ...st.map((s) => s.alpha)];
  const xs = decades(alphas.length ? Math.min(...alphas) : 0.1, alphas.length ? Math.max(...alphas) : 1000);
  const xlo = xs[0],
    xhi = xs[xs.length - 1] > xlo ? xs[xs.length - 1] : xlo * 10;
  const m = { l: 70, r: 190, t: 48, b: 56, gap: 56 };
  const pw = W - m.l - m.r;
  const ph1 = Math.round((H - m.t - m.b - m.gap) * 0.58),
    ph2 = H - m.t - m.b - m.gap - ph1;
  const top1 = m.t,
    top2 = m.t + ph1 + m.gap;
  const X = (a: number) => m.l + ((Math.log10(a) - Math.log10(xlo)) / (Math.log10(xhi) - Math.log10(xlo))) * pw;
  // panel 1: risk, linear from 0
  let ymax = 1;
  for (const s of st) ymax = Math.max(ymax, s.risk + s.sd);
  ymax *= 1.05;
  const Y1 = (v: number) => top1 + ph1 - (Math.min(Math.max(v, 0), ymax) / ymax) * ph1;
  // panel 2: movement, log scale over the decades it spans
  const mv = st.map((s) => s.movement).filter((v) => v > 0 && Number.isFinite(v));
  const ys = decades(mv.length ? Math.min(...mv) : 1e-3, mv.length ? Math.max(...mv) : 10);
  const ylo = ys[0],
    yhi = ys[ys.length - 1] > ylo ? ys[ys.length - 1] : ylo * 10;
  const Y2 = (v: number) => {
    const c = Math.min(Math.max(v, ylo), yhi);
    return top2 + ph2 - ((Math.log10(c) - Math.log10(ylo)) / (Math.log10(yhi) - Math.log10(ylo))) * ph2;
  };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  const N = meta.sweep?.N ?? rows[0]?.N ?? 0;
  const title =
    options.title ??
    `Lazy → rich: NN risk vs the scale α (d = ${meta.d}, N = ${N}, ${meta.spectrum} spectrum${meta.reps > 1 ? `, ${meta.reps} reps` : ""})`;
  out.push(`<text x="${f(W / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  const panel = (top: number, ph: number, yt: number[], Y: (v: number) => number, ylab: string) => {
    out.push(`<g stroke="#e5e5e5">`);
    for (const v of yt) out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f(Y(v))}" y2="${f(Y(v))}"/>`);
    for (const v of xs) out.push(`<line x1="${f(X(v))}" x2="${f(X(v))}" y1="${top}" y2="${top + ph}"/>`);
    out.push(`</g>`);
    out.push(`<rect x="${m.l}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
    out.push(`<g text-anchor="end">`);
    for (const v of yt) out.push(`<text x="${m.l - 6}" y="${f(Y(v) + 4)}">${label(v)}</text>`);
    out.push(`</g><g text-anchor="middle">`);
    for (const v of xs) out.push(`<text x="${f(X(v))}" y="${top + ph + 18}">${label(v)}</text>`);
    out.push(`</g>`);
    out.push(`<text transform="translate(18 ${f(top + ph / 2)}) rotate(-90)" text-anchor="middle" font-size="13">${ylab}</text>`);
  };
  const yt1: number[] = [];
  const step = ymax > 1.5 ? 0.5 : 0.2;
  for (let v = 0; v <= ymax + 1e-9; v = Number((v + step).toPrecision(12))) yt1.push(v);
  panel(top1, ph1, yt1, Y1, "normalised risk  R / R₀");
  panel(top2, ph2, ys, Y2, "‖W − W₀‖ / ‖W₀‖");
  out.push(`<text x="${f(m.l + pw / 2)}" y="${H - 14}" text-anchor="middle" font-size="13">α (output scale; log axis)</text>`);
  // theory lines across the whole α axis, each labelled at its right end
  const line = (v: number | null, color: string, cls: string, text: string) => {
    if (v === null) return;
    out.push(
      `<line class="${cls}" x1="${m.l}" x2="${m.l + pw}" y1="${f(Y1(v))}" y2="${f(Y1(v))}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 3"/>`,
    );
    out.push(`<text x="${m.l + pw + 6}" y="${f(Y1(v) + 4)}" fill="${color}">${esc(text)}</text>`);
  };
  line(lazy, LAZY, "theory-lazy", `lazy: riskNT(B, W₀) = ${lazy === null ? "" : lazy.toFixed(3)}`);
  line(rich, NN, "theory-rich", `rich: NN, ±1 split = ${rich === null ? "" : rich.toFixed(3)}`);
  const path = (pts: [number, number][]) => pts.map(([x, y], i) => `${i ? "L" : "M"}${f(x)} ${f(y)}`).join("");
  const hollow = `class="unconverged" fill="#ffffff" stroke-width="1.5" `;
  // panel 1: the trained NN
  if (st.length > 1)
    out.push(
      `<path d="${path(st.map((s) => [X(s.alpha), Y1(s.risk)]))}" fill="none" stroke="${NN}" stroke-width="1" opacity="0.5"/>`,
    );
  out.push(`<g fill="${NN}" stroke="${NN}">`);
  for (const s of st) {
    if (s.sd > 0)
      out.push(
        `<line x1="${f(X(s.alpha))}" x2="${f(X(s.alpha))}" y1="${f(Y1(s.risk - s.sd))}" y2="${f(Y1(s.risk + s.sd))}" stroke-width="1.5"/>`,
      );
    out.push(`<circle ${s.unconverged ? hollow : ""}cx="${f(X(s.alpha))}" cy="${f(Y1(s.risk))}" r="4.5"/>`);
  }
  out.push(`</g>`);
  // panel 2: movement, and the 1/α guide through the largest α over its last two decades (the
  // lazy regime's law: the parameters move by O(1/α))
  const mvs = st.filter((s) => s.movement > 0 && Number.isFinite(s.movement));
  if (mvs.length > 0) {
    const last = mvs[mvs.length - 1];
    const g = mvs.filter((s) => s.alpha * 100 >= last.alpha * (1 - 1e-9));
    const guide = g.map((s) => [X(s.alpha), Y2((last.movement * last.alpha) / s.alpha)] as [number, number]);
    if (guide.length > 1) {
      out.push(`<path class="guide" d="${path(guide)}" fill="none" stroke="#777" stroke-width="1" stroke-dasharray="2 3"/>`);
      out.push(`<text x="${f(guide[0][0] - 8)}" y="${f(guide[0][1] + 16)}" fill="#777">∝ 1/α</text>`);
    }
    if (mvs.length > 1)
      out.push(
        `<path d="${path(mvs.map((s) => [X(s.alpha), Y2(s.movement)]))}" fill="none" stroke="${MOVE}" stroke-width="1" opacity="0.5"/>`,
      );
    out.push(`<g fill="${MOVE}" stroke="${MOVE}">`);
    for (const s of mvs)
      out.push(
        `<rect ${s.unconverged ? hollow : ""}x="${f(X(s.alpha) - 4)}" y="${f(Y2(s.movement) - 4)}" width="8" height="8"/>`,
      );
    out.push(`</g>`);
  }
  // legend (right of panel 2)
  const lx = m.l + pw + 14;
  let ly = top2 + 8;
  const items: string[] = [
    `<g fill="${NN}" stroke="${NN}"><circle cx="${lx + 10}" cy="${f(ly)}" r="4.5"/></g><text x="${lx + 24}" y="${f(ly + 4)}">NN risk (trained)</text>`,
  ];
  ly += 20;
  items.push(
    `<g fill="${MOVE}" stroke="${MOVE}"><rect x="${lx + 6}" y="${f(ly - 4)}" width="8" height="8"/></g><text x="${lx + 24}" y="${f(ly + 4)}">movement of W</text>`,
  );
  ly += 20;
  if (st.some((s) => s.unconverged)) {
    items.push(
      `<g fill="#ffffff" stroke="#444" stroke-width="1.5"><circle cx="${lx + 10}" cy="${f(ly)}" r="4.5"/></g><text x="${lx + 24}" y="${f(ly + 4)}">hollow: not converged</text>`,
    );
    ly += 20;
  }
  items.push(
    `<line x1="${lx}" x2="${lx + 20}" y1="${f(ly)}" y2="${f(ly)}" stroke="#444" stroke-width="1.5" stroke-dasharray="6 3"/><text x="${lx + 24}" y="${f(ly + 4)}">exact theory limits</text>`,
  );
  out.push(`<g>${items.join("")}</g>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
