// Dependency-free SVG figure of a comparison: normalised risk (or 0-1 error) against N/d.
// Pure string building with fixed-precision numbers, so Node and browsers emit the same bytes.

import type { CompareResult, CompareRow } from "../experiment/types.js";
import { checkFinite } from "../runtime/errors.js";
import { meanSd } from "../experiment/stats.js";
import { plotAlphaSVG } from "./alpha.js";

export interface PlotOptions {
  width?: number;
  height?: number;
  /** Logarithmic y axis (risks spanning decades). Default false. */
  logY?: boolean;
  /** Title override (default: task, d, n and spectrum). */
  title?: string;
  /**
   * Right end of the N/d axis (before its 4 % margin); default and minimum: the largest N/d
   * among the rows. A partial run passes its planned largest N/d so the axis does not move.
   */
  xMax?: number;
}

const COLORS: Record<string, string> = { RF: "#d95f02", NT: "#7570b3", NN: "#1b9e77" };
const MARKERS: Record<string, (x: number, y: number) => string> = {
  RF: (x, y) => `<rect x="${f(x - 4)}" y="${f(y - 4)}" width="8" height="8"/>`,
  NT: (x, y) => `<path d="M${f(x)} ${f(y - 5)}L${f(x + 5)} ${f(y + 4)}L${f(x - 5)} ${f(y + 4)}Z"/>`,
  NN: (x, y) => `<circle cx="${f(x)}" cy="${f(y)}" r="4.5"/>`,
};

/** A marker drawn hollow (class "unconverged", so tests and readers can find it). */
const hollow = (marker: string) => marker.replace(/^<(\w+) /, '<$1 class="unconverged" fill="#ffffff" stroke-width="1.5" ');

const f = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  // decade of raw by repeated ×/÷10 (no Math.log10: keeps tick values identical across engines)
  let mag = 1;
  while (mag * 10 <= raw) mag *= 10;
  while (mag > raw) mag /= 10;
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function label(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-2 && a < 1e4) return String(Number(v.toPrecision(4)));
  return v.toExponential(0).replace("e+", "e");
}

interface Stat {
  rho: number;
  mean: number;
  sd: number;
  count: number;
  /** Some row of this point has convergence.converged false: drawn hollow. */
  unconverged: boolean;
}

function groupStats(rows: CompareRow[], value: (r: CompareRow) => number | null | undefined): Map<string, Stat[]> {
  const by = new Map<string, Map<number, number[]>>();
  const bad = new Set<string>();
  for (const r of rows) {
    const v = value(r);
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (r.convergence !== undefined && !r.convergence.converged) bad.add(`${r.regime}|${r.rho}`);
    const m = by.get(r.regime) ?? new Map<number, number[]>();
    by.set(r.regime, m);
    const list = m.get(r.rho) ?? [];
    list.push(v);
    m.set(r.rho, list);
  }
  const out = new Map<string, Stat[]>();
  for (const [regime, m] of by) {
    const stats: Stat[] = [];
    for (const [rho, vs] of m) {
      const { mean, sd } = meanSd(vs);
      stats.push({ rho, mean, sd, count: vs.length, unconverged: bad.has(`${regime}|${rho}`) });
    }
    stats.sort((p, q) => p.rho - q.rho);
    out.set(regime, stats);
  }
  return out;
}

/**
 * The figure as an SVG document string. For an α sweep (meta.sweep, or rows with alpha) the
 * two-panel figure of plotAlphaSVG (risk and movement against α; logY and xMax do not apply).
 */
