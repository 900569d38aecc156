// The demo page: reads the form, runs compare() in a Web Worker, redraws the figure and the
// table as rows arrive, and offers the results for download. No server-side code.
import { plotSVG, toCSV, mergeResults, logGrid } from './lib/index.js';

const $ = (id) => document.getElementById(id);
const form = $('config');
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let meta = null,
  rows = [],
  lastResult = null,
  running = false;
let plannedXMax; // largest N/d of the run: the figure keeps that axis while points arrive and after Cancel

const sweepMode = () => form.experiment.value === 'alpha';

function syncTaskFields() {
  // the α sweep is on the quadratic task (its two limits are exact theory there)
  const mixture = form.task.value === 'mixture' && !sweepMode();
  for (const el of form.querySelectorAll('.q')) el.hidden = mixture;
  for (const el of form.querySelectorAll('.m')) el.hidden = !mixture;
  if (mixture && form.n.value === 'online') form.n.value = '2000';
  if (!mixture && form.n.value === '2000') form.n.value = 'online';
}
form.task.addEventListener('change', syncTaskFields);
syncTaskFields();

// The α sweep shows its own fields and hides the width ones; its first switch brings d and the
// steps to a size that runs in seconds here (d = 8, N = 4, 3 000 steps reach both limits)
function syncExperiment() {
  const alpha = sweepMode();
  for (const el of form.querySelectorAll('.a')) el.hidden = !alpha;
  for (const el of form.querySelectorAll('.w')) el.hidden = alpha;
  if (alpha && form.d.value === '30' && form.steps.value === '2000') {
    form.d.value = '8';
    form.steps.value = '3000';
  }
  syncTaskFields();
}
form.experiment.addEventListener('change', syncExperiment);
syncExperiment();

function readSweepConfig() {
  const num = (name) => Number(form[name].value);
  let alpha;
  try {
    alpha = logGrid(num('amin'), num('amax'), { perDecade: num('apd') });
  } catch (err) {
    // logGrid names its arguments (start, stop, perDecade): say which fields those are
    throw new Error(`α grid (from, to, per decade): ${err.message}`);
  }
  return {
    taskOptions: { spectrum: form.spectrum.value },
    d: num('d'),
    widths: [num('N')],
    sweep: { alpha },
    reps: num('reps'),
    seed: num('seed'),
    nn: { steps: num('steps') },
  };
}

function readConfig() {
  if (sweepMode()) return readSweepConfig();
  const num = (name) => Number(form[name].value);
  const [a, b, step] = [num('rmin'), num('rmax'), num('rstep')];
  if (!(step > 0) || !(b >= a)) throw new Error('widths: need "to" ≥ "from" and a positive step');
  const count = Math.floor((b - a) / step + 1e-9) + 1;
  if (count > 200) throw new Error(`widths: ${count} values is too many for the demo (≤ 200)`);
  const ratios = Array.from({ length: count }, (_, i) => Number((a + i * step).toPrecision(12)));
  const regimes = ['RF', 'NT', 'NN'].filter((r) => form[r].checked);
  const mixture = form.task.value === 'mixture';
  const nText = form.n.value.trim();
  const n = nText === 'online' ? 'online' : Number(nText);
  const steps = num('steps');
  return {
    task: form.task.value,
    taskOptions: mixture ? { delta: form.delta.value, strength: num('strength') } : { spectrum: form.spectrum.value },
    d: num('d'),
    ratios,
    regimes,
    n,
    reps: num('reps'),
    seed: num('seed'),
    nn: { steps },
    nt: { method: 'sgd', steps },
  };
}

function draw() {
  if (!meta) return;
  const result = { meta, rows };
  $('figure').innerHTML = plotSVG(result, { logY: form.logy.checked, xMax: plannedXMax });
  const f = (x) => (x === null || x === undefined ? '–' : Number(x).toPrecision(4));
  if (meta.sweep) {
    // an α sweep (plotSVG draws its two panels): one row per α
    $('results').tHead.innerHTML =
      '<tr><th>α</th><th>N</th><th>rep</th><th>R/R₀</th><th>‖W − W₀‖/‖W₀‖</th><th>lazy limit</th><th>rich limit</th><th>s</th></tr>';
    $('results').tBodies[0].innerHTML = rows
      .map(
        (r) =>
          `<tr><td>${r.alpha}</td><td>${r.N}</td><td>${r.rep}</td><td>${f(r.normalizedRisk)}</td><td>${f(r.movement)}</td><td>${f(r.theory.lazy)}</td><td>${f(r.theory.rich)}</td><td>${r.seconds.toFixed(2)}</td></tr>`,
      )
      .join('');
    return;
  }
  const mixture = meta.task === 'mixture';
  $('results').tHead.innerHTML =
    `<tr><th>regime</th><th>N</th><th>N/d</th><th>rep</th><th>${mixture ? '0-1 error' : 'R/R₀'}</th><th>theory</th><th>limit</th><th>method</th><th>s</th></tr>`;
  $('results').tBodies[0].innerHTML = rows
    .map(
      (r) =>
        `<tr><td>${r.regime}</td><td>${r.N}</td><td>${f(r.rho)}</td><td>${r.rep}</td><td>${f(mixture ? (r.error01Exact ?? r.error01) : r.normalizedRisk)}</td><td>${f(r.theory.exact)}</td><td>${f(r.theory.limit)}</td><td>${r.method}</td><td>${r.seconds.toFixed(2)}</td></tr>`,
    )
    .join('');
}
form.logy.addEventListener('change', draw);

