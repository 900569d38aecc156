// Markdown and SVG renderings of a suite result, and the README "Performance" section from a
// Node and a Chromium result. Pure functions (no I/O), usable in any runtime.
//
// Ratio convention everywhere: lazytrain's speed ÷ the other's speed (GFLOP/s ÷ GFLOP/s, or
// time ÷ time inverted), so > 1 means lazytrain is faster.

const f = (x) =>
  x == null || !Number.isFinite(x)
    ? '—'
    : x >= 100
      ? x.toFixed(0)
      : x >= 10
        ? x.toFixed(1)
        : x >= 1
          ? x.toFixed(2)
          : x.toPrecision(2);
const rx = (x) => (x == null || !Number.isFinite(x) ? '—' : `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`);
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

export function getter(res) {
  return (topic, impl, dtype, n) =>
    res.topics[topic]?.rows.find((r) => r.impl === impl && (dtype == null || r.dtype === dtype) && (n == null || r.n === n));
}

export function describeMachine(res) {
  const m = res.machine ?? {};
  const l = m.lscpu ?? {};
  const cpu = `${l['Model name'] ?? m.cpu}${l['CPU family'] ? ` (family ${l['CPU family']} model ${l.Model})` : ''}`;
  const caches = ['L1d cache', 'L2 cache', 'L3 cache']
    .filter((k) => l[k])
    .map((k) => `${k.split(' ')[0]} ${l[k]}`)
    .join(', ');
  const engine =
    res.runtime === 'node' ? `Node ${m.node} (V8 ${m.v8})` : `${m.browser ?? 'Chromium'} (headless, driven from Node ${m.node})`;
  return `${m.cpus} vCPUs of an ${cpu}${m.isa?.length ? `, ${m.isa.join('/')}` : ''}${caches ? `; ${caches}` : ''}; ${l['Hypervisor vendor'] ? `${l['Hypervisor vendor']} VM, ` : ''}${m.platform}; ${engine}; load average ${m.loadavgStart?.map((x) => x.toFixed(2)).join(' ') ?? '?'} at start, ${m.loadavgEnd?.map((x) => x.toFixed(2)).join(' ') ?? '?'} at end`;
}

function numpyLine(info) {
  if (!info) return null;
  return `numpy ${info.numpy} on ${info.blas} ${info.blasVersion ?? ''} (core ${info.core ?? '?'}, ${info.threads ?? '?'} thread${info.threads === 1 ? '' : 's'}; OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset)${info.scipy ? `, scipy ${info.scipy}` : ''}`;
}

function skippedLines(t) {
  if (!t?.skipped?.length) return [];
  const seen = new Map();
  for (const s of t.skipped) {
    const key = `${s.impl}: ${s.reason}`;
    if (!seen.has(key)) seen.set(key, []);
    if (s.n != null) seen.get(key).push(s.n);
  }
  return ['', ...[...seen].map(([k, ns]) => `- skipped — ${k}${ns.length ? ` (n = ${ns.join(', ')})` : ''}`)];
}

