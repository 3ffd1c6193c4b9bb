// Stage 0 of the lab's miniature FLAN-T5 (issue 14): its tokenizer, a T5-style SentencePiece Unigram with T5's
// sentinels (<extra_id_0>.. at the end of the vocabulary) for span corruption, trained on the text the model will
// read: the pretraining corpus, the instruction collection and the shipped tasks' training splits.
//
//   node --import tsx scripts/base-tokenizer.ts [--out build/base/tokenizer] [--vocab-size 3200] [--extra-ids 100]
//     [--documents 30000] [--seed 0]
//
// Needs Debian's SentencePiece tools (apt-get install -y sentencepiece).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { SPLITS } from "../src/data/task";
import { readJsonl } from "../src/data/jsonl";
import { corpusDocuments } from "../src/lab/base/pretraining-chunks";
import { DEFAULT_COLLECTION_DIR, buildInstructionCollection } from "../src/lab/tasks/collection";
import { DATASETS_DIR, PACKAGE_ROOT } from "../src/lab/paths";

/** Every string field of at least `minLength` characters in a JSONL file, one line each (newlines to spaces). */
function textFields(file: string, minLength = 2): string[] {
  return readJsonl(file).lines.flatMap(({ value }) =>
    Object.values(value as Record<string, unknown>)
      .filter((v): v is string => typeof v === "string" && v.length >= minLength)
      .map((v) => v.replace(/\s+/g, " ").trim()),
  );
}

/** The training split of every task folder under `root` (the shipped datasets, the built collection). */
function trainingTexts(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, entry.name, `${SPLITS[0]}.jsonl`)))
    .flatMap((entry) => textFields(path.join(root, entry.name, `${SPLITS[0]}.jsonl`)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: path.join(PACKAGE_ROOT, "build", "base", "tokenizer") },
      "vocab-size": { type: "string", default: "3200" },
      "extra-ids": { type: "string", default: "100" },
      documents: { type: "string", default: "30000" },
      seed: { type: "string", default: "0" },
    },
  });
  if (!fs.existsSync(path.join(DEFAULT_COLLECTION_DIR, "collection.json"))) {
    console.error(`building the instruction collection into ${path.relative(PACKAGE_ROOT, DEFAULT_COLLECTION_DIR)}/`);
    await buildInstructionCollection();
  }
  const documents = corpusDocuments({ seed: Number(values.seed), documents: Number(values.documents) });
  const lines = [
    ...documents.flatMap((d) => d.text.split("\n")),
    ...trainingTexts(DEFAULT_COLLECTION_DIR),
    ...trainingTexts(DATASETS_DIR),
  ].filter((line) => line.trim() !== "");
  const input = path.join(PACKAGE_ROOT, "build", "base", "tokenizer-input.txt");
  fs.mkdirSync(path.dirname(input), { recursive: true });
  fs.writeFileSync(input, lines.join("\n") + "\n");
  console.error(`tokenizer text: ${lines.length.toLocaleString("en-US")} lines (${documents.length.toLocaleString("en-US")} pretraining documents, the collection and the shipped tasks)`);
  const train = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(__dirname, "train-tokenizer.ts"), "--input", input, "--out", values.out!, "--vocab-size", values["vocab-size"]!, "--extra-ids", values["extra-ids"]!],
    { stdio: "inherit" },
  );
  if (train.status !== 0) process.exit(train.status ?? 1);
}

main().catch((error) => {
  console.error(`base-tokenizer: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
