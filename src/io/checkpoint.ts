// Load and save a checkpoint folder in Hugging Face's layout: config.json, model.safetensors (or shards with
// model.safetensors.index.json), generation_config.json, tokenizer files. Disk keeps PyTorch's [out, in] linear
// weights; memory keeps [in, out] (params.ts), so the transpose happens here and only here.
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { T5Config, makeConfig } from "../model/config";
import { ParamMap, checkParams, isLinearWeight, parameterSpecs } from "../model/params";
import { T5Model } from "../model/t5";
import { resolveModelFolder } from "./hub";
import { HostTensor, parseSafetensors, serializeSafetensors } from "./safetensors";
import { TOKENIZER_FILES } from "./tokenizer";

/** Copies of shared.weight that real checkpoints carry under other names. */
const EMBEDDING_COPIES = ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"];
/** Present in original T5 checkpoints, unused by the model (transformers ignores it too). */
const UNUSED_KEYS = /^decoder\.block\.0\.layer\.1\.EncDecAttention\.relative_attention_bias\.weight$/;

export function readJson<T>(file: string): T {
  if (!fs.existsSync(file)) throw new Error(`${file}: file not found.`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message}).`);
  }
}

/** The T5Config of a model folder's config.json. */
export function loadConfig(folder: string): T5Config {
  const file = path.join(folder, "config.json");
  return makeConfig(readJson<Partial<T5Config>>(file), file);
}

/** All tensors of a folder's weights, single-file or sharded. */
export function readWeights(folder: string): Record<string, HostTensor> {
  const single = path.join(folder, "model.safetensors");
  const index = path.join(folder, "model.safetensors.index.json");
  const files = fs.existsSync(single)
    ? [single]
    : fs.existsSync(index)
      ? [...new Set(Object.values(readJson<{ weight_map: Record<string, string> }>(index).weight_map))].map((f) => path.join(folder, f))
      : [];
  if (files.length === 0) {
    const bin = path.join(folder, "pytorch_model.bin");
    const hint = fs.existsSync(bin)
      ? ` It has pytorch_model.bin, which flanlab cannot read: convert it with Python, e.g. ` +
        `T5ForConditionalGeneration.from_pretrained("${folder}").save_pretrained("${folder}", safe_serialization=True).`
      : "";
    throw new Error(`${folder}: no model.safetensors or model.safetensors.index.json.${hint}`);
  }
  const tensors: Record<string, HostTensor> = {};
  for (const file of files) {
    if (!fs.existsSync(file)) throw new Error(`${file}: shard listed in the index is missing.`);
    Object.assign(tensors, parseSafetensors(fs.readFileSync(file), file).tensors);
  }
  return tensors;
}

function transpose2d(t: HostTensor): HostTensor {
  const [rows, cols] = t.shape;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c];
  return { shape: [cols, rows], data: out };
}

/** Disk tensors (Hugging Face names, [out, in]) -> a checked parameter map ([in, out]). */
export function paramsFromWeights(weights: Record<string, HostTensor>, config: T5Config, source: string): ParamMap {
  const specs = parameterSpecs(config);
  const named = { ...weights };
  if (!named["shared.weight"] && named["encoder.embed_tokens.weight"]) named["shared.weight"] = named["encoder.embed_tokens.weight"];
  for (const copy of EMBEDDING_COPIES) delete named[copy];
  if (config.tie_word_embeddings) delete named["lm_head.weight"]; // tied: the head is shared.weight
  const unexpected = Object.keys(named).filter((name) => !specs.has(name) && !UNUSED_KEYS.test(name));
  if (unexpected.length > 0) {
    throw new Error(`${source}: tensor(s) ${unexpected.slice(0, 5).join(", ")} are not part of a T5 with this config.json.`);
  }
  const params: ParamMap = {};
  for (const name of specs.keys()) {
    const host = named[name];
    if (!host) continue; // checkParams names what is missing
    const inMemory = isLinearWeight(name) ? transpose2d(host) : host;
    params[name] = tf.tensor(inMemory.data, inMemory.shape);
  }
  try {
    checkParams(params, config, source);
  } catch (error) {
    Object.values(params).forEach((t) => t.dispose());
    throw error;
  }
  return params;
}

/** Load a T5 from a Hugging Face-style folder, or by Hub name from the Hugging Face cache ("google/flan-t5-small"; io/hub.ts). */
export function loadModel(spec: string): T5Model {
  const folder = resolveModelFolder(spec); // the folder itself when it exists; never the network
  const config = loadConfig(folder);
  return { config, params: paramsFromWeights(readWeights(folder), config, folder) };
}

/** Parameter map -> disk tensors ([out, in] linear weights), in the config's order. */
export function weightsFromParams(params: ParamMap): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [name, tensor] of Object.entries(params)) {
    const host = { shape: tensor.shape.slice(), data: tensor.dataSync() as Float32Array };
    out[name] = isLinearWeight(name) ? transpose2d(host) : host;
  }
  return out;
}

/** What saveModel writes besides the weights and config. */
export interface SaveOptions {
  /** Folder holding tokenizer.json (+ tokenizer_config.json etc.) to copy alongside. */
  tokenizerFolder?: string;
  /** Written as generation_config.json. */
  generationConfig?: Record<string, unknown>;
}

/** Save a model as a folder that flanlab and Hugging Face transformers both load. */
export function saveModel(model: T5Model, folder: string, options: SaveOptions = {}): void {
  fs.mkdirSync(folder, { recursive: true });
  const config = { architectures: ["T5ForConditionalGeneration"], ...model.config, model_type: "t5" };
  fs.writeFileSync(path.join(folder, "config.json"), JSON.stringify(config, null, 2) + "\n");
  const ordered: ParamMap = {};
  for (const name of parameterSpecs(model.config).keys()) ordered[name] = model.params[name];
  fs.writeFileSync(path.join(folder, "model.safetensors"), serializeSafetensors(weightsFromParams(ordered)));
  const generation = options.generationConfig ?? {
    decoder_start_token_id: model.config.decoder_start_token_id,
    eos_token_id: model.config.eos_token_id,
    pad_token_id: model.config.pad_token_id,
  };
  fs.writeFileSync(path.join(folder, "generation_config.json"), JSON.stringify(generation, null, 2) + "\n");
  if (options.tokenizerFolder && path.resolve(options.tokenizerFolder) !== path.resolve(folder)) {
    for (const file of TOKENIZER_FILES) {
      const from = path.join(options.tokenizerFolder, file);
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(folder, file));
    }
  }
}

/** generation_config.json of a folder, or {} when it has none. */
export function loadGenerationConfig(folder: string): Record<string, unknown> {
  const file = path.join(folder, "generation_config.json");
  return fs.existsSync(file) ? readJson<Record<string, unknown>>(file) : {};
}
