// Readers for data users bring: DialogSum (as distributed, and as the Hugging Face Hub's CSV), SAMSum, and any CSV or
// JSONL file with a column mapping. Every reader returns the same thing: examples with an id, an input text, one or
// more reference targets and (for dialogue corpora) a topic. Bad input is an error naming file, line or row, and
// field; with skipInvalid it is skipped, counted and described instead. Nothing is dropped silently: files are UTF-8
// (a byte-order mark allowed in every format), text fields must be strings (integer ids are read as text, counted),
// and a text field longer than maxChars is cut before tokenizing and counted.
//
// CSV: danfojs-node's readCSV (PapaParse underneath) does read quoted multi-line fields correctly when called with
// { dynamicTyping: false } (by default it turns "007" into 7 and "" into null). We still parse CSV here, with the
// small RFC 4180 parser below, because danfo rejects a whole file on one bad row with a message that names neither
// line nor row ("CSV parsing errors: Too few fields: expected 4 fields but parsed 3"), cannot skip that row, and
// fails on a trailing blank line. test/formats.test.ts checks that both read the same cells from a well-formed file.
import * as fs from "fs";
import * as path from "path";
import { JsonlLine, arrayElementLines, parseJsonDocument, parseJsonl, SkipReport } from "./jsonl";
import { readTextFile } from "./text-file";
import { DEFAULT_MAX_CHARS, capText } from "./text-limits";

/** The file formats readExamples understands. */
export type SourceFormat = "dialogsum" | "samsum" | "csv" | "jsonl";
export const SOURCE_FORMATS: readonly SourceFormat[] = ["dialogsum", "samsum", "csv", "jsonl"];

/** One example of a user's data set. */
export interface SourceExample {
  id: string;
  /** The text to condition on: the dialogue for dialogue corpora, the input column otherwise. */
  input: string;
  /** One or more acceptable targets (DialogSum's test split has three summaries per dialogue). */
  references: string[];
  /** The topic (DialogSum), the first one when there are several. */
  topic?: string;
  /** One topic per reference, when the source gives several. */
  topics?: string[];
  /** Where the example starts: "file:line". */
  source: string;
}

export interface ReadOptions {
  /** Default: from the file name and content (see detectFormat). */
  format?: SourceFormat;
  /** CSV/JSONL: the column (field) holding the input text. */
  inputColumn?: string;
  /** CSV/JSONL: the column holding the target; several columns separated by commas give several references. */
  targetColumn?: string;
  /** CSV/JSONL: the column holding an id (default "id" when present, else the row number). */
  idColumn?: string;
  /** CSV/JSONL: a topic column (default "topic" when present). */
  topicColumn?: string;
  /** CSV: merge rows with the same input into one example with several references (default true). */
  groupByInput?: boolean;
  skipInvalid?: boolean;
  /** Characters a text field keeps; longer ones are cut before tokenizing and counted (default DEFAULT_MAX_CHARS). */
  maxChars?: number;
  /** Read bytes that are not UTF-8 as U+FFFD, counting their lines, instead of failing (default false). */
  acceptInvalidUtf8?: boolean;
}

/** Text fields cut to the character limit: how many, and the first one ("file:line: field "x", N characters"). */
export interface CappedFields {
  count: number;
  first: string | null;
}

/** The examples read from a user's file, with its format and what was skipped. */
export interface ReadResult extends SkipReport {
  file: string;
  format: SourceFormat;
  examples: SourceExample[];
  /** Rows (CSV), lines (JSONL) or elements (JSON) read, before regrouping. */
  rows: number;
  /** Rows merged into an earlier example because they repeat its input with another reference. */
  regrouped: number;
  /** The columns (CSV) or fields (first JSON object) of the file. */
  fields: string[];
  /** Text fields longer than maxChars, cut to it. */
  capped: CappedFields;
  /** Ids given as JSON integers, read as their decimal text (the only coercion: text fields must be strings). */
  coercedIds: number;
  /** Lines holding bytes other than UTF-8, read as U+FFFD (acceptInvalidUtf8; otherwise such a file is an error). */
  invalidUtf8Lines: number;
}