export function gemmTables(res) {
  const t = res.topics.gemm;
  if (!t) return '';
  const g = getter(res);
  const gf = (impl, dt, n) => g('gemm', impl, dt, n)?.gflops;
  const peak = res.peak;
  const cols = [
    ['lazytrain SIMD', 'f64'],
    ['lazytrain SIMD', 'f32'],
    ['lazytrain scalar', 'f64'],
    ['lazytrain scalar', 'f32'],
    ['plain JS i-k-j', 'f64'],
    ['ml-matrix mmul', 'f64'],
    ['tfjs-backend-wasm matMul', 'f32'],
    ['numpy matmul', 'f64'],
    ['numpy matmul', 'f32'],
  ];
  const out = [];
  out.push('GFLOP/s (2n³ ÷ median time), one thread:', '');
  out.push(
    table(
      [
        'n',
        'lazytrain f64',
        'lazytrain f32',
        'scalar f64',
        'scalar f32',
        'plain JS f64',
        'ml-matrix f64',
        'tfjs-wasm f32',
        'numpy f64',
        'numpy f32',
      ],
      t.sizes.map((n) => [n, ...cols.map(([i, d]) => f(gf(i, d, n)))]),
    ),
  );
  out.push('', 'Ratios, lazytrain SIMD ÷ the other (> 1: lazytrain faster; same dtype):', '');
  out.push(
    table(
      [
        'n',
        'f64 ÷ peak',
        'f32 ÷ peak',
        'f64 ÷ scalar',
        'f64 ÷ plain JS',
        'f64 ÷ ml-matrix',
        'f32 ÷ tfjs-wasm',
        'f64 ÷ numpy',
        'f32 ÷ numpy',
      ],
      t.sizes.map((n) => {
        const d = gf('lazytrain SIMD', 'f64', n),
          s = gf('lazytrain SIMD', 'f32', n);
        return [
          n,
          rx(d / peak.f64.gflops),
          rx(s / peak.f32.gflops),
          rx(d / gf('lazytrain scalar', 'f64', n)),
          rx(d / gf('plain JS i-k-j', 'f64', n)),
          rx(d / gf('ml-matrix mmul', 'f64', n)),
          rx(s / gf('tfjs-backend-wasm matMul', 'f32', n)),
          rx(d / gf('numpy matmul', 'f64', n)),
          rx(s / gf('numpy matmul', 'f32', n)),
        ];
      }),
    ),
  );
  out.push(
    '',
    `Peak probe (register-only WASM SIMD, mul + add, no FMA; median of ${peak.f64.runs.length} runs interleaved through the whole run): f64 ${f(peak.f64.gflops)} GFLOP/s (runs ${f(Math.min(...peak.f64.runs))}–${f(Math.max(...peak.f64.runs))}), f32 ${f(peak.f32.gflops)} GFLOP/s (runs ${f(Math.min(...peak.f32.runs))}–${f(Math.max(...peak.f32.runs))}).`,
  );
  if (t.info?.tfjs)
    out.push(
      `tfjs ${t.info.tfjs.version}, backend ${t.info.tfjs.backend} (SIMD ${t.info.tfjs.simd}, ${t.info.tfjs.threads} thread), result read back with dataSync.`,
    );
  const nl = numpyLine(t.info?.numpy);
  if (nl) out.push(`${nl}.`);
  out.push(...skippedLines(t));
  return out.join('\n');
}

export function eighTables(res) {
  const t = res.topics.eigh;
  if (!t) return '';
  const g = getter(res);
  const ms = (impl, n) => g('eigh', impl, null, n)?.medianMs;
  const out = ['Median milliseconds per call (random symmetric n×n), one thread:', ''];
  out.push(
    table(
      [
        'n',
        'lazytrain eigh',
        'eigvalsh',
        'scalar eigh',
        'ml-matrix',
        'mathjs eigs',
        'numpy eigh',
        'numpy eigvalsh',
        'eigh: ÷ numpy',
        '÷ ml-matrix',
        '÷ mathjs',
        '÷ scalar',
        'eigvalsh ÷ numpy',
      ],
      t.sizes.map((n) => {
        const e = ms('lazytrain eigh', n),
          v = ms('lazytrain eigvalsh', n);
        return [
          n,
          f(e),
          f(v),
          f(ms('lazytrain scalar eigh', n)),
          f(ms('ml-matrix EigenvalueDecomposition', n)),
          f(ms('mathjs eigs', n)),
          f(ms('numpy eigh', n)),
          f(ms('numpy eigvalsh', n)),
          rx(ms('numpy eigh', n) / e),
          rx(ms('ml-matrix EigenvalueDecomposition', n) / e),
          rx(ms('mathjs eigs', n) / e),
          rx(ms('lazytrain scalar eigh', n) / e),
          rx(ms('numpy eigvalsh', n) / v),
        ];
      }),
    ),
  );
  out.push('', "Ratio columns: lazytrain speed ÷ the other (the other's time ÷ lazytrain's; > 1: lazytrain faster).");
  const nl = numpyLine(t.info?.numpy);
  if (nl) out.push(`${nl}; eigh = LAPACK dsyevd.`);
  if (t.info?.mathjs) out.push(`mathjs ${t.info.mathjs} eigs (with eigenvectors).`);
  out.push(...skippedLines(t));
  return out.join('\n');
}

