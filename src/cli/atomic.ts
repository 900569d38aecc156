// Crash-safe file replacement: write a temporary file in the same folder, fsync it, then
// rename it over the target. rename(2) within one filesystem is atomic, so a reader (or the
// next run after a crash) sees either the old file or the new one, never a half-written one.

import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let counter = 0;

/** Write all of `data` at the fd's position (writeSync may write less than asked). */
export function writeAll(fd: number, data: string | Uint8Array): number {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  return buf.length;
}

/** Replace `path` with `data` atomically (temporary name in the same folder, fsync, rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  // hidden, unique per process and call, so two writers never share a temporary file
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, "wx", 0o666);
    writeAll(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null)
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw e;
  }
  fsyncDir(dirname(path));
}

/** Make a rename durable (best effort: some filesystems refuse fsync on a directory). */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // not supported here (e.g. some network filesystems); the rename itself is still atomic
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