// ---- CSV ------------------------------------------------------------------------------------------------------

export interface CsvRecord {
  /** Line of the file on which the record starts (1-based; the header is line 1). */
  line: number;
  cells: string[];
}

/**
 * RFC 4180 CSV: comma-separated, records end with LF or CRLF, a quoted field may hold commas, newlines and doubled
 * quotes. A stray quote inside an unquoted field is kept as text. Blank lines are skipped. An unterminated quote is
 * an error naming the line where it opened; text after a closing quote is an error naming its line.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark
  let line = 1;
  let cells: string[] = [];
  let recordLine = 1;
  let field = "";
  const endRecord = (): void => {
    cells.push(field);
    if (!(cells.length === 1 && cells[0] === "")) records.push({ line: recordLine, cells });
    cells = [];
    field = "";
  };
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (atFieldStart && c === '"') {
      const opened = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`${file}:${opened}: a quoted field opened on this line is never closed.`);
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === "\n") line++;
        field += q;
        i++;
      }
      const after = text[i];
      if (after !== undefined && after !== "," && after !== "\n" && !(after === "\r" && text[i + 1] === "\n")) {
        throw new Error(`${file}:${line}: unexpected text after a closing quote (a quote inside a quoted field must be doubled: "").`);
      }
      atFieldStart = false;
      continue;
    }
    if (c === ",") {
      cells.push(field);
      field = "";
      atFieldStart = true;
      i++;
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      endRecord();
      i += c === "\r" ? 2 : 1;
      line++;
      recordLine = line;
      atFieldStart = true;
    } else {
      field += c;
      atFieldStart = false;
      i++;
    }
  }
  if (!atFieldStart || field !== "" || cells.length > 0) endRecord();
  return records;
}

// ---- format detection ----------------------------------------------------------------------------------------

/** dialogsum for .jsonl files whose first line has "fname", jsonl for other .jsonl, samsum for .json, csv for .csv. */
export function detectFormat(file: string): SourceFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".json") return "samsum";
  if (ext === ".jsonl" || ext === ".ndjson") {
    const first = readTextFile(file, { acceptInvalidUtf8: true }).text.split("\n").find((l) => l.trim() !== "") ?? "";
    try {
      const value = JSON.parse(first);
      if (value && typeof value === "object" && "fname" in value) return "dialogsum";
    } catch {
      // not JSON: the jsonl reader reports the line
    }
    return "jsonl";
  }
  throw new Error(`cannot tell the format of ${file} from its extension: pass --format ${SOURCE_FORMATS.join("|")}.`);
}

// ---- readers -------------------------------------------------------------------------------------------------

/** Collects examples and problems; `fail` throws, or records the problem when skipping. Also counts what it changed. */
class Collector {
  examples: SourceExample[] = [];
  problems: string[] = [];
  rows = 0;
  regrouped = 0;
  fields: string[] = [];
  capped: CappedFields = { count: 0, first: null };
  coercedIds = 0;
  invalidUtf8Lines = 0;
  private readonly maxChars: number;
  private readonly skipInvalid: boolean;
  constructor(options: ReadOptions) {
    this.skipInvalid = options.skipInvalid ?? false;
    this.maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  }
  fail(message: string): void {
    if (!this.skipInvalid) throw new Error(message);
    this.problems.push(message);
  }
  /** Run one row's reading; an Error becomes a failure (thrown or skipped). */
  row(read: () => SourceExample | undefined): void {
    this.rows++;
    try {
      const example = read();
      if (example) this.examples.push(example);
    } catch (error) {
      this.fail((error as Error).message);
    }
  }
  /** A text field's value: a non-blank string (a number is an error, not coerced), cut to maxChars and counted. */
  text(value: unknown, field: string, where: string, expected?: string): string {
    if (value === undefined) throw new Error(`${where}: field "${field}" is missing${expected ? ` (${expected})` : ""}.`);
    if (typeof value !== "string") throw new Error(`${where}: field "${field}" must be text (a JSON string), got ${describeValue(value)}.`);
    if (value.trim() === "") throw new Error(`${where}: field "${field}" is empty.`);
    const capped = capText(value, this.maxChars);
    if (capped.length < value.length) {
      this.capped.count++;
      this.capped.first ??= `${where}: field "${field}", ${value.length.toLocaleString("en-US")} characters`;
    }
    return capped;
  }
  /** An id field's value: a non-blank string, or an integer read as its decimal text (counted). */
  id(value: unknown, field: string, where: string, expected?: string): string {
    if (typeof value === "number" && Number.isSafeInteger(value)) {
      this.coercedIds++;
      return String(value);
    }
    return this.text(value, field, where, expected);
  }
  /** The file's text (UTF-8, a byte-order mark dropped), counting the lines that were not UTF-8 when the caller accepts them. */
  readText(file: string, options: ReadOptions): string {
    const read = readTextFile(file, options);
    this.invalidUtf8Lines = read.invalidUtf8Lines.length;
    return read.text;
  }
  result(file: string, format: SourceFormat): ReadResult {
    return {
      file,
      format,
      examples: this.examples,
      rows: this.rows,
      regrouped: this.regrouped,
      fields: this.fields,
      skipped: this.problems.length,
      problems: this.problems,
      capped: this.capped,
      coercedIds: this.coercedIds,
      invalidUtf8Lines: this.invalidUtf8Lines,
    };
  }
}