export function solveTables(res) {
  const t = res.topics.solve;
  if (!t) return '';
  const g = getter(res);
  const ms = (impl, n) => g('solve', impl, null, n)?.medianMs;
  const out = [
    `Median milliseconds per call: Cholesky factor of an SPD n×n, and factor + solve with an n×${t.nrhs} right-hand side, one thread:`,
    '',
  ];
  out.push(
    table(
      [
        'n',
        'lazytrain cholesky',
        'solveSPD',
        'scalar solveSPD',
        'ml-matrix chol',
        'ml-matrix chol+solve',
        'numpy cho_factor',
        'numpy cho_solve',
        'numpy solve (LU)',
        'chol ÷ numpy',
        'solve ÷ numpy',
        'solve ÷ ml-matrix',
        'solve ÷ scalar',
      ],
      t.sizes.map((n) => {
        const c = ms('lazytrain cholesky', n),
          s = ms('lazytrain solveSPD', n);
        return [
          n,
          f(c),
          f(s),
          f(ms('lazytrain scalar solveSPD', n)),
          f(ms('ml-matrix cholesky', n)),
          f(ms('ml-matrix cholesky + solve', n)),
          f(ms('numpy cholesky', n)),
          f(ms('numpy cho_solve', n)),
          f(ms('numpy linalg.solve', n)),
          rx(ms('numpy cholesky', n) / c),
          rx(ms('numpy cho_solve', n) / s),
          rx(ms('ml-matrix cholesky + solve', n) / s),
          rx(ms('lazytrain scalar solveSPD', n) / s),
        ];
      }),
    ),
  );
  out.push(
    '',
    'numpy cho_factor / cho_solve are scipy.linalg (LAPACK dpotrf / dpotrs, factor included in cho_solve); ratios as above (> 1: lazytrain faster).',
  );
  out.push(...skippedLines(t));
  return out.join('\n');
}

export function trainTables(res) {
  const t = res.topics.train;
  if (!t) return '';
  const out = [
    `One online SGD step, d = ${t.d}, N = ${t.N}, batch ${t.batch}; useful work 4·b·d·N = ${(t.usefulFlops / 1e6).toFixed(0)} MFLOP (the two GEMMs). Medians of ${t.reps} interleaved repetitions, one thread:`,
    '',
  ];
  out.push(
    table(
      ['implementation', 'dtype', 'ms / step', 'p90 ms', 'useful GFLOP/s', '÷ GEMM rate'],
      t.rows.map((r) => [r.impl, r.dtype, f(r.medianMs), f(r.p90Ms), f(r.gflops), f(r.ratioToGemm)]),
    ),
  );
  const p = t.pairedRatios;
  out.push(
    '',
    `Paired per-repetition ratios (median): step ÷ GEMM rate ${f(p.gemmOverStep)}; lazytrain speed ÷ tfjs: autodiff ${rx(p.tfAutodiffOverLazytrain)}, autodiff on a pre-drawn batch ${rx(p.tfFixedOverLazytrain)}, hand-written gradient ${rx(p.tfManualOverLazytrain)}.`,
  );
  if (t.info?.tfjs)
    out.push(
      `tfjs ${t.info.tfjs.version}, backend ${t.info.tfjs.backend} (SIMD ${t.info.tfjs.simd}, ${t.info.tfjs.threads} thread), float32; lazytrain float64.`,
    );
  out.push(...skippedLines(t));
  return out.join('\n');
}

