// Build the shipped corpus: every task's train/validation/test JSONL from its seeded generator, meta.json, the
// project tokenizer trained on the training text, and the data card. Same seed, same bytes.
//
//   flanlab data build [--out datasets] [--seed S] [--vocab-size N] [--small]
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { canonicalJson } from "../../io/content-hash";
import { Random } from "../../random";
import { parseSentencePieceVocab, t5TokenizerConfig, t5TokenizerJson } from "../../io/sentencepiece";
import { toJsonl } from "../../data/jsonl";
import { deriveSeed } from "../../data/mixtures";
import type { RegisteredTask, TaskRole } from "../tasks/registry";
import { Split, SPLITS, TaskDefinition, TaskRecord } from "../../data/task";
import { spmTrainFlags } from "../../io/sentencepiece";

export type SplitSizes = Record<Split, number>;

/** The shipped sizes (issue #3: train 3,000+, validation 200+, test 300+). */
export const FULL_SIZES: SplitSizes = { train: 3000, validation: 200, test: 300 };
/** `--small`: for tests and quick looks. */
export const SMALL_SIZES: SplitSizes = { train: 150, validation: 20, test: 30 };
export const DEFAULT_DATA_SEED = 2026;
export const DEFAULT_VOCAB_SIZE = 4096;
/** `--small` builds too little text for 4096 pieces. */
export const SMALL_VOCAB_SIZE = 512;
/** Generator calls per split to make up for duplicates before giving up. */
const MAX_ROUNDS = 40;

/** Splits are filled in this order, so that a record generated for test is never kept in validation or train. */
const FILL_ORDER: readonly Split[] = ["test", "validation", "train"];

export interface SplitMeta {
  seed: number;
  requested: number;
  count: number;
  /** Records the generator produced for this split in all (kept + removed). */
  generated: number;
  duplicatesWithinSplit: number;
  /** Records dropped because an earlier-filled split (test, then validation) already holds the same content. */
  duplicatesOfOtherSplits: number;
}

export interface TaskMeta {
  task: string;
  folder: string;
  role: TaskRole;
  description: string;
  generator: { name: string; version: string | number };
  seed: number;
  fields: string[];
  splits: Record<Split, SplitMeta>;
  /** Duplicates removed in all, across the three splits. */
  duplicatesRemoved: number;
  command: string;
}

export interface BuiltTask {
  registered: RegisteredTask;
  splits: Record<Split, TaskRecord[]>;
  meta: TaskMeta;
}

/** The content of a record without its id, as text with sorted keys (so key order cannot hide a duplicate). */
export function contentKey(record: Record<string, unknown>): string {
  const { id: _id, ...content } = record;
  return canonicalJson(content);
}

export function recordId(taskName: string, split: Split, index: number): string {
  return `${taskName}-${split}-${String(index).padStart(5, "0")}`;
}

/** Build one task's three splits in memory: generate, deduplicate by content across splits, assign ids, validate. */
export function buildTask(registered: RegisteredTask, seed: number, sizes: SplitSizes, command: string): BuiltTask {
  const { task, generator } = registered;
  const seen = new Set<string>();
  const kept = {} as Record<Split, Record<string, unknown>[]>;
  const splitMeta = {} as Record<Split, SplitMeta>;
  for (const split of FILL_ORDER) {
    const splitSeed = deriveSeed(seed, task.name, split);
    const random = new Random(splitSeed);
    const mine = new Set<string>();
    const records: Record<string, unknown>[] = [];
    const meta: SplitMeta = { seed: splitSeed, requested: sizes[split], count: 0, generated: 0, duplicatesWithinSplit: 0, duplicatesOfOtherSplits: 0 };
    for (let round = 0; round < MAX_ROUNDS && records.length < sizes[split]; round++) {
      const wanted = sizes[split] - records.length;
      const batch = generator.generate(random, wanted);
      if (!Array.isArray(batch) || batch.length === 0) throw new Error(`${generator.name}(random, ${wanted}) returned no records for ${task.name}/${split}.`);
      for (const raw of batch) {
        if (records.length >= sizes[split]) break;
        meta.generated++;
        const { id: _ignored, ...record } = raw;
        const key = contentKey(record);
        if (mine.has(key)) meta.duplicatesWithinSplit++;
        else if (seen.has(key)) meta.duplicatesOfOtherSplits++;
        else {
          mine.add(key);
          records.push(record);
        }
      }
    }
    if (records.length < sizes[split]) {
      throw new Error(
        `${task.name}/${split}: only ${records.length} distinct records of ${sizes[split]} after ${MAX_ROUNDS} generator calls ` +
          `(${meta.duplicatesWithinSplit + meta.duplicatesOfOtherSplits} duplicates): ${generator.name} repeats itself too much for this size.`,
      );
    }
    for (const key of mine) seen.add(key);
    meta.count = records.length;
    kept[split] = records;
    splitMeta[split] = meta;
  }
  const fields = fieldOrder(SPLITS.flatMap((s) => kept[s]));
  const splits = {} as Record<Split, TaskRecord[]>;
  const definition: TaskDefinition = task;
  for (const split of SPLITS) {
    splits[split] = kept[split].map((record, index) => {
      const out: Record<string, unknown> = { id: recordId(task.name, split, index) };
      for (const field of fields) if (field in record) out[field] = record[field];
      definition.validate(out, `${task.name}/${split}.jsonl record ${index + 1} (from ${generator.name})`);
      return out;
    });
  }
  const duplicatesRemoved = SPLITS.reduce((n, s) => n + splitMeta[s].duplicatesWithinSplit + splitMeta[s].duplicatesOfOtherSplits, 0);
  return {
    registered,
    splits,
    meta: {
      task: task.name,
      folder: task.folder,
      role: registered.role,
      description: task.description,
      generator: { name: generator.name, version: generator.version },
      seed,
      fields: ["id", ...fields],
      splits: { train: splitMeta.train, validation: splitMeta.validation, test: splitMeta.test },
      duplicatesRemoved,
      command,
    },
  };
}