/** A JSON value in a few characters, for messages: "the number 5", "null", "an object". */
function describeValue(value: unknown): string {
  if (typeof value === "number") return `the number ${value}`;
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value)?.slice(0, 60) ?? String(value);
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${where}: expected a JSON object, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  return value as Record<string, unknown>;
}

/** Numbered fields present in order: summary1, summary2, ... */
function numberedFields(value: Record<string, unknown>, stem: string): string[] {
  const names: string[] = [];
  for (let k = 1; `${stem}${k}` in value; k++) names.push(`${stem}${k}`);
  return names;
}

const DIALOGSUM_FIELDS = "DialogSum lines have fname, dialogue, summary, topic; its test lines summary1..3 and topic1..3";

/** The parsed lines of a JSONL file, its unparsable lines counted as skipped rows (or thrown), an empty file an error. */
function jsonlLines(file: string, collector: Collector, options: ReadOptions): JsonlLine[] {
  const parsed = parseJsonl(collector.readText(file, options), file, options);
  for (const problem of parsed.problems) {
    collector.rows++;
    collector.problems.push(problem);
  }
  if (parsed.lines.length === 0 && parsed.problems.length === 0) throw new Error(`${file}: empty file (expected one JSON object per line).`);
  return parsed.lines;
}

/** DialogSum as distributed: JSONL lines {fname, dialogue, summary, topic}, or {..., summary1..3, topic1..3}. */
export function readDialogSum(file: string, options: ReadOptions = {}): ReadResult {
  const collector = new Collector(options);
  const lines = jsonlLines(file, collector, options);
  collector.fields = firstObjectKeys(lines.map((l) => l.value));
  for (const { line, value } of lines) {
    const where = `${file}:${line}`;
    collector.row(() => {
      const object = asObject(value, where);
      const text = (field: string) => collector.text(object[field], field, where, DIALOGSUM_FIELDS);
      const id = collector.id(object.fname, "fname", where, DIALOGSUM_FIELDS);
      const dialogue = text("dialogue");
      const summaryFields = "summary" in object ? ["summary"] : numberedFields(object, "summary");
      if (summaryFields.length === 0) throw new Error(`${where}: field "summary" is missing (${DIALOGSUM_FIELDS}).`);
      const references = summaryFields.map(text);
      const topicFields = "topic" in object ? ["topic"] : numberedFields(object, "topic");
      return { id, input: dialogue, references, ...topicsOf(topicFields.map(text)), source: where };
    });
  }
  return collector.result(file, "dialogsum");
}

function firstObjectKeys(values: readonly unknown[]): string[] {
  const first = values.find((v) => v !== null && typeof v === "object" && !Array.isArray(v));
  return first ? Object.keys(first) : [];
}

function topicsOf(topics: string[]): { topic?: string; topics?: string[] } {
  if (topics.length === 0) return {};
  return topics.length === 1 ? { topic: topics[0] } : { topic: topics[0], topics };
}

