// Content hashes of what a training run starts from: JSON values (canonical: keys sorted), files, model folders,
// tokenizers and a model's parameters in memory. A file is read once per process while its path, size and
// modification time stay the same; a model's hash is kept while its parameters are the same (immutable) tensors.
// The run cache (train/run-key.ts) names its entries by these hashes.
import { createHash, Hash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import type { T5Model } from "../model/t5";
import { TOKENIZER_FILES, Tokenizer } from "./tokenizer";

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** JSON text with every object's keys sorted (undefined fields dropped, as JSON.stringify does): equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

/** The sha256 of text or bytes, as 64 hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The sha256 of a value's canonical JSON. */
export function jsonSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

const FILE_HASHES = new Map<string, { size: number; mtimeMs: number; sha256: string }>();
const CHUNK_BYTES = 1 << 24;

function updateFromFile(hash: Hash, file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (let read; (read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null)) > 0; ) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
}

/** A file's sha256, read in chunks and only again when its size or modification time changed. */
export function fileSha256(file: string): string {
  const absolute = path.resolve(file);
  const { size, mtimeMs } = fs.statSync(absolute);
  const known = FILE_HASHES.get(absolute);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return known.sha256;
  const hash = createHash("sha256");
  updateFromFile(hash, absolute);
  const sha256 = hash.digest("hex");
  FILE_HASHES.set(absolute, { size, mtimeMs, sha256 });
  return sha256;
}

/** One hash of the named files a folder has (a missing one is left out). */
function folderFilesHash(folder: string, names: readonly string[]): string {
  const present = names.filter((name) => fs.existsSync(path.join(folder, name))).sort();
  return jsonSha256(present.map((name) => [name, fileSha256(path.join(folder, name))]));
}

const isWeightsFile = (name: string): boolean => name === "config.json" || name.endsWith(".safetensors") || name.endsWith(".safetensors.index.json");

/** A model folder's content: config.json and its weights (model.safetensors, or the index and its shards). */
export function modelFolderHash(folder: string): string {
  return folderFilesHash(folder, fs.readdirSync(folder).filter(isWeightsFile));
}

const TOKENIZER_HASHES = new WeakMap<Tokenizer, string>();

/** A tokenizer's content: the files of the folder it was loaded from, or (built in memory) its pieces and special ids. */
export function tokenizerHash(tokenizer: Tokenizer): string {
  let hash = TOKENIZER_HASHES.get(tokenizer);
  if (hash === undefined) {
    hash = tokenizer.folder
      ? folderFilesHash(tokenizer.folder, TOKENIZER_FILES)
      : jsonSha256({
          pieces: Array.from({ length: tokenizer.vocabSize }, (_, id) => tokenizer.idToToken(id)),
          special: [tokenizer.padTokenId, tokenizer.eosTokenId, tokenizer.unkTokenId],
        });
    TOKENIZER_HASHES.set(tokenizer, hash);
  }
  return hash;
}

/** A model's hash and the tensors it was taken from: valid while the model holds exactly those tensors. */
interface KnownHash {
  tensors: Map<string, tf.Tensor>;
  hash: string;
}

const MODEL_HASHES = new WeakMap<T5Model, KnownHash>();

/** Still the same content: the same names and tensor objects, none disposed or a variable (variables change in place). */
function holdsSameTensors(model: T5Model, known: KnownHash): boolean {
  const names = Object.keys(model.params);
  return (
    names.length === known.tensors.size &&
    names.every((name) => {
      const tensor = model.params[name];
      return tensor === known.tensors.get(name) && !tensor.isDisposed && !(tensor instanceof tf.Variable);
    })
  );
}

function remember(model: T5Model, hash: string): void {
  if (Object.values(model.params).some((t) => t instanceof tf.Variable)) return;
  MODEL_HASHES.set(model, { tensors: new Map(Object.entries(model.params)), hash });
}

/** sha256 over the config and every parameter's name, shape and float bytes, in name order. */
function parametersHash(model: T5Model): string {
  const hash = createHash("sha256").update(canonicalJson(model.config));
  for (const name of Object.keys(model.params).sort()) {
    const tensor = model.params[name];
    const data = tensor.dataSync();
    hash.update(canonicalJson([name, tensor.dtype, tensor.shape]));
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest("hex");
}

/** Note that `model` was just loaded from `folder`: until its parameters change, its hash is the folder's (no tensor is read). */
export function rememberModelFolder(model: T5Model, folder: string): void {
  remember(model, `folder ${modelFolderHash(folder)}`);
}

/**
 * A model's content hash: its folder's (rememberModelFolder) while it holds the tensors it was loaded with, else
 * the sha256 of its config and parameters' bytes, kept for the next call while they stay the same. Inactive LoRA
 * adapters (outside model.params) are not part of it.
 */
export function modelHash(model: T5Model): string {
  const known = MODEL_HASHES.get(model);
  if (known && holdsSameTensors(model, known)) return known.hash;
  const hash = `parameters ${parametersHash(model)}`;
  remember(model, hash);
  return hash;
}
