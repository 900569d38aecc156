// Child processes in the CLI tests: everything a process printed, and how it ended; the rows
// they wrote.
import { readFileSync } from 'node:fs';

/**
 * Collects a spawned child's stdout and stderr until it closes.
 * @param {import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable>} child
 * @param {(stdout: string, child: import('node:child_process').ChildProcess) => void} [onStdout] called with the stdout so far
 * @returns {Promise<{ code: number, signal: NodeJS.Signals, stdout: string, stderr: string }>}
 */
export function collect(child, onStdout) {
  return new Promise((resolve) => {
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * The result rows of a CLI run's results.jsonl (the meta line dropped) without their wall-clock
 * `seconds`, the one field that differs between runs of the same points.
 * @param {string} file
 */
export function rowsOfFile(file) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const { seconds, ...r } = JSON.parse(l);
      return r;
    });
}

/** Rows in one canonical order (rep, then N, then regime), to compare runs that finish points in different orders. */
export const sortRows = (rows) => [...rows].sort((a, b) => a.rep - b.rep || a.N - b.N || a.regime.localeCompare(b.regime));