export function paperTables(res) {
  const t = res.topics.paper;
  if (!t) return '';
  const out = [
    `One online SGD step at the paper's scale, d = ${t.d}, batch ${t.batch}, for precision × build (\`+fma\`: the relaxed-SIMD build) × threads (\`×2t\`: init({ threads: 2 })); GEMM-equivalent GFLOP/s (NN 4·b·d·N, NT 6·b·d·N flops per step); ratio = speed ÷ the f64 one-thread SIMD default of the same repetition, and ÷ the same configuration on one thread (paired, median); medians of ${t.reps} interleaved repetitions:`,
    '',
  ];
  // the matching register-only peak probe: f64/f32 mul + add for the SIMD build, relaxed_madd for +fma
  const peakOf = (r) => res.peak?.[`${r.dtype}${r.fma ? 'fma' : ''}`]?.gflops;
  const cpuPeakOf = (r) => res.peak?.[`${r.dtype}${r.fma ? 'fma' : ''}`]?.cpuGflops;
  out.push(
    table(
      ['point', 'config', 'ms / step', 'GFLOP/s', '× f64 default', '× 1 thread', '÷ peak probe', 'h per 10⁵ steps'],
      t.rows.map((r) => [
        `${r.regime} N = ${r.N}`,
        r.config,
        f(r.medianMs),
        f(r.gflops),
        rx(r.ratioToF64),
        r.ratioToOneThread == null ? '—' : rx(r.ratioToOneThread),
        rx(r.gflops / peakOf(r)),
        f(r.hours1e5),
      ]),
    ),
  );
  if (t.rows.some((r) => r.cpuMs !== undefined)) {
    out.push(
      '',
      'The same steps timed by the process CPU time (less of the load of other jobs on a shared machine):',
      '',
      table(
        ['point', 'config', 'CPU ms / step', 'GFLOP/s', '× f64 default', '÷ peak probe', 'h per 10⁵ steps'],
        t.rows.map((r) => [
          `${r.regime} N = ${r.N}`,
          r.config,
          f(r.cpuMs),
          f(r.cpuGflops),
          rx(r.cpuRatioToF64),
          rx(r.cpuGflops / cpuPeakOf(r)),
          f(r.cpuHours1e5),
        ]),
      ),
    );
  }
  const p = res.peak;
  const pk = (x) => `${f(x.gflops)}${x.cpuGflops ? ` [${f(x.cpuGflops)}]` : ''}`;
  if (p)
    out.push(
      '',
      `Peak probes (GFLOP/s, medians over the run${p.f64.cpuGflops ? '; CPU time in brackets' : ''}): f64 ${pk(p.f64)}, f32 ${pk(p.f32)} (mul + add)${p.f64fma ? `; f64 ${pk(p.f64fma)}, f32 ${pk(p.f32fma)} (relaxed_madd)` : `; FMA probe skipped: ${p.fmaSkipped}`}.`,
    );
  out.push(...skippedLines(t));
  return out.join('\n');
}

export function compareTables(res) {
  const t = res.topics.compare;
  if (!t) return '';
  const out = [
    `\`compare()\` on the quick preset restricted to ratios ${t.ratios.join(', ')} (${t.ratios.length * 3} points: RF exact, NT and NN with 3000 SGD steps), wall-clock seconds:`,
    '',
  ];
  out.push(
    table(
      ['build', 'seconds (median)', 'p90', 'runs', 'RF s', 'NT s', 'NN s'],
      t.rows.map((r) => [
        r.impl.replace('lazytrain compare() ', ''),
        f(r.medianMs / 1e3),
        f(r.p90Ms / 1e3),
        r.samples,
        f(r.regimeSeconds.RF),
        f(r.regimeSeconds.NT),
        f(r.regimeSeconds.NN),
      ]),
    ),
  );
  return out.join('\n');
}