function setRunning(on) {
  running = on;
  $('run').disabled = on;
  $('cancel').disabled = !on;
  for (const id of ['dl-json', 'dl-csv', 'dl-svg']) $(id).disabled = on || !lastResult;
}

function showError(message) {
  $('error').hidden = message === null;
  // the library names options by their path in the config ("config.d must be …"); the form's
  // fields are named without it
  $('error').textContent = (message ?? '').replace(/\bconfig\./g, '');
}

// A new run replaces the previous results at once: figure, table and downloads go together, so
// a run that then fails leaves nothing stale behind (an invalid form, caught before any run,
// leaves the previous results and their downloads as they were).
function clearResults() {
  meta = null;
  rows = [];
  lastResult = null;
  $('figure').innerHTML = '';
  $('results').tHead.innerHTML = '';
  $('results').tBodies[0].innerHTML = '';
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (running) return;
  showError(null);
  let config;
  try {
    config = readConfig();
  } catch (err) {
    showError(err.message);
    return;
  }
  clearResults();
  plannedXMax = config.ratios ? Math.max(...config.ratios) : undefined;
  $('progress').value = 0;
  $('status').textContent = 'starting…';
  setRunning(true);
  worker.postMessage({ type: 'run', config });
});
$('cancel').addEventListener('click', () => {
  worker.postMessage({ type: 'cancel' });
  $('status').textContent = 'cancelling…';
});

// etaSeconds comes from compare()'s calibrated cost model rescaled by the measured point times
// (src/experiment/eta.ts), the same as the CLI's
const fmtEta = (s) =>
  s === null || !Number.isFinite(s)
    ? ''
    : s < 90
      ? `, ETA ${Math.round(s)} s`
      : s < 5400
        ? `, ETA ${Math.round(s / 60)} min`
        : `, ETA ${(s / 3600).toFixed(1)} h`;
worker.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'ready') {
    $('build').textContent = `WebAssembly: ${m.simd ? 'SIMD build' : 'scalar build'}`;
    $('build').dataset.simd = String(m.simd);
    return;
  }
  if (m.type === 'meta') {
    meta = m.meta;
    draw();
    return;
  }
  if (m.type === 'progress') {
    rows.push(m.row);
    $('progress').value = m.done / m.total;
    $('status').textContent = `${m.done}/${m.total} points${fmtEta(m.eta)}`;
    draw();
    return;
  }
  if (m.type === 'done') {
    meta = m.result.meta;
    rows = m.result.rows;
    lastResult = m.result;
    $('status').textContent = m.cancelled ? `cancelled after ${rows.length} points` : `done: ${rows.length} points`;
    $('status').dataset.state = m.cancelled ? 'cancelled' : 'done';
    draw();
    setRunning(false);
    return;
  }
  if (m.type === 'error') {
    showError(m.message);
    $('status').textContent = 'error';
    $('status').dataset.state = 'error';
    setRunning(false);
  }
};
worker.onerror = (e) => {
  showError(`worker failed: ${e.message}`);
  setRunning(false);
};

function download(name, type, text) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
// Downloads (also of a cancelled run) hold whole rows, each point once: the rows compare()
// resolved with, through the duplicate check applied to results read from disk (issue 15).
const downloadable = () => mergeResults([{ name: 'this run', result: lastResult }]);
$('dl-json').addEventListener('click', () =>
  download('lazytrain-results.json', 'application/json', JSON.stringify(downloadable(), null, 1)),
);
$('dl-csv').addEventListener('click', () => download('lazytrain-results.csv', 'text/csv', toCSV(downloadable())));
$('dl-svg').addEventListener('click', () =>
  download('lazytrain-figure.svg', 'image/svg+xml', plotSVG(downloadable(), { logY: form.logy.checked })),
);