export function plotSVG(result: CompareResult, options: PlotOptions = {}): string {
  if (result.meta.sweep !== undefined || result.rows.some((r) => r.alpha !== undefined)) {
    const { width, height, title } = options;
    return plotAlphaSVG(result, {
      ...(width === undefined ? {} : { width }),
      ...(height === undefined ? {} : { height }),
      ...(title === undefined ? {} : { title }),
    });
  }
  const W = options.width ?? 800,
    H = options.height ?? 500;
  const logY = options.logY ?? false;
  const { meta, rows } = result;
  const mixture = meta.task === "mixture";
  // mixture: the exact error of the model's rule where there is one (σ = t²), else Monte Carlo
  const yOf = (r: CompareRow) => (mixture ? (r.error01Exact ?? r.error01) : r.normalizedRisk);
  const measured = groupStats(rows, yOf);
  const theoryAt = groupStats(rows, (r) => r.theory.exact);
  const curves = meta.theoryCurves ?? {};
  const m = { l: 70, r: 160, t: 48, b: 56 };
  const pw = W - m.l - m.r,
    ph = H - m.t - m.b;
  let xmax = options.xMax === undefined ? 0 : checkFinite("options.xMax", options.xMax, 0);
  for (const r of rows) xmax = Math.max(xmax, r.rho);
  if (!(xmax > 0)) xmax = 1;
  xmax *= 1.04;
  const values: number[] = [];
  for (const s of measured.values()) for (const p of s) values.push(p.mean + p.sd, Math.max(p.mean - p.sd, 0));
  for (const s of theoryAt.values()) for (const p of s) values.push(p.mean);
  for (const c of Object.values(curves)) for (const [, v] of c ?? []) values.push(v);
  if (mixture && meta.bayesError !== undefined) values.push(meta.bayesError);
  let ymin = 0,
    ymax = mixture ? 0.5 : 1;
  for (const v of values) if (Number.isFinite(v)) ymax = Math.max(ymax, v);
  if (logY) {
    const pos = values.filter((v) => v > 0);
    ymin = pos.length ? Math.max(Math.min(...pos), ymax * 1e-6) : ymax * 1e-3;
    ymin = 10 ** Math.floor(Math.log10(ymin));
    ymax = 10 ** Math.ceil(Math.log10(ymax));
  } else {
    ymax *= 1.05;
  }
  const X = (v: number) => m.l + (v / xmax) * pw;
  const Y = (v: number) => {
    if (logY) {
      const c = Math.min(Math.max(v, ymin), ymax);
      return m.t + ph - ((Math.log10(c) - Math.log10(ymin)) / (Math.log10(ymax) - Math.log10(ymin))) * ph;
    }
    return m.t + ph - (v / ymax) * ph;
  };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  const title =
    options.title ??
    (mixture
      ? `Gaussian mixture: 0-1 test error vs N/d (d = ${meta.d}, n = ${meta.n}, ${meta.reps} rep${meta.reps > 1 ? "s" : ""})`
      : `Quadratic target, ${meta.spectrum} spectrum: risk vs N/d (d = ${meta.d}, n = ${meta.n}, ${meta.reps} rep${meta.reps > 1 ? "s" : ""})`);
  out.push(`<text x="${f(m.l + pw / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // axes and grid
  out.push(`<g stroke="#e5e5e5">`);
  const yt = logY
    ? Array.from({ length: Math.round(Math.log10(ymax / ymin)) + 1 }, (_, i) => ymin * 10 ** i)
    : niceTicks(0, ymax, 6);
  for (const v of yt) out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f(Y(v))}" y2="${f(Y(v))}"/>`);
  const xt = niceTicks(0, xmax, 8);
  for (const v of xt) out.push(`<line x1="${f(X(v))}" x2="${f(X(v))}" y1="${m.t}" y2="${m.t + ph}"/>`);
  out.push(`</g>`);
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<g text-anchor="end">`);
  for (const v of yt) out.push(`<text x="${m.l - 6}" y="${f(Y(v) + 4)}">${label(v)}</text>`);
  out.push(`</g><g text-anchor="middle">`);
  for (const v of xt) out.push(`<text x="${f(X(v))}" y="${m.t + ph + 18}">${label(v)}</text>`);
  out.push(`</g>`);
  out.push(`<text x="${f(m.l + pw / 2)}" y="${H - 14}" text-anchor="middle" font-size="13">N / d</text>`);
  out.push(
    `<text transform="translate(18 ${f(m.t + ph / 2)}) rotate(-90)" text-anchor="middle" font-size="13">${mixture ? "0-1 test error" : "normalised risk  R / R₀"}</text>`,
  );
  // N = d
  if (xmax > 1)
    out.push(`<line x1="${f(X(1))}" x2="${f(X(1))}" y1="${m.t}" y2="${m.t + ph}" stroke="#555" stroke-dasharray="5 4"/>`);
  // Bayes error
  if (mixture && meta.bayesError !== undefined) {
    out.push(
      `<line class="bayes" x1="${m.l}" x2="${m.l + pw}" y1="${f(Y(meta.bayesError))}" y2="${f(Y(meta.bayesError))}" stroke="#000" stroke-dasharray="2 3"/>`,
    );
  }
  const path = (pts: [number, number][]) => pts.map(([x, y], i) => `${i ? "L" : "M"}${f(X(x))} ${f(Y(y))}`).join("");
  // limit curves (solid, thin) and exact/expected theory at the drawn widths (dashed)
  for (const regime of ["RF", "NT", "NN"]) {
    const c = curves[regime as keyof typeof curves];
    if (c && c.length > 1)
      out.push(
        `<path d="${path(c.filter(([x]) => x <= xmax))}" fill="none" stroke="${COLORS[regime]}" stroke-width="1.5" opacity="0.55"/>`,
      );
    const t = theoryAt.get(regime);
    if (t && t.length > 1)
      out.push(
        `<path${mixture ? ` class="theory-${regime}"` : ""} d="${path(t.map((p) => [p.rho, p.mean]))}" fill="none" stroke="${COLORS[regime]}" stroke-width="1.5" stroke-dasharray="6 3"/>`,
      );
  }
  // measurements: mean ± sd over reps
  for (const regime of ["RF", "NT", "NN"]) {
    const s = measured.get(regime);
    if (!s) continue;
    out.push(`<g fill="${COLORS[regime]}" stroke="${COLORS[regime]}">`);
    for (const p of s) {
      if (p.sd > 0)
        out.push(
          `<line x1="${f(X(p.rho))}" x2="${f(X(p.rho))}" y1="${f(Y(p.mean - p.sd))}" y2="${f(Y(p.mean + p.sd))}" stroke-width="1.5"/>`,
        );
      // unconverged points (training/convergence.ts) hollow: white fill inside the coloured outline
      out.push(p.unconverged ? hollow(MARKERS[regime](X(p.rho), Y(p.mean))) : MARKERS[regime](X(p.rho), Y(p.mean)));
    }
    out.push(`</g>`);
  }
  // legend
  const lx = m.l + pw + 14;
  let ly = m.t + 8;
  const items: string[] = [];
  for (const regime of ["RF", "NT", "NN"]) {
    if (!measured.has(regime) && !curves[regime as keyof typeof curves]) continue;
    items.push(
      `<g fill="${COLORS[regime]}" stroke="${COLORS[regime]}">${MARKERS[regime](lx + 10, ly)}</g><text x="${lx + 24}" y="${f(ly + 4)}">${regime} (measured)</text>`,
    );
    ly += 20;
  }
  const anyUnconverged = [...measured.values()].some((s) => s.some((p) => p.unconverged));
  if (anyUnconverged) {
    items.push(
      `<g fill="#444" stroke="#444">${hollow(MARKERS.NN(lx + 10, ly)).replace('class="unconverged" ', "")}</g><text x="${lx + 24}" y="${f(ly + 4)}">hollow: not converged</text>`,
    );
    ly += 20;
  }
  if (theoryAt.size > 0) {
    items.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${f(ly)}" y2="${f(ly)}" stroke="#444" stroke-width="1.5" stroke-dasharray="6 3"/><text x="${lx + 24}" y="${f(ly + 4)}">${mixture ? "exact class theory" : "exact theory"}</text>`,
    );
    ly += 20;
  } else if (meta.activation !== "square") {
    // σ = relu / tanh: the theory is for σ = t² only, so no line is drawn — and the legend says so
    items.push(`<text x="${lx}" y="${f(ly + 4)}">no exact theory (σ = ${esc(meta.activation)})</text>`);
    ly += 20;
  }
  if (Object.keys(curves).length) {
    items.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${f(ly)}" y2="${f(ly)}" stroke="#444" stroke-width="1.5" opacity="0.55"/><text x="${lx + 24}" y="${f(ly + 4)}">d → ∞ limit</text>`,
    );
    ly += 20;
  }
  if (mixture && meta.bayesError !== undefined) {
    items.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${f(ly)}" y2="${f(ly)}" stroke="#000" stroke-dasharray="2 3"/><text x="${lx + 24}" y="${f(ly + 4)}">Bayes error${meta.bayesErrorMC ? " (exact)" : ""}</text>`,
    );
    ly += 20;
  }
  items.push(
    `<line x1="${lx}" x2="${lx + 20}" y1="${f(ly)}" y2="${f(ly)}" stroke="#555" stroke-dasharray="5 4"/><text x="${lx + 24}" y="${f(ly + 4)}">N = d</text>`,
  );
  out.push(`<g>${items.join("")}</g>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
