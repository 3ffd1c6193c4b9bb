// The readers of users' files against odd and hostile input: byte-order marks in every format, bytes that are not
// UTF-8, numbers where text belongs, fields far longer than any example; and a seeded property test on random
// bytes: never a crash, never an error without the file's name, always valid records or a named error.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { ReadResult, SOURCE_FORMATS, SourceFormat, readExamples } from "../src/data/formats";
import { readJsonl, readTaskRecords } from "../src/data/jsonl";
import { decodeUtf8, invalidUtf8LineNumbers } from "../src/data/text-file";
import { DEFAULT_MAX_CHARS, capText } from "../src/data/text-limits";
import { userTask } from "../src/data/user-task";
import { Random } from "../src/random";
import { tempDir } from "./helpers";

const dir = tempDir("readers");
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const BOM = "\ufeff";

test("a UTF-8 byte-order mark is accepted in every format", () => {
  const files: Record<SourceFormat, string> = {
    jsonl: write("bom.jsonl", `${BOM}{"input": "a", "target": "b"}\n`),
    dialogsum: write("bom-dialogsum.jsonl", `${BOM}{"fname": "t0", "dialogue": "A: hi", "summary": "s", "topic": "t"}\n`),
    samsum: write("bom.json", `${BOM}[{"id": "1", "dialogue": "A: hi", "summary": "s"}]`),
    csv: write("bom.csv", `${BOM}input,target\na,b\n`),
  };
  for (const [format, file] of Object.entries(files)) {
    const read = readExamples(file);
    assert.equal(read.format, format, `${file} detected as ${format}`);
    assert.equal(read.examples.length, 1, format);
    assert.ok(!read.examples[0].input.startsWith(BOM) && !read.examples[0].id.startsWith(BOM), format);
  }
  assert.deepEqual(readJsonl(files.jsonl).lines[0].value, { input: "a", target: "b" });
});

test("bytes that are not UTF-8 are an error naming file and line, or read as U+FFFD and counted when accepted", () => {
  const bytes = Buffer.concat([Buffer.from('{"input": "ok", "target": "t"}\n{"input": "na'), Buffer.from([0xef, 0xbf]), Buffer.from('ve", "target": "t"}\n{"input": "x\xff"}\n', "latin1")]);
  const file = write("broken.jsonl", bytes);
  assert.throws(() => readExamples(file), (e: Error) => e.message.startsWith(`${file}:2: not valid UTF-8 (and 1 more line)`) && /--accept-invalid-utf8/.test(e.message));
  const accepted = readExamples(file, { acceptInvalidUtf8: true, skipInvalid: true });
  assert.equal(accepted.invalidUtf8Lines, 2);
  assert.equal(accepted.examples[1].input, "na\ufffdve");
  assert.deepEqual(invalidUtf8LineNumbers(bytes), [2, 3]);
  assert.throws(() => decodeUtf8(Buffer.from([0xff, 0xfe, 0x41, 0x00]), "u16.txt"), /u16\.txt:1: not valid UTF-8 \(the file starts with a UTF-16 byte-order mark: save it as UTF-8\)/);
  const task = userTask({ name: "t", metric: "rouge" });
  assert.throws(() => readTaskRecords(task, file), /broken\.jsonl:2: not valid UTF-8/);
  assert.throws(() => readExamples(dir, { format: "csv" }), /is a folder, not a file/);
});

test("numbers where text is expected are rejected naming the field; integer ids are read as text and counted", () => {
  const text = write("numbers.jsonl", '{"id": 1, "input": "a", "target": 7}\n');
  assert.throws(() => readExamples(text), (e: Error) => e.message === `${text}:1: field "target" must be text (a JSON string), got the number 7.`);
  const ids = readExamples(write("ids.jsonl", '{"id": 1, "input": "a", "target": "b"}\n{"id": 2, "input": "c", "target": "d"}\n'));
  assert.deepEqual(ids.examples.map((e) => e.id), ["1", "2"]);
  assert.equal(ids.coercedIds, 2);
  const samsum = write("numbers.json", '[{"id": "1", "dialogue": 3.5, "summary": "s"}]');
  assert.throws(() => readExamples(samsum), /numbers\.json:1 \(element 1\): field "dialogue" must be text \(a JSON string\), got the number 3\.5/);
  assert.throws(() => readExamples(write("null.jsonl", '{"input": null, "target": "b"}\n')), /field "input" must be text \(a JSON string\), got null/);
  assert.throws(() => userTask({ name: "t", metric: "rouge" }).validate({ input: "a", references: [5] }, "f:1"), /f:1: field "references" item 1 must be non-empty text, got 5/);
});

