import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { detectFormat, parseCsv, readCsv, readDialogSum, readExamples, readJsonlExamples, readSamSum } from "../src/data/formats";
import { arrayElementLines, lineAndColumn, parseJsonl } from "../src/data/jsonl";
import { tempDir } from "./helpers";

const dir = tempDir("formats");
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** CSV cell quoting as spreadsheets and pandas write it. */
function csv(rows: string[][]): string {
  const cell = (c: string) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

const DIALOGUE_1 = "#Person1#: Hi, Mr. Smith. I'm Doctor Hawkins.\n#Person2#: I found it, \"finally\", thanks.";
const DIALOGUE_2 = "#Person1#: Where's the bus stop?\n#Person2#: Two blocks down, next to the bank.";

test("DialogSum as distributed: train lines and test lines with three summaries and topics", () => {
  const train = write("dialogsum.train.jsonl", jsonl([
    { fname: "train_0", dialogue: DIALOGUE_1, summary: "Mr. Smith sees Dr. Hawkins.", topic: "get a check-up" },
    { fname: "train_1", dialogue: DIALOGUE_2, summary: "#Person2# gives directions.", topic: "directions" },
  ]));
  assert.equal(detectFormat(train), "dialogsum");
  const read = readExamples(train);
  assert.equal(read.format, "dialogsum");
  assert.deepEqual(read.examples[0], { id: "train_0", input: DIALOGUE_1, references: ["Mr. Smith sees Dr. Hawkins."], topic: "get a check-up", source: `${train}:1` });
  assert.deepEqual(read.fields, ["fname", "dialogue", "summary", "topic"]);
  const testFile = write("dialogsum.test.jsonl", jsonl([
    { fname: "test_0", dialogue: DIALOGUE_1, summary1: "A", summary2: "B", summary3: "C", topic1: "t1", topic2: "t2", topic3: "t3" },
  ]));
  const [example] = readDialogSum(testFile).examples;
  assert.deepEqual(example.references, ["A", "B", "C"]);
  assert.equal(example.topic, "t1");
  assert.deepEqual(example.topics, ["t1", "t2", "t3"]);
});

test("DialogSum bad input: a malformed line, a missing field, an empty dialogue each name file, line and field; skipInvalid counts", () => {
  const lines = [
    JSON.stringify({ fname: "train_0", dialogue: DIALOGUE_1, summary: "ok", topic: "t" }),
    '{"fname": "train_1", "dialogue": "x", ',
    JSON.stringify({ fname: "train_2", dialogue: DIALOGUE_2, topic: "t" }),
    JSON.stringify({ fname: "train_3", dialogue: "   ", summary: "s", topic: "t" }),
    JSON.stringify({ fname: "train_4", dialogue: DIALOGUE_2, summary: "fine", topic: "t" }),
  ];
  const file = write("bad.dialogsum.jsonl", lines.join("\n") + "\n");
  assert.throws(() => readDialogSum(file), (e: Error) => e.message.startsWith(`${file}:2: not valid JSON`));
  const only = (line: string, name: string) => write(name, lines[0] + "\n" + line + "\n");
  const missing = only(lines[2], "missing.jsonl");
  assert.throws(() => readDialogSum(missing), new RegExp(`^Error: ${escape(missing)}:2: field "summary" is missing`));
  const empty = only(lines[3], "empty.jsonl");
  assert.throws(() => readDialogSum(empty), new RegExp(`^Error: ${escape(empty)}:2: field "dialogue" is empty`));
  const skipped = readDialogSum(file, { skipInvalid: true });
  assert.deepEqual(skipped.examples.map((e) => e.id), ["train_0", "train_4"]);
  assert.equal(skipped.skipped, 3);
  assert.equal(skipped.rows, 5);
  assert.match(skipped.problems.join("\n"), /:2: not valid JSON[\s\S]*:3: field "summary" is missing[\s\S]*:4: field "dialogue" is empty/);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test("Hugging Face CSV: quoted multi-line fields, commas and quotes; the test split's rows regroup into several references", () => {
  const train = write("train.csv", csv([
    ["id", "dialogue", "summary", "topic"],
    ["train_0", DIALOGUE_1, "Mr. Smith, a patient, sees Dr. Hawkins.", "get a check-up"],
    ["train_1", DIALOGUE_2, "Directions.", "directions"],
  ]));
  const read = readExamples(train);
  assert.equal(read.format, "csv");
  assert.deepEqual(read.examples.map((e) => [e.id, e.input, e.references, e.topic]), [
    ["train_0", DIALOGUE_1, ["Mr. Smith, a patient, sees Dr. Hawkins."], "get a check-up"],
    ["train_1", DIALOGUE_2, ["Directions."], "directions"],
  ]);
  assert.equal(read.examples[1].source, `${train}:4 (row 2)`); // row 1 spans lines 2-3
  const testFile = write("test.csv", csv([
    ["id", "dialogue", "summary", "topic"],
    ["test_0_1", DIALOGUE_1, "S1", "check-up"],
    ["test_0_2", DIALOGUE_1, "S2", "doctor"],
    ["test_0_3", DIALOGUE_1, "S3", "health"],
    ["test_1_1", DIALOGUE_2, "D1", "directions"],
    ["test_1_2", DIALOGUE_2, "D2", "directions"],
    ["test_1_3", DIALOGUE_2, "D3", "bus"],
  ]));
  const grouped = readCsv(testFile);
  assert.equal(grouped.examples.length, 2);
  assert.equal(grouped.rows, 6);
  assert.equal(grouped.regrouped, 4);
  assert.deepEqual(grouped.examples[0], { id: "test_0", input: DIALOGUE_1, references: ["S1", "S2", "S3"], topic: "check-up", topics: ["check-up", "doctor", "health"], source: `${testFile}:2 (row 1)` });
  assert.deepEqual(grouped.examples[1].references, ["D1", "D2", "D3"]);
  assert.equal(readCsv(testFile, { groupByInput: false }).examples.length, 6);
});

test("parseCsv reads what danfojs-node reads (dynamicTyping off), and keeps what danfo would turn into numbers", async () => {
  const rows = [
    ["id", "dialogue", "summary", "topic"],
    ["a", DIALOGUE_1, 'He said "hi", then left.', "x"],
    ["b", "line one\r\nline two, with comma", "007", ""],
    ["c", "plain", "s", "t"],
  ];
  const file = write("danfo.csv", csv(rows));
  const ours = parseCsv(fs.readFileSync(file, "utf8"), file);
  assert.deepEqual(ours.map((r) => r.cells), rows);
  assert.deepEqual(ours.map((r) => r.line), [1, 2, 4, 6]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require("danfojs-node");
  const frame = await dfd.readCSV(file, { dynamicTyping: false });
  assert.deepEqual(frame.columns, rows[0]);
  for (const [c, name] of rows[0].entries()) assert.deepEqual(frame.column(name).values, rows.slice(1).map((r) => r[c]), `column ${name}`);
  assert.equal(readCsv(file).examples[1].references[0], "007");
});

test("CSV bad input: wrong column name, empty dialogue, short row, unterminated quote; skipInvalid counts", () => {
  const rows = [
    ["id", "dialogue", "summary", "topic"],
    ["r1", DIALOGUE_1, "ok", "t"],
    ["r2", "", "no dialogue", "t"],
    ["r3", DIALOGUE_2, "fine", "t"],
  ];
  const file = write("bad.csv", csv(rows) + "r4,only two\r\n");
  assert.throws(() => readCsv(file, { inputColumn: "text", targetColumn: "summary" }), (e: Error) =>
    e.message === `${file}:1: no column "text" (--input-column) in bad.csv; its columns are: id, dialogue, summary, topic.`);
  assert.throws(() => readCsv(file, { inputColumn: "dialogue", targetColumn: "summary,abstract" }), /no column "abstract" \(--target-column\)/);
  assert.throws(() => readCsv(file), (e: Error) => e.message === `${file}:4 (row 2): field "dialogue" is empty.`);
  const skipped = readCsv(file, { skipInvalid: true });
  assert.deepEqual(skipped.examples.map((e) => e.id), ["r1", "r3"]);
  assert.equal(skipped.skipped, 2);
  assert.match(skipped.problems[1], /:7 \(row 4\): 2 fields where the header has 4/);
  const open = write("open.csv", 'id,dialogue,summary\nr1,"never closed,s\nr2,d,s\n');
  assert.throws(() => readCsv(open), (e: Error) => e.message.startsWith(`${open}:2: a quoted field opened on this line is never closed`));
  const trailing = write("trailing.csv", 'id,dialogue,summary\nr1,"quoted"tail,s\n');
  assert.throws(() => readCsv(trailing), /trailing\.csv:2: unexpected text after a closing quote/);
  const unknown = write("unknown.csv", "a,b\n1,2\n");
  assert.throws(() => readCsv(unknown), /unknown\.csv:1: cannot tell which columns hold input and target \(columns: a, b\); pass --input-column and --target-column/);
});

test("any CSV with a column mapping: several target columns give several references; ids default to the row", () => {
  const file = write("mapped.csv", csv([["question", "answer_a", "answer_b"], ["2+2?", "4", "four"], ["capital of France?", "Paris", "paris"]]));
  const read = readExamples(file, { inputColumn: "question", targetColumn: "answer_a,answer_b" });
  assert.deepEqual(read.examples.map((e) => [e.id, e.input, e.references]), [["mapped-1", "2+2?", ["4", "four"]], ["mapped-2", "capital of France?", ["Paris", "paris"]]]);
});

test("SAMSum JSON: elements with their lines; a missing summary names line, element and field", () => {
  const good = [
    { id: "13818513", summary: "Amanda baked cookies.", dialogue: "Amanda: I baked cookies.\r\nJerry: Sure!" },
    { id: "13728867", summary: "Olivia votes.", dialogue: "Olivia: Who are you voting for?\r\nOliver: Liberals." },
  ];
  const file = write("samsum.json", JSON.stringify(good, null, 2));
  assert.equal(detectFormat(file), "samsum");
  const read = readExamples(file);
  assert.deepEqual(read.examples.map((e) => [e.id, e.references]), [["13818513", ["Amanda baked cookies."]], ["13728867", ["Olivia votes."]]]);
  assert.equal(read.examples[1].source, `${file}:7 (element 2)`);
  const bad = write("samsum-bad.json", JSON.stringify([good[0], { id: "x", dialogue: "A: hi" }, { ...good[1], dialogue: "" }], null, 2));
  assert.throws(() => readSamSum(bad), (e: Error) => e.message.startsWith(`${bad}:7 (element 2): field "summary" is missing`));
  const skipped = readSamSum(bad, { skipInvalid: true });
  assert.equal(skipped.examples.length, 1);
  assert.equal(skipped.skipped, 2);
  assert.match(skipped.problems[1], /:11 \(element 3\): field "dialogue" is empty/);
  const broken = write("samsum-broken.json", '[\n  {"id": "1", "summary": "s",\n   "dialogue" "d"}\n]');
  assert.throws(() => readSamSum(broken), new RegExp(`^Error: ${escape(broken)}:3:\\d+: not valid JSON`));
  const object = write("samsum-object.json", '{"data": []}');
  assert.throws(() => readSamSum(object), /one JSON array of \{id, dialogue, summary\}; this file holds an object/);
});

test("JSONL with a field mapping; bad lines name file, line and field; skipInvalid counts", () => {
  const file = write("qa.jsonl", jsonl([{ q: "Who?", a: "Me", uid: "u1" }, { q: "Where?", a: "Here", uid: "u2" }]) + "not json\n" + JSON.stringify({ q: "When?", uid: "u3" }) + "\n");
  assert.equal(detectFormat(file), "jsonl");
  assert.throws(() => readExamples(file, { inputColumn: "q", targetColumn: "a", idColumn: "uid" }), (e: Error) => e.message.startsWith(`${file}:3: not valid JSON`));
  const read = readJsonlExamples(file, { inputColumn: "q", targetColumn: "a", idColumn: "uid", skipInvalid: true });
  assert.deepEqual(read.examples.map((e) => [e.id, e.input, e.references]), [["u1", "Who?", ["Me"]], ["u2", "Where?", ["Here"]]]);
  assert.equal(read.skipped, 2);
  assert.equal(read.problems[1], `${file}:4: field "a" is missing.`);
  assert.throws(() => readJsonlExamples(file, { inputColumn: "question", targetColumn: "a", skipInvalid: true }), /qa\.jsonl:1: no column "question" \(--input-column\) in qa\.jsonl; its columns are: q, a, uid/);
  assert.throws(() => readExamples(file, { format: "dialogsum", inputColumn: "q" }), /apply to csv and jsonl files/);
  assert.throws(() => readExamples(path.join(dir, "nope.csv")), /file not found/);
  assert.throws(() => detectFormat(write("x.txt", "")), /pass --format dialogsum\|samsum\|csv\|jsonl/);
});

test("jsonl helpers: blank lines skipped, line/column of an offset, element lines skip strings", () => {
  assert.deepEqual(parseJsonl('{"a":1}\n\n{"a":2}\r\n', "f").lines, [{ line: 1, value: { a: 1 } }, { line: 3, value: { a: 2 } }]);
  assert.deepEqual(lineAndColumn("ab\ncd\nef", 4), { line: 2, column: 2 });
  assert.deepEqual(arrayElementLines('[\n {"a": "[{,\\"}"},\n\n {"b": 1}, "x",\n 3]'), [2, 4, 4, 5]);
});