const SAMSUM_FIELDS = "SAMSum elements have id, dialogue, summary";

/** SAMSum: one JSON array of {id, dialogue, summary}. */
export function readSamSum(file: string, options: ReadOptions = {}): ReadResult {
  const collector = new Collector(options);
  const text = collector.readText(file, options);
  if (text.trim() === "") throw new Error(`${file}: empty file (SAMSum is one JSON array of {id, dialogue, summary}).`);
  const document = parseJsonDocument(text, file);
  if (!Array.isArray(document)) throw new Error(`${file}: SAMSum is one JSON array of {id, dialogue, summary}; this file holds ${describeValue(document)}.`);
  const lines = arrayElementLines(text);
  collector.fields = firstObjectKeys(document);
  document.forEach((value, index) => {
    const where = `${file}:${lines[index] ?? "?"} (element ${index + 1})`;
    collector.row(() => {
      const object = asObject(value, where);
      return {
        id: collector.id(object.id, "id", where, SAMSUM_FIELDS),
        input: collector.text(object.dialogue, "dialogue", where, SAMSUM_FIELDS),
        references: [collector.text(object.summary, "summary", where, SAMSUM_FIELDS)],
        source: where,
      };
    });
  });
  return collector.result(file, "samsum");
}

/** Which columns hold what, after defaults. */
interface ColumnMapping {
  input: string;
  targets: string[];
  id?: string;
  topic?: string;
}

function mappingFor(columns: readonly string[], options: ReadOptions, file: string, where: string): ColumnMapping {
  const has = (c: string) => columns.includes(c);
  // Without a mapping, recognize DialogSum/SAMSum-style columns, then input/target.
  const input = options.inputColumn ?? (has("dialogue") ? "dialogue" : has("input") ? "input" : undefined);
  const targetText = options.targetColumn ?? (has("summary") ? "summary" : has("target") ? "target" : undefined);
  if (input === undefined || targetText === undefined) {
    throw new Error(`${where}: cannot tell which columns hold input and target (columns: ${columns.join(", ")}); pass --input-column and --target-column.`);
  }
  const targets = targetText.split(",").map((t) => t.trim()).filter((t) => t !== "");
  const id = options.idColumn ?? (has("id") ? "id" : undefined);
  const topic = options.topicColumn ?? (has("topic") ? "topic" : undefined);
  const check = (column: string, flag: string): void => {
    if (!has(column)) throw new Error(`${where}: no column "${column}" (${flag}) in ${path.basename(file)}; its columns are: ${columns.join(", ")}.`);
  };
  check(input, "--input-column");
  for (const t of targets) check(t, "--target-column");
  if (options.idColumn !== undefined) check(options.idColumn, "--id-column");
  if (options.topicColumn !== undefined) check(options.topicColumn, "--topic-column");
  return { input, targets, id, topic };
}

/** Turn one row (as field -> value) into an example, checking the mapped fields. */
function exampleFromFields(get: (field: string) => unknown, mapping: ColumnMapping, where: string, fallbackId: string, collector: Collector): SourceExample {
  const text = (field: string): string => collector.text(get(field), field, where);
  const topicValue = mapping.topic !== undefined ? get(mapping.topic) : undefined;
  const absent = topicValue === undefined || topicValue === null || (typeof topicValue === "string" && topicValue.trim() === "");
  const topic = absent ? undefined : text(mapping.topic as string); // optional: null or blank is no topic
  return {
    id: mapping.id !== undefined ? collector.id(get(mapping.id), mapping.id, where) : fallbackId,
    input: text(mapping.input),
    references: mapping.targets.map(text),
    ...(topic !== undefined ? { topic } : {}),
    source: where,
  };
}

/**
 * CSV with a header row: Hugging Face's DialogSum form (id, dialogue, summary, topic) by default, any columns with
 * a mapping. Rows repeating an input (the Hub's DialogSum test split has one row per reference) are merged into one
 * example with several references, unless groupByInput is false.
 */