export function markdown(res) {
  const out = [
    `# lazytrain benchmarks — ${res.runtime}${res.quick ? ' (quick)' : ''}, ${res.started.slice(0, 16).replace('T', ' ')} UTC`,
    '',
  ];
  out.push(
    `Machine: ${describeMachine(res)}. lazytrain ${res.lazytrainVersion ?? '?'} (commit ${res.machine?.commit ?? '?'}${res.machine?.uncommitted?.length ? `, built from a work tree with uncommitted changes in ${res.machine.uncommitted.join(', ')}` : ''}), whole run ${f(res.seconds / 60)} min.`,
  );
  out.push(
    '',
    'All figures single-thread medians from one run (except the ×2t rows of the paper topic: init({ threads: 2 })); p90 and sample counts are in the JSON. The machine is a shared 2-vCPU VM: the same kernel varies up to 2× between runs, so compare the ratios (measured in this run), not absolute figures across runs.',
  );
  out.push(
    '',
    `Peers: ${Object.entries(res.peers ?? {})
      .map(([k, v]) => `${k} ${v ?? '(not installed)'}`)
      .join(', ')}.`,
  );
  const sections = [
    ['gemm', 'GEMM', gemmTables],
    ['eigh', 'eigh', eighTables],
    ['solve', 'Cholesky / SPD solve', solveTables],
    ['train', 'Training step', trainTables],
    ['paper', 'Paper scale: precision × FMA × threads', paperTables],
    ['compare', 'compare() end to end', compareTables],
  ];
  for (const [k, h, fn] of sections) {
    if (!res.topics[k]) continue;
    out.push('', `## ${h}`, '', fn(res));
  }
  if (res.failed?.length) out.push('', '## Failed topics', '', ...res.failed.map((x) => `- ${x.topic}: ${x.error}`));
  return `${out.join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------
// SVG (dependency-free)

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLORS = {
  'lazytrain SIMD': '#1f77b4',
  'lazytrain scalar': '#aec7e8',
  'plain JS': '#7f7f7f',
  'ml-matrix': '#2ca02c',
  tfjs: '#ff7f0e',
  numpy: '#d62728',
  mathjs: '#9467bd',
  peak: '#17becf',
  eigvalsh: '#9edae5',
};
const color = (name) =>
  name.includes('scalar')
    ? COLORS['lazytrain scalar']
    : name.startsWith('lazytrain')
      ? COLORS['lazytrain SIMD']
      : (COLORS[Object.keys(COLORS).find((k) => name.includes(k)) ?? ''] ?? '#8c564b');

function panel({ x0, y0, w, h, title, xlabel, ylabel, logY, series, hlines = [] }) {
  const pts = series.flatMap((s) => s.points);
  if (!pts.length) return '';
  const xs = pts.map((p) => p[0]),
    ys = [...pts.map((p) => p[1]), ...hlines.map((l) => l.y)].filter((y) => y > 0);
  const lx0 = Math.log2(Math.min(...xs)),
    lx1 = Math.log2(Math.max(...xs));
  let ya, yb;
  if (logY) {
    ya = Math.floor(Math.log10(Math.min(...ys)));
    yb = Math.ceil(Math.log10(Math.max(...ys)));
  } else {
    ya = 0;
    yb = Math.max(...ys) * 1.08;
  }
  const L = 58,
    R = 22,
    T = 28,
    B = 42;
  const X = (x) => x0 + L + ((Math.log2(x) - lx0) / Math.max(1e-9, lx1 - lx0)) * (w - L - R);
  const Y = (y) => y0 + h - B - ((logY ? Math.log10(y) - ya : y - ya) / (yb - ya)) * (h - T - B);
  const o = [];
  o.push(`<text x="${x0 + w / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  o.push(`<rect x="${x0 + L}" y="${y0 + T}" width="${w - L - R}" height="${h - T - B}" fill="none" stroke="#999"/>`);
  const xticks = [...new Set(xs)].sort((a, b) => a - b);
  for (const x of xticks)
    o.push(
      `<line x1="${X(x)}" x2="${X(x)}" y1="${y0 + T}" y2="${y0 + h - B}" stroke="#eee"/><text x="${X(x)}" y="${y0 + h - B + 14}" text-anchor="middle">${x}</text>`,
    );
  const yticks = [];
  if (logY) for (let e = ya; e <= yb; e++) yticks.push(10 ** e);
  else {
    const step = [1, 2, 5, 10, 20, 25, 50, 100].find((s) => yb / s <= 8) ?? 200;
    for (let y = 0; y <= yb; y += step) yticks.push(y);
  }
  for (const y of yticks)
    o.push(
      `<line x1="${x0 + L}" x2="${x0 + w - R}" y1="${Y(y)}" y2="${Y(y)}" stroke="#eee"/><text x="${x0 + L - 4}" y="${Y(y) + 4}" text-anchor="end">${y >= 1 || y === 0 ? y : y.toPrecision(1)}</text>`,
    );
  o.push(`<text x="${x0 + L + (w - L - R) / 2}" y="${y0 + h - 8}" text-anchor="middle">${esc(xlabel)}</text>`);
  o.push(
    `<text transform="translate(${x0 + 14} ${y0 + T + (h - T - B) / 2}) rotate(-90)" text-anchor="middle">${esc(ylabel)}</text>`,
  );
  for (const l of hlines)
    o.push(
      `<line x1="${x0 + L}" x2="${x0 + w - R}" y1="${Y(l.y)}" y2="${Y(l.y)}" stroke="${COLORS.peak}" stroke-dasharray="6 3"/><text x="${x0 + w - R - 4}" y="${Y(l.y) - 3}" text-anchor="end" fill="${COLORS.peak}">${esc(l.label)}</text>`,
    );
  for (const s of series) {
    if (!s.points.length) continue;
    const c = color(s.name);
    o.push(
      `<polyline fill="none" stroke="${c}" stroke-width="2"${s.dash ? ' stroke-dasharray="5 3"' : ''} points="${s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const [x, y] of s.points) o.push(`<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="2.5" fill="${c}"/>`);
  }
  // legend
  series
    .filter((s) => s.points.length)
    .forEach((s, i) => {
      const lx = x0 + L + 8,
        ly = y0 + T + 12 + i * 13;
      o.push(
        `<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color(s.name)}" stroke-width="2"${s.dash ? ' stroke-dasharray="5 3"' : ''}/><text x="${lx + 20}" y="${ly}">${esc(s.name)}</text>`,
      );
    });
  return o.join('\n');
}

