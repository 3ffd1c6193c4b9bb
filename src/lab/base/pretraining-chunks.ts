// The pretraining corpus as raw token chunks for span corruption: documents generated from a seed, tokenized once
// and cached under build/ (tokenizing is the slow part: about 30,000 tokens/s), concatenated, cut to a fixed length.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Tokenizer } from "../../io/tokenizer";
import { joinDocuments } from "../../data/span-corruption";
import { PRETRAINING_CORPUS_VERSION, PretrainingDocument, pretrainingDocuments } from "../corpus/pretraining";
import { loadShippedTexts } from "../corpus/pretraining/shipped-texts";
import { PACKAGE_ROOT } from "../paths";

/** Which documents: the stream's seed and how many of its first documents. */
export interface CorpusSlice {
  seed: number;
  documents: number;
}

/** The first `documents` documents of the seeded stream, avoiding every shipped chat_summary and review text. */
export function corpusDocuments(slice: CorpusSlice): PretrainingDocument[] {
  const shipped = loadShippedTexts();
  const documents: PretrainingDocument[] = [];
  if (slice.documents <= 0) return documents;
  for (const document of pretrainingDocuments({ seed: slice.seed, shipped })) {
    documents.push(document);
    if (documents.length === slice.documents) break;
  }
  return documents;
}

/** A short hash of the tokenizer's vocabulary, so a cache never mixes two tokenizers. */
function tokenizerKey(tokenizer: Tokenizer): string {
  const folder = tokenizer.folder;
  const json = folder ? fs.readFileSync(path.join(folder, "tokenizer.json")) : Buffer.from(String(tokenizer.vocabSize));
  return createHash("sha256").update(json).digest("hex").slice(0, 12);
}

/** Where the tokenized slice is cached (one Int32Array per slice and tokenizer). */
export function chunkCacheFile(slice: CorpusSlice, tokenizer: Tokenizer, cacheDir = path.join(PACKAGE_ROOT, "build", "pretraining-cache")): string {
  return path.join(cacheDir, `corpus-v${PRETRAINING_CORPUS_VERSION}-seed${slice.seed}-docs${slice.documents}-tok${tokenizerKey(tokenizer)}.i32`);
}

/** Token ids of every document of the slice, concatenated without separators (cached). */
export function corpusTokens(slice: CorpusSlice, tokenizer: Tokenizer, log: (line: string) => void = () => {}): Int32Array {
  const file = chunkCacheFile(slice, tokenizer);
  if (fs.existsSync(file)) {
    const bytes = fs.readFileSync(file);
    return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
  const started = Date.now();
  const documents = corpusDocuments(slice);
  const tokens = Int32Array.from(joinDocuments(documents.map((d) => tokenizer.encode(d.text)), tokenizer.eosTokenId, false));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.partial`, Buffer.from(tokens.buffer));
  fs.renameSync(`${file}.partial`, file);
  log(`tokenized ${documents.length.toLocaleString("en-US")} documents into ${tokens.length.toLocaleString("en-US")} tokens in ${((Date.now() - started) / 1000).toFixed(0)} s (cached in ${path.relative(PACKAGE_ROOT, file)})`);
  return tokens;
}

/** The slice's tokens cut into chunks of `length` raw ids (the remainder left out). */
export function corpusChunks(slice: CorpusSlice, tokenizer: Tokenizer, length: number, log?: (line: string) => void): number[][] {
  const tokens = corpusTokens(slice, tokenizer, log);
  const chunks: number[][] = [];
  for (let start = 0; start + length <= tokens.length; start += length) chunks.push(Array.from(tokens.subarray(start, start + length)));
  return chunks;
}