/** Every field name in order of first appearance: one key order for all records of a task. */
function fieldOrder(records: readonly Record<string, unknown>[]): string[] {
  const order: string[] = [];
  const known = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) if (!known.has(key)) known.add(key), order.push(key);
  return order;
}

export function writeBuiltTask(built: BuiltTask, out: string): void {
  const folder = path.join(out, built.meta.folder);
  fs.mkdirSync(folder, { recursive: true });
  for (const split of SPLITS) fs.writeFileSync(path.join(folder, `${split}.jsonl`), toJsonl(built.splits[split]));
  fs.writeFileSync(path.join(folder, "meta.json"), JSON.stringify(built.meta, null, 2) + "\n");
}

// ---- the tokenizer ----------------------------------------------------------------------------------------------

/** The placeholders a template text uses. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g)].map((m) => m[1]);
}

/** A template's own words: its text with the placeholders taken out. */
function templateWords(text: string): string[] {
  return text.split(/\{[a-zA-Z_][a-zA-Z0-9_]*\}/).flatMap((part) => part.split("\n")).map((l) => l.trim()).filter((l) => l !== "");
}

/**
 * The tokenizer's training text from one task's training records: every field any template uses (multi-line fields
 * as one line per line), and each record also brings the words of one template, taken in turn, so instructions are
 * as frequent in the corpus as in training (held-out templates included: the tokenizer is vocabulary, not training).
 */
export function tokenizerCorpusLines(task: TaskDefinition, records: readonly TaskRecord[]): string[] {
  const used = new Set(task.templates.flatMap((t) => [...placeholders(t.input), ...placeholders(t.target)]));
  const lines: string[] = [];
  records.forEach((record, i) => {
    const fields = task.fields(record);
    for (const name of Object.keys(fields)) {
      if (!used.has(name)) continue;
      for (const line of fields[name].split("\n")) if (line.trim() !== "") lines.push(line.trim());
    }
    const template = task.templates[i % task.templates.length];
    lines.push(...templateWords(template.input), ...templateWords(template.target));
  });
  return lines;
}


/** Whether Debian's SentencePiece tools are on PATH. */
export function hasSentencePiece(): boolean {
  const probe = spawnSync("spm_train", ["--help"], { encoding: "utf8" });
  return !(probe.error && (probe.error as NodeJS.ErrnoException).code === "ENOENT");
}

function runTool(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error(`${command} not found. Install Debian's SentencePiece tools: apt-get install -y sentencepiece (or build with --no-tokenizer).`);
  }
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const log = (result.stderr || "").trim().split("\n").slice(-15).join("\n");
    const limit = /Please set it to a value <= (\d+)/.exec(log);
    if (limit) throw new Error(`the training text is too small for this vocabulary: spm_train can make at most ${limit[1]} pieces; lower --vocab-size.`);
    throw new Error(`${command} failed with exit code ${result.status}:\n${log}`);
  }
  return result.stdout;
}

export interface TokenizerBuild {
  pieces: number;
  corpusLines: number;
  corpusSha256: string;
  vocabSize: number;
}