export function svg(res) {
  const W = 520,
    H = 380;
  const panels = [];
  const series = (topic, list, y) =>
    list.map(([impl, dtype, name, dash]) => ({
      name,
      dash,
      points: (res.topics[topic]?.rows ?? [])
        .filter((r) => r.impl === impl && (dtype == null || r.dtype === dtype))
        .map((r) => [r.n, y(r)])
        .sort((a, b) => a[0] - b[0]),
    }));
  if (res.topics.gemm) {
    const gs = [
      ['lazytrain SIMD', 'f64', 'lazytrain SIMD f64'],
      ['lazytrain scalar', 'f64', 'lazytrain scalar f64'],
      ['plain JS i-k-j', 'f64', 'plain JS f64'],
      ['ml-matrix mmul', 'f64', 'ml-matrix f64'],
      ['numpy matmul', 'f64', 'numpy f64 (native)'],
    ];
    panels.push({
      title: `GEMM f64 — ${res.runtime}`,
      xlabel: 'n',
      ylabel: 'GFLOP/s',
      series: series('gemm', gs, (r) => r.gflops),
      hlines: [{ y: res.peak.f64.gflops, label: 'WASM f64 peak probe' }],
    });
    const gs32 = [
      ['lazytrain SIMD', 'f32', 'lazytrain SIMD f32'],
      ['lazytrain scalar', 'f32', 'lazytrain scalar f32'],
      ['tfjs-backend-wasm matMul', 'f32', 'tfjs-wasm f32'],
      ['numpy matmul', 'f32', 'numpy f32 (native)'],
    ];
    panels.push({
      title: `GEMM f32 — ${res.runtime}`,
      xlabel: 'n',
      ylabel: 'GFLOP/s',
      series: series('gemm', gs32, (r) => r.gflops),
      hlines: [{ y: res.peak.f32.gflops, label: 'WASM f32 peak probe' }],
    });
  }
  if (res.topics.eigh) {
    const es = [
      ['lazytrain eigh', null, 'lazytrain eigh'],
      ['lazytrain eigvalsh', null, 'lazytrain eigvalsh', true],
      ['lazytrain scalar eigh', null, 'lazytrain scalar eigh'],
      ['ml-matrix EigenvalueDecomposition', null, 'ml-matrix'],
      ['mathjs eigs', null, 'mathjs eigs'],
      ['numpy eigh', null, 'numpy eigh (native)'],
      ['numpy eigvalsh', null, 'numpy eigvalsh (native)', true],
    ];
    panels.push({
      title: `eigh — ${res.runtime}`,
      xlabel: 'n',
      ylabel: 'ms per call (log)',
      logY: true,
      series: series('eigh', es, (r) => r.medianMs),
    });
  }
  if (res.topics.solve) {
    const ss = [
      ['lazytrain solveSPD', null, 'lazytrain solveSPD'],
      ['lazytrain scalar solveSPD', null, 'lazytrain scalar solveSPD'],
      ['ml-matrix cholesky + solve', null, 'ml-matrix chol + solve'],
      ['numpy cho_solve', null, 'numpy cho_solve (native)'],
    ];
    panels.push({
      title: `SPD solve (n×${res.topics.solve.nrhs} RHS) — ${res.runtime}`,
      xlabel: 'n',
      ylabel: 'ms per call (log)',
      logY: true,
      series: series('solve', ss, (r) => r.medianMs),
    });
  }
  const cols = 2,
    rows = Math.ceil(panels.length / cols);
  const body = panels
    .map((p, i) => panel({ ...p, x0: (i % cols) * W, y0: 24 + Math.floor(i / cols) * H, w: W, h: H }))
    .join('\n');
  const heading = `lazytrain benchmarks, ${res.runtime}${res.quick ? ' (quick)' : ''}, ${res.started.slice(0, 10)} — single thread, medians, one run`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * W}" height="${24 + rows * H}" viewBox="0 0 ${cols * W} ${24 + rows * H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="8" y="16" font-size="13">${esc(heading)}</text>
${body}
</svg>
`;
}
