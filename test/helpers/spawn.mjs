// Child processes in the CLI tests: everything a process printed, and how it ended.

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
