// T5-style tokenizers from a local folder (tokenizer.json + tokenizer_config.json), through transformers.js.
//
// We parse the two JSON files ourselves and hand them to transformers.js's PreTrainedTokenizer: no Hub, no cache
// folder, no global `env` settings, any absolute or relative path, and error messages that name the file.
// transformers.js is imported on first use: importing it also loads onnxruntime-node (about 0.1 s), which
// code that never tokenizes should not pay for.
//
// Conventions the rest of flanlab relies on (T5 and FLAN-T5 share them):
//   - encode() returns ids ending with </s> (id 1); no <s>/BOS at the start.
//   - padding is on the right with <pad> (id 0), which is also the decoder start token.
import * as fs from "fs";
import * as path from "path";
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { splitAtWhitespace } from "./text-chunks";

/** Files a tokenizer folder may hold; the first two are required, the others are carried along when present. */
export const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "spiece.model"] as const;
const REQUIRED_FILES = TOKENIZER_FILES.slice(0, 2);

/** Texts longer than this are encoded in parts cut at whitespace (the same ids; see text-chunks.ts for why). */
const ENCODE_CHUNK_CHARS = 20_000;

/** Hugging Face writes a huge number (int(1e30)) as model_max_length when a tokenizer has no limit. */
const NO_LIMIT_ABOVE = 1e9;

export interface EncodeBatchOptions {
  /** Longer sequences are cut to this many ids, the last one kept as </s>. */
  maxLength?: number;
  /** Pad every row to maxLength instead of to the longest row (fixed shapes). Needs maxLength. */
  padToMaxLength?: boolean;
  /** Round the padded length up to a multiple of this (as Hugging Face does, this may exceed maxLength). */
  padToMultipleOf?: number;
}

export interface BatchEncoding {
  /** [batch][length], right-padded with the pad id. */
  inputIds: number[][];
  /** [batch][length], 1 for real tokens (</s> included), 0 for padding. */
  attentionMask: number[][];
}

export interface DecodeOptions {
  /** Drop <pad>, </s>, <unk> and other special tokens (default true). */
  skipSpecialTokens?: boolean;
}

/** A T5 tokenizer: text to ids ending with </s>, ids back to text, and its special ids. */
export interface Tokenizer {
  /** Absolute path of the folder it was loaded from; null when built from JSON in memory. */
  readonly folder: string | null;
  /** Number of ids (largest id + 1, added tokens included). May be smaller than the model's vocab_size. */
  readonly vocabSize: number;
  readonly padTokenId: number;
  readonly eosTokenId: number;
  readonly unkTokenId: number;
  /** tokenizer_config.json's model_max_length: the longest input the model was made for; null when it sets none. */
  readonly modelMaxLength: number | null;
  /** Ids of one text, ending with </s>; a text of any length (long ones are encoded in parts cut at whitespace). */
  encode(text: string): number[];
  /** Ids of several texts, truncated and right-padded into a rectangle. */
  encodeBatch(texts: readonly string[], options?: EncodeBatchOptions): BatchEncoding;
  /** Text of a list of ids. Throws on an id outside the vocabulary. */
  decode(ids: readonly number[], options?: DecodeOptions): string;
  decodeBatch(batch: readonly (readonly number[])[], options?: DecodeOptions): string[];
  /** The pieces of a text, without </s> (for display: "▁Hello", "▁wor", "ld"). */
  tokenize(text: string): string[];
  /** The piece of one id. Throws on an id outside the vocabulary. */
  idToToken(id: number): string;
  /** The transformers.js tokenizer underneath, for anything this interface does not cover. */
  readonly backend: PreTrainedTokenizer;
}

type TransformersModule = typeof import("@huggingface/transformers");
let transformers: Promise<TransformersModule> | undefined;
function importTransformers(): Promise<TransformersModule> {
  transformers ??= import("@huggingface/transformers");
  return transformers;
}

/** Raw bytes of the tokenizer files, kept so saveTokenizer writes exactly what was loaded. */
const FILES = new WeakMap<Tokenizer, Map<string, Buffer>>();

/** Load a tokenizer from a folder holding tokenizer.json and tokenizer_config.json. */
export async function loadTokenizer(folder: string): Promise<Tokenizer> {
  const absolute = path.resolve(folder);
  if (!fs.existsSync(absolute)) throw new Error(`tokenizer folder not found: ${absolute}`);
  if (!fs.statSync(absolute).isDirectory()) throw new Error(`tokenizer path is not a folder: ${absolute}`);
  const files = new Map<string, Buffer>();
  for (const name of TOKENIZER_FILES) {
    const file = path.join(absolute, name);
    if (fs.existsSync(file)) files.set(name, fs.readFileSync(file));
    else if ((REQUIRED_FILES as readonly string[]).includes(name)) {
      throw new Error(`${name} not found in tokenizer folder ${absolute} (expected ${file})`);
    }
  }
  const tokenizerJson = parseJsonFile(files.get("tokenizer.json")!, path.join(absolute, "tokenizer.json"));
  const tokenizerConfig = parseJsonFile(files.get("tokenizer_config.json")!, path.join(absolute, "tokenizer_config.json"));
  return build(tokenizerJson, tokenizerConfig, absolute, files);
}

/** Build a tokenizer from parsed tokenizer.json and tokenizer_config.json objects (no files involved). */
export async function tokenizerFromJson(tokenizerJson: object, tokenizerConfig: object): Promise<Tokenizer> {
  const files = new Map<string, Buffer>([
    ["tokenizer.json", Buffer.from(JSON.stringify(tokenizerJson, null, 2) + "\n")],
    ["tokenizer_config.json", Buffer.from(JSON.stringify(tokenizerConfig, null, 2) + "\n")],
  ]);
  return build(tokenizerJson, tokenizerConfig, null, files);
}

