// Writes that a crash, a kill or a full disk cannot leave half done: the content goes to a temporary name, is
// flushed to the disk (fsync), and is renamed over the final name (atomic on POSIX file systems and NTFS); the
// folder holding it is flushed too, so that the rename itself survives a power cut.
import * as fs from "fs";
import * as path from "path";

/** Flush a file or folder to the disk. Some systems cannot fsync a folder (Windows; a few network file systems): skipped there. */
export function fsyncPath(target: string): void {
  let fd: number;
  try {
    fd = fs.openSync(target, "r");
  } catch (error) {
    if (fs.statSync(target).isDirectory()) return; // Windows cannot open a folder
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(fs.fstatSync(fd).isDirectory() && (code === "EINVAL" || code === "EPERM" || code === "EISDIR" || code === "EBADF"))) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** Flush every file under a folder, then the folders themselves, deepest first. */
export function fsyncTree(folder: string): void {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) fsyncTree(full);
    else if (entry.isFile()) fsyncPath(full);
  }
  fsyncPath(folder);
}

/** Write a file so that it holds either its old content or the new one, never a part (temporary name, fsync, rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temporary = `${file}.partial-${process.pid}`;
  try {
    fs.writeFileSync(temporary, data);
    fsyncPath(temporary);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fsyncPath(path.dirname(file));
}

/**
 * Write a folder by `write(temporaryFolder)`, then put it in place of `folder` in one rename (an old folder is moved
 * aside first and removed after). A failure removes the temporary folder and leaves `folder` as it was.
 */
export function writeFolderAtomic(folder: string, write: (temporary: string) => void): void {
  const temporary = `${folder}.partial`;
  fs.rmSync(temporary, { recursive: true, force: true });
  try {
    fs.mkdirSync(temporary, { recursive: true });
    write(temporary);
    fsyncTree(temporary);
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  replaceFolder(temporary, folder);
}

/** Move `from` (a complete folder) to `to`, replacing what is there; a folder cannot be renamed over a non-empty one. */
export function replaceFolder(from: string, to: string): void {
  const old = `${to}.old`;
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(to)) fs.renameSync(to, old);
  fs.renameSync(from, to);
  fsyncPath(path.dirname(to));
  fs.rmSync(old, { recursive: true, force: true });
}

/** Names that a write interrupted by a crash leaves behind (temporary files and folders). */
export function isLeftover(name: string): boolean {
  return /\.partial(-\d+)?$/.test(name) || /\.old$/.test(name);
}
