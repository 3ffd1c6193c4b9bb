// Reading a user's text file: UTF-8, with or without a byte-order mark (spreadsheets write one), in every format.
// A byte that is not UTF-8 is an error naming file and line; when the caller accepts such bytes, they become U+FFFD
// and the lines that held them are counted, never hidden. Read errors name the file (Node's EISDIR does not).
import * as fs from "fs";

/** A text file's content, and the lines whose bytes were not UTF-8. */
export interface TextFile {
  text: string;
  /** 1-based lines that held bytes other than UTF-8, read as U+FFFD (always empty unless acceptInvalidUtf8). */
  invalidUtf8Lines: number[];
}

/** How to read a text file. */
export interface TextFileOptions {
  /** Read bytes that are not UTF-8 as U+FFFD, counting their lines, instead of failing. Default false. */
  acceptInvalidUtf8?: boolean;
}

const NEWLINE = 0x0a;

/** 1-based numbers of the lines (split at LF, which never occurs inside a UTF-8 sequence) that are not valid UTF-8. */
export function invalidUtf8LineNumbers(bytes: Uint8Array): number[] {
  const strict = new TextDecoder("utf-8", { fatal: true });
  const lines: number[] = [];
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    const end = bytes.indexOf(NEWLINE, start);
    const stop = end === -1 ? bytes.length : end;
    try {
      strict.decode(bytes.subarray(start, stop));
    } catch {
      lines.push(line);
    }
    start = stop + 1;
  }
  return lines;
}

/** Why bytes that are not UTF-8 may be another encoding, as a hint for the message. */
function encodingHint(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return " (the file starts with a UTF-16 byte-order mark: save it as UTF-8)";
  return " (save the file as UTF-8)";
}

/** Decode a file's bytes as UTF-8 (a leading byte-order mark dropped); see TextFileOptions for bytes that are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string, options: TextFileOptions = {}): TextFile {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), invalidUtf8Lines: [] };
  } catch {
    const lines = invalidUtf8LineNumbers(bytes);
    if (!options.acceptInvalidUtf8) {
      const more = lines.length > 1 ? ` (and ${lines.length - 1} more line${lines.length > 2 ? "s" : ""})` : "";
      throw new Error(
        `${file}:${lines[0] ?? 1}: not valid UTF-8${more}${encodingHint(bytes)}; --accept-invalid-utf8 reads such bytes as U+FFFD and counts the lines.`,
      );
    }
    return { text: new TextDecoder("utf-8").decode(bytes), invalidUtf8Lines: lines };
  }
}

/** A text file read as UTF-8; a missing file, a folder, or one too large to read is an error naming the file. */
export function readTextFile(file: string, options: TextFileOptions = {}): TextFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`file not found: ${file}`);
    if (code === "EISDIR") throw new Error(`${file}: is a folder, not a file.`);
    throw new Error(`${file}: cannot read it (${(error as Error).message}).`);
  }
  try {
    return decodeUtf8(bytes, file, options);
  } catch (error) {
    if ((error as Error).message.startsWith(file)) throw error;
    throw new Error(`${file}: cannot read it as text (${(error as Error).message}).`); // e.g. longer than a JS string
  }
}