/** Write the tokenizer's files (exactly as loaded) into a folder, e.g. a checkpoint; creates the folder. */
export async function saveTokenizer(tokenizer: Tokenizer, folder: string): Promise<void> {
  const files = FILES.get(tokenizer);
  if (!files) throw new Error("saveTokenizer needs a tokenizer made by loadTokenizer or tokenizerFromJson");
  await fs.promises.mkdir(folder, { recursive: true });
  for (const [name, bytes] of files) await fs.promises.writeFile(path.join(folder, name), bytes);
}

function parseJsonFile(bytes: Buffer, file: string): object {
  try {
    return JSON.parse(bytes.toString("utf8")) as object;
  } catch (error) {
    throw new Error(`cannot parse ${file}: ${(error as Error).message}`);
  }
}

async function build(tokenizerJson: object, tokenizerConfig: object, folder: string | null, files: Map<string, Buffer>): Promise<Tokenizer> {
  const where = folder ?? "the tokenizer given in memory";
  const { PreTrainedTokenizer } = await importTransformers();
  let backend: PreTrainedTokenizer;
  try {
    backend = new PreTrainedTokenizer(tokenizerJson, tokenizerConfig);
  } catch (error) {
    throw new Error(`cannot build a tokenizer from ${where}: ${(error as Error).message}`);
  }
  const tokenizer = new T5StyleTokenizer(backend, folder, where, modelMaxLengthOf(tokenizerConfig));
  FILES.set(tokenizer, files);
  return tokenizer;
}

/** model_max_length of a tokenizer_config.json object, null when absent or Hugging Face's "no limit". */
function modelMaxLengthOf(tokenizerConfig: object): number | null {
  const value = (tokenizerConfig as { model_max_length?: unknown }).model_max_length;
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value < NO_LIMIT_ABOVE ? value : null;
}

class T5StyleTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly padTokenId: number;
  readonly eosTokenId: number;
  readonly unkTokenId: number;
  private readonly pieces: string[] = [];

  constructor(
    readonly backend: PreTrainedTokenizer,
    readonly folder: string | null,
    where: string,
    readonly modelMaxLength: number | null,
  ) {
    const specialId = (name: string, id: number | undefined): number => {
      if (id === undefined || id === null) throw new Error(`${where} defines no ${name} token (tokenizer_config.json ${name}_token)`);
      return id;
    };
    this.padTokenId = specialId("pad", backend.pad_token_id);
    this.eosTokenId = specialId("eos", backend.eos_token_id);
    this.unkTokenId = specialId("unk", backend.unk_token_id);
    for (const [piece, id] of backend.get_vocab()) this.pieces[id] = piece;
    this.vocabSize = this.pieces.length;
  }

  encode(text: string): number[] {
    if (text.length > ENCODE_CHUNK_CHARS) {
      const parts = splitAtWhitespace(text, ENCODE_CHUNK_CHARS);
      return [...parts.flatMap((part) => this.backend.encode(part, { add_special_tokens: false })), this.eosTokenId];
    }
    const ids = this.backend.encode(text);
    // A tokenizer.json without T5's post-processor would not append </s>; the contract says it ends there.
    if (ids[ids.length - 1] !== this.eosTokenId) ids.push(this.eosTokenId);
    return ids;
  }

  encodeBatch(texts: readonly string[], options: EncodeBatchOptions = {}): BatchEncoding {
    const { maxLength, padToMaxLength = false, padToMultipleOf } = options;
    if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength >= 1)) {
      throw new Error(`maxLength must be an integer >= 1, got ${maxLength}`);
    }
    if (padToMultipleOf !== undefined && !(Number.isInteger(padToMultipleOf) && padToMultipleOf >= 1)) {
      throw new Error(`padToMultipleOf must be an integer >= 1, got ${padToMultipleOf}`);
    }
    if (padToMaxLength && maxLength === undefined) throw new Error("padToMaxLength needs maxLength");

    const rows = texts.map((text) => {
      const ids = this.encode(text);
      return maxLength === undefined || ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), this.eosTokenId];
    });
    let length = padToMaxLength ? maxLength! : Math.max(0, ...rows.map((r) => r.length));
    if (padToMultipleOf !== undefined) length = Math.ceil(length / padToMultipleOf) * padToMultipleOf;

    const pad = (row: number[], value: number): number[] => row.concat(new Array<number>(length - row.length).fill(value));
    return {
      inputIds: rows.map((row) => pad(row, this.padTokenId)),
      attentionMask: rows.map((row) => pad(new Array<number>(row.length).fill(1), 0)),
    };
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const { skipSpecialTokens = true } = options;
    for (const id of ids) this.checkId(id);
    if (ids.length === 0) return ""; // transformers.js throws on an empty list
    return this.backend.decode([...ids], { skip_special_tokens: skipSpecialTokens });
  }

  decodeBatch(batch: readonly (readonly number[])[], options: DecodeOptions = {}): string[] {
    return batch.map((ids) => this.decode(ids, options));
  }

  tokenize(text: string): string[] {
    return text.length <= ENCODE_CHUNK_CHARS ? this.backend.tokenize(text) : splitAtWhitespace(text, ENCODE_CHUNK_CHARS).flatMap((part) => this.backend.tokenize(part));
  }

  idToToken(id: number): string {
    this.checkId(id);
    const piece = this.pieces[id];
    if (piece === undefined) throw new Error(`token id ${id} has no piece in ${this.folder ?? "this tokenizer"}`);
    return piece;
  }

  private checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new Error(`token id ${id} is outside the vocabulary (size ${this.vocabSize}, valid ids 0..${this.vocabSize - 1})`);
    }
  }
}
