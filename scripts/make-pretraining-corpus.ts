// The pretraining corpus of the lab's world (src/lab/corpus/pretraining/).
//
//   node --import tsx scripts/make-pretraining-corpus.ts [--seed S] [--out DIR]
//       writes DIR/sample.txt and DIR/README.md, the data card (default DIR: datasets/pretraining)
//   node --import tsx scripts/make-pretraining-corpus.ts --file FILE [--documents N | --tokens N] [--seed S]
//       writes a corpus of N documents (default 20,000), or of documents within N tokens of the project tokenizer
//
// Either way the generators avoid every chat_summary dialogue and review_rating review in datasets/.
import * as path from "path";
import { loadTokenizer } from "../src/io/tokenizer";
import { DATASETS_DIR } from "../src/lab/paths";
import { DEFAULT_PRETRAINING_SEED } from "../src/lab/corpus/pretraining";
import { writePretrainingSample } from "../src/lab/corpus/pretraining/sample";
import { loadShippedTexts } from "../src/lab/corpus/pretraining/shipped-texts";
import { writePretrainingCorpus } from "../src/lab/corpus/pretraining/write";

const USAGE = "usage: make-pretraining-corpus [--seed S] [--out DIR] | --file FILE [--documents N | --tokens N] [--seed S]";
const FLAGS = ["--seed", "--out", "--file", "--documents", "--tokens"];

function parseFlags(argv: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!FLAGS.includes(argv[i])) throw new Error(`unknown flag ${argv[i]}\n${USAGE}`);
    if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value\n${USAGE}`);
    values[argv[i]] = argv[i + 1];
  }
  return values;
}

function count(values: Record<string, string>, flag: string): number | undefined {
  if (values[flag] === undefined) return undefined;
  const n = Number(values[flag]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be an integer >= 0, got ${values[flag]}`);
  return n;
}

async function main(): Promise<void> {
  const values = parseFlags(process.argv.slice(2));
  const seed = count(values, "--seed") ?? DEFAULT_PRETRAINING_SEED;
  if (values["--file"] === undefined) {
    if (values["--documents"] !== undefined || values["--tokens"] !== undefined) throw new Error(`--documents and --tokens need --file\n${USAGE}`);
    const seedFlag = values["--seed"] === undefined ? "" : ` --seed ${seed}`;
    const outFlag = values["--out"] === undefined ? "" : ` --out ${values["--out"]}`;
    const written = writePretrainingSample({ out: values["--out"], seed, command: `node --import tsx scripts/make-pretraining-corpus.ts${seedFlag}${outFlag}` });
    console.log(`wrote ${written.sample} and ${written.card}`);
    return;
  }
  if (values["--out"] !== undefined) throw new Error(`--out is for the sample; with --file, name the corpus file only\n${USAGE}`);
  const maxTokens = count(values, "--tokens");
  const tokenizer = maxTokens === undefined ? undefined : await loadTokenizer(path.join(DATASETS_DIR, "tokenizer"));
  const started = Date.now();
  const written = writePretrainingCorpus(values["--file"], {
    seed,
    shipped: loadShippedTexts(),
    documents: count(values, "--documents"),
    maxTokens,
    countTokens: tokenizer ? (text) => tokenizer.encode(text).length : undefined,
  });
  const seconds = (Date.now() - started) / 1000;
  const tokens = written.tokens === undefined ? "" : `, ${written.tokens.toLocaleString("en-US")} tokens`;
  console.log(`wrote ${written.documents.toLocaleString("en-US")} documents (${written.characters.toLocaleString("en-US")} characters${tokens}) to ${written.file} in ${seconds.toFixed(1)} s`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
