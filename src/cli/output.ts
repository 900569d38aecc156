// Terminal output that cannot take the run down. When stdout is a pipe whose reader has gone
// (`lazytrain compare … | head`), writes fail with EPIPE (Node ignores SIGPIPE), emitted as an
// 'error' event that would otherwise be unhandled and kill the process before the results
// files are written. After EPIPE further output is dropped and the run carries on.

type Stream = NodeJS.WriteStream;

const closed = new WeakSet<Stream>();

function guard(stream: Stream): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") {
      closed.add(stream);
      return;
    }
    // any other error of a terminal stream: stop writing to it too (never crash a run over logging)
    closed.add(stream);
  });
}

let installed = false;
export function installOutputGuards(): void {
  if (installed) return;
  installed = true;
  guard(process.stdout);
  guard(process.stderr);
}

function write(stream: Stream, text: string): void {
  if (closed.has(stream) || stream.destroyed) return;
  try {
    stream.write(text);
  } catch {
    closed.add(stream);
  }
}

/** Standard output (results, tables, progress). */
export const out = (text: string): void => write(process.stdout, text);
/** Standard error (warnings, errors). */
export const err = (text: string): void => write(process.stderr, text);
/** A warning line on stderr: "compare: warning: …". */
export const warnLine = (command: string, message: string): void => err(`${command}: warning: ${message}\n`);
