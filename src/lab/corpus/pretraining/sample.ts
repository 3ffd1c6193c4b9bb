// The committed part of the corpus: datasets/pretraining/sample.txt (the stream's first documents) and its data card
// README.md, which also reports the corpus at the default size and the vocabulary coverage of the chat summaries.
import * as fs from "fs";
import * as path from "path";
import { DATASETS_DIR } from "../../paths";
import { corpusStats, renderPretrainingCard, vocabularyCoverage } from "./card";
import { DEFAULT_PRETRAINING_DOCUMENTS, DEFAULT_PRETRAINING_SEED, generatePretrainingDocuments } from "./index";
import { loadShippedTexts, shippedField } from "./shipped-texts";
import { formatDocuments } from "./write";

/** Documents in sample.txt: a few hundred KB. */
export const SAMPLE_DOCUMENTS = 600;
/** Documents the vocabulary coverage is measured on. */
export const COVERAGE_DOCUMENTS = 2000;
/** The folder the sample and its card go to. */
export const PRETRAINING_DIR = path.join(DATASETS_DIR, "pretraining");

/** Options of writePretrainingSample. */
export interface SampleOptions {
  /** Folder for sample.txt and README.md (default datasets/pretraining). */
  out?: string;
  seed?: number;
  /** The datasets whose chat_summary and review_rating texts are avoided and whose summaries measure coverage. */
  datasets?: string;
  /** The command line the card shows. */
  command?: string;
}

/** Write sample.txt and README.md; returns their paths. */
export function writePretrainingSample(options: SampleOptions = {}): { sample: string; card: string } {
  const { out = PRETRAINING_DIR, seed = DEFAULT_PRETRAINING_SEED, datasets = DATASETS_DIR } = options;
  const command = options.command ?? `node --import tsx scripts/make-pretraining-corpus.ts --seed ${seed}`;
  const shipped = loadShippedTexts(datasets);
  // One stream: the sample and the coverage documents are prefixes of the default-size corpus.
  const documents = generatePretrainingDocuments(DEFAULT_PRETRAINING_DOCUMENTS, { seed, shipped });
  const sample = documents.slice(0, SAMPLE_DOCUMENTS);
  const trainSummaries = shippedField(path.join(datasets, "chat_summary"), "summary", ["train"]);
  const coverageDocuments = documents.slice(0, COVERAGE_DOCUMENTS).map((d) => d.text);
  const coverage = { ...vocabularyCoverage(trainSummaries, coverageDocuments), documents: coverageDocuments.length, summaries: trainSummaries.length };
  fs.mkdirSync(out, { recursive: true });
  const sampleFile = path.join(out, "sample.txt");
  const cardFile = path.join(out, "README.md");
  fs.writeFileSync(sampleFile, formatDocuments(sample.map((d) => d.text)));
  const card = renderPretrainingCard({
    seed,
    command,
    sample: { file: "sample.txt", documents: sample },
    full: corpusStats(documents),
    coverage,
    avoided: { dialogues: shipped.dialogues.size, reviews: shipped.reviews.size },
  });
  fs.writeFileSync(cardFile, card);
  return { sample: sampleFile, card: cardFile };
}