test("a field longer than the character limit is cut before tokenizing and counted, never split inside a surrogate pair", () => {
  const long = "word ".repeat(Math.ceil((2 * DEFAULT_MAX_CHARS) / 5));
  const file = write("long.jsonl", JSON.stringify({ input: long, target: "short" }) + "\n" + JSON.stringify({ input: "fine", target: "ok" }) + "\n");
  const read = readExamples(file);
  assert.equal(read.examples[0].input.length, DEFAULT_MAX_CHARS);
  assert.equal(read.capped.count, 1);
  assert.match(read.capped.first ?? "", new RegExp(`long\\.jsonl:1: field "input", ${long.length.toLocaleString("en-US")} characters`));
  assert.equal(readExamples(file, { maxChars: 3 }).capped.count, 3); // "word...", "short", "fine"; not "ok"
  assert.equal(capText("ab\u{1F600}c", 3), "ab"); // the emoji is two UTF-16 units: kept whole or not at all
  assert.equal(capText("ab\u{1F600}c", 4), "ab\u{1F600}");
});

/** An integer in [0, n). */
const below = (random: Random, n: number) => random.int(0, n - 1);

/** Random bytes of one of a few kinds: noise, the JSON/CSV alphabet, or a valid file with bytes flipped, cut or added. */
function randomContent(random: Random, format: SourceFormat): Buffer {
  const kind = below(random, 4);
  const length = below(random, 400);
  if (kind === 0) return Buffer.from(Array.from({ length }, () => below(random, 256)));
  if (kind === 1) {
    const alphabet = ['{', '}', '[', ']', '"', ',', ':', '\n', '\r\n', ' ', 'a', '1', '-1e999', 'input', 'target', 'dialogue', 'summary', 'id', 'fname', 'null', 'true', '\\', '\\u00', BOM, 'é', '\u{1F600}'];
    return Buffer.from(Array.from({ length: length / 4 }, () => alphabet[below(random, alphabet.length)]).join(""));
  }
  const valid: Record<SourceFormat, string> = {
    jsonl: '{"input": "hello", "target": "hi"}\n{"input": "a", "target": "b", "id": 3}\n',
    dialogsum: '{"fname": "t0", "dialogue": "A: hi", "summary": "s", "topic": "t"}\n{"fname": "t1", "dialogue": "B", "summary1": "x", "summary2": "y"}\n',
    samsum: '[{"id": "1", "dialogue": "A: hi", "summary": "s"}, {"id": "2", "dialogue": "B", "summary": "t"}]',
    csv: 'id,dialogue,summary,topic\n1,"A: hi\nB: yo",s,t\n2,x,"y, z",\n',
  };
  const bytes = [...Buffer.from(valid[format])];
  for (let edits = 1 + below(random, 4); edits > 0; edits--) {
    const at = below(random, bytes.length + 1);
    const op = below(random, 3);
    if (op === 0) bytes.splice(at, 1);
    else if (op === 1) bytes.splice(at, 0, below(random, 256));
    else bytes.splice(at, below(random, 10), ...Buffer.from(['"', ",", "\n", "{", "]"][below(random, 5)]));
  }
  return Buffer.from(kind === 2 ? bytes : bytes.slice(0, below(random, bytes.length + 1)));
}

function assertValidRecords(read: ReadResult, file: string): void {
  for (const example of read.examples) {
    assert.equal(typeof example.id, "string", file);
    assert.ok(typeof example.input === "string" && example.input.trim() !== "", `${file}: input`);
    assert.ok(example.references.length > 0 && example.references.every((r) => typeof r === "string" && r.trim() !== ""), `${file}: references`);
    assert.ok(example.source.startsWith(file), `${file}: source ${example.source}`);
  }
  assert.equal(read.skipped, read.problems.length);
  for (const problem of read.problems) assert.ok(problem.startsWith(file), `a problem without the file: ${problem}`);
}

test("property: random bytes in any format give valid records or an Error naming the file, never a crash", () => {
  const random = new Random(20240616);
  const outcomes = { records: 0, errors: 0 };
  const extension: Record<SourceFormat, string> = { jsonl: "jsonl", dialogsum: "jsonl", samsum: "json", csv: "csv" };
  for (let i = 0; i < 400; i++) {
    const format = SOURCE_FORMATS[below(random, SOURCE_FORMATS.length)];
    const file = write(`fuzz-${i}.${extension[format]}`, randomContent(random, format));
    const options = { format: below(random, 2) === 0 ? format : undefined, skipInvalid: below(random, 2) === 0, acceptInvalidUtf8: below(random, 2) === 0 };
    let read: ReadResult | undefined;
    try {
      read = readExamples(file, options);
    } catch (error) {
      assert.ok(error instanceof Error, `${file}: threw a non-Error ${String(error)}`);
      assert.ok(!(error instanceof RangeError) && !(error instanceof TypeError), `${file}: ${error.name}: ${error.message}`);
      assert.ok(error.message.includes(file), `${file}: the error does not name the file: ${error.message}`);
      outcomes.errors++;
      continue;
    }
    assertValidRecords(read, file);
    outcomes.records++;
  }
  assert.ok(outcomes.records > 20 && outcomes.errors > 20, `both outcomes exercised: ${JSON.stringify(outcomes)}`);
});
