// Train a T5-style SentencePiece Unigram tokenizer and write it in Hugging Face form.
//
//   node --import tsx scripts/train-tokenizer.ts --input FILE --out DIR [--vocab-size 1000] [--extra-ids 0]
//
// FILE holds one sentence per line. DIR receives tokenizer.json, tokenizer_config.json and README.md.
// --extra-ids N appends T5's sentinels <extra_id_0>..<extra_id_{N-1}> (for span corruption) after the N pieces.
// Needs Debian's SentencePiece tools (spm_train, spm_export_vocab): apt-get install -y sentencepiece
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseSentencePieceVocab, t5TokenizerConfig, t5TokenizerJson } from "../src/io/sentencepiece";
import { spmTrainFlags } from "../src/io/sentencepiece";
export { spmTrainFlags };

interface Args {
  input: string;
  out: string;
  vocabSize: number;
  /** T5 sentinels appended after the pieces (default 0). */
  extraIds?: number;
}

const USAGE = "usage: train-tokenizer --input FILE --out DIR [--vocab-size N (default 1000)] [--extra-ids N (default 0)]";

function parseArgs(argv: string[]): Args {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (!["--input", "--out", "--vocab-size", "--extra-ids"].includes(flag)) throw new Error(`unknown flag ${flag}\n${USAGE}`);
    if (argv[i + 1] === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    values[flag] = argv[i + 1];
  }
  if (!values["--input"] || !values["--out"]) throw new Error(USAGE);
  const vocabSize = Number(values["--vocab-size"] ?? 1000);
  if (!Number.isInteger(vocabSize) || vocabSize < 8) throw new Error(`--vocab-size must be an integer >= 8, got ${values["--vocab-size"]}`);
  const extraIds = Number(values["--extra-ids"] ?? 0);
  if (!Number.isInteger(extraIds) || extraIds < 0) throw new Error(`--extra-ids must be an integer >= 0, got ${values["--extra-ids"]}`);
  return { input: values["--input"], out: values["--out"], vocabSize, extraIds };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error(`${command} not found. Install Debian's SentencePiece tools: apt-get install -y sentencepiece`);
  }
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const log = (result.stderr || "").trim().split("\n").slice(-15).join("\n");
    throw new Error(`${command} failed with exit code ${result.status}:\n${log}`);
  }
  return result.stdout;
}

function readme(args: Args, corpusSha256: string, lines: number, pieces: number, flags: string[]): string {
  const extraIds = args.extraIds ?? 0;
  return `# ${path.basename(path.resolve(args.out))}

A T5-style SentencePiece Unigram tokenizer (${pieces} pieces${extraIds > 0 ? ` and ${extraIds} sentinels` : ""}) in Hugging Face form, made by flanlab:

\`\`\`
node --import tsx scripts/train-tokenizer.ts --input ${args.input} --out ${args.out} --vocab-size ${args.vocabSize}${extraIds > 0 ? ` --extra-ids ${extraIds}` : ""}
\`\`\`

- Corpus: \`${args.input}\` (${lines} lines, sha256 \`${corpusSha256}\`).
- Trainer: Debian's \`spm_train\` (package \`sentencepiece\`) with
  \`${flags.filter((f) => !/^--(input|model_prefix|required_chars)=/.test(f)).join(" ")}\`
  and \`--required_chars=<printable ASCII>\`;
  the vocabulary and scores were exported with \`spm_export_vocab\` and converted by \`src/io/sentencepiece.ts\`.
- Special tokens as in T5: \`<pad>\` = 0 (also the decoder start token), \`</s>\` = 1 (appended to every encoded
  text), \`<unk>\` = 2. ${
    extraIds > 0
      ? `${extraIds} \`<extra_id_N>\` sentinel tokens after the pieces, in T5's order: \`<extra_id_0>\` = ${pieces + extraIds - 1}
  (the last id), \`<extra_id_${extraIds - 1}>\` = ${pieces}.`
      : "No `<extra_id_N>` sentinel tokens."
  }
- Normalizer: NFKC, whitespace runs collapsed to one space, leading/trailing spaces stripped. T5's own tokenizer.json
  uses a "Precompiled" character map instead, which cannot be rebuilt without SentencePiece's protobuf.
- Pre-tokenizer and decoder: Metaspace ("▁", prepend always). Digits are single pieces (spm \`--split_digits\`).
- Every printable ASCII character is in the vocabulary (spm \`--required_chars\`); other characters never seen in the
  corpus encode to \`<unk>\` (no byte fallback).
`;
}

export function trainTokenizer(args: Args): { pieces: number } {
  const extraIds = args.extraIds ?? 0;
  if (!fs.existsSync(args.input)) throw new Error(`input corpus not found: ${path.resolve(args.input)}`);
  const corpus = fs.readFileSync(args.input);
  const lines = corpus.toString("utf8").split("\n").filter((l) => l.trim() !== "").length;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "flanlab-spm-"));
  try {
    const prefix = path.join(work, "spm");
    const flags = spmTrainFlags(path.resolve(args.input), prefix, args.vocabSize);
    try {
      run("spm_train", flags);
    } catch (error) {
      const limit = /Please set it to a value <= (\d+)/.exec((error as Error).message);
      if (!limit) throw error;
      throw new Error(
        `the corpus ${args.input} is too small or too repetitive for ${args.vocabSize} pieces: spm_train can make at most ` +
          `${limit[1]}. Lower --vocab-size or give it more varied text.`,
      );
    }
    const tsv = run("spm_export_vocab", [`--model=${prefix}.model`, "--output_format=vocab"]);
    const vocab = parseSentencePieceVocab(tsv);
    fs.mkdirSync(args.out, { recursive: true });
    fs.writeFileSync(path.join(args.out, "tokenizer.json"), JSON.stringify(t5TokenizerJson(vocab, { extraIds }), null, 2) + "\n");
    const config = t5TokenizerConfig(512, { extraIds, pieces: vocab.length });
    fs.writeFileSync(path.join(args.out, "tokenizer_config.json"), JSON.stringify(config, null, 2) + "\n");
    const sha = createHash("sha256").update(corpus).digest("hex");
    fs.writeFileSync(path.join(args.out, "README.md"), readme(args, sha, lines, vocab.length, flags));
    return { pieces: vocab.length };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const { pieces } = trainTokenizer(args);
    console.log(`wrote a ${pieces}-piece tokenizer to ${args.out}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
