// results.jsonl on disk: reading for resume (a torn last line is cut off, other invalid lines
// stop the run before any computation), repair (invalid lines moved aside after a backup),
// and appending rows so that a failed write never leaves a torn line behind.

import { closeSync, constants, copyFileSync, fsyncSync, ftruncateSync, openSync, readFileSync, truncateSync } from "node:fs";
import { _internal, type CompareRow } from "../index.js";
import { CliError } from "./args.js";
import { writeAll, writeFileAtomic } from "./atomic.js";

const { scanJsonl, rejectedPath, invalidLinesMessage, duplicatesMessage, tornMessage, rowLine } = _internal;
type JsonlScan = ReturnType<typeof scanJsonl>;

/** Read and classify a results.jsonl (bytes, so torn-line offsets are exact byte offsets). */
export function scanFile(path: string): JsonlScan {
  return scanJsonl(readFileSync(path));
}

/**
 * Check a file for resume. Invalid lines before the last one: error (nothing is changed).
 * Returns the warnings to print; the caller cuts a torn last line (cutTornLine) once it has
 * also checked that the file belongs to the same run.
 */
export function checkForResume(path: string, scan: JsonlScan, fix: string): string[] {
  if (scan.invalid.length > 0) {
    throw new CliError(`${invalidLinesMessage(path, scan.invalid)}. Nothing was computed. ${fix}`, 1);
  }
  if (scan.meta === null && scan.rows.length > 0) {
    throw new CliError(
      `${path} has ${scan.rows.length} rows but no valid meta line, so the run they belong to is unknown; nothing was changed. Restore it from a backup, or pass --fresh to start over`,
      1,
    );
  }
  const warnings: string[] = [];
  const dup = duplicatesMessage(path, scan.duplicates);
  if (dup) warnings.push(`${dup}; --repair rewrites the file with each point once`);
  return warnings;
}

/** Cut the torn last line off (everything from its first byte); returns the warning. */
export function cutTornLine(path: string, scan: JsonlScan): string | null {
  if (!scan.torn) return null;
  truncateSync(path, scan.torn.offset);
  return `${tornMessage(path, scan.torn, scan.bytes)}; cut off at byte ${scan.torn.offset}, its point is computed again`;
}

export interface RepairReport {
  changed: boolean;
  message: string;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

/**
 * Move the invalid lines (and the torn last line, and extra copies of duplicate rows) of a
 * results.jsonl to results.rejected.jsonl beside it, keeping the meta line and every valid row
 * byte for byte. Order: backup (fsync) → rejected lines appended (fsync) → the file replaced
 * atomically, so a crash at any step loses nothing.
 */
export function repairFile(path: string): RepairReport {
  const scan = scanFile(path);
  const moved = [...scan.invalid, ...scan.duplicates, ...(scan.torn ? [scan.torn] : [])].sort((a, b) => a.line - b.line);
  if (moved.length === 0)
    return { changed: false, message: `${path}: nothing to repair (${scan.rows.length} rows, each point once)` };
  if (scan.meta === null || scan.metaAt === null) {
    throw new CliError(
      `${path}: no valid meta line, so the run this file belongs to is unknown; nothing was changed. Restore it from a backup, or start over with --fresh`,
      1,
    );
  }
  const backup = `${path}.backup-${stamp()}`;
  copyFileSync(path, backup, constants.COPYFILE_EXCL);
  fsyncPath(backup);
  const rejected = rejectedPath(path);
  const fd = openSync(rejected, "a");
  try {
    writeAll(fd, moved.map((l) => l.text + "\n").join(""));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const kept = [scan.metaAt, ...scan.rows].sort((a, b) => a.line - b.line);
  writeFileAtomic(path, kept.map((l) => l.text + "\n").join(""));
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? "" : "s"}`;
  const parts = [
    scan.invalid.length
      ? n(scan.invalid.length, "invalid line") +
        ` (line${scan.invalid.length > 1 ? "s" : ""} ${scan.invalid
          .slice(0, 8)
          .map((l) => l.line)
          .join(", ")}${scan.invalid.length > 8 ? ", …" : ""})`
      : "",
    scan.torn ? `the torn last line (line ${scan.torn.line})` : "",
    scan.duplicates.length ? n(scan.duplicates.length, "duplicate row") : "",
  ].filter(Boolean);
  return {
    changed: true,
    message: `repaired ${path}: kept the meta line and ${n(scan.rows.length, "row")}; moved ${parts.join(", ")} to ${rejected}; the original is saved as ${backup}`,
  };
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends whole lines to results.jsonl and keeps the file consistent when a write fails (disk
 * full, file-size limit): the partial line is truncated away, and the error is kept for the
 * caller, which stops the run and reports it.
 */
export class RowWriter {
  private size: number;
  error: NodeJS.ErrnoException | null = null;
  written = 0;

  constructor(
    readonly path: string,
    readonly fd: number,
    size: number,
  ) {
    this.size = size;
  }

  /** Append one line (with fsync); false when it (or an earlier line) failed. */
  append(line: string): boolean {
    if (this.error) return false;
    try {
      this.size += writeAll(this.fd, line);
      fsyncSync(this.fd);
      this.written++;
      return true;
    } catch (e) {
      this.error = e as NodeJS.ErrnoException;
      // cut the partial line off, so the file stays a sequence of whole lines
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        /* reported below with the write error */
      }
      return false;
    }
  }

  row(row: CompareRow): boolean {
    return this.append(rowLine(row));
  }

  /** The CLI message for a failed write. */
  failure(saved: number): string {
    const e = this.error!;
    const what =
      e.code === "EFBIG"
        ? "file too large (EFBIG): the file-size limit (ulimit -f) was reached"
        : e.code === "ENOSPC"
          ? "no space left on device (ENOSPC)"
          : e.code === "EDQUOT"
            ? "disk quota exceeded (EDQUOT)"
            : e.message;
    return `cannot write ${this.path}: ${what}. The file holds ${saved} finished point${saved === 1 ? "" : "s"} as whole lines (the partial line was removed); free space or raise the limit, then run the same command again to resume`;
  }
}
