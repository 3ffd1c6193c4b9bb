// JSON Lines in and out: one JSON object per line, errors that name file and line, nothing dropped silently.
import type { TaskDefinition, TaskRecord } from "./task";
import { TextFileOptions, readTextFile } from "./text-file";

/** One parsed line of a JSONL file (1-based line number, as editors show it). */
export interface JsonlLine {
  line: number;
  value: unknown;
}

/** What a reader that may skip bad input returns: what it kept, and how much it skipped and why. */
export interface SkipReport {
  /** Lines, rows or records left out because skipInvalid was set (0 otherwise: bad input is an error). */
  skipped: number;
  /** One message per skipped item, each naming file, line or row, and field. */
  problems: string[];
}

/**
 * Parse JSONL text. Blank lines are allowed (and ignored); a line that is not JSON is an error naming
 * `file:line`, or, with skipInvalid, one problem in the report.
 */
export function parseJsonl(text: string, file: string, options: { skipInvalid?: boolean } = {}): { lines: JsonlLine[] } & SkipReport {
  const lines: JsonlLine[] = [];
  const problems: string[] = [];
  eachJsonlLine(text, file, (line, value) => lines.push({ line, value }), (message) => {
    if (!options.skipInvalid) throw new Error(message);
    problems.push(message);
  });
  return { lines, skipped: problems.length, problems };
}

/** Walk the lines in order: `onValue` for each JSON line, `onError` with a "file:line: not valid JSON" message. */
function eachJsonlLine(text: string, file: string, onValue: (line: number, value: unknown) => void, onError: (message: string) => void): void {
  const raw = text.split("\n");
  for (let i = 0; i < raw.length; i++) {
    const source = raw[i].endsWith("\r") ? raw[i].slice(0, -1) : raw[i];
    if (source.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      onError(`${file}:${i + 1}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    onValue(i + 1, value);
  }
}

/**
 * The parsed lines of a JSONL file (UTF-8, a byte-order mark allowed); a line that is not JSON is an error naming
 * file:line (or skipped and counted).
 */
export function readJsonl(file: string, options: { skipInvalid?: boolean } & TextFileOptions = {}): { lines: JsonlLine[] } & SkipReport {
  return parseJsonl(readTextFile(file, options).text, file, options);
}

/** JSONL text: one compact JSON object per line, a final newline. */
export function toJsonl(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join("\n") + (values.length > 0 ? "\n" : "");
}

/** 1-based line and column of a character offset (for JSON.parse's "at position N"). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parse a whole JSON document; an error names file, line and column when the parser gives a position. */
export function parseJsonDocument(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const where = position ? (({ line, column }) => `${file}:${line}:${column}`)(lineAndColumn(text, Number(position[1]))) : file;
    throw new Error(`${where}: not valid JSON (${message})`);
  }
}

/**
 * The line on which each element of a top-level JSON array starts, found by a scan that skips strings.
 * JSON.parse gives no positions, and an error about element 4711 is more useful with its line.
 */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(c) && c !== "]") {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      depth++;
      if (depth === 1 && c === "[") expectElement = true;
    } else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 1) expectElement = true;
  }
  return lines;
}

export interface TaskRecords extends SkipReport {
  records: TaskRecord[];
  file: string;
}

/**
 * Read a task's JSONL file and validate every record with the task's own validator (which names the field). A line
 * that is not JSON or a record the task rejects is an error naming file:line; with skipInvalid, counted and skipped.
 */
export function readTaskRecords(task: TaskDefinition, file: string, skipInvalid = false): TaskRecords {
  const records: TaskRecord[] = [];
  const problems: string[] = [];
  const fail = (message: string): void => {
    if (!skipInvalid) throw new Error(message);
    problems.push(message);
  };
  eachJsonlLine(readTextFile(file).text, file, (line, value) => {
    try {
      task.validate(value, `${file}:${line}`);
    } catch (error) {
      fail((error as Error).message);
      return;
    }
    records.push(value);
  }, fail);
  return { records, file, skipped: problems.length, problems };
}
