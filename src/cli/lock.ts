// One writer per output folder. A run creates DIR/lazytrain.lock with O_CREAT|O_EXCL ("wx"),
// which exactly one process can win, and writes its pid, host and start time into it. Another
// run on the same folder finds the file and stops (exit code 2) naming the holder. A lock whose
// process is gone (same host: kill(pid, 0) fails with ESRCH, or the pid now belongs to a newer
// process) is stale — a run killed with SIGKILL — and is taken over with a warning. A lock held
// by another host cannot be checked from here: it is refused unless --force.
//
// Takeover is serialised by a second O_EXCL file (lazytrain.lock.takeover): of two runs that
// find the same stale lock, one replaces it with its own lock by rename(2), which swaps the file
// atomically, so the lock path is never missing meanwhile; the other then finds that new, live
// lock and stops. (Removing the stale file and then creating one with O_EXCL left a gap in which
// a third party — or the other run, back from its retry — could create the lock first: the run
// that had taken the stale lock over then lost it and stopped, and the run that went on had
// never taken anything over.) O_EXCL is atomic on local filesystems and on NFSv3+ (RFC 1813,
// EXCLUSIVE create mode), and so is rename over an existing file (POSIX); on filesystems
// without them the lock is advisory at best (README, Command line).

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CliError } from "./args.js";
import { writeAll } from "./atomic.js";

export const LOCK_NAME = "lazytrain.lock";

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the run started. */
  started: string;
  /** Linux: the process start time in clock ticks after boot (/proc/PID/stat field 22), to detect a reused pid. */
  procStart?: string | null;
  /** What holds it, e.g. "lazytrain compare". */
  command?: string;
}

export interface FolderLock {
  file: string;
  holder: LockHolder;
  /** Remove the lock file if it is still ours (idempotent; also runs at process exit). */
  release(): void;
}

export interface LockOptions {
  /** Take over a lock held by another host (its run cannot be checked from here). */
  force?: boolean;
  warn: (message: string) => void;
  command: string;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Fields of /proc/PID/stat after the command name (which may contain spaces and parentheses). */
function procStat(pid: number): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    return s.slice(s.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** Field 22 (starttime) of /proc/PID/stat: fields after the name start at field 3. */
const procStart = (pid: number): string | null => procStat(pid)?.[22 - 3] ?? null;

/** Is the holder's process still running? Only meaningful for a lock of this host. */
function alive(h: LockHolder): { alive: boolean; why: string } {
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to another user
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return { alive: false, why: `pid ${h.pid} is not running` };
  }
  const stat = procStat(h.pid);
  if (stat !== null) {
    if (stat[0] === "Z") return { alive: false, why: `pid ${h.pid} has exited (zombie)` };
    if (h.procStart && stat[22 - 3] !== h.procStart) return { alive: false, why: `pid ${h.pid} now belongs to another process` };
  }
  return { alive: true, why: "" };
}

function readHolder(file: string): { raw: string; holder: LockHolder | null } | "gone" {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw e;
  }
  try {
    const h = JSON.parse(raw) as LockHolder;
    if (Number.isInteger(h.pid) && typeof h.host === "string" && typeof h.started === "string") return { raw, holder: h };
  } catch {
    // empty or partly written: see below
  }
  return { raw, holder: null };
}

const describeHolder = (h: LockHolder) =>
  `pid ${h.pid} on host ${h.host}, started ${h.started}${h.command ? ` (${h.command})` : ""}`;

/** Take the lock of `dir`, or throw a CliError with exit code 2 naming its holder. */
export function acquireLock(dir: string, options: LockOptions): FolderLock {
  const file = join(dir, LOCK_NAME);
  const host = hostname();
  const me: LockHolder = {
    pid: process.pid,
    host,
    started: new Date().toISOString(),
    procStart: procStart(process.pid),
    command: options.command,
  };
  const text = JSON.stringify(me) + "\n";
  for (let attempt = 0; attempt < 200; attempt++) {
    let fd: number | null = null;
    try {
      fd = openSync(file, "wx", 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    if (fd !== null) {
      try {
        writeAll(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return makeLock(file, me);
    }
    const found = readHolder(file);
    if (found === "gone") continue; // released meanwhile: try again
    const h = found.holder;
    let why: string;
    if (h === null) {
      // Another run is between its open and its write (microseconds), or died right there.
      let ageMs = 0;
      try {
        ageMs = Date.now() - statSync(file).mtimeMs;
      } catch {
        continue;
      }
      if (ageMs < 2000) {
        sleep(20);
        continue;
      }
      why = "its lock file is empty or unreadable (a run died while creating it)";
    } else if (h.host === host) {
      const a = alive(h);
      if (a.alive) {
        throw new CliError(
          `${dir} is in use by another run: ${describeHolder(h)}. Wait for it to finish or use another --out (lock file ${file})`,
          2,
        );
      }
      why = a.why;
    } else {
      if (!options.force) {
        throw new CliError(
          `${dir} is locked by a run on another host: ${describeHolder(h)}; from ${host} lazytrain cannot tell whether it is still running. If it is not (a lost node), pass --force to take the lock over (lock file ${file})`,
          2,
        );
      }
      why = `held by host ${h.host}, taken over with --force`;
    }
    if (takeOver(file, found.raw, text)) {
      // the stale lock is now ours: only the run that replaced it says so
      options.warn(`taking over the stale lock of ${dir} (${h ? describeHolder(h) : "unknown holder"}): ${why}`);
      return makeLock(file, me);
    }
    sleep(20); // another run is taking over, or the lock changed: look again
  }
  throw new CliError(`could not take the lock ${file}: it keeps changing (several runs starting at once?); try again`, 2);
}

/**
 * Replace a stale lock file that still holds `raw` by our own lock (`text`, written to a file of
 * our own first and renamed over it); only one process at a time does this. False when another
 * run is taking over, or the lock changed or went away meanwhile (the caller looks again).
 */
function takeOver(file: string, raw: string, text: string): boolean {
  const mutex = `${file}.takeover`;
  try {
    closeSync(openSync(mutex, "wx"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    // another run is taking over; a takeover file left by a crash in these few lines is old
    try {
      if (Date.now() - statSync(mutex).mtimeMs > 10000) unlinkSync(mutex);
    } catch {
      /* gone */
    }
    return false;
  }
  try {
    const now = readHolder(file);
    // released (by a live run: a stale lock only goes away here) or taken over meanwhile
    if (now === "gone" || now.raw !== raw) return false;
    const mine = `${file}.${process.pid}.new`;
    try {
      const fd = openSync(mine, "w", 0o644);
      try {
        writeAll(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(mine, file);
    } catch (e) {
      try {
        unlinkSync(mine);
      } catch {
        /* not created */
      }
      throw e;
    }
    return true;
  } finally {
    try {
      unlinkSync(mutex);
    } catch {
      /* already removed */
    }
  }
}

function makeLock(file: string, me: LockHolder): FolderLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    try {
      const found = readHolder(file);
      // never remove a lock another run has taken over (e.g. with --force)
      if (
        found !== "gone" &&
        found.holder &&
        found.holder.pid === me.pid &&
        found.holder.started === me.started &&
        found.holder.host === me.host
      )
        unlinkSync(file);
    } catch {
      // unreadable or already gone: nothing of ours to remove
    }
  };
  process.on("exit", release);
  return { file, holder: me, release };
}
