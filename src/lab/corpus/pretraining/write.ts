// The corpus as a text file: documents in stream order, separated by one blank line (documents hold none), the file
// ending with a newline. Written document by document, so a corpus of any size never sits in memory as one string.
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PRETRAINING_DOCUMENTS, PRETRAINING_KINDS, PretrainingDocument, PretrainingKindName, PretrainingSource, pretrainingDocuments } from "./index";

/** How much to write: a number of documents, a token budget, or both (whichever is reached first). */
export interface CorpusSize {
  /** At most this many documents (default DEFAULT_PRETRAINING_DOCUMENTS when no token budget is given). */
  documents?: number;
  /** Documents are added while their tokens stay within this budget; needs countTokens. */
  maxTokens?: number;
  /** Tokens of one document, e.g. (text) => tokenizer.encode(text).length. */
  countTokens?: (text: string) => number;
}

/** What was written. */
export interface WrittenCorpus {
  file: string;
  documents: number;
  characters: number;
  /** Tokens written, when countTokens was given. */
  tokens?: number;
  /** Documents per kind. */
  kinds: Record<PretrainingKindName, number>;
}

/** The separator between two documents in the file. */
export const DOCUMENT_SEPARATOR = "\n\n";

/** Documents as the file holds them. */
export function formatDocuments(texts: readonly string[]): string {
  return texts.length === 0 ? "" : texts.join(DOCUMENT_SEPARATOR) + "\n";
}

/** The documents of a corpus file's text. */
export function parseDocuments(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((document) => document.trim())
    .filter((document) => document !== "");
}

/** The documents of a corpus file. */
export function readPretrainingCorpus(file: string): string[] {
  return parseDocuments(fs.readFileSync(file, "utf8"));
}

function checkSize(size: CorpusSize): void {
  const { documents, maxTokens, countTokens } = size;
  if (documents !== undefined && !(Number.isInteger(documents) && documents >= 0)) throw new Error(`pretraining corpus: documents must be an integer >= 0, got ${documents}.`);
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens >= 0)) throw new Error(`pretraining corpus: maxTokens must be an integer >= 0, got ${maxTokens}.`);
  if (maxTokens !== undefined && !countTokens) throw new Error("pretraining corpus: a token budget (maxTokens) needs countTokens.");
}

/** The next documents of the stream up to the size, each with its token count when counted. */
export function* sizedDocuments(size: CorpusSize & PretrainingSource = {}): Generator<PretrainingDocument & { tokens?: number }> {
  checkSize(size);
  const limit = size.documents ?? (size.maxTokens === undefined ? DEFAULT_PRETRAINING_DOCUMENTS : Infinity);
  let written = 0;
  let tokens = 0;
  if (limit === 0) return;
  for (const document of pretrainingDocuments(size)) {
    const count = size.countTokens?.(document.text);
    if (size.maxTokens !== undefined && tokens + count! > size.maxTokens) return;
    tokens += count ?? 0;
    yield count === undefined ? document : { ...document, tokens: count };
    if (++written >= limit) return;
  }
}

/** Write the corpus to a text file (folders created); the same seed and size give the same bytes. */
export function writePretrainingCorpus(file: string, size: CorpusSize & PretrainingSource = {}): WrittenCorpus {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const kinds = Object.fromEntries(PRETRAINING_KINDS.map((k) => [k.name, 0])) as Record<PretrainingKindName, number>;
  const written: WrittenCorpus = { file, documents: 0, characters: 0, kinds };
  if (size.countTokens) written.tokens = 0;
  const fd = fs.openSync(file, "w");
  try {
    for (const document of sizedDocuments(size)) {
      fs.writeSync(fd, (written.documents === 0 ? "" : DOCUMENT_SEPARATOR) + document.text);
      written.documents++;
      written.characters += document.text.length;
      if (document.tokens !== undefined) written.tokens! += document.tokens;
      kinds[document.kind]++;
    }
    if (written.documents > 0) fs.writeSync(fd, "\n");
  } finally {
    fs.closeSync(fd);
  }
  return written;
}
