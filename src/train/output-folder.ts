// Checks of a folder that a run (or any output) will be written to, made before anything is loaded or created:
// it must not be a file or under one, not on a kernel pseudo-filesystem (Node's recursive mkdir spins forever on
// /proc), writable, and with room for what will be written.
import * as fs from "fs";
import * as path from "path";

/** statfs magic numbers of the kernel's pseudo-filesystems (linux/magic.h): files there are not storage. */
const PSEUDO_FILESYSTEMS: Record<number, string> = {
  0x9fa0: "proc",
  0x62656572: "sysfs",
  0x1cd1: "devpts",
  0x27e0eb: "cgroup",
  0x63677270: "cgroup2",
  0x64626720: "debugfs",
  0x74726163: "tracefs",
  0x73636673: "securityfs",
  0x6165676c: "pstore",
  0xcafe4a11: "bpf",
  0x62656570: "configfs",
  0xde5e81e4: "efivarfs",
  0x19800202: "mqueue",
  0x65735543: "fusectl",
  0x42494e4d: "binfmt_misc",
  0xf97cff8c: "selinuxfs",
};

/** Folders of device and kernel files, refused by path too (devtmpfs reports tmpfs's magic number); /dev/shm is real memory storage. */
const PSEUDO_ROOTS = ["/proc", "/sys", "/dev"];
const STORAGE_UNDER_PSEUDO_ROOTS = ["/dev/shm"];

const isUnder = (file: string, root: string) => file === root || file.startsWith(root + path.sep);

/** The deepest existing folder on the way to `target` (target itself when it exists), or an error when a file is in the way. */
export function nearestExistingFolder(target: string, what: string): string {
  let current = path.resolve(target);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new Error(`${what} ${target}: cannot look at ${current} (${(error as Error).message}).`);
    }
    if (stat?.isDirectory()) return current;
    if (stat) {
      throw new Error(current === path.resolve(target) ? `${what} ${target} is a file, not a folder.` : `${what} ${target}: ${current} is a file, so no folder can be made under it.`);
    }
    const parent = path.dirname(current);
    if (parent === current) throw new Error(`${what} ${target}: no part of the path exists.`);
    current = parent;
  }
}

/** The pseudo-filesystem that `folder` (an existing folder) lies on, or null for real storage. */
export function pseudoFilesystemOf(folder: string): string | null {
  const real = fs.realpathSync(folder);
  const type = fs.statfsSync(real).type;
  if (PSEUDO_FILESYSTEMS[type]) return PSEUDO_FILESYSTEMS[type];
  const root = PSEUDO_ROOTS.find((r) => isUnder(real, r));
  return root && !STORAGE_UNDER_PSEUDO_ROOTS.some((r) => isUnder(real, r)) ? root.slice(1) : null;
}

/** Bytes a user may still write on the file system of an existing folder. */
export function freeBytes(folder: string): number {
  const stats = fs.statfsSync(folder);
  return stats.bavail * stats.bsize;
}

/** "1.5 MB", "12.0 GB": sizes for messages (powers of 1000, as disk tools show them). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** What to check about an output folder. */
export interface OutputFolderCheck {
  /** How the folder is named in messages, e.g. "--out" or "outDir". */
  what: string;
  /** Bytes that must be free (e.g. one checkpoint); 0 checks nothing. */
  bytesNeeded?: number;
  /** What those bytes are, for the message (default "what will be written"). */
  bytesFor?: string;
}

/**
 * Check, without creating anything, that `folder` can be made (or is) a writable folder on real storage with
 * `bytesNeeded` free. Throws an error naming the folder and what is wrong.
 */
export function checkOutputFolder(folder: string, check: OutputFolderCheck): void {
  const { what, bytesNeeded = 0, bytesFor = "what will be written" } = check;
  const existing = nearestExistingFolder(folder, what);
  const pseudo = pseudoFilesystemOf(existing);
  if (pseudo) throw new Error(`${what} ${folder} is on ${pseudo}, a kernel pseudo-filesystem, not storage: give a folder on a disk.`);
  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EROFS" ? "its file system is read-only" : code === "EACCES" || code === "EPERM" ? "permission denied" : (error as Error).message;
    throw new Error(`${what} ${folder}: cannot write in ${existing} (${why}).`);
  }
  if (bytesNeeded > 0) {
    const free = freeBytes(existing);
    if (free < bytesNeeded) {
      throw new Error(`${what} ${folder}: ${formatBytes(free)} free on its disk, but ${bytesFor} needs about ${formatBytes(bytesNeeded)}; free some space or choose another folder.`);
    }
  }
}
