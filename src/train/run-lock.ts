// One process does a piece of work while the others that want it wait: a lock file, created only if absent
// (open with "wx", atomic on local file systems), holding its owner's pid, host and start time. A waiter polls;
// a lock whose process is gone (same host, pid not alive) or that stayed empty is broken. Two waiters may break
// the same stale lock at once and both go on: what they guard (an entry renamed into place whole) stays correct.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Who holds a lock. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  started: string;
}

/** How to wait for a lock another process holds. */
export interface LockWaitOptions {
  /** Give up (an error) after this long; default two hours, longer than any run of the lab's notebooks. */
  timeoutSeconds?: number;
  /** Look again this often; default 500 ms. */
  pollMs?: number;
  /** Called once, when the lock is found taken: to say who the caller waits for. */
  onWait?: (owner: LockOwner | undefined) => void;
}

/** A lock file's content as its creator may not have written it yet: empty this long, it counts as abandoned. */
const EMPTY_LOCK_GRACE_MS = 10_000;

function readOwner(file: string): { text: string; owner?: LockOwner } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined; // released meanwhile
    throw error;
  }
  try {
    return { text, owner: JSON.parse(text) as LockOwner };
  } catch {
    return { text };
  }
}

/** Whether a process of this host is alive (EPERM: alive, but another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isStale(file: string, owner: LockOwner | undefined): boolean {
  if (owner) return owner.host === os.hostname() && !processAlive(owner.pid);
  try {
    return Date.now() - fs.statSync(file).mtimeMs > EMPTY_LOCK_GRACE_MS;
  } catch {
    return false;
  }
}

/** Remove a lock if it still holds the text it was judged by (a narrow window remains; see the header); false if it cannot. */
function removeIfUnchanged(file: string, text: string): boolean {
  if (readOwner(file)?.text !== text) return true;
  try {
    fs.unlinkSync(file);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT"; // someone else removed it first
  }
  return true;
}

function tryCreate(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Take the lock at `file`: at once when it is free or stale, else after its owner releases it. Resolves to the
 * function that releases it (only while it is still this caller's).
 */
export async function acquireLock(file: string, options: LockWaitOptions = {}): Promise<() => void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString() } satisfies LockOwner) + "\n";
  const timeoutSeconds = options.timeoutSeconds ?? 7200;
  const deadline = Date.now() + timeoutSeconds * 1000;
  let told = false;
  while (!tryCreate(file, text)) {
    const held = readOwner(file);
    if (!held || (isStale(file, held.owner) && removeIfUnchanged(file, held.text))) continue;
    if (!told) options.onWait?.(held.owner);
    told = true;
    if (Date.now() > deadline) {
      const who = held.owner ? `process ${held.owner.pid} on ${held.owner.host}, since ${held.owner.started}` : "an unknown process";
      throw new Error(`${file}: still held by ${who} after ${timeoutSeconds} s. Delete the file if that process is gone.`);
    }
    await sleep(options.pollMs ?? 500);
  }
  return () => void removeIfUnchanged(file, text);
}