export function readCsv(file: string, options: ReadOptions = {}): ReadResult {
  const collector = new Collector(options);
  const records = parseCsv(collector.readText(file, options), file);
  if (records.length === 0) throw new Error(`${file}: empty CSV file (expected a header row, then data rows).`);
  const [header, ...rows] = records;
  const columns = header.cells.map((c) => c.trim());
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined) throw new Error(`${file}:${header.line}: the header names column "${duplicate}" twice.`);
  collector.fields = columns;
  const mapping = mappingFor(columns, options, file, `${file}:${header.line}`);
  const base = path.basename(file).replace(/\.[^.]*$/, "");
  rows.forEach((record, index) => {
    const where = `${file}:${record.line} (row ${index + 1})`;
    collector.row(() => {
      if (record.cells.length !== columns.length) {
        throw new Error(`${where}: ${record.cells.length} fields where the header has ${columns.length} (${columns.join(", ")}).`);
      }
      return exampleFromFields((f) => record.cells[columns.indexOf(f)], mapping, where, `${base}-${index + 1}`, collector);
    });
  });
  if (options.groupByInput ?? true) groupReferences(collector);
  return collector.result(file, "csv");
}

/** Any JSONL with a field mapping (defaults as for CSV: dialogue/summary, then input/target). */
export function readJsonlExamples(file: string, options: ReadOptions = {}): ReadResult {
  const collector = new Collector(options);
  const lines = jsonlLines(file, collector, options);
  if (lines.length === 0) return collector.result(file, "jsonl");
  const first = lines[0];
  collector.fields = firstObjectKeys([first.value]);
  const mapping = mappingFor(Object.keys(asObject(first.value, `${file}:${first.line}`)), options, file, `${file}:${first.line}`);
  const base = path.basename(file).replace(/\.[^.]*$/, "");
  for (const { line, value } of lines) {
    const where = `${file}:${line}`;
    collector.row(() => {
      const object = asObject(value, where);
      return exampleFromFields((f) => object[f], mapping, where, `${base}-${line}`, collector);
    });
  }
  if (options.groupByInput ?? false) groupReferences(collector);
  return collector.result(file, "jsonl");
}

/**
 * Merge examples with identical input text into the first one, references (and topics) appended in file order.
 * The merged id drops a shared "_<n>" suffix (the Hub's DialogSum test ids are test_0_1, test_0_2, test_0_3).
 */
function groupReferences(collector: Collector): void {
  const groups = new Map<string, SourceExample[]>();
  for (const example of collector.examples) {
    const group = groups.get(example.input);
    if (group) group.push(example);
    else groups.set(example.input, [example]);
  }
  collector.examples = [...groups.values()].map((group) => {
    if (group.length === 1) return group[0];
    collector.regrouped += group.length - 1;
    const stems = new Set(group.map((e) => e.id.replace(/_\d+$/, "")));
    const id = stems.size === 1 ? [...stems][0] : group[0].id;
    const topics = group.map((e) => e.topic).filter((t): t is string => t !== undefined);
    return {
      id,
      input: group[0].input,
      references: group.flatMap((e) => e.references),
      ...(topics.length === group.length ? topicsOf(topics) : group[0].topic !== undefined ? { topic: group[0].topic } : {}),
      source: group[0].source,
    };
  });
}

/** Read a user's data set in any supported format (detected from the file when not given). */
export function readExamples(file: string, options: ReadOptions = {}): ReadResult {
  if (!fs.existsSync(file)) throw new Error(`file not found: ${file}`);
  const format = options.format ?? detectFormat(file);
  const mapped = options.inputColumn !== undefined || options.targetColumn !== undefined;
  if (mapped && (format === "dialogsum" || format === "samsum")) {
    throw new Error(`--input-column/--target-column apply to csv and jsonl files, not to the ${format} format (its fields are fixed).`);
  }
  switch (format) {
    case "dialogsum":
      return readDialogSum(file, options);
    case "samsum":
      return readSamSum(file, options);
    case "csv":
      return readCsv(file, options);
    case "jsonl":
      return readJsonlExamples(file, options);
    default:
      throw new Error(`unknown format "${format as string}"; formats: ${SOURCE_FORMATS.join(", ")}.`);
  }
}