/** Train the project tokenizer on the corpus lines and write tokenizer.json, tokenizer_config.json, README.md. */
export function trainProjectTokenizer(lines: readonly string[], folder: string, vocabSize: number, command: string): TokenizerBuild {
  const corpus = lines.join("\n") + "\n";
  const corpusSha256 = createHash("sha256").update(corpus).digest("hex");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "flanlab-data-spm-"));
  try {
    const input = path.join(work, "corpus.txt");
    fs.writeFileSync(input, corpus);
    const prefix = path.join(work, "spm");
    // A soft limit: our synthetic text has a few thousand distinct words, and spm_train refuses (hard limit) a
    // vocabulary larger than the pieces it can find (about 3,700 for the full build); soft, it stops there.
    const flags = [...spmTrainFlags(input, prefix, vocabSize), "--hard_vocab_limit=false"];
    runTool("spm_train", flags);
    const vocab = parseSentencePieceVocab(runTool("spm_export_vocab", [`--model=${prefix}.model`, "--output_format=vocab"]));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "tokenizer.json"), JSON.stringify(t5TokenizerJson(vocab), null, 2) + "\n");
    fs.writeFileSync(path.join(folder, "tokenizer_config.json"), JSON.stringify(t5TokenizerConfig(), null, 2) + "\n");
    const build = { pieces: vocab.length, corpusLines: lines.length, corpusSha256, vocabSize };
    fs.writeFileSync(path.join(folder, "README.md"), tokenizerReadme(build, flags, command));
    return build;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function tokenizerReadme(build: TokenizerBuild, flags: string[], command: string): string {
  const shown = flags.filter((f) => !/^--(input|model_prefix|required_chars)=/.test(f)).join(" ");
  return `# flanlab project tokenizer

A T5-style SentencePiece Unigram tokenizer for the shipped tasks: ${build.pieces} pieces${
    build.pieces < build.vocabSize ? `\n(asked for at most ${build.vocabSize}; the training text holds no more)` : ""
  }. Made by \`${command}\`.

- Training text: the training splits of every task in \`datasets/\` - each field a template uses (one line per line
  of a multi-line field), plus the words of one template per record, templates taken in turn (${build.corpusLines} lines,
  sha256 \`${build.corpusSha256}\`). Validation and test text is not used.
- Trainer: Debian's \`spm_train\` (package \`sentencepiece\`) with \`${shown}\` and \`--required_chars=<printable ASCII>\`;
  vocabulary exported with \`spm_export_vocab\` and converted by \`src/io/sentencepiece.ts\`.
- Special tokens as in T5: \`<pad>\` = 0 (also the decoder start token), \`</s>\` = 1 (ends every encoded text),
  \`<unk>\` = 2; no \`<extra_id_N>\` sentinels.
- Normalizer: NFKC, whitespace runs collapsed to one space (newlines too), leading and trailing spaces stripped.
`;
}

// ---- the whole build ----------------------------------------------------------------------------------------------

export interface BuildOptions {
  out: string;
  seed?: number;
  sizes?: SplitSizes;
  vocabSize?: number;
  /** Train the tokenizer (default true; needs spm_train). The data card's token statistics need it. */
  tokenizer?: boolean;
  /** Write datasets/README.md (default true). */
  card?: boolean;
  /** The tasks to build (default: all registered). */
  tasks?: readonly RegisteredTask[];
  /** The command line recorded in meta.json and the card. */
  command?: string;
  log?: (message: string) => void;
}

export interface BuildSummary {
  out: string;
  tasks: BuiltTask[];
  tokenizer?: TokenizerBuild;
  seconds: { generate: number; tokenizer: number; card: number };
}

export async function buildDatasets(options: BuildOptions): Promise<BuildSummary> {
  const { out, seed = DEFAULT_DATA_SEED, sizes = FULL_SIZES, log = () => {} } = options;
  const vocabSize = options.vocabSize ?? DEFAULT_VOCAB_SIZE;
  const command = options.command ?? `flanlab data build --seed ${seed}`;
  const registered = options.tasks ?? (await import("../tasks/registry")).REGISTERED_TASKS;
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be an integer >= 0, got ${seed}.`);
  const seconds = { generate: 0, tokenizer: 0, card: 0 };

  let started = Date.now();
  const tasks: BuiltTask[] = [];
  for (const entry of registered) {
    const built = buildTask(entry, seed, sizes, command);
    writeBuiltTask(built, out);
    const counts = SPLITS.map((s) => `${s} ${built.meta.splits[s].count}`).join(", ");
    log(`${entry.task.name}: ${counts} (${built.meta.duplicatesRemoved} duplicates removed)`);
    tasks.push(built);
  }
  seconds.generate = (Date.now() - started) / 1000;

  let tokenizer: TokenizerBuild | undefined;
  if (options.tokenizer ?? true) {
    started = Date.now();
    const lines = tasks.flatMap((t) => tokenizerCorpusLines(t.registered.task, t.splits.train));
    tokenizer = trainProjectTokenizer(lines, path.join(out, "tokenizer"), vocabSize, command);
    seconds.tokenizer = (Date.now() - started) / 1000;
    const fewer = tokenizer.pieces < vocabSize ? ` (asked for at most ${vocabSize}: the training text holds no more)` : "";
    log(`tokenizer: ${tokenizer.pieces} pieces${fewer} from ${tokenizer.corpusLines} lines of training text`);
  }

  if (options.card ?? true) {
    started = Date.now();
    const { writeDataCard } = await import("./card");
    await writeDataCard({ out, tasks, tokenizer, seed, sizes, command });
    seconds.card = (Date.now() - started) / 1000;
    log(`data card: ${path.join(out, "README.md")}`);
  }
  return { out, tasks, tokenizer, seconds };
}
